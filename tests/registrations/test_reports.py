"""The funders' figures (registrations/reports.py), for a project and for one of its labs, and their admin page and
workbook (registrations/admin.py: the project's "Rapporto per il finanziatore")."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.models import OrganizationType, Registration
from registrations.reports import lab_report, project_report
from tests.factories import LabFactory, MeetingFactory, ProjectFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _when(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour, minute))


@pytest.fixture
def project():
    """Two meetings of a lab of the project: one of 3 hours 30, one without an end (length unknown)."""
    project = ProjectFactory(title="FAMI Inclusione", slug="fami-inclusione")
    lab = LabFactory(title="Lab Accoglienza", project=project)
    first = MeetingFactory(lab=lab, title="Primo", starts_at=_when(10, 9, 30), ends_at=_when(10, 13))
    second = MeetingFactory(lab=lab, title="Secondo", starts_at=_when(17, 14), ends_at=None)
    RegistrationFactory(meeting=first, organization="Comune di Bergamo", attended=True)
    RegistrationFactory(meeting=first, organization="comune di  BERGAMO", attended=True)  # the same body
    RegistrationFactory(
        meeting=first, organization="Provincia di Lecco", organization_type=OrganizationType.PROVINCIA, attended=True
    )
    RegistrationFactory(meeting=first, organization="ACME srl", organization_type=OrganizationType.AZIENDA)
    RegistrationFactory(meeting=first, organization="Comune di Brescia", status=Registration.Status.CANCELLED)
    RegistrationFactory(meeting=first, organization="Comune di Como", status=Registration.Status.WAITLISTED)
    RegistrationFactory(meeting=second, organization="Comune di Bergamo", attended=True)
    RegistrationFactory(meeting=second, organization="Comune di Lecco")
    RegistrationFactory(organization="Comune di Sondrio", attended=True)  # another lab, no project
    return project


def _rows(rows):
    return [(r.label, r.registrations, r.attended, r.hours, r.attended_unknown_length) for r in rows]


def test_project_report_figures(project):
    report = project_report(project)
    assert _rows(report.by_type) == [
        ("Comune", 4, 3, Decimal("7.00"), 1),
        ("Provincia / Città metropolitana", 1, 1, Decimal("3.50"), 0),
        ("Azienda", 1, 0, Decimal("0.00"), 0),
    ]
    assert _rows(report.by_province) == [
        ("Bergamo", 3, 3, Decimal("7.00"), 1),
        ("Lecco", 2, 1, Decimal("3.50"), 0),
        ("Non determinata", 1, 0, Decimal("0.00"), 0),
    ]
    assert [(r.meeting.title, r.length_hours, r.registrations, r.attended, r.hours) for r in report.by_meeting] == [
        ("Primo", Decimal("3.50"), 4, 3, Decimal("10.50")),
        ("Secondo", None, 2, 1, Decimal("0.00")),
    ]
    assert (report.total_registrations, report.total_attended) == (6, 4)
    assert report.hours_attended == Decimal("10.50")
    assert (report.attended_unknown_length, report.meetings_without_end) == (1, 1)
    # Bergamo (twice spelled), Provincia di Lecco, ACME, Comune di Lecco; present: Bergamo and the Provincia.
    assert (report.bodies_registered, report.bodies_attended) == (4, 2)
    assert report.satisfaction is None  # nobody answered the questionnaire: never an invented figure


def test_the_lab_report_is_the_same_definition(project):
    lab = project.labs.get()
    assert _rows(lab_report(lab).by_type) == _rows(project_report(project).by_type)
    other = LabFactory(project=project)
    RegistrationFactory(meeting=MeetingFactory(lab=other), organization="Comune di Lodi", attended=True)
    assert project_report(project).total_attended == 5
    assert lab_report(lab).total_attended == 4


def test_report_queries_do_not_grow_with_registrants(project, django_assert_num_queries):
    with django_assert_num_queries(3):
        project_report(project)
    meeting = project.labs.get().meetings.first()
    for index in range(10):
        RegistrationFactory(meeting=meeting, organization=f"Comune di Paese {index}", attended=True)
    with django_assert_num_queries(3):
        assert project_report(project).total_attended == 14


def test_the_project_page_links_the_report_for_who_may_read_registrations(admin_client, editor_client, project):
    url = reverse("admin:projects_project_funder_report", args=[project.pk])
    change = reverse("admin:projects_project_change", args=[project.pk])
    assert f'href="{url}"' in admin_client.get(change).content.decode()
    assert "Rapporto per il finanziatore" in admin_client.get(change).content.decode()
    # The editorial staff edit the project but see no registrations: no link, and the report refuses them.
    assert f'href="{url}"' not in editor_client.get(change).content.decode()
    assert editor_client.get(url).status_code == 403


def test_secretary_reads_the_funder_report_page(secretary_client, project, django_assert_num_queries):
    url = reverse("admin:projects_project_funder_report", args=[project.pk])
    response = secretary_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Rapporto per il finanziatore: FAMI Inclusione</h1>" in body
    assert "Iscrizioni confermate: 6. Presenze: 4." in body
    assert "Laboratori del progetto: Lab Accoglienza." in body
    assert "<dt>Ore di presenza</dt>\n    <dd>10,50\n" in body
    assert "più 1 presenza a incontri senza orario di fine, di cui non si conosce la durata" in body
    assert "<dt>Enti raggiunti (almeno un iscritto confermato)</dt><dd>4</dd>" in body
    assert "<dt>Enti presenti (almeno un partecipante presente)</dt><dd>2</dd>" in body
    assert "non disponibile (nessun questionario di gradimento raccolto)" in body
    assert '<th scope="row">Comune</th><td>4</td><td>3</td><td>7 (+1 presenza senza durata)</td>' in body
    assert '<th scope="row">Lecco</th><td>2</td><td>1</td><td>3,50</td>' in body
    assert (
        '<th scope="row">Lab Accoglienza – Primo</th><td>10/03/2026 09:30</td><td>3,50</td><td>4</td><td>3</td>'
        "<td>10,50</td>" in body
    )
    assert (
        '<th scope="row">Lab Accoglienza – Secondo</th><td>17/03/2026 14:00</td><td>non disponibile</td><td>2</td>'
        "<td>1</td><td>non disponibile</td>" in body
    )
    assert body.count('role="img"') == 2
    assert "Comune: 4, Provincia / Città metropolitana: 1, Azienda: 1" in body
    # The secretary may not open the project's page: the breadcrumbs do not link it.
    assert reverse("admin:projects_project_change", args=[project.pk]) not in body
    # Session, user, MFA and permission checks, then the project, its labs, the meetings and one query of counts:
    # pinned, and the same with ten more registrants.
    with django_assert_num_queries(10):
        secretary_client.get(url)
    meeting = project.labs.get().meetings.first()
    for index in range(10):
        RegistrationFactory(meeting=meeting, organization=f"Comune di Paese {index}", attended=True)
    with django_assert_num_queries(10):
        secretary_client.get(url)


def test_the_funder_report_workbook(secretary_client, project):
    url = reverse("admin:projects_project_funder_report", args=[project.pk])
    response = secretary_client.get(url, {"format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="rapporto-fami-inclusione.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Sintesi", "Per tipo di ente", "Per provincia", "Per partecipazione", "Per incontro"]

    def values(name):
        return [[cell.value for cell in row] for row in book[name].iter_rows()]

    assert values("Sintesi") == [
        ["Indicatore", "Valore"],
        ["Oggetto del rapporto", "FAMI Inclusione"],
        ["Iscrizioni confermate", 6],
        ["Presenze", 4],
        ["Ore di presenza", 10.5],
        ["Presenze a incontri senza orario di fine (ore non calcolabili)", 1],
        ["Enti raggiunti (almeno un iscritto confermato)", 4],
        ["Enti presenti (almeno un partecipante presente)", 2],
        ["Soddisfazione media dei partecipanti", "non disponibile (nessun questionario di gradimento raccolto)"],
    ]
    header = ["Iscrizioni confermate", "Presenze", "Ore di presenza", "Presenze senza durata"]
    assert values("Per tipo di ente") == [
        ["Tipo di ente", *header],
        ["Comune", 4, 3, 7, 1],
        ["Provincia / Città metropolitana", 1, 1, 3.5, 0],
        ["Azienda", 1, 0, 0, 0],
    ]
    assert values("Per provincia") == [
        ["Provincia", *header],
        ["Bergamo", 3, 3, 7, 1],
        ["Lecco", 2, 1, 3.5, 0],
        ["Non determinata", 1, 0, 0, 0],
    ]
    assert values("Per incontro") == [
        ["Laboratorio", "Incontro", "Inizio", "Durata (ore)", "Iscrizioni confermate", "Presenze", "Ore di presenza"],
        ["Lab Accoglienza", "Primo", datetime.datetime(2026, 3, 10, 9, 30), 3.5, 4, 3, 10.5],
        [
            "Lab Accoglienza",
            "Secondo",
            datetime.datetime(2026, 3, 17, 14, 0),
            "non disponibile",
            2,
            1,
            "non disponibile",
        ],
    ]
    assert book["Per incontro"]["C2"].is_date
    assert book["Per incontro"]["C2"].number_format == "DD/MM/YYYY HH:MM"


def test_the_lab_report_links_its_project_report_and_has_a_workbook(secretary_client, project):
    lab = project.labs.get()
    body = secretary_client.get(reverse("admin:labs_lab_report", args=[lab.pk])).content.decode()
    url = reverse("admin:projects_project_funder_report", args=[project.pk])
    assert f'<a href="{url}">Rapporto per il finanziatore del progetto «FAMI Inclusione»</a>' in body
    assert "<dt>Ore di presenza</dt>\n    <dd>10,50\n" in body
    response = secretary_client.get(reverse("admin:labs_lab_report", args=[lab.pk]), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["Sintesi"]["B2"].value == "Lab Accoglienza"
    assert book["Sintesi"]["B5"].value == 10.5


def test_satisfaction_is_the_mean_of_the_attendees_scores(project):
    """The surveys app hands its average to the report (surveys/apps.py): every score of every score question given
    by the project's registrants, two decimals."""
    from surveys.models import Answer, Question, Questionnaire, Response

    questionnaire = Questionnaire.objects.create(title="Gradimento")
    useful = Question.objects.create(questionnaire=questionnaire, label="Utilità", position=1)
    clear = Question.objects.create(questionnaire=questionnaire, label="Chiarezza", position=2)
    comment = Question.objects.create(
        questionnaire=questionnaire, label="Commenti", kind=Question.Kind.COMMENT, required=False, position=3
    )
    present = Registration.objects.filter(meeting__lab__project=project, attended=True).order_by("pk")
    for registration, scores in zip(present, [(5, 4), (3, 3)], strict=False):
        response = Response.objects.create(registration=registration, questionnaire=questionnaire)
        Answer.objects.create(response=response, question=useful, score=scores[0])
        Answer.objects.create(response=response, question=clear, score=scores[1])
        Answer.objects.create(response=response, question=comment, text="Ottimo")
    elsewhere = Registration.objects.get(organization="Comune di Sondrio")  # another lab: not in this report
    response = Response.objects.create(registration=elsewhere, questionnaire=questionnaire)
    Answer.objects.create(response=response, question=useful, score=1)

    assert project_report(project).satisfaction == Decimal("3.75")
