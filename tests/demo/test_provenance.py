"""The demo content states only what the sources state (issue 15).

Loads the demo exactly as `make run` does (load_demo, then demo_upcoming) and walks it: no publisher without a source,
every sample date flagged wherever a date is shown (lab page, lab list, meeting page, home, programme PDF), no internal
editorial note in public HTML, the catalogue PDF or the open-data exports, the ten budgets recovered exactly and the
eleventh shown as no figure, nothing the sources do not state (capacities, a year, a format, a cost, an e-mail
registration procedure).
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation

from demo.loader import DEMO_DIR
from demo.upcoming import SOURCE_SLUG
from documents.documents import catalogue_pdf, lab_programme_pdf
from labs.models import Lab, Meeting
from projects.filters import PAGE_SIZE
from projects.models import Project, Service
from publications.models import Publication
from tests.documents.helpers import pdf_text

pytestmark = pytest.mark.django_db

# "Importo stampato … 525.000.00€" and the like: only the separators slipped, so the figure is certain (issue 15).
RECOVERED_BUDGETS = {
    "centri-di-competenza-pnrr-2024": Decimal("525000.00"),
    "sistema-educativo-zero-sei": Decimal("395000.00"),
    "accordo-quadro-monitoraggio-pnrr": Decimal("60000.00"),
    "governo-del-territorio-2018-2019": Decimal("83275.00"),
    "lab-impact": Decimal("739660.00"),
    "fami-conoscere-per-integrarsi": Decimal("526800.00"),
    "fami-gestione-migrazioni": Decimal("44754.00"),
    "contrasto-riciclaggio-corruzione": Decimal("500000.00"),
    "energie-in-comune": Decimal("1300000.00"),
    "sviluppo-sostenibile-2022-2023": Decimal("60000.00"),
}
UNCERTAIN_BUDGET = "europa-lombardia-enti-locali-21-27"  # printed "€ 00,000,008"
# The only publishers the sources name: Maggioli ("realizzati in collaborazione con la casa editrice Maggioli") and
# AnciLab for its magazine ("la rivista edita da AnciLab"). "a cura di …" names a curator, not a publisher.
PUBLISHERS = {
    "servizi-e-forniture": "Maggioli",
    "il-cerimoniale-nei-comuni": "Maggioli",
    "vademecum-amministratore-locale": "Maggioli",
    "strategie-amministrative": "AnciLab",
}
INVENTED_EBOOKS = [
    "ebook-beni-culturali",
    "ebook-lab-impact-coprogrammazione-welfare",
    "ebook-lab-impact-valutazione-welfare",
]
INTERNAL_MARKERS = ["Importo stampato", "refuso", "da verificare", "non trascritto", "800.000"]
ASSOCIATION_EMAIL, ASSOCIATION_PHONE = "posta@anci.lombardia.it", "02 72 62 96 01"


@pytest.fixture(autouse=True)
def _italian():
    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())
    call_command("demo_upcoming", stdout=StringIO())
    return Lab.objects.exclude(slug__in=[lab["slug"] for lab in _labs_json()]).get()


def _labs_json() -> list[dict]:
    return json.loads((DEMO_DIR / "labs.json").read_text(encoding="utf-8"))["labs"]


def _html(client, url: str) -> str:
    response = client.get(url)
    # A request under /en/ leaves English active in the thread, and reverse() would then build /en/ URLs.
    translation.activate("it")
    assert response.status_code == 200, url
    return response.content.decode()


def _date_segments(html: str, meeting: Meeting) -> list[str]:
    """Each place the page shows the meeting's start, up to the end of the element that holds it."""
    stamp = timezone.localtime(meeting.starts_at).isoformat()
    segments = []
    for match in re.finditer(rf'<time datetime="{re.escape(stamp)}">', html):
        ends = [i for i in (html.find(tag, match.end()) for tag in ("</li>", "</p>", "</dd>")) if i != -1]
        segments.append(html[match.start() : min(ends)])
    return segments


def _assert_flagged(html: str, meeting: Meeting, where: str) -> int:
    segments = _date_segments(html, meeting)
    for segment in segments:
        flagged = "di esempio" in segment
        assert flagged == meeting.is_sample, (where, meeting.title, segment)
    return len(segments)


# --- Provenance of the publications -----------------------------------------------------------------------------


