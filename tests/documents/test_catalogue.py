"""/progetti/catalogo.pdf: the printed catalogue, its filters, its cache and the background build of large ones."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import documents, exports
from documents.models import PdfExport
from documents.rendering import RENDERS
from projects.models import Project
from tests.factories import AreaFactory, OrganizationFactory, ProjectFactory

from .helpers import first_page_png, page_texts, pdf_text, reader, response_pdf

pytestmark = pytest.mark.django_db

URL = "/progetti/catalogo.pdf"


def test_the_url_name():
    assert reverse("pdf:catalogue") == URL


def test_a_filtered_catalogue_has_a_cover_an_index_with_page_numbers_and_one_block_per_project(client, demo):
    response = client.get(URL, {"stato": "planned"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    pages = page_texts(pdf)
    planned = list(Project.objects.published().filter(status="planned").order_by("title"))
    assert 0 < len(planned) <= documents.CATALOGUE_SYNC_LIMIT
    assert "Catalogo dei progetti" in pages[0]
    assert f"{len(planned)} progetti" in pages[0]
    assert "Stato: in progettazione" in pages[0]
    assert f"Pagina 1 di {len(pages)}" in pages[0]
    # The index (page 2) gives each project the page its block is printed on.
    index = pages[1]
    assert "Indice" in index and "In progettazione" in index
    # The page numbers float right of the titles; the text layer lists them first, in index order: the section, then
    # its projects.
    section_page, *numbers = [int(line) for line in index.splitlines() if line.strip().isdigit()]
    assert "In progettazione" in pages[section_page - 1]
    for project, page_number in zip(planned, numbers, strict=True):
        assert project.title[:25] in index
        assert project.title[:25] in pages[page_number - 1].replace("\n", " "), (project.title, page_number)
    assert "In corso" not in index and "Conclusi" not in index
    assert reader(pdf).metadata.title == "Catalogo dei progetti – ANCI Lombardia"


def test_a_project_block_shows_area_dates_budget_summary_partners_and_programme(client):
    area = AreaFactory(name="Welfare", slug="welfare")
    project = ProjectFactory(
        title="Reti di comunità",
        acronym="RECO",
        summary="Un progetto che rafforza le reti locali.",
        budget="8739950.00",
        areas=[area],
    )
    project.partners.set([OrganizationFactory(name="Comune di Pavia"), OrganizationFactory(name="Fondazione Cariplo")])
    text = pdf_text(client.get(URL, {"area": "welfare"}).content)
    assert "Reti di comunità (RECO)" in text
    assert "WELFARE" in text or "Welfare" in text
    assert "Budget: 8.739.950,00\xa0€" in text
    assert "Un progetto che rafforza le reti locali." in text
    assert "Partner: Comune di Pavia, Fondazione Cariplo" in text
    assert "Area tematica: Welfare" in text
    assert "Periodo: 1 gennaio 2022 – 31 dicembre 2024" in text


def test_invalid_filters_answer_400_with_the_reason(client):
    response = client.get(URL, {"anno": "abc"})
    assert response.status_code == 400
    assert "Filtri non validi" in response.content.decode()


def test_a_second_download_is_served_from_the_cache(client, django_assert_num_queries):
    ProjectFactory.create_batch(3)
    before = RENDERS.count
    first = client.get(URL).content
    assert RENDERS.count == before + 1
    # The ids listed and their latest change, whatever the catalogue's size (the filter form's choices come from the
    # cache, per content version, since the page-cache work in 69f354e).
    with django_assert_num_queries(2):
        second = client.get(URL).content
    assert second == first
    assert RENDERS.count == before + 1


def test_an_edited_project_renders_a_new_catalogue(client):
    project = ProjectFactory(title="Titolo vecchio")
    assert "Titolo vecchio" in pdf_text(client.get(URL).content)
    project.title = "Titolo nuovo"
    project.save()
    assert "Titolo nuovo" in pdf_text(client.get(URL).content)


def test_a_large_catalogue_is_built_in_the_background(client, demo, eager_celery, django_capture_on_commit_callbacks):
    total = Project.objects.published().count()
    assert total > documents.CATALOGUE_SYNC_LIMIT
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(URL)
    assert waiting.status_code == 202
    page = waiting.content.decode()
    assert "Catalogo PDF in preparazione" in page
    assert '<meta http-equiv="refresh" content="5">' in page
    assert f"Il catalogo contiene {total} progetti" in page
    export = PdfExport.objects.get()
    assert export.status == PdfExport.Status.READY
    assert export.progress == 100
    assert export.params == {}
    # The refresh gets the file; a third request reuses the same row.
    ready = client.get(URL)
    assert ready.status_code == 200
    pdf = response_pdf(ready)
    assert f"{total} progetti" in page_texts(pdf)[0]
    client.get(URL)
    assert PdfExport.objects.count() == 1


def test_a_request_while_the_build_runs_does_not_enqueue_another(client, demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.get(URL)
        second = client.get(URL)
    assert second.status_code == 202
    assert len(callbacks) == 1
    assert PdfExport.objects.filter(status=PdfExport.Status.PENDING).count() == 1


def test_a_ready_export_whose_file_is_gone_is_built_again(demo, django_capture_on_commit_callbacks):
    export = exports.catalogue_export_request(params={}, language="it")
    exports.catalogue_export_build(export_id=export.pk)
    export.refresh_from_db()
    export.file.delete(save=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = exports.catalogue_export_request(params={}, language="it")
    assert again.pk != export.pk
    assert again.status == PdfExport.Status.PENDING
    assert len(callbacks) == 1


def test_the_build_is_idempotent_and_records_failures(demo, monkeypatch):
    export = exports.catalogue_export_request(params={}, language="it")
    done = exports.catalogue_export_build(export_id=export.pk)
    assert done.status == PdfExport.Status.READY and done.file.name.startswith("pdf/catalogo-")
    assert exports.catalogue_export_build(export_id=export.pk) is None  # already built: nothing happens

    broken = PdfExport.objects.create(params={"anno": "abc"}, cache_key="x")
    failed = exports.catalogue_export_build(export_id=broken.pk)
    assert failed.status == PdfExport.Status.FAILED
    assert failed.error.startswith("InvalidFilters: ")


def test_page_one_as_png(client, demo, tmp_path):
    pdf = client.get(URL, {"stato": "planned"}).content
    assert first_page_png(pdf, tmp_path, "catalogo").read_bytes()[:4] == b"\x89PNG"


def test_a_file_purged_while_it_is_being_served_means_wait_and_reload(client, demo, monkeypatch):
    # The purge (pdf.purge_exports) deleting the file between the lookup and the open: the visitor gets the
    # "in preparazione" page, whose reload asks for a new build, never a 500.
    export = exports.catalogue_export_request(params={}, language="it")
    exports.catalogue_export_build(export_id=export.pk)
    export.refresh_from_db()
    lookup = exports.catalogue_export_request

    def lookup_then_purge(**kwargs):
        found = lookup(**kwargs)
        found.file.storage.delete(found.file.name)
        return found

    monkeypatch.setattr(exports, "catalogue_export_request", lookup_then_purge)
    response = client.get(URL)
    assert response.status_code == 202
    assert "Catalogo PDF in preparazione" in response.content.decode()


def test_the_full_demo_catalogue_stays_under_500_kb(demo):
    """All 62 demo projects. The index's dotted rules were once drawn dot by dot (72,536 curves on page 2, 2.37 MB);
    now each is one stroked line with a round-capped dash pattern."""
    pdf = documents.catalogue_pdf()
    pages = page_texts(pdf)
    assert "62 progetti" in pages[0]
    assert Project.objects.published().count() == 62
    assert len(pdf) < 500 * 1024, len(pdf)
