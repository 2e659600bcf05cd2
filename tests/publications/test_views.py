"""Publications (filters, detail with cover, counted download) and news pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from publications.models import Publication
from tests.factories import AreaFactory, ArticleFactory, LabFactory, PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(db):
    ambiente = AreaFactory(name="Ambiente", slug="ambiente")
    welfare = AreaFactory(name="Welfare", slug="welfare")
    rows = [
        ("atlante", "ebook", 2023, [ambiente]),
        ("rapporto-welfare", "report", 2023, [welfare]),
        ("volume-2019", "volume", 2019, [ambiente, welfare]),
        ("rivista", "magazine", 2024, []),
    ]
    for slug, kind, year, areas in rows:
        PublicationFactory(slug=slug, title=slug.replace("-", " ").capitalize(), kind=kind, year=year).areas.set(areas)
    PublicationFactory(slug="bozza", published=False, year=2023)


def _slugs(client, **params) -> set[str]:
    response = client.get(reverse("publications:list"), params)
    assert response.status_code == 200
    return {publication.slug for publication in response.context["publications"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"atlante", "rapporto-welfare", "volume-2019", "rivista"}),
        ({"tipo": "ebook"}, {"atlante"}),
        ({"area": "welfare"}, {"rapporto-welfare", "volume-2019"}),
        ({"anno": "2023"}, {"atlante", "rapporto-welfare"}),
        ({"area": "ambiente", "anno": "2019"}, {"volume-2019"}),
        ({"tipo": "report", "area": "ambiente"}, set()),
    ],
)
def test_publication_filters_return_exactly_the_expected_rows(client, shelf, params, expected):
    assert _slugs(client, **params) == expected


def test_publication_list_is_newest_first_with_a_count(client, shelf, django_assert_num_queries):
    with django_assert_num_queries(4):  # area choices, count, page, areas of the page
        response = client.get(reverse("publications:list"))
    assert [p.slug for p in response.context["publications"]] == [
        "rivista",
        "atlante",
        "rapporto-welfare",
        "volume-2019",
    ]
    assert "4 pubblicazioni</h2>" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tipo": "poster"}, "Tipo: Scegli un&#x27;opzione valida. poster non è tra quelle disponibili."),
        ({"anno": "ieri"}, "Anno: Inserisci un numero intero."),
        ({"area": "nessuna"}, "Area tematica: Scegli un&#x27;opzione valida. nessuna non è tra quelle disponibili."),
    ],
)
def test_invalid_publication_filters_answer_400_with_a_message(client, shelf, params, message):
    response = client.get(reverse("publications:list"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_publication_detail_with_cover_and_download_button(client, django_assert_max_num_queries, settings):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 1100), (200, 30, 30)).save(buffer, "JPEG")
    publication = PublicationFactory(
        slug="atlante", title="Atlante dei borghi", curator="Mario Rossi", cover_alt="Copertina rossa", year=2023
    )
    publication.cover_image.save("copertina.jpg", SimpleUploadedFile("c.jpg", buffer.getvalue()))
    publication.file.save("atlante.pdf", SimpleUploadedFile("atlante.pdf", b"%PDF-1.4 test"))
    publication.labs.add(LabFactory(title="Laboratorio borghi"))
    with django_assert_max_num_queries(8):
        response = client.get(publication.get_absolute_url())
    html = response.content.decode()
    assert "<h1>Atlante dei borghi</h1>" in html
    assert 'alt="Copertina rossa"' in html and "<picture>" in html
    assert "Mario Rossi" in html and "Laboratorio borghi" in html
    assert f'href="{reverse("publications:download", args=["atlante"])}" rel="nofollow"' in html


def test_download_counts_and_sends_the_file(client):
    publication = PublicationFactory(slug="atlante")
    publication.file.save("atlante.pdf", SimpleUploadedFile("atlante.pdf", b"%PDF-1.4 test"))
    url = reverse("publications:download", args=["atlante"])
    response = client.get(url)
    client.get(url)  # the same visitor the same day: counted once (tests/security/test_smaller.py)
    client.get(url, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="atlante.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert Publication.objects.get(pk=publication.pk).download_count == 2


def test_a_publications_file_is_never_served_from_media(client):
    """A draft's file must not be public by its name: /media/publications/ answers 404 even for a published one."""
    draft = PublicationFactory(slug="bozza", published=False)
    draft.file.save("bozza.pdf", SimpleUploadedFile("bozza.pdf", b"%PDF-1.4 segreto"))
    assert client.get(draft.file.url).status_code == 404
    assert client.get(reverse("publications:download", args=["bozza"])).status_code == 404