def test_no_publisher_without_a_source_and_curators_as_printed(client, demo):
    publishers = dict(Publication.objects.exclude(publisher="").values_list("slug", "publisher"))
    assert publishers == PUBLISHERS
    gas = Publication.objects.get(slug="norme-modelli-distribuzione-gas")  # "volume a cura di AnciLab Editore"
    assert (gas.curator, gas.publisher) == ("AnciLab Editore", "")
    for publication in Publication.objects.published():
        html = _html(client, publication.get_absolute_url())
        assert ("Editore</dt>" in html) == bool(publication.publisher), publication.slug
        if publication.publisher:
            assert f'Editore</dt><dd class="col-sm-9">{publication.publisher}</dd>' in html
        if publication.curator:
            assert f'A cura di</dt><dd class="col-sm-9">{publication.curator}</dd>' in html


def test_invented_ebooks_are_gone_and_the_seav_report_is_back(client, demo):
    assert not Publication.objects.filter(slug__in=INVENTED_EBOOKS).exists()
    for lab in Lab.objects.filter(slug__in=["valorizzazione-beni-culturali", "lab-impact-coprogrammazione-welfare"]):
        html = _html(client, lab.get_absolute_url())
        assert ">Allegati</h2>" not in html and "e-book del Laboratorio" not in html
    report = Publication.objects.get(slug="report-finale-lombardia-europa-2020-seav")
    assert (report.kind, report.publisher, report.curator) == (Publication.Kind.REPORT, "", "")
    assert list(report.projects.values_list("slug", flat=True)) == ["lombardia-europa-2020-seav"]
    seav = Project.objects.get(slug="lombardia-europa-2020-seav")
    assert report.display_title in _html(client, seav.get_absolute_url())


def test_publications_link_where_the_source_says_they_are_available(client, demo):
    for publication in Publication.objects.published():
        html = _html(client, publication.get_absolute_url())
        # The sources never say a publication is print-only, so the page never says it is not digital.
        assert "formato digitale" not in html
        if publication.external_url:
            assert f"Disponibile online su {publication.external_site}" in html
        else:
            assert "Su questo portale non c'è ancora un file o un link per questa pubblicazione." in html
    english = _html(client, f"/en{Publication.objects.get(slug='servizi-e-forniture').get_absolute_url()}")
    assert "Available online at www.anci.lombardia.it" in english
    linked = dict(Publication.objects.exclude(external_url="").values_list("slug", "external_url"))
    assert linked["servizi-e-forniture"] == "https://www.anci.lombardia.it/"
    assert linked["strategie-amministrative"] == "https://www.strategieamministrative.it/"
    assert "governance-transfrontaliera" not in linked  # "pubblicazione finale nell'ambito del progetto": no place


# --- Sample dates, flagged on every surface ----------------------------------------------------------------------


def test_every_sample_date_is_flagged_on_every_html_surface(client, demo):
    sample = list(Meeting.objects.filter(is_sample=True, starts_at__isnull=False).select_related("lab"))
    real = list(Meeting.objects.filter(is_sample=False, starts_at__isnull=False).select_related("lab"))
    assert {m.lab.slug for m in sample} == {"valorizzazione-beni-culturali", "sviluppo-sostenibile-2021", demo.slug}
    assert len(real) == 9  # the Lab'Impact dates, all printed in the leaflet

    lab_pages = {lab.pk: _html(client, lab.get_absolute_url()) for lab in Lab.objects.published()}
    for meeting in sample + real:
        # The lab page lists each date twice ("Date e orari", "Appuntamenti"), the header once more for the first.
        assert _assert_flagged(lab_pages[meeting.lab_id], meeting, "lab page") >= 2
        assert _assert_flagged(_html(client, meeting.get_absolute_url()), meeting, "meeting page") == 1

    # The header's range and the list card's range: "date di esempio" beside them exactly for the sample labs.
    lab_list = _html(client, reverse("labs:list"))
    for lab in Lab.objects.published():
        has_sample = lab.meetings.filter(is_sample=True, starts_at__isnull=False).exists()
        first = lab.meetings.exclude(starts_at=None).earliest("starts_at")
        for where, html in (("lab header", lab_pages[lab.pk]), ("lab list", lab_list)):
            segment = _date_segments(html, first)[0]
            assert ("date di esempio" in segment) == has_sample, (where, lab.slug, segment)

    home = _html(client, reverse("home"))
    upcoming = [m for m in sample if m.lab_id == demo.pk]
    assert sum(_assert_flagged(home, meeting, "home") for meeting in upcoming) >= 1


