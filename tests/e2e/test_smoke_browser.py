"""The home page in real Chromium: Bootstrap Italia loads from our own static files and nothing leaves the machine."""

from __future__ import annotations

import pytest

from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_renders_with_bootstrap_italia_and_no_external_request(page):
    page.goto("/")
    assert page.title() == "Pagina iniziale – AnciLab · ANCI Lombardia"
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Titillium Web" in font
    assert page.external_requests == []
    assert page.csp_violations == []
    assert axe_violations(page) == []


def test_the_catalogue_filters_send_only_the_fields_with_a_value(page):
    from tests.factories import AreaFactory, ProjectFactory

    ProjectFactory(slug="uno", status="ongoing", areas=[AreaFactory(name="Welfare", slug="welfare")])
    page.goto("/progetti/")
    page.select_option("#filtro-area", "welfare")
    page.select_option("#filtro-stato", "ongoing")
    page.click("text=Applica i filtri")
    page.wait_for_load_state()
    assert page.url.endswith("/progetti/?area=welfare&stato=ongoing&ordina=title")
    assert page.csp_violations == []
