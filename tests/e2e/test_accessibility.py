"""axe-core in real Chromium on every public page type, in Italian (/) and English (/en/), on the demo content.

Zero violations for wcag2a, wcag2aa, wcag21a, wcag21aa. A page whose URL name no longer reverses fails the test (a
renamed route must not make its page silently drop out of the check). Plus keyboard checks: skip link, mobile menu.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _first(model_path: str, queryset: str = "published"):
    from django.apps import apps

    model = apps.get_model(model_path)
    return getattr(model.objects, queryset)().order_by("pk").first()


def _open_meeting():
    """A meeting open for registration: the demo's dates may all be past, so add one to the first lab if needed."""
    from labs.models import Meeting
    from tests.factories import MeetingFactory

    meeting = Meeting.objects.open_for_registration().order_by("pk").first()
    if meeting is None:
        meeting = MeetingFactory(
            lab=_first("labs.Lab"), title="Incontro di prova", starts_at=timezone.now() + datetime.timedelta(days=20)
        )
    return meeting


def _lab_with_two_open_meetings():
    """A lab whose page offers "Iscriviti a tutto il laboratorio" (issue 12)."""
    from labs.models import Meeting
    from tests.factories import MeetingFactory

    meeting = _open_meeting()
    if Meeting.objects.open_for_registration().filter(lab=meeting.lab).count() < 2:
        MeetingFactory(
            lab=meeting.lab, title="Secondo incontro", starts_at=meeting.starts_at + datetime.timedelta(days=7)
        )
    return meeting.lab


PAGES = {
    "home": lambda: reverse("home"),
    "lab_list": lambda: reverse("labs:list"),
    "lab_list_filtered": lambda: reverse("labs:list") + "?stato=conclusi",
    "lab_detail": lambda: _first("labs.Lab").get_absolute_url(),
    "meeting_detail": lambda: _open_meeting().get_absolute_url(),
    "meeting_past": lambda: _first("labs.Meeting", "past").get_absolute_url(),
    "lab_whole_lab_offered": lambda: _lab_with_two_open_meetings().get_absolute_url(),
    "registration_form_lab": lambda: reverse(
        "registrations:register_lab", kwargs={"slug": _lab_with_two_open_meetings().slug}
    ),
    "project_list": lambda: reverse("projects:list"),
    "project_detail": lambda: reverse("projects:detail", kwargs={"slug": _first("projects.Project").slug}),
    "service_list": lambda: reverse("projects:service_list"),
    "service_detail": lambda: reverse(
        "projects:service_detail", kwargs={"slug": _first("projects.Service", "active").slug}
    ),
    "publication_list": lambda: reverse("publications:list"),
    "publication_detail": lambda: reverse(
        "publications:detail", kwargs={"slug": _first("publications.Publication").slug}
    ),
    "news_list": lambda: reverse("publications:article_list"),
    "news_detail": lambda: reverse("publications:article_detail", kwargs={"slug": _first("publications.Article").slug}),
    "search": lambda: reverse("search") + "?q=laboratorio",
    "privacy": lambda: reverse("privacy"),
    "legal": lambda: reverse("legal"),
    "accessibility": lambda: reverse("accessibility"),
    "not_found": lambda: reverse("home") + "pagina-che-non-esiste/",
    "registration_form": lambda: reverse("registrations:register", kwargs={"pk": _open_meeting().pk}),
}


@pytest.fixture
def demo(settings):
    settings.DEBUG = False  # the designed 404, not the technical one
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_axe_violations(page, demo, name, language):
    with translation.override(language):
        url = PAGES[name]()
    response = page.goto(url)
    assert response.status == (404 if name == "not_found" else 200), url
    assert page.evaluate("document.documentElement.lang") == language
    assert axe_violations(page) == [], url
    assert page.external_requests == []


def test_the_whole_lab_button_is_readable(page, demo):
    """axe leaves text drawn in its own background's colour as "incomplete", not as a violation: the button's colours
    are checked here (it was blue on blue inside the callout)."""
    page.goto(_lab_with_two_open_meetings().get_absolute_url())
    button = page.locator(".callout a.btn-primary")
    colours = button.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 102, 204)"]


def test_skip_link_is_first_and_moves_focus_to_main(page, demo):
    page.goto(reverse("home"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Vai al contenuto principale"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_mobile_menu_opens_with_the_keyboard(page, demo):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(reverse("home"))
    toggler = page.locator("button.custom-navbar-toggler")
    assert toggler.get_attribute("aria-expanded") == "false"
    assert not page.locator("#main-nav a.nav-link").first.is_visible()
    toggler.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('button.custom-navbar-toggler').getAttribute('aria-expanded') === 'true'"
    )
    first_link = page.locator("#main-nav a.nav-link").first
    first_link.wait_for(state="visible")
    # The menu's links are reachable with Tab and followed with Enter.
    first_link.focus()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Laboratori"
    page.keyboard.press("Enter")
    page.wait_for_url("**/laboratori/")


def test_desktop_navbar_is_operable_with_tab(page, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("home"))
    labels = []
    for _ in range(40):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "document.activeElement.closest('#main-nav') ? document.activeElement.textContent.trim() : ''"
        )
        if text:
            labels.append(text)
        if len(labels) == 5:
            break
    assert labels == ["Laboratori", "Progetti", "Servizi", "Pubblicazioni", "Notizie"]
