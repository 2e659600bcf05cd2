"""Draft preview in real Chromium (issue 16): a staff member opens "Vedi sul sito" of a new, unpublished lab and sees
the page with the "Bozza — non pubblicato" banner, and its programme PDF; an anonymous visitor gets the 404."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import axe_violations
from tests.factories import LabFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user) -> None:
    """A staff session without the email-code + TOTP steps (test_backoffice_walkthrough.py walks through those)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_staff_preview_a_draft_lab_from_the_admin(page, live_server, admin_user):
    lab = LabFactory(title="Laboratorio in bozza", published=False)
    MeetingFactory(lab=lab)

    assert page.goto(lab.get_absolute_url()).status == 404

    _log_in(page, live_server, admin_user)
    page.goto(f"/admin/labs/lab/{lab.pk}/change/")
    page.locator("a.viewsitelink").click()
    page.wait_for_url(f"**{lab.get_absolute_url()}")
    banner = page.get_by_role("status").filter(has_text="Bozza — non pubblicato")
    assert banner.is_visible()
    assert page.locator("h1").first.inner_text() == "Laboratorio in bozza"
    assert axe_violations(page) == []

    response = page.request.get(f"{live_server.url}/laboratori/{lab.slug}/programma.pdf")
    assert (response.status, response.headers["content-type"]) == (200, "application/pdf")
    assert page.external_requests == []
    assert page.csp_violations == []
