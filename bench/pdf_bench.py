"""PDF render times and cached vs uncached download throughput, on a scratch SQLite database.

    .venv/bin/python bench/pdf_bench.py [--repeat 3] [--downloads 20]

Prints: the lab programme (5 meetings); the catalogue of 20, 40 and 80 projects with the growth ratios (rendering must
grow about linearly: 40 projects <= 2.2 x 20 projects); downloads per second through the Django test client for the
programme when every request renders (cache cleared) and when it is served from the cache.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DB_PATH = Path("/tmp/ancilab_pdf_bench.sqlite3")
os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancilab_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from documents import catalogue, documents  # noqa: E402
from labs.models import Lab, Meeting, Venue  # noqa: E402
from projects.models import Area, FundingProgramme, Organization, Project  # noqa: E402

SUMMARY = (
    "Accompagnamento dei Comuni lombardi nella progettazione e nella gestione di servizi associati, con formazione, "
    "strumenti condivisi e un percorso di valutazione dei risultati."
)


def build_database() -> None:
    if DB_PATH.exists():
        DB_PATH.unlink()
    call_command("migrate", verbosity=0)
    areas = [Area.objects.create(name=f"Area {i}", slug=f"area-{i}") for i in range(6)]
    programme = FundingProgramme.objects.create(
        name="FAMI", full_name="Fondo Asilo, Migrazione e Integrazione", slug="fami"
    )
    partners = [Organization.objects.create(name=f"Comune di Prova {i}", slug=f"comune-{i}") for i in range(8)]
    statuses = [Project.Status.ONGOING, Project.Status.PLANNED, Project.Status.COMPLETED]
    for i in range(80):
        project = Project.objects.create(
            title=f"Progetto di sviluppo locale numero {i:03d}",
            slug=f"bench-{i:03d}",
            acronym=f"PSL{i}",
            summary=SUMMARY,
            status=statuses[i % 3],
            start_date=datetime.date(2022, 1 + i % 12, 1),
            end_date=datetime.date(2025, 1 + i % 12, 28),
            budget=Decimal(100_000 + 1_000 * i),
            programme=programme,
            lead_organization=partners[i % 8],
        )
        project.areas.set(areas[i % 6 : i % 6 + 2])
        project.partners.set(partners[: 2 + i % 4])
    venue = Venue.objects.create(name="La Casa dei Comuni", slug="casa", address="Via Rovello 2", city="Milano")
    lab = Lab.objects.create(
        title="Laboratorio di prova sul welfare di comunità",
        slug="bench-lab",
        edition_year=2026,
        subtitle="Cinque incontri per amministratori e funzionari",
        description=SUMMARY * 2,
        objectives="Primo obiettivo\nSecondo obiettivo\nTerzo obiettivo",
        participant_categories="Sindaci\nFunzionari comunali\nEnti del terzo settore",
        contact_email="lab@example.it",
        contact_phone="02 0000000",
        published=True,  # new labs are drafts, and a draft's programme is not public
    )
    start = timezone.make_aware(datetime.datetime(2026, 3, 3, 9, 30))
    for order in range(1, 6):
        starts_at = start + datetime.timedelta(days=14 * order)
        Meeting.objects.create(
            lab=lab,
            order=order,
            title=f"Incontro {order}: metodi e strumenti",
            agenda="Introduzione, casi di studio, lavoro in gruppi e restituzione in plenaria.",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=4),
            venue=venue,
            online_url="https://meet.example.org/segreto",
        )


def best_of(repeat: int, function) -> float:
    """CPU seconds of the best run: rendering is single-threaded and CPU-bound, and CPU time does not count the time
    the process waited for a core (the bench often shares the machine with test suites)."""
    timings = []
    for _ in range(repeat):
        started = time.process_time()
        function()
        timings.append(time.process_time() - started)
    return min(timings)


def catalogue_ids(count: int) -> list[int]:
    return list(Project.objects.order_by("slug").values_list("pk", flat=True)[:count])


def throughput(client: Client, url: str, downloads: int, *, clear: bool) -> tuple[float, float]:
    timings = []
    for _ in range(downloads):
        if clear:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.content.startswith(b"%PDF-"), response.status_code
    return downloads / sum(timings), statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="renders per measure (the best is kept)")
    parser.add_argument("--downloads", type=int, default=20, help="downloads per throughput measure")
    args = parser.parse_args()

    build_database()
    translation.activate("it")
    lab = Lab.objects.get(slug="bench-lab")
    # One render first: fonts, the template cache and WeasyPrint's own start-up are paid once per process.
    documents.render_catalogue(catalogue_ids(3), [])

    def render_programme():
        documents.render_pdf("pdf/lab_programme.html", documents._lab_programme_context(lab))

    load = os.getloadavg()[0]
    print(f"WeasyPrint PDF bench (best of {args.repeat}, CPU seconds, scratch DB {DB_PATH}, load {load:.1f})")
    print(f"  lab programme, 5 meetings       {best_of(args.repeat, render_programme):7.3f} s")
    times = {}
    for count in (20, 40, 80):
        ids = catalogue_ids(count)
        assert len(ids) == count
        times[count] = best_of(args.repeat, lambda ids=ids: documents.render_catalogue(ids, []))
        pages = len(catalogue.catalogue_rows(ids))
        print(f"  catalogue, {count:3d} projects          {times[count]:7.3f} s   ({pages} blocks)")
    ratio_40, ratio_80 = times[40] / times[20], times[80] / times[40]
    verdict = "OK" if ratio_40 <= 2.2 else "TOO STEEP"
    print(f"  growth 40/20 = {ratio_40:.2f} (must be <= 2.2: {verdict}); 80/40 = {ratio_80:.2f}")

    client = Client()
    url = f"/laboratori/{lab.slug}/programma.pdf"
    uncached, uncached_median = throughput(client, url, max(3, args.downloads // 4), clear=True)
    cache.clear()
    client.get(url)
    cached, cached_median = throughput(client, url, args.downloads, clear=False)
    print(f"  programme download, uncached    {uncached:7.1f} /s  (median {uncached_median * 1000:7.1f} ms)")
    print(f"  programme download, cached      {cached:7.1f} /s  (median {cached_median * 1000:7.1f} ms)")
    print(f"  cached / uncached               {cached / uncached:7.0f} x")


if __name__ == "__main__":
    main()
