"""python manage.py seed_bulk --projects N --labs N --registrations N: synthetic volume for benchmarks.

Rows are marked by the slug prefix "bulk-" so that they never collide with the demo content and can be removed with
--clear. Everything is written with bulk_create in batches (10,000 projects take a few seconds).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from labs.models import Lab, Meeting, Venue
from projects.models import Area, FundingProgramme, Project
from registrations.models import OrganizationType, Registration

BATCH = 2000
WORDS = [
    "rigenerazione",
    "urbana",
    "welfare",
    "comunità",
    "digitale",
    "transizione",
    "energetica",
    "giovani",
    "scuola",
    "inclusione",
    "territorio",
    "ambiente",
    "rifiuti",
    "mobilità",
    "sostenibile",
    "cultura",
    "borghi",
    "turismo",
    "europa",
    "innovazione",
    "sociale",
    "laboratorio",
    "cooperazione",
    "servizi",
    "associati",
    "privacy",
    "dati",
    "formazione",
    "lavoro",
    "salute",
]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


class Command(BaseCommand):
    help = "Create synthetic projects, labs (4 meetings each) and registrations for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=0)
        parser.add_argument("--labs", type=int, default=0)
        parser.add_argument("--registrations", type=int, default=0)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--clear", action="store_true", help="Delete earlier bulk rows first.")

    @transaction.atomic
    def handle(self, *args, projects, labs, registrations, seed, clear, **options):
        rng = random.Random(seed)
        if clear:
            Registration.objects.filter(meeting__lab__slug__startswith="bulk-").delete()
            Lab.objects.filter(slug__startswith="bulk-").delete()
            Project.objects.filter(slug__startswith="bulk-").delete()
        areas = list(Area.objects.all()) or [Area.objects.create(name="Territorio", slug="territorio")]
        programmes = list(FundingProgramme.objects.all())
        offset = Project.objects.filter(slug__startswith="bulk-").count()
        self._projects(rng, projects, offset, areas, programmes)
        lab_offset = Lab.objects.filter(slug__startswith="bulk-").count()
        self._labs(rng, labs, lab_offset, areas)
        self._registrations(rng, registrations)
        self.stdout.write(
            self.style.SUCCESS(
                f"projects={Project.objects.count()} labs={Lab.objects.count()} "
                f"meetings={Meeting.objects.count()} registrations={Registration.objects.count()}"
            )
        )

    def _projects(self, rng, count, offset, areas, programmes) -> None:
        statuses = [choice.value for choice in Project.Status]
        through = Project.areas.through
        for start in range(0, count, BATCH):
            batch = []
            for i in range(start, min(start + BATCH, count)):
                n = offset + i
                begin = datetime.date(rng.randint(2012, 2026), rng.randint(1, 12), 1)
                batch.append(
                    Project(
                        title=f"{_sentence(rng, 4)} {n}",
                        slug=f"bulk-{n}",
                        summary=_sentence(rng, 14),
                        description=_sentence(rng, 60),
                        status=rng.choice(statuses),
                        start_date=begin,
                        start_precision="month",
                        end_date=begin + datetime.timedelta(days=rng.randint(180, 1460)),
                        budget=Decimal(rng.randint(5_000, 9_000_000)),
                        programme=rng.choice(programmes) if programmes else None,
                        with_ancilab=rng.random() < 0.3,
                        published=True,  # new content is a draft by default (issue 16): the bench measures public pages
                    )
                )
            created = Project.objects.bulk_create(batch)
            through.objects.bulk_create(
                [
                    through(project_id=p.pk, area_id=a.pk)
                    for p in created
                    for a in rng.sample(areas, k=min(len(areas), rng.randint(1, 2)))
                ]
            )

    def _labs(self, rng, count, offset, areas) -> None:
        if not count:
            return
        venue = Venue.objects.first() or Venue.objects.create(
            name="La Casa dei Comuni", slug="casa-dei-comuni", address="Via Rovello 2", city="Milano"
        )
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        labs = Lab.objects.bulk_create(
            [
                Lab(
                    title=f"Laboratorio {_sentence(rng, 3)} {offset + i}",
                    slug=f"bulk-{offset + i}",
                    edition_year=rng.randint(2019, 2027),
                    description=_sentence(rng, 50),
                    objectives="\n".join(_sentence(rng, 8) for _ in range(4)),
                    published=True,
                )
                for i in range(count)
            ]
        )
        Lab.areas.through.objects.bulk_create(
            [Lab.areas.through(lab_id=lab.pk, area_id=rng.choice(areas).pk) for lab in labs]
        )
        meetings = []
        for lab in labs:
            first = now + datetime.timedelta(days=rng.randint(-400, 300))
            for order in range(1, 5):
                starts = first + datetime.timedelta(days=14 * (order - 1))
                meetings.append(
                    Meeting(
                        lab=lab,
                        order=order,
                        title=f"Incontro {order}: {_sentence(rng, 4)}",
                        agenda=_sentence(rng, 20),
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=4),
                        format=rng.choice(["in_person", "online", "hybrid"]),
                        venue=venue,
                        capacity=rng.choice([30, 50, 100, None]),
                    )
                )
        Meeting.objects.bulk_create(meetings, batch_size=BATCH)

    def _registrations(self, rng, count) -> None:
        if not count:
            return
        formats = dict(Meeting.objects.values_list("pk", "format"))
        meeting_ids = list(formats)
        if not meeting_ids:
            self.stderr.write("No meetings: create labs first (--labs N).")
            return
        types = [choice.value for choice in OrganizationType]
        now = timezone.now()
        existing = Registration.objects.count()

        def mode(meeting_id: int) -> str:
            # The meeting's one mode (Meeting.attendance_modes); a hybrid meeting's registrants choose.
            if formats[meeting_id] == Meeting.Format.HYBRID:
                return rng.choice(Meeting.Mode.values)
            return Meeting.Mode.ONLINE if formats[meeting_id] == Meeting.Format.ONLINE else Meeting.Mode.IN_PERSON

        for start in range(0, count, BATCH):
            Registration.objects.bulk_create(
                [
                    Registration(
                        meeting_id=meeting_ids[(existing + i) % len(meeting_ids)],
                        first_name=rng.choice(["Giulia", "Marco", "Sara", "Luca", "Anna", "Paolo"]),
                        last_name=rng.choice(["Rossi", "Bianchi", "Colombo", "Ferrari", "Ricci", "Galli"]),
                        email=f"bulk{existing + i}@example.org",
                        organization=f"Comune {rng.randint(1, 1500)}",
                        organization_type=rng.choice(types),
                        status=rng.choice(["confirmed", "confirmed", "pending", "waitlisted", "cancelled"]),
                        privacy_acknowledged_at=now,
                        attendance_mode=mode(meeting_ids[(existing + i) % len(meeting_ids)]),
                    )
                    for i in range(start, min(start + BATCH, count))
                ]
            )