def test_every_sample_date_is_flagged_in_the_programme_pdf(demo):
    for lab in Lab.objects.published():
        # Lower-cased: the PDF's tags are set in capitals by CSS, which the extracted text keeps.
        text = " ".join(pdf_text(lab_programme_pdf(lab)).split()).lower()
        dated = lab.meetings.exclude(starts_at=None)
        samples = [m for m in dated if m.is_sample]
        assert text.count("data di esempio") == len(samples), lab.slug
        for meeting in samples:
            day = date_filter(timezone.localtime(meeting.starts_at)).lower()
            assert re.search(rf"{re.escape(day)}, [0-9:–]+ data di esempio", text), (lab.slug, day)


# --- Internal notes never public; the budgets ---------------------------------------------------------------------


def _csv_rows(client) -> dict[str, dict]:
    text = b"".join(client.get(reverse("projects:export_csv")).streaming_content).decode()
    return {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}


def _public_texts(client) -> dict[str, str]:
    texts = {"home": _html(client, reverse("home"))}
    for page in range(1, -(-Project.objects.published().count() // PAGE_SIZE) + 1):
        texts[f"catalogue page {page}"] = _html(client, f"{reverse('projects:list')}?page={page}")
    for project in Project.objects.exclude(budget_internal_note=""):
        texts[project.slug] = _html(client, project.get_absolute_url())
        texts[f"{project.slug} (en)"] = _html(client, f"/en{project.get_absolute_url()}")
    texts["export.csv"] = b"".join(client.get(reverse("projects:export_csv")).streaming_content).decode()
    texts["export.json"] = b"".join(client.get(reverse("projects:export_json")).streaming_content).decode()
    texts["catalogo.pdf"] = " ".join(pdf_text(catalogue_pdf()).split())
    return texts


def test_internal_budget_notes_never_reach_public_pages_pdfs_or_open_data(client, demo):
    notes = list(Project.objects.exclude(budget_internal_note="").values_list("slug", "budget_internal_note"))
    assert {slug for slug, _ in notes} == {*RECOVERED_BUDGETS, UNCERTAIN_BUDGET}
    for where, text in _public_texts(client).items():
        for slug, note in notes:
            assert note not in text, (where, slug)
        for marker in INTERNAL_MARKERS:
            assert marker not in text, (where, marker)
    exported = json.loads(b"".join(client.get(reverse("projects:export_json")).streaming_content))
    assert "budget_internal_note" not in exported["items"][0]


def test_the_ten_certain_budgets_are_recovered_exactly(client, demo):
    budgets = dict(Project.objects.filter(slug__in=RECOVERED_BUDGETS).values_list("slug", "budget"))
    assert budgets == RECOVERED_BUDGETS
    assert not Project.objects.filter(slug__in=RECOVERED_BUDGETS).exclude(budget_note="").exists()
    rows = _csv_rows(client)
    for slug, amount in RECOVERED_BUDGETS.items():
        assert rows[slug]["budget_eur"] == f"{amount:.2f}"
    assert "525.000,00\u00a0€" in _html(client, reverse("projects:detail", args=["centri-di-competenza-pnrr-2024"]))
    assert "1.300.000,00\u00a0€" in _html(client, reverse("projects:detail", args=["energie-in-comune"]))


def test_the_eleventh_budget_is_shown_as_no_figure(client, demo):
    project = Project.objects.get(slug=UNCERTAIN_BUDGET)
    assert (project.budget, project.budget_note) == (None, "importo in verifica")
    html = _html(client, project.get_absolute_url())
    assert '<dd class="col-sm-8">importo in verifica</dd>' in html
    assert "€" not in html.split(">Budget</dt>", 1)[1].split("</dd>", 1)[0]
    rows = _csv_rows(client)
    assert (rows[UNCERTAIN_BUDGET]["budget_eur"], rows[UNCERTAIN_BUDGET]["budget_note"]) == ("", "importo in verifica")


# --- Nothing the sources do not state -------------------------------------------------------------------------------


def test_no_invented_capacity_year_format_role_or_cost(client, demo):
    assert not Meeting.objects.filter(capacity__isnull=False).exists()
    assert Lab.objects.get(slug="valorizzazione-beni-culturali").edition_year is None
    assert not Meeting.objects.filter(lab__slug="sviluppo-sostenibile-2021", format=Meeting.Format.HYBRID).exists()
    beni = _html(client, reverse("labs:detail", args=["valorizzazione-beni-culturali"]))
    assert "Edizione" not in beni
    beni_pdf = pdf_text(lab_programme_pdf(Lab.objects.get(slug="valorizzazione-beni-culturali")))
    assert "Edizione" not in beni_pdf and "A cura di AnciLab / ANCI Lombardia" in beni_pdf
    for lab in Lab.objects.published():
        html = _html(client, lab.get_absolute_url())
        assert "gratuit" not in html and ">Costi</h2>" not in html and "posti disponibili su" not in html
    for meeting in Meeting.objects.all():
        assert "Gratuito" not in _html(client, meeting.get_absolute_url())
    # ANCI Lombardia is "partner" only where the catalogue says so ("è stata partner", "sarà partner della Regione",
    # "in qualità di partner", "partner dell'Università La Sapienza", one of Cultural BEES' 11 partners).
    assert set(Project.objects.filter(anci_role=Project.AnciRole.PARTNER).values_list("slug", flat=True)) == {
        "cultural-bees",
        "jericho-vale",
        "fami-supporto-governance-locali",
        "fami-conoscere-per-integrarsi-2",
        "fami-in-form-azione",
        "fami-gestione-migrazioni",
        "interreg-liveliness-sondrio",
        "governati-va",
    }
    unstated = Project.objects.get(slug="uffici-di-prossimita")
    assert unstated.anci_role == ""
    assert "Ruolo di ANCI Lombardia" not in _html(client, unstated.get_absolute_url())
    # The loader fills in no role: every project's role is the one its JSON entry states.
    catalogue = json.loads((DEMO_DIR / "catalogue.json").read_text(encoding="utf-8"))
    stated = {p["slug"]: p.get("anci_role", "") for p in catalogue["projects"]}
    assert dict(Project.objects.values_list("slug", "anci_role")) == stated


def test_lab_impact_objectives_and_participants_keep_the_leaflet_wording(demo):
    lab = Lab.objects.get(slug="lab-impact-coprogrammazione-welfare")
    assert (
        lab.objective_list[0]
        == "Contribuire allo sviluppo delle reti locali impegnate nella costruzione del welfare di comunità"
    )
    assert lab.participant_list == [
        "Operatori che definiscono politiche ed erogano servizi",
        "Dirigenti territoriali",
        "Esperti e facilitatori",
    ]
    assert "Corte costituzionale" not in lab.objectives and "terzo settore" not in lab.participant_categories


def test_the_demo_edition_registers_online_only(client, demo):
    texts = {
        "it": _html(client, demo.get_absolute_url()),
        "en": _html(client, f"/en{demo.get_absolute_url()}"),
        "pdf": " ".join(pdf_text(lab_programme_pdf(demo)).split()),
    }
    for where, text in texts.items():
        for phrase in ("Iscrizione via email", "indicando nome", "Register by email", "giving your first name"):
            assert phrase not in text, (where, phrase)
        assert "subito dopo l" not in text and "right after registration" not in text, where
    # The leaflet's "Per informazioni: Nicol Mondin - tel. 347 9986136" is a named contact, copied with the edition.
    mondin = '<strong>Nicol Mondin</strong> · tel. <a href="tel:3479986136">347 9986136</a>'
    assert mondin in texts["it"] and mondin in texts["en"]
    assert "Per informazioni: Nicol Mondin – tel. 347 9986136; Andrea Ballabio – tel. 02 72629651" in texts["pdf"]
    assert reverse("registrations:register", args=[demo.meetings.earliest("starts_at").pk]) in texts["it"]
    source = Lab.objects.get(slug=SOURCE_SLUG)
    assert "Iscrizione via email" not in source.contact_notes and "Register by email" not in source.contact_notes_en


def test_contacts_fall_back_to_the_association(client, demo):
    for slug in ("valorizzazione-beni-culturali", "sviluppo-sostenibile-2021"):
        html = _html(client, reverse("labs:detail", args=[slug]))
        contacts = html.split('id="contatti-title"', 1)[1]
        assert f'href="mailto:{ASSOCIATION_EMAIL}"' in contacts and ASSOCIATION_PHONE in contacts
    for service in Service.objects.all():
        html = _html(client, service.get_absolute_url())
        assert f'href="mailto:{ASSOCIATION_EMAIL}"' in html and ASSOCIATION_PHONE in html, service.slug


# --- Identifiers and funding, as the sources print them --------------------------------------------------------------

# Programmes whose EU funding a source states: the FAMI leaflet ("Progetto co-finanziato dall'Unione Europea"), "fondi
# FESR", "risorse europee FSE", "Programma Regionale FSE+", "programma europeo Erasmus+", Interreg, "programma comunitario
# LIFE", "PON Governance … dell'Unione Europea, FSE e FESR"; the PNRR ("progetto finanziato dal PNRR") is flagged
# NextGenerationEU, which carries its own statement. PON Inclusione (no source says how it is funded) is not flagged.
EU_PROGRAMMES = {
    "fami",
    "fesr",
    "fse",
    "pr-fse-plus-2021-2027",
    "erasmus-plus",
    "interreg",
    "life",
    "pon-governance",
    "pnrr",
}


def test_identifiers_and_funding_lines_come_from_the_sources(client, demo):
    from projects.models import FundingProgramme

    assert set(FundingProgramme.objects.filter(eu_funded=True).values_list("slug", flat=True)) == EU_PROGRAMMES
    assert dict(Project.objects.exclude(cup="").values_list("slug", "cup")) == {"lab-impact": "E89F18000510007"}
    assert dict(Project.objects.exclude(project_code="").values_list("slug", "project_code")) == {
        "lab-impact": "PROG-2463"
    }
    lab_impact = _html(client, reverse("projects:detail", args=["lab-impact"]))
    assert '<dt class="col-sm-4">CUP</dt><dd class="col-sm-8">E89F18000510007</dd>' in lab_impact
    assert "Obiettivo Specifico 2. Integrazione / Migrazione legale" in lab_impact
    assert "Cofinanziato dall&#x27;Unione europea" in lab_impact or "Cofinanziato dall'Unione europea" in lab_impact

    governativa = Project.objects.get(slug="governati-va")
    assert list(governativa.funding_lines.values_list("programme__slug", flat=True)) == [
        "interreg",
        "fesr",
        "contributi-federali-cantonali-ch",
    ]
    assert governativa.programme.slug == "interreg"  # the main programme the catalogue filters by
    # No amount per fund: the catalogue prints only the total.
    assert not Project.objects.filter(funding_lines__amount__isnull=False).exists()


def test_the_eu_statement_is_on_the_pages_and_pdfs_of_eu_funded_projects_only(client, demo):
    statement = "Cofinanziato dall'Unione europea"
    for lab in Lab.objects.published().select_related("project__programme"):
        html = _html(client, lab.get_absolute_url()).replace("&#x27;", "'")
        funded = bool(lab.project and lab.project.eu_statement == statement)
        assert (statement in html) == funded, lab.slug
        assert (statement in " ".join(pdf_text(lab_programme_pdf(lab)).split())) == funded, lab.slug
    funded_labs = set(Lab.objects.filter(project__programme__slug="fami").values_list("slug", flat=True))
    assert funded_labs >= {"lab-impact-coprogrammazione-welfare"}
    catalogue = " ".join(pdf_text(catalogue_pdf()).split())
    published = list(
        Project.objects.published().select_related("programme").prefetch_related("funding_lines__programme")
    )
    assert catalogue.count(statement) == sum(p.eu_statement == statement for p in published)
    # The PNRR is NextGenerationEU: its four projects carry that statement instead.
    ngeu = "Finanziato dall'Unione europea – NextGenerationEU"
    assert catalogue.count(ngeu) == sum(p.eu_statement == ngeu for p in published) == 4


def test_benefits_rules_and_contacts_are_only_what_the_leaflets_state(client, demo):
    sources = Lab.objects.filter(slug__in=[lab["slug"] for lab in _labs_json()])
    # "VANTAGGI PER I PARTECIPANTI" (Lab'Impact leaflet, six points); "sarà necessario munirsi del Green Pass"
    # (Sviluppo Sostenibile); "Per informazioni: Nicol Mondin - tel. 347 9986136 / Andrea Ballabio – tel. 02 72629651".
    assert {lab.slug: len(lab.benefit_list) for lab in sources if lab.benefits} == {
        "lab-impact-coprogrammazione-welfare": 6,
        "lab-impact-valutazione-welfare": 6,
    }
    assert {lab.slug for lab in sources if lab.participation_rules} == {"sviluppo-sostenibile-2021"}
    assert "Green Pass" in sources.get(slug="sviluppo-sostenibile-2021").participation_rules
    contacts = {
        lab.slug: list(lab.contacts.values_list("name", "role", "phone", "email"))
        for lab in sources
        if lab.contacts.exists()
    }
    both = [("Nicol Mondin", "", "347 9986136", ""), ("Andrea Ballabio", "", "02 72629651", "")]
    assert contacts == {"lab-impact-coprogrammazione-welfare": both, "lab-impact-valutazione-welfare": both}
    for lab in sources:
        # Each fact is stated once: the notes no longer repeat the contacts or the rule.
        assert "Mondin" not in lab.contact_notes and "Green Pass" not in lab.contact_notes, lab.slug
    html = _html(client, reverse("labs:detail", args=["sviluppo-sostenibile-2021"]))
    assert "necessario il Green Pass" in html.split('id="come-si-partecipa-title"', 1)[1].split("</section>", 1)[0]
