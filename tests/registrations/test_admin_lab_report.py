"""The per-lab report (page and CSV), which registrations/admin.py adds to the lab's admin."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.models import OrganizationType, Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_the_lab_change_page_links_the_report(admin_client, editor_client):
    lab = LabFactory()
    url = reverse("admin:labs_lab_report", args=[lab.pk])
    assert f'href="{url}"' in admin_client.get(reverse("admin:labs_lab_change", args=[lab.pk])).content.decode()
    # The editorial staff do not see registrations: no link, and the report refuses them.
    assert f'href="{url}"' not in editor_client.get(reverse("admin:labs_lab_change", args=[lab.pk])).content.decode()
    assert editor_client.get(url).status_code == 403


@pytest.fixture
def lab_with_registrations():
    lab = LabFactory(title="Lab Report", slug="lab-report")
    one, two = MeetingFactory(lab=lab), MeetingFactory(lab=lab)
    RegistrationFactory(meeting=one, organization="Comune di Bergamo", attended=True)
    RegistrationFactory(meeting=two, organization="Comune di Bergamo", attended=True)
    RegistrationFactory(meeting=one, organization="Comune di Lecco")
    RegistrationFactory(
        meeting=one, organization="Provincia di Lecco", organization_type=OrganizationType.PROVINCIA, attended=True
    )
    RegistrationFactory(meeting=one, organization="ACME srl", organization_type=OrganizationType.AZIENDA)
    RegistrationFactory(meeting=one, organization="Comune di Brescia", status=Registration.Status.CANCELLED)
    RegistrationFactory(organization="Comune di Como")  # another lab
    return lab


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_report_csv_by_organization_type_and_province(secretary_client, lab_with_registrations):
    url = reverse("admin:labs_lab_report", args=[lab_with_registrations.pk])
    response = secretary_client.get(url, {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="report-lab-report.csv"'
    text = response.content.decode()
    assert text.startswith("\ufeff")  # for Italian Excel: a BOM and ";"
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    one, two = lab_with_registrations.meetings.order_by("starts_at", "order", "pk")
    assert rows == [
        [
            "Laboratorio",
            "Raggruppamento",
            "Voce",
            "Iscrizioni confermate",
            "Presenze",
            "Ore di presenza",
            "Presenze senza durata",
        ],
        ["Lab Report", "Tipo di ente", "Comune", "3", "2", "8,00", "0"],
        ["Lab Report", "Tipo di ente", "Provincia / Città metropolitana", "1", "1", "4,00", "0"],
        ["Lab Report", "Tipo di ente", "Azienda", "1", "0", "0,00", "0"],
        ["Lab Report", "Provincia", "Bergamo", "2", "2", "8,00", "0"],
        ["Lab Report", "Provincia", "Lecco", "2", "1", "4,00", "0"],
        ["Lab Report", "Provincia", "Non determinata", "1", "0", "0,00", "0"],
        ["Lab Report", "Partecipazione", "in presenza", "5", "3", "12,00", "0"],
        *(
            ["Lab Report", "Incontro", f"Lab Report – {m.title} ({_local(m.starts_at)})", *figures]
            for m, figures in ((one, ["4", "2", "8,00", "0"]), (two, ["1", "1", "4,00", "0"]))
        ),
    ]


def test_report_page_has_accessible_charts_and_tables(
    secretary_client, lab_with_registrations, django_assert_max_num_queries
):
    url = reverse("admin:labs_lab_report", args=[lab_with_registrations.pk])
    with django_assert_max_num_queries(12):
        body = secretary_client.get(url).content.decode()
    assert "Iscrizioni confermate: 5. Presenze: 3." in body
    assert body.count('role="img"') == 2
    assert '<title id="chart-type-title">Iscrizioni confermate per tipo di ente</title>' in body
    assert "Comune: 3, Provincia / Città metropolitana: 1, Azienda: 1" in body
    assert '<th scope="row">Lecco</th><td>2</td><td>1</td>' in body
    charts = [part.split("</svg>")[0] for part in body.split('<div class="portal-chart backoffice-chart"><svg')[1:]]
    assert len(charts) == 2 and not any("style=" in chart for chart in charts)  # CSP: no inline styles