def test_staff_preview_a_drafts_file_without_counting_it(editor_client):
    draft = PublicationFactory(slug="bozza", published=False)
    draft.file.save("bozza.pdf", SimpleUploadedFile("bozza.pdf", b"%PDF-1.4 bozza"))
    client = editor_client  # Redazione: view_publication
    response = client.get(reverse("publications:download", args=["bozza"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert Publication.objects.get(pk=draft.pk).download_count == 0


def test_download_of_an_external_publication_redirects_there(client):
    publication = PublicationFactory(slug="online", external_url="https://editore.example.org/libro")
    response = client.get(reverse("publications:download", args=["online"]))
    assert response["Location"] == "https://editore.example.org/libro"
    publication.refresh_from_db()
    assert publication.download_count == 1


def test_download_without_file_or_link_is_404_and_not_counted(client):
    publication = PublicationFactory(slug="vuota")
    assert client.get(reverse("publications:download", args=["vuota"])).status_code == 404
    publication.refresh_from_db()
    assert publication.download_count == 0


def test_download_of_an_unpublished_publication_is_404(client):
    PublicationFactory(slug="bozza", published=False, external_url="https://example.org/")
    assert client.get(reverse("publications:download", args=["bozza"])).status_code == 404


def test_news_list_shows_published_articles_newest_first(client, django_assert_num_queries):
    ArticleFactory(slug="vecchia", title="Vecchia", date=datetime.date(2024, 1, 10))
    ArticleFactory(slug="nuova", title="Nuova", date=datetime.date(2025, 3, 3))
    ArticleFactory(slug="futura", title="Futura", date=datetime.date(2999, 1, 1))
    ArticleFactory(slug="bozza", title="Bozza", published=False)
    with django_assert_num_queries(3):  # count, page, areas of the page
        response = client.get(reverse("publications:article_list"))
    assert [a.slug for a in response.context["articles"]] == ["nuova", "vecchia"]
    assert client.get(reverse("publications:article_list"), {"page": "xyz"}).status_code == 200


def test_news_page_has_curator_dates_topics_and_source(client, django_assert_max_num_queries):
    article = ArticleFactory(
        slug="open-innovation",
        title="Open innovation a Torino",
        author="Ufficio stampa ANCI",
        date=datetime.date(2025, 11, 25),
        source_name="ANCI",
        source_url="https://www.anci.it/notizia",
        body="Primo paragrafo.\n\nSecondo paragrafo.",
    )
    article.areas.add(AreaFactory(name="Innovazione", slug="innovazione"))
    with django_assert_max_num_queries(8):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert 'A cura di</dt><dd class="col-sm-8">Ufficio stampa ANCI' in html
    assert '<time datetime="2025-11-25">25 novembre 2025</time>' in html.replace("Novembre", "novembre")
    assert '<a href="https://www.anci.it/notizia">ANCI</a>' in html
    assert '<span class="chip-label">Innovazione</span>' in html
    assert "<p>Secondo paragrafo.</p>" in html
    assert "Ultimo aggiornamento:" in html


def test_article_without_author_is_by_the_editorial_team(client):
    article = ArticleFactory(slug="redazione", author="")
    assert "Redazione AnciLab" in client.get(article.get_absolute_url()).content.decode()


def test_news_feed_path_is_not_taken_by_an_article(client):
    from django.urls import resolve

    assert resolve("/notizie/feed/").url_name != "article_detail"


def test_english_publication_pages(client, shelf):
    response = client.get("/en/pubblicazioni/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert client.get("/en/pubblicazioni/atlante/").status_code == 200
    assert client.get("/en/notizie/").status_code == 200


def test_the_download_button_says_the_format_and_the_size(client):
    publication = PublicationFactory(slug="atlante")
    publication.file.save("atlante.pdf", SimpleUploadedFile("atlante.pdf", b"%PDF-1.4 " + b"x" * 2039))
    html = client.get(publication.get_absolute_url()).content.decode()
    assert "</span> (PDF, 2,0\u00a0KB)</a></p>" in html
    english = client.get("/en" + publication.get_absolute_url()).content.decode()
    assert "</span> (PDF, 2.0\u00a0KB)</a></p>" in english
