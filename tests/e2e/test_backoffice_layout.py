"""The back-office at common screen sizes in real Chromium (issue 16): the dashboard uses the width and its column
headers stay on one line; the registrations list shows the status column without horizontal scrolling at 1366 px."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1366, 768), (1920, 1080)]
# Set BACKOFFICE_SCREENSHOTS=<folder> to keep the screenshots for a look.
SCREENSHOTS = os.environ.get("BACKOFFICE_SCREENSHOTS")


def _log_in(page, live_server, user) -> None:
    """A staff session without the email-code + TOTP steps (test_backoffice_walkthrough.py walks through those)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_dashboard_and_registrations_list_fit_the_screen(page, live_server, admin_user, width, height):
    lab = LabFactory(title="Laboratorio sull'accoglienza e l'inclusione dei cittadini stranieri")
    meeting = MeetingFactory(lab=lab, title="Primo incontro: il quadro normativo e le buone pratiche", capacity=30)
    for n in range(3):
        RegistrationFactory(
            meeting=meeting,
            first_name="Mariagrazia",
            last_name=f"Bianchi-Santambrogio{n}",
            email=f"mariagrazia.bianchi.santambrogio{n}@comune.sanpellegrinoterme.bg.it",
            organization="Comune di San Pellegrino Terme",
        )
    page.set_viewport_size({"width": width, "height": height})
    _log_in(page, live_server, admin_user)

    page.goto("/admin/")
    _shot(page, f"dashboard-{width}")
    content = page.locator("#content").bounding_box()
    assert content["width"] > width * 0.6, content
    for header in page.locator("#backoffice-dashboard table.backoffice-fill thead th").all():
        box = header.bounding_box()
        assert box["height"] < 40, (header.inner_text(), box)  # one line, not one letter per line

    page.goto("/admin/registrations/registration/")
    _shot(page, f"registrations-{width}")
    status = page.locator("#result_list th.column-status").bounding_box()
    assert status["x"] + status["width"] <= width, status
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    results = page.locator(".results")  # the admin scrolls a too-wide table inside this box
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth"), "the list scrolls sideways"
    assert page.csp_violations == []
