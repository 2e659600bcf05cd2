"""Open-data exports: parsed with csv/json, equal to the filtered catalogue, licensed, streamed."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from projects.exports import FIELDS
from tests.projects.listing import listed_projects

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def _csv_rows(client, **params) -> list[dict]:
    response = client.get(reverse("projects:export_csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(_body(response))))


def _page_slugs(client, **params) -> list[str]:
    return [p.slug for p in listed_projects(client.get(reverse("projects:list"), params))]


@pytest.mark.parametrize(
    "params",
    [{}, {"area": "ambiente"}, {"stato": "completed"}, {"programma": "fami", "anno": "2027"}, {"budget_min": "50000"}],
)
def test_csv_rows_equal_the_filtered_catalogue_in_the_same_order(client, catalogue, params):
    rows = _csv_rows(client, **params)
    assert [row["slug"] for row in rows] == _page_slugs(client, **params)


def test_csv_header_and_values(client, catalogue):
    response = client.get(reverse("projects:export_csv"), {"area": "welfare"})
    text = _body(response)
    assert text.splitlines()[0] == ",".join(FIELDS)
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"anziani", "scuole"}
    anziani = rows["anziani"]
    assert anziani["title"] == "Anziani al centro"
    assert anziani["budget_eur"] == "8739950.00"
    assert anziani["start_date"] == "2023-09-01" and anziani["end_date"] == ""
    assert anziani["programme"] == "FAMI"
    assert anziani["areas"] == "welfare"
    assert anziani["url"] == "http://127.0.0.1:8000/progetti/anziani/"
    assert rows["scuole"]["areas"] == "ambiente;welfare"
    assert rows["scuole"]["budget_eur"] == "" and rows["scuole"]["budget_note"] == "in via di definizione"


def test_csv_states_the_licence_in_the_headers(client, catalogue):
    response = client.get(reverse("projects:export_csv"))
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert response["X-License"] == "CC BY 4.0"
    assert response["Content-Disposition"] == 'attachment; filename="progetti-ancilab.csv"'


def test_json_starts_with_the_licence_and_lists_the_filtered_items(client, catalogue):
    response = client.get(reverse("projects:export_json"), {"stato": "ongoing", "ordina": "-budget"})
    assert response.status_code == 200
    text = _body(response)
    assert text.startswith('{"license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"')
    document = json.loads(text)
    assert next(iter(document)) == "license"
    assert document["filters"] == {"stato": "ongoing", "ordina": "-budget"}
    assert [item["slug"] for item in document["items"]] == ["anziani", "boschi"]
    boschi = document["items"][1]
    assert boschi["areas"] == ["ambiente"]
    assert boschi["budget_eur"] == "250000.00"
    assert boschi["with_ancilab"] is False
    assert set(boschi) == set(FIELDS)


def test_json_with_no_match_is_still_valid(client, catalogue):
    document = json.loads(_body(client.get(reverse("projects:export_json"), {"q": "nessunrisultato"})))
    assert document["items"] == []


def test_exports_never_include_unpublished_projects(client, catalogue):
    assert "bozza" not in [row["slug"] for row in _csv_rows(client)]


@pytest.mark.parametrize("name", ["projects:export_csv", "projects:export_json"])
def test_invalid_filters_give_400_with_a_plain_message(client, catalogue, name):
    response = client.get(reverse(name), {"area": "nessuna", "anno": "x"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "Filtri non validi:\n"
        "Area tematica: Scegli un'opzione valida. nessuna non è tra quelle disponibili.\n"
        "Attivo nell'anno: Inserisci un numero intero.\n"
    )


def test_export_query_count_is_flat(client, django_assert_num_queries, catalogue):
    from tests.factories import ProjectFactory

    # choices (2), projects of the chunk, their areas, their partners, their funding lines
    with django_assert_num_queries(6):
        _body(client.get(reverse("projects:export_csv")))
    ProjectFactory.create_batch(40)
    with django_assert_num_queries(6):
        _body(client.get(reverse("projects:export_csv")))


@pytest.mark.parametrize("q", ["comunità", "acque", "laboratorio"])
def test_export_follows_the_search_and_its_order(client, catalogue, q):
    document = json.loads(_body(client.get(reverse("projects:export_json"), {"q": q})))
    assert [item["slug"] for item in document["items"]] == _page_slugs(client, q=q)
    assert document["items"]
