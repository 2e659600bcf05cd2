"""Suite-wide fixtures. The suite runs on SQLite by default and on PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from tests.support.totp import activate_totp_for_tests


@pytest.fixture(autouse=True)
def _isolated_media_and_mail(settings, tmp_path):
    """Uploads and file-based emails of one test never leak into another, or into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")


@pytest.fixture(autouse=True)
def _italian_by_default():
    """Every test starts in Italian: a request to /en/ activates English in the thread, which would leak into the next
    test's reverse() and gettext calls."""
    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture(autouse=True)
def _clear_cache():
    from core.cache import clear_local_tier

    cache.clear()
    clear_local_tier()
    yield
    cache.clear()
    clear_local_tier()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the staff groups a data migration creates (labs/migrations/0003_staff_roles.py). A
    transactional test (the browser tests) flushes the database, data migrations included, and with --reuse-db the
    next run would start without them: recreate them once per run, as the migration does. Extending pytest-django's
    fixture (not an autouse one) keeps a run without any database test, e.g. tests/core/test_widgets.py alone, from
    querying a database nobody created."""
    with django_db_blocker.unblock():
        ensure_staff_groups()


# The data migrations that give the staff groups their permissions, after labs 0003 created the groups: a flush
# (any browser test) removes what they wrote, so all of them run again when the groups are recreated.
GRANT_MIGRATIONS = (
    "labs.migrations.0009_editorial_lab_contact_permissions",
    "projects.migrations.0008_editorial_funding_line_permissions",
    "projects.migrations.0012_editorial_partner_permissions",
    "publications.migrations.0005_editorial_edition_permissions",
    "registrations.migrations.0008_registrations_desk_adds_registrations",
    "surveys.migrations.0003_staff_role_permissions",
    "surveys.migrations.0004_follow_up_permission_to_editorial",
)


def ensure_staff_groups() -> None:
    """The staff groups and their permissions as the data migrations create them, if a flush removed them; and the
    default questionnaire (surveys 0002)."""
    from importlib import import_module

    from django.apps import apps

    roles = import_module("labs.migrations.0003_staff_roles")
    editor = SimpleNamespace(connection=connection)
    if Group.objects.filter(name__in=[roles.EDITORIAL, roles.REGISTRATIONS_DESK]).count() < 2:
        roles.create_groups(apps, editor)
        for name in GRANT_MIGRATIONS:
            import_module(name).grant(apps, editor)
    import_module("surveys.migrations.0002_default_questionnaire").create_default(apps, None)  # no-op when present


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser, with the TOTP authenticator every staff account must have (staff MFA middleware)."""
    activate_totp_for_tests(admin_user)
    return admin_user


# --- Tests that need a service the embedded default lacks ------------------------------------------------------------
# Locally they skip and say why; with REQUIRE_ALL_TESTS or CI set, tests/support/environment.py turns any skip into a
# failure, so a CI run that lost PostgreSQL, Redis or Chromium cannot pass with those tests left out.
def pytest_collection_modifyitems(items):
    """The fixture and the marker mean the same thing: `-m postgres` / `-m browser` select every such test."""
    for item in items:
        if "postgres_only" in item.fixturenames and not item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.postgres)
        if "chromium_browser" in item.fixturenames and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def postgres_only():
    """For tests that read better with a fixture than a marker; pytest_runtest_setup does the check."""


@pytest.fixture
def redis_cache(settings):
    """The Django cache is Redis (REDIS_URL), for tests of what only Redis does (TTLs, eviction policy)."""
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("needs Redis (set REDIS_URL)")


# --- Real browser (Playwright driving Debian's Chromium; Playwright cannot download its own browser here) ---------------
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_PATH = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def chromium_browser():
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.skip(f"needs Chromium at {executable} (apt-get install chromium, or set CHROMIUM_PATH)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(chromium_browser, live_server):
    """A fresh browser page on the live server. Requests to any other host are aborted: nothing leaves the machine."""
    # The Content-Security-Policy stays on: a violation shows up in page.csp_violations.
    context = chromium_browser.new_context(base_url=live_server.url, locale="it-IT")
    external: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith("data:"):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.external_requests = external
    page.csp_violations = []
    page.on(
        "console",
        lambda message: page.csp_violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()


def axe_violations(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")) -> list[dict]:
    """Run axe-core (from node_modules) on the current page and return its violations for the WCAG 2.1 AA tags."""
    # Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does not have to be bypassed.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags))
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


# --- Staff users, one per role, each with the TOTP authenticator staff must have -----------------------------------
def _staff(username: str, group: str | None = None) -> User:
    user = User.objects.create_user(username, f"{username}@ancilab.example.it", "una-password-lunga-1", is_staff=True)
    if group:
        ensure_staff_groups()  # a browser test's flush removed what the data migration created
        user.groups.add(Group.objects.get(name=group))
    activate_totp_for_tests(user)
    return user


@pytest.fixture
def editor(db) -> User:
    return _staff("redattrice", "Redazione")


@pytest.fixture
def secretary(db) -> User:
    return _staff("segreteria", "Segreteria iscrizioni")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client
