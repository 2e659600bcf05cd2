"""Back-office walk-through in real Chromium: a staff member logs in (email code + TOTP code), opens the dashboard
and exports the registrants of a meeting."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from tests.factories import LabFactory, MeetingFactory, RegistrationFactory
from tests.support.totp import activate_totp_for_tests, current_totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_with_totp_sees_dashboard_and_exports_registrants(page, tmp_path):
    user = User.objects.create_superuser("capo", "capo@ancilab.example.it", None)
    secret = activate_totp_for_tests(user)
    meeting = MeetingFactory(lab=LabFactory(title="Lab Welfare"), title="Primo incontro", capacity=10)
    RegistrationFactory(meeting=meeting, first_name="Anna", last_name="Verdi")
    RegistrationFactory(meeting=meeting, first_name="Bruno", last_name="Bianchi")

    page.goto("/admin/")
    assert page.url.endswith("/account/login/?next=%2Fadmin%2F")
    page.fill('input[name="login"]', user.email)
    page.locator('input[name="login"]').press("Enter")
    page.wait_for_url(re.compile(r"/account/login/code/confirm/"))
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.MULTILINE).group(1)
    page.fill('input[name="code"]', code)
    page.locator('input[name="code"]').press("Enter")
    page.wait_for_url(re.compile(r"/account/2fa/authenticate/"))
    page.fill('input[name="code"]', current_totp_code(secret))
    page.locator('input[name="code"]').press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))

    assert page.locator("h1").first.inner_text() == "Cruscotto"
    assert page.locator(f"#fill-{meeting.pk}").get_attribute("value") == "2"
    assert page.locator(f'label[for="fill-{meeting.pk}"]').inner_text() == "2 su 10 (20%)"
    assert (
        page.locator("svg[role=img]").first.get_attribute("aria-labelledby")
        == "chart-dashboard-title chart-dashboard-desc"
    )
    assert page.locator("#chart-dashboard-title").text_content() == "Iscrizioni al giorno, ultimi 14 giorni"

    page.goto("/admin/labs/meeting/")
    page.check(f'input[name="_selected_action"][value="{meeting.pk}"]')
    page.select_option('select[name="action"]', "export_registrants_csv")
    with page.expect_download() as download_info:
        page.click('button[name="index"]')
    path = tmp_path / "iscritti.csv"
    download_info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [(r["cognome"], r["nome"], r["stato"]) for r in rows] == [
        ("Bianchi", "Bruno", "confermata"),
        ("Verdi", "Anna", "confermata"),
    ]
    assert page.external_requests == []
    assert page.csp_violations == []
