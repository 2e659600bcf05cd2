"""The "Ente" picker on the server: the suggestions endpoint, the form's check of the chosen ISTAT code, the service
storing it, the export column and the weight of the registration page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registrations.forms import RegistrationForm
from registrations.models import Registration
from registrations.resources import RegistrantResource
from tests.factories import LabFactory, MeetingFactory

from .conftest import person

URL = "/iscrizioni/enti/"


def test_the_endpoint_url():
    assert reverse("registrations:organizations") == URL


def test_suggestions_are_json_with_label_code_kind_and_province_and_publicly_cacheable(client):
    response = client.get(URL, {"q": "berg"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=86400"
    data = response.json()
    assert data["query"] == "berg"
    assert data["results"][:2] == [
        {"label": "Comune di Bergamo (BG)", "code": "016024", "kind": "comune", "province": "BG"},
        {"label": "Provincia di Bergamo (BG)", "code": "016", "kind": "provincia", "province": "BG"},
    ]
    assert len(data["results"]) == 9


def test_at_most_ten_suggestions(client):
    results = client.get(URL, {"q": "san"}).json()["results"]
    assert len(results) == 10
    assert results[0]["label"] == "Comune di San Bartolomeo Val Cavargna (CO)"


@pytest.mark.parametrize("query", ["", "   ", "zzzz", "\x00", "' OR 1=1 --", "%", "comune di", "(BG)", "é" * 100])
def test_odd_queries_answer_an_empty_list_not_an_error(client, query):
    response = client.get(URL, {"q": query})
    assert (response.status_code, response.json()) == (200, {"query": query, "results": []})


def test_no_q_at_all_is_an_empty_list(client):
    assert client.get(URL).json() == {"query": "", "results": []}


def test_a_query_over_100_characters_is_refused_with_400(client):
    response = client.get(URL, {"q": "b" * 101})
    assert (response.status_code, response.json()) == (400, {"error": "q: at most 100 characters"})


def test_only_get(client):
    assert client.post(URL, {"q": "berg"}).status_code == 405


def form_data(**overrides) -> dict:
    data = person(1, **overrides)
    data["privacy"] = "on"
    return {key: value for key, value in data.items() if value is not False}


@pytest.mark.parametrize(
    ("organization", "code", "kept"),
    [
        ("Comune di Bergamo (BG)", "016024", "016024"),
        ("Comune di Bergamo", "016024", "016024"),
        ("  comune di BERGAMO (bg) ", "016024", "016024"),
        ("Città metropolitana di Milano (MI)", "215", "215"),
        ("Comune di Brescia (BS)", "016024", ""),  # chose Bergamo, then wrote Brescia
        ("Comune di Bergamo (BG)", "017029", ""),  # Brescia's code next to Bergamo's name
        ("Comune di Bergamo (BG)", "999999", ""),
        ("Comune di Bergamo (BG)", "", ""),
        ("Cooperativa Sociale Esempio", "", ""),
    ],
)
def test_the_form_keeps_the_code_only_when_it_names_the_written_body(organization, code, kept):
    form = RegistrationForm(form_data(organization=organization, organization_code=code))
    assert form.is_valid(), form.errors
    assert form.service_data()["organization_code"] == kept
    assert form.service_data()["organization"] == organization.strip()


@pytest.mark.parametrize("code", ["0160241234", "x" * 5000, " 016024 x"])
def test_a_forged_code_is_dropped_without_an_error_the_person_could_not_fix(code):
    form = RegistrationForm(form_data(organization="Comune di Bergamo (BG)", organization_code=code))
    assert form.is_valid(), form.errors
    assert form.service_data()["organization_code"] == ""


@pytest.mark.django_db
def test_the_service_stores_the_code(register):
    meeting = MeetingFactory()
    result = register(meeting, organization="Comune di Bergamo (BG)", organization_code="016024")
    assert Registration.objects.values_list("organization", "organization_code").get(pk=result.registration.pk) == (
        "Comune di Bergamo (BG)",
        "016024",
    )
    # Callers that do not know the field (staff tools, older code) store no code.
    other = register(meeting, n=2, organization="Comune di Lecco")
    assert Registration.objects.get(pk=other.registration.pk).organization_code == ""


@pytest.mark.django_db
def test_posting_the_form_stores_the_matching_code_and_drops_a_contradicting_one(client):
    meeting = MeetingFactory(capacity=10)
    url = reverse("registrations:register", args=[meeting.pk])
    client.post(url, form_data(organization="Comune di Bergamo (BG)", organization_code="016024"))
    client.post(url, {**form_data(organization="Comune di Brescia", organization_code="016024"), "email": "b@x.it"})
    assert list(Registration.objects.order_by("pk").values_list("organization", "organization_code")) == [
        ("Comune di Bergamo (BG)", "016024"),
        ("Comune di Brescia", ""),
    ]


@pytest.mark.django_db
def test_the_export_has_the_istat_code_column(register):
    meeting = MeetingFactory()
    register(meeting, organization="Comune di Bergamo (BG)", organization_code="016024")
    dataset = RegistrantResource().export(Registration.objects.all())
    assert "Codice ISTAT ente" in dataset.headers
    assert dataset.headers.index("Codice ISTAT ente") == dataset.headers.index("tipo di ente") + 1
    assert dataset.dict[0]["Codice ISTAT ente"] == "016024"


@pytest.mark.django_db
def test_the_registration_pages_stay_under_40_kb_with_the_picker_and_no_datalist(client):
    meeting = MeetingFactory(capacity=12)
    lab = LabFactory()
    MeetingFactory(lab=lab)
    MeetingFactory(lab=lab)
    for url in (
        reverse("registrations:register", args=[meeting.pk]),
        reverse("registrations:register_lab", args=[lab.slug]),
    ):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert len(response.content) < 40 * 1024, (url, len(response.content))
        assert "data-organization-picker" in html and "<datalist" not in html
        # Without JavaScript a plain text field: the combobox roles are added by the script, not by the server.
        assert 'role="combobox"' not in html
        assert '<script src="/static/registrations/organization-picker.js" defer></script>' in html
