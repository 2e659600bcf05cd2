"""The project export page in real Chromium: the "Seleziona tutti" toggle works under the strict Content-Security-Policy
(django-import-export's own template wires it with an inline onchange=, which the CSP refuses; see
templates/admin/import_export/export.html and static/js/admin-export-select-all.js)."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELDS = '.selectable-field-export-row input[type="checkbox"][name^="projectresource_"]'
# The class both the library's template and ours give the toggle, so this test also fails on the library's own page.
TOGGLE = "input.select-toggle"


def _log_in(page, live_server, user) -> None:
    """A staff session without the email-code + TOTP steps (test_backoffice_walkthrough.py walks through those)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def _checked(page) -> dict[str, bool]:
    return page.eval_on_selector_all(FIELDS, "boxes => Object.fromEntries(boxes.map(b => [b.name, b.checked]))")


def test_select_all_toggle_works_without_csp_violation_and_export_keeps_the_choice(
    page, live_server, admin_user, tmp_path
):
    ProjectFactory(slug="alfa", title="Alfa")
    _log_in(page, live_server, admin_user)

    page.goto("/admin/projects/project/export/")
    initial = _checked(page)
    assert len(initial) > 5
    assert set(initial.values()) == {True}
    assert page.is_checked(TOGGLE)

    page.uncheck(TOGGLE)
    assert set(_checked(page).values()) == {False}

    page.check("#id_projectresource_slug")
    page.check("#id_projectresource_title")
    assert not page.is_checked(TOGGLE)
    assert [name for name, on in _checked(page).items() if on] == ["projectresource_slug", "projectresource_title"]

    page.check(TOGGLE)
    assert set(_checked(page).values()) == {True}
    # Unticking a single field unticks the toggle; ticking it again makes the set complete and ticks the toggle.
    page.uncheck("#id_projectresource_summary")
    assert not page.is_checked(TOGGLE)
    page.check("#id_projectresource_summary")
    assert page.is_checked(TOGGLE)

    page.uncheck(TOGGLE)
    page.check("#id_projectresource_slug")
    page.check("#id_projectresource_title")
    page.select_option("#id_format", label="csv")
    with page.expect_download() as download_info:
        page.click('input[type="submit"]')
    path = tmp_path / "progetti.csv"
    download_info.value.save_as(path)
    # Italian Excel: a BOM and ";" between columns (core/import_export_formats.py), Italian headers.
    assert path.read_bytes().startswith(b"\xef\xbb\xbfCodice;Titolo")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows == [["Codice", "Titolo"], ["alfa", "Alfa"]]

    assert page.csp_violations == []
    assert page.external_requests == []
