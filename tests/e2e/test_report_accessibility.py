"""The funder report pages (project and lab) in real Chromium: axe finds no WCAG 2.1 AA violation, the charts stay
within the Content-Security-Policy, nothing is fetched from elsewhere."""

from __future__ import annotations

import datetime

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from registrations.models import OrganizationType
from tests.conftest import axe_violations
from tests.factories import LabFactory, MeetingFactory, ProjectFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user) -> None:
    """A staff session without the email-code + TOTP steps (test_backoffice_walkthrough.py walks through those)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_funder_report_pages_pass_axe(page, live_server, admin_user, tmp_path):
    project = ProjectFactory(title="FAMI Inclusione")
    lab = LabFactory(title="Lab Accoglienza", project=project)
    start = timezone.make_aware(datetime.datetime(2026, 3, 10, 9, 30))
    first = MeetingFactory(lab=lab, starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    second = MeetingFactory(lab=lab, starts_at=start + datetime.timedelta(days=7), ends_at=None)
    RegistrationFactory(meeting=first, organization="Comune di Bergamo", attended=True)
    RegistrationFactory(
        meeting=first, organization="Provincia di Lecco", organization_type=OrganizationType.PROVINCIA, attended=True
    )
    RegistrationFactory(meeting=second, organization="ACME srl", organization_type=OrganizationType.AZIENDA)
    _log_in(page, live_server, admin_user)

    for url in (f"/admin/projects/project/{project.pk}/rapporto/", f"/admin/labs/lab/{lab.pk}/report/"):
        page.goto(url)
        assert page.locator("svg[role=img]").count() == 2, url
        assert axe_violations(page) == [], url

    # The funder's workbook, downloaded as staff do and opened with openpyxl.
    page.goto(f"/admin/projects/project/{project.pk}/rapporto/")
    with page.expect_download() as download_info:
        page.click("text=Scarica in Excel")
    path = tmp_path / "rapporto.xlsx"
    download_info.value.save_as(path)
    book = openpyxl.load_workbook(path)
    cells = [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]
    assert any(row[:2] == ["Iscrizioni confermate", 3] for row in cells), cells
    assert any(row[:2] == ["Presenze", 2] for row in cells), cells
    assert page.external_requests == []
    assert page.csp_violations == []
