"""Loads the real AnciLab content (transcribed from the source leaflets and the catalogue) shipped in this folder.

Idempotent by natural key (slug; a meeting by lab and order): a row is written only when a value differs, so a second
run changes nothing, not even ``updated_at``. The JSON layout is described by the keys used below.

Provenance: the JSON holds only what the sources state. Nothing is filled in here either: a value the JSON leaves out
(a publisher, a lab's edition year, ANCI Lombardia's role, a capacity) stays empty, and the portal then shows nothing.
Publications listed under ``retired`` in catalogue.json were once shipped without a source and are deleted.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import models, transaction

from labs.models import Lab, LabContact, Meeting, Venue
from projects.models import (
    Area,
    FundingLine,
    FundingProgramme,
    Organization,
    Project,
    ProjectLink,
    ProjectPartner,
    Service,
)
from publications.models import Article, Publication, PublicationEdition

DEMO_DIR = Path(__file__).resolve().parent
ROME = ZoneInfo("Europe/Rome")


def _read(name: str) -> dict:
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value).replace(tzinfo=ROME) if value else None


def _lines(values: list[str] | str | None) -> str:
    if not values:
        return ""
    return values if isinstance(values, str) else "\n".join(values)


class DemoLoader:
    def __init__(self) -> None:
        self.changes: Counter[str] = Counter()

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.changes[f"{model._meta.label} created"] += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save()
            self.changes[f"{model._meta.label} updated"] += 1
        return obj

    def set_m2m(self, obj: models.Model, name: str, targets: list[models.Model]) -> None:
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
            manager.set(targets)
            self.changes[f"{obj._meta.label}.{name} updated"] += 1

    def set_partners(self, project: Project, entries: list, organizations: dict) -> None:
        """The project's partners in the JSON's order, each a slug (role "partner") or {"slug", "role"} when the source
        states another role (GovernaTI-VA's "capofila svizzero", Cultural BEES' "partner associato")."""
        wanted = []
        for entry in entries:
            slug, role = (entry, "partner") if isinstance(entry, str) else (entry["slug"], entry["role"])
            wanted.append((organizations[slug].pk, role))
        current = list(project.partnerships.order_by("order", "id").values_list("organization_id", "role"))
        if current != wanted:
            project.partnerships.all().delete()
            for pk, role in wanted:
                ProjectPartner.objects.create(project=project, organization_id=pk, role=role)
            self.changes[f"{project._meta.label}.partners updated"] += 1

    def set_editions(self, publication: Publication, editions: list[dict]) -> None:
        """The publication's editions exactly as the JSON lists them, keyed by position."""
        for order, edition in enumerate(editions, start=1):
            self.upsert(
                PublicationEdition,
                {"publication": publication, "order": order},
                {
                    "label": edition["label"],
                    "label_en": edition.get("label_en", ""),
                    "year": edition.get("year"),
                    "external_url": edition.get("external_url", ""),
                },
            )
        publication.editions.filter(order__gt=len(editions)).delete()

    def set_funding_lines(self, project: Project, lines: list[dict], programmes: dict) -> None:
        """The project's funding lines exactly as the JSON lists them, keyed by position."""
        for order, line in enumerate(lines, start=1):
            self.upsert(
                FundingLine,
                {"project": project, "order": order},
                {
                    "programme": programmes[line["programme"]],
                    "measure": line.get("measure", ""),
                    "amount": Decimal(line["amount"]) if line.get("amount") is not None else None,
                },
            )
        _, deleted = FundingLine.objects.filter(project=project, order__gt=len(lines)).delete()
        if deleted.get("projects.FundingLine"):
            self.changes["projects.FundingLine deleted"] += deleted["projects.FundingLine"]

    def set_contacts(self, lab: Lab, contacts: list[dict]) -> None:
        """The lab's named contacts exactly as the JSON lists them (only what the leaflet prints), keyed by position."""
        for order, contact in enumerate(contacts, start=1):
            self.upsert(
                LabContact,
                {"lab": lab, "order": order},
                {key: contact.get(key, "") for key in ("name", "role", "role_en", "phone", "email")},
            )
        _, deleted = LabContact.objects.filter(lab=lab, order__gt=len(contacts)).delete()
        if deleted.get("labs.LabContact"):
            self.changes["labs.LabContact deleted"] += deleted["labs.LabContact"]

    @transaction.atomic
    def load(self) -> Counter[str]:
        catalogue = _read("catalogue.json")
        labs = _read("labs.json")
        areas = {
            a["slug"]: self.upsert(Area, {"slug": a["slug"]}, {"name": a["name"], "name_en": a.get("name_en", "")})
            for a in catalogue["areas"]
        }
        programmes = {
            p["slug"]: self.upsert(
                FundingProgramme,
                {"slug": p["slug"]},
                {
                    "name": p["name"],
                    "full_name": p.get("full_name", ""),
                    "full_name_en": p.get("full_name_en", ""),
                    "eu_funded": bool(p.get("eu_funded") or p.get("next_generation_eu")),
                    "next_generation_eu": bool(p.get("next_generation_eu")),
                },
            )
            for p in catalogue["programmes"]
        }
        organizations = {
            o["slug"]: self.upsert(
                Organization, {"slug": o["slug"]}, {"name": o["name"], "website": o.get("website", "")}
            )
            for o in catalogue["organizations"]
        }
        projects = {}
        for p in catalogue["projects"]:
            project = self.upsert(
                Project,
                {"slug": p["slug"]},
                {
                    "title": p["title"],
                    "title_en": p.get("title_en", ""),
                    "acronym": p.get("acronym", ""),
                    "cup": p.get("cup", ""),
                    "project_code": p.get("project_code", ""),
                    "summary": p["summary"],
                    "summary_en": p.get("summary_en", ""),
                    "description": p.get("description", ""),
                    "description_en": p.get("description_en", ""),
                    "status": p["status"],
                    "start_date": _date(p.get("start_date")),
                    "start_precision": p.get("start_precision") or "day",
                    "end_date": _date(p.get("end_date")),
                    "end_precision": p.get("end_precision") or "day",
                    "budget": Decimal(p["budget"]) if p.get("budget") is not None else None,
                    "budget_note": p.get("budget_note", ""),
                    "budget_internal_note": p.get("budget_internal_note", ""),
                    "programme": programmes.get(p.get("programme")),
                    "lead_organization": organizations.get(p.get("lead_organization")),
                    "anci_role": p.get("anci_role", ""),
                    "with_ancilab": bool(p.get("with_ancilab")),
                    "published": True,
                },
            )
            self.set_m2m(project, "areas", [areas[s] for s in p.get("areas", [])])
            self.set_partners(project, p.get("partners", []), organizations)
            self.set_funding_lines(project, p.get("funding_lines", []), programmes)
            for link in p.get("links", []):
                self.upsert(ProjectLink, {"project": project, "url": link["url"]}, {"label": link["label"]})
            projects[p["slug"]] = project

        for s in catalogue["services"]:
            self.upsert(
                Service,
                {"slug": s["slug"]},
                {
                    "title": s["title"],
                    "title_en": s.get("title_en", ""),
                    "area": areas.get(s.get("area")),
                    "summary": s["summary"],
                    "summary_en": s.get("summary_en", ""),
                    **{
                        key: s.get(key, "")
                        for key in (
                            "description",
                            "description_en",
                            "audience",
                            "audience_en",
                            "how_to_request",
                            "how_to_request_en",
                            "requirements",
                            "requirements_en",
                            "outcome",
                            "outcome_en",
                            "timing",
                            "timing_en",
                            "cost",
                            "cost_en",
                            "access_url",
                            "contact_email",
                            "contact_phone",
                        )
                    },
                    "active": True,
                },
            )

        venues = {
            v["slug"]: self.upsert(
                Venue,
                {"slug": v["slug"]},
                {
                    "name": v["name"],
                    "address": v["address"],
                    "city": v.get("city", "Milano"),
                    "map_url": v.get("map_url", ""),
                    "access_notes": v.get("access_notes", ""),
                    "access_notes_en": v.get("access_notes_en", ""),
                },
            )
            for v in labs["venues"]
        }
        lab_objects = {}
        for lab_data in labs["labs"]:
            lab = self.upsert(
                Lab,
                {"slug": lab_data["slug"]},
                {
                    "title": lab_data["title"],
                    "title_en": lab_data.get("title_en", ""),
                    "edition_year": lab_data.get("edition_year"),
                    "subtitle": lab_data.get("subtitle", ""),
                    "subtitle_en": lab_data.get("subtitle_en", ""),
                    "description": lab_data["description"],
                    "description_en": lab_data.get("description_en", ""),
                    "objectives": _lines(lab_data.get("objectives")),
                    "objectives_en": _lines(lab_data.get("objectives_en")),
                    "participant_categories": _lines(lab_data.get("participant_categories")),
                    "participant_categories_en": _lines(lab_data.get("participant_categories_en")),
                    "organizer": lab_data.get("organizer") or "AnciLab – ANCI Lombardia",
                    "project": projects.get(lab_data.get("project")),
                    "contact_email": lab_data.get("contact_email", ""),
                    "contact_phone": lab_data.get("contact_phone", ""),
                    "contact_notes": lab_data.get("contact_notes", ""),
                    "contact_notes_en": lab_data.get("contact_notes_en", ""),
                    "expected_outputs": _lines(lab_data.get("expected_outputs")),
                    "expected_outputs_en": _lines(lab_data.get("expected_outputs_en")),
                    "benefits": _lines(lab_data.get("benefits")),
                    "benefits_en": _lines(lab_data.get("benefits_en")),
                    "participation_rules": lab_data.get("participation_rules", ""),
                    "participation_rules_en": lab_data.get("participation_rules_en", ""),
                    "published": True,
                },
            )
            self.set_m2m(lab, "areas", [areas[s] for s in lab_data.get("areas", [])])
            self.set_contacts(lab, lab_data.get("contacts", []))
            for m in lab_data["meetings"]:
                self.upsert(
                    Meeting,
                    {"lab": lab, "order": m["order"]},
                    {
                        "title": m["title"],
                        "title_en": m.get("title_en", ""),
                        "kind": m.get("kind", "meeting"),
                        "agenda": m.get("agenda", ""),
                        "agenda_en": m.get("agenda_en", ""),
                        "starts_at": _datetime(m.get("starts_at")),
                        "ends_at": _datetime(m.get("ends_at")),
                        "format": m["format"],
                        "venue": venues.get(m.get("venue")),
                        "capacity": m.get("capacity"),
                        "audience": m.get("audience", "open"),
                        "is_sample": bool(m.get("is_sample")),
                    },
                )
            lab_objects[lab_data["slug"]] = lab

        for p in catalogue["publications"]:
            publication = self.upsert(
                Publication,
                {"slug": p["slug"]},
                {
                    "title": p["title"],
                    "title_en": p.get("title_en", ""),
                    "kind": p["kind"],
                    "curator": p.get("curator", ""),
                    "publisher": p.get("publisher", ""),
                    "year": p.get("year"),
                    "external_url": p.get("external_url", ""),
                    "summary": p.get("summary", ""),
                    "summary_en": p.get("summary_en", ""),
                    "isbn": p.get("isbn", ""),
                    "published": True,
                },
            )
            self.set_m2m(publication, "projects", [projects[s] for s in p.get("projects", [])])
            self.set_m2m(publication, "labs", [lab_objects[s] for s in p.get("labs", [])])
            self.set_m2m(publication, "areas", [areas[s] for s in p.get("areas", [])])
            self.set_editions(publication, p.get("editions", []))

        retired = catalogue.get("retired", {}).get("publications", [])
        _, deleted = Publication.objects.filter(slug__in=retired).delete()
        if deleted.get("publications.Publication"):
            self.changes["publications.Publication deleted"] += deleted["publications.Publication"]

        for a in labs["articles"]:
            article = self.upsert(
                Article,
                {"slug": a["slug"]},
                {
                    "title": a["title"],
                    "title_en": a.get("title_en", ""),
                    "date": _date(a["date"]),
                    "author": a.get("author", ""),
                    "source_name": a.get("source_name", ""),
                    "source_url": a.get("source_url", ""),
                    "summary": a.get("summary", ""),
                    "summary_en": a.get("summary_en", ""),
                    "body": a["body"],
                    "body_en": a.get("body_en", ""),
                    "published": True,
                },
            )
            self.set_m2m(article, "areas", [areas[s] for s in a.get("areas", [])])
            self.set_m2m(article, "labs", [lab_objects[s] for s in a.get("labs", [])])
        return self.changes


def load_demo() -> Counter[str]:
    return DemoLoader().load()
