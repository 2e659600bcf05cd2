"""Every back-office page each role can reach, in real Chromium: axe finds no WCAG 2.1 AA violation (issue 16).

The pages are those of the crawl the Italian-admin scan uses (tests/backoffice/admin_crawl.py), one page per URL
pattern: a changelist, an add form, a change form, a history page of each kind the role can open.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.backoffice.admin_crawl import admin_pages
from tests.conftest import axe_violations
from tests.factories import RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _violations_on_every_page(page, live_server, user, minimum: int) -> dict[str, list]:
    client = Client()
    client.force_login(user)
    paths = sorted(admin_pages(client, per_pattern_limit=1))
    assert len(paths) >= minimum, paths  # the crawl must really have walked the admin
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    found = {}
    for path in paths:
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    return found


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())
    RegistrationFactory()


def test_superuser_pages_pass_axe(demo, page, live_server, admin_user):
    assert _violations_on_every_page(page, live_server, admin_user, 40) == {}
    assert page.external_requests == []


def test_editor_pages_pass_axe(demo, page, live_server, editor):
    assert _violations_on_every_page(page, live_server, editor, 25) == {}


def test_secretary_pages_pass_axe(demo, page, live_server, secretary):
    assert _violations_on_every_page(page, live_server, secretary, 10) == {}
