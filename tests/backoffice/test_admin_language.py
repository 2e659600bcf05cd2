"""The Italian back-office speaks Italian on every page each role can reach (issue 16: "no English string in the
Italian admin").

The pages come from a crawl of the admin by links (tests/backoffice/admin_crawl.py) on the demo content, as a
superuser, as "Redazione" and as "Segreteria iscrizioni". Each page's visible words are matched against English strings
seen in Django's admin and in the third-party apps the admin shows (axes, allauth, simple_history, import_export), and
against the Italian mistakes the admin used to make ("Il incontro"). A new page that brings back one of them fails here.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.backoffice.admin_crawl import admin_pages
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

# Whole phrases (matched on word boundaries, case-sensitive): an English admin label a person would read.
ENGLISH = [
    "Add another",
    "Model name",
    "Accounts",
    "Save and add another",
    "Save and continue editing",
    "Save as new",
    "Change history",
    "Recent actions",
    "My actions",
    "None available",
    "View site",
    "Log out",
    "Change password",
    "Welcome,",
    "Run the selected action",
    "Select all",
    "Clear selection",
    "Show counts",
    "Hide counts",
    "Filter",
    "Search",
    "Action:",
    "Date/time",
    "Changed by",
    "Change reason",
    "Revert",
    "History",
    "Access attempts",
    "Access failures",
    "Access logs",
    "Attempt time",
    "User agent",
    "IP address",
    "Authenticators",
    "Email addresses",
    "Tablib Dataset",
    "Importare/Esportare",
    "Import",
    "Export",
    "Notify registrants",
    "Slug",
    "True",
    "False",
    "None",
    "Unknown",
    "Yes",
    "Home",
    "Delete",
    "Add",
    "Change",
    "View",
    "Save",
    "Close",
    "Today",
    "Now",
    "Choose",
    "Clear",
    "Show",
    "Hide",
    "results",
    "selected",
    "Remove",
]
# Italian the admin got wrong by gluing articles to verbose names.
BAD_ITALIAN = [
    "Aggiungi un altro Iscrizione",
    "Il incontro",
    "Il iscrizione",
    "Il utente",
    "Il email",
    "Il ente",
    "1 presenti",
    "(1 modifiche)",
]
PATTERN = re.compile(
    "|".join([rf"(?<![\w/-]){re.escape(s)}(?![\w-])" for s in ENGLISH] + [re.escape(s) for s in BAD_ITALIAN])
)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())
    RegistrationFactory()


def _english_on(pages: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for path, text in pages.items():
        hits = sorted({match.group(0) for match in PATTERN.finditer(text)})
        if hits:
            found[path] = hits
    return found


def _crawl(client, minimum: int) -> dict[str, str]:
    pages = admin_pages(client)
    # The crawl must really have walked the admin, or the scan proves nothing.
    assert len(pages) >= minimum, sorted(pages)
    return pages


def test_superuser_admin_pages_are_in_italian(demo, admin_client):
    assert _english_on(_crawl(admin_client, 60)) == {}


def test_editor_admin_pages_are_in_italian(demo, editor_client):
    assert _english_on(_crawl(editor_client, 30)) == {}


def test_secretary_admin_pages_are_in_italian(demo, secretary_client):
    assert _english_on(_crawl(secretary_client, 10)) == {}


def test_the_scan_finds_what_it_looks_for():
    pages = {"/admin/x/": "Salva\nSave and add another\nIl incontro è stato modificato\nNone", "/admin/y/": "Salva"}
    assert _english_on(pages) == {"/admin/x/": ["Il incontro", "None", "Save and add another"]}
