"""Queries per page with 1, 25 and 100 items, printed as JSON (run by bench/run.py in a subprocess).

    DATABASE_URL=postgres://… .venv/bin/python bench/lib/querycount.py

Everything happens inside one transaction that is rolled back at the end: the content tables are emptied (TRUNCATE is
transactional in PostgreSQL), N items are created with the suite's factories, each page is requested through Django's
test client with the cache cleared first (so the count is the cold, worst case), and nothing is left behind.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancilab_portal.settings")
os.environ["DATABASE_POOL"] = "0"
os.environ.pop("REDIS_URL", None)  # local-memory cache: the count does not depend on the cache backend

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from core.cache import clear_local_tier  # noqa: E402
from tests import factories as f  # noqa: E402
from tests.support.totp import activate_totp_for_tests  # noqa: E402

SIZES = (1, 25, 100)
CONTENT_APPS = ("projects", "labs", "publications", "registrations", "documents")


class Rollback(Exception):
    pass


def empty_content_tables() -> None:
    tables = [model._meta.db_table for label in CONTENT_APPS for model in apps.get_app_config(label).get_models()]
    existing = set(connection.introspection.table_names())
    statements = connection.ops.sql_flush(no_style(), [t for t in tables if t in existing], allow_cascade=True)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create_content(n: int) -> dict[str, str]:
    area = f.AreaFactory(slug="territorio", name="Territorio")
    programme = f.FundingProgrammeFactory(slug="fami", name="FAMI")
    for project in f.ProjectFactory.create_batch(n, areas=[area]):
        project.programme = programme
        project.save(update_fields=["programme"])
    labs = f.LabFactory.create_batch(n)
    for lab in labs:
        lab.areas.set([area])
        f.MeetingFactory(lab=lab)
    big_lab = f.LabFactory(slug="laboratorio-grande", title="Laboratorio grande")
    meetings = f.MeetingFactory.create_batch(n, lab=big_lab, capacity=1000)
    for meeting in meetings[:3]:
        f.RegistrationFactory.create_batch(2, meeting=meeting)
    f.RegistrationFactory.create_batch(n, meeting=meetings[0])
    for publication in f.PublicationFactory.create_batch(n, title="Laboratorio e-book"):
        publication.areas.set([area])
        publication.labs.set([labs[0]])
    f.ArticleFactory.create_batch(n, title="Notizia del laboratorio")
    return {"lab_slug": big_lab.slug, "meeting_pk": str(meetings[0].pk)}


PAGES = {
    "home": lambda ids: "/",
    "catalogue filtered": lambda ids: "/progetti/?stato=ongoing&area=territorio",
    "catalogue export.csv": lambda ids: "/progetti/export.csv",
    "labs list": lambda ids: "/laboratori/",
    "lab page (N meetings)": lambda ids: f"/laboratori/{ids['lab_slug']}/",
    "meeting page": lambda ids: f"/incontri/{ids['meeting_pk']}/",
    "registration form": lambda ids: f"/incontri/{ids['meeting_pk']}/iscrizione/",
    "publications list": lambda ids: "/pubblicazioni/",
    "news list": lambda ids: "/notizie/",
    "search": lambda ids: "/cerca/?q=laboratorio",
    "calendar.ics": lambda ids: "/incontri/calendario.ics",
    "admin registrations (N)": lambda ids: "/admin/registrations/registration/",
}


def count_queries(client: Client, url: str) -> tuple[int, int]:
    cache.clear()
    clear_local_tier()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, len(queries)


def staff_client() -> Client:
    user = get_user_model().objects.create_superuser("bench-staff", "bench-staff@example.org", "x-bench-password-1")
    activate_totp_for_tests(user)
    client = Client()
    client.force_login(user)
    return client


def main() -> None:
    setup_test_environment()
    results: dict[str, dict[str, int | str]] = {name: {} for name in PAGES}
    for n in SIZES:
        try:
            with transaction.atomic():
                empty_content_tables()
                ids = create_content(n)
                public, staff = Client(), staff_client()
                for name, build in PAGES.items():
                    client = staff if name.startswith("admin") else public
                    status, count = count_queries(client, build(ids))
                    results[name][str(n)] = count if status in (200, 400) else f"HTTP {status}"
                raise Rollback
        except Rollback:
            pass
    print(json.dumps(results))


if __name__ == "__main__":
    main()
