"""The "Ente" combobox in real Chromium, by keyboard only: type, arrow to the suggestion, Enter, submit; the ISTAT code
of the chosen body is stored with the registration. axe-core finds nothing with the listbox open."""

from __future__ import annotations

import pytest

from registrations.models import Registration
from tests.conftest import axe_violations
from tests.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choose_bergamo_by_keyboard_and_the_registration_stores_its_istat_code(page, live_server, settings):
    settings.SITE_URL = live_server.url
    meeting = MeetingFactory(capacity=5)
    page.goto(f"/incontri/{meeting.pk}/iscrizione/")
    combobox = page.locator("#id_organization")
    assert combobox.get_attribute("role") == "combobox"
    assert combobox.get_attribute("aria-expanded") == "false"
    assert combobox.get_attribute("aria-controls") == "id_organization-listbox"

    page.fill("#id_first_name", "Giulia")
    page.fill("#id_last_name", "Bianchi")
    page.fill("#id_email", "giulia.bianchi@comune.example.it")
    combobox.focus()
    page.keyboard.type("berg")
    page.wait_for_selector("#id_organization-listbox [role=option]")
    assert combobox.get_attribute("aria-expanded") == "true"
    options = page.locator("#id_organization-listbox [role=option]")
    assert options.all_inner_texts()[:3] == [
        "Comune di Bergamo (BG)",
        "Provincia di Bergamo (BG)",
        "Comune di Bergamasco (AL)",
    ]
    assert page.inner_text("#id_organization-status") == "9 suggerimenti: usa le frecce su e giù per sceglierne uno."
    assert axe_violations(page) == []  # with the listbox open

    # Down, Down, Up: visual focus on the first option; Home returns it to the text field; End/Down again.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert combobox.get_attribute("aria-activedescendant") == "id_organization-listbox-1"
    page.keyboard.press("ArrowUp")
    assert combobox.get_attribute("aria-activedescendant") == "id_organization-listbox-0"
    assert page.get_attribute("#id_organization-listbox-0", "aria-selected") == "true"
    page.keyboard.press("Home")
    assert combobox.get_attribute("aria-activedescendant") is None
    page.keyboard.press("ArrowUp")  # wraps to the last option
    assert combobox.get_attribute("aria-activedescendant") == "id_organization-listbox-8"
    page.keyboard.press("ArrowDown")  # and back to the first
    assert combobox.get_attribute("aria-activedescendant") == "id_organization-listbox-0"
    page.keyboard.press("Enter")
    assert combobox.input_value() == "Comune di Bergamo (BG)"
    assert combobox.get_attribute("aria-expanded") == "false"
    assert page.input_value("#id_organization_code") == "016024"
    assert page.is_hidden("#id_organization-listbox")

    # Escape closes an open list without touching the text.
    page.keyboard.press("ArrowDown")
    page.wait_for_selector("#id_organization-listbox [role=option]")
    page.keyboard.press("Escape")
    assert combobox.get_attribute("aria-expanded") == "false"
    assert combobox.input_value() == "Comune di Bergamo (BG)"

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the hidden code is not focusable: Tab reaches the type of body
    page.select_option("#id_organization_type", "comune")
    page.get_by_text("Dichiaro di aver letto l'informativa privacy").click()
    page.get_by_role("button", name="Iscriviti").click()
    page.wait_for_url("**/iscrizione/esito/")

    registration = Registration.objects.get()
    assert (registration.organization, registration.organization_code) == ("Comune di Bergamo (BG)", "016024")


def test_without_a_choice_the_field_stays_free_text_and_no_code_is_stored(page, live_server, settings):
    settings.SITE_URL = live_server.url
    meeting = MeetingFactory(capacity=5)
    page.goto(f"/incontri/{meeting.pk}/iscrizione/")
    page.fill("#id_first_name", "Marco")
    page.fill("#id_last_name", "Neri")
    page.fill("#id_email", "marco.neri@example.com")
    page.locator("#id_organization").focus()
    page.keyboard.type("Cooperativa Sociale Bergamasca")
    page.select_option("#id_organization_type", "terzo_settore")
    page.get_by_text("Dichiaro di aver letto l'informativa privacy").click()
    page.get_by_role("button", name="Iscriviti").click()
    page.wait_for_url("**/iscrizione/esito/")
    registration = Registration.objects.get()
    assert (registration.organization, registration.organization_code) == ("Cooperativa Sociale Bergamasca", "")
