"""Drafts and preview (issue 16): new content is unpublished; staff with the view permission preview it on the public
site with a "Bozza" banner, anonymous visitors get a 404; "Pubblica"/"Ritira" are admin actions; a publication time
in the future holds a published lab or news item back until then."""

from __future__ import annotations

import datetime
import json
import re
import subprocess

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from labs.models import Lab, Meeting
from projects.models import Project, Service
from publications.models import Article, Publication
from tests.factories import (
    ArticleFactory,
    LabFactory,
    MeetingFactory,
    ProjectFactory,
    PublicationFactory,
    ServiceFactory,
)
from tests.support.forms import form_data
from tests.support.totp import activate_totp_for_tests

pytestmark = pytest.mark.django_db
BANNER = "Bozza — non pubblicato"


def _drafts():
    lab = LabFactory(published=False)
    return {
        "lab": lab,
        "meeting": MeetingFactory(lab=lab),
        "project": ProjectFactory(published=False),
        "service": ServiceFactory(active=False),
        "publication": PublicationFactory(published=False),
        "article": ArticleFactory(published=False),
    }


def test_anonymous_visitors_get_404_for_every_draft_and_the_programme_pdf(client):
    drafts = _drafts()
    for obj in drafts.values():
        assert client.get(obj.get_absolute_url()).status_code == 404, obj
    assert client.get(reverse("pdf:lab_programme", args=[drafts["lab"].slug])).status_code == 404


def test_staff_see_every_draft_with_the_banner_never_cached_publicly(editor_client):
    for name, obj in _drafts().items():
        response = editor_client.get(obj.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200, name
        assert f'<div class="alert alert-warning" role="status">\n    <strong>{BANNER}</strong>' in html, name
        assert response["Cache-Control"] == "private, no-store", name


def test_staff_see_a_published_page_without_the_banner(editor_client):
    lab = LabFactory()
    assert BANNER not in editor_client.get(lab.get_absolute_url()).content.decode()


def test_the_calendar_files_of_a_draft_are_404_for_anonymous_and_private_for_staff(client, editor):
    meeting = MeetingFactory(lab=LabFactory(published=False))
    urls = [reverse("labs:lab_ics", args=[meeting.lab.slug]), reverse("labs:meeting_ics", args=[meeting.pk])]
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(editor)
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response["Cache-Control"]) == (200, "private, no-store")
        assert b"BEGIN:VCALENDAR" in response.content


def test_staff_get_the_draft_programme_pdf_marked_and_private(editor_client):
    lab = LabFactory(published=False)
    MeetingFactory(lab=lab)
    response = editor_client.get(reverse("pdf:lab_programme", args=[lab.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == f'inline; filename="programma-{lab.slug}-bozza.pdf"'


def test_staff_without_the_view_permission_get_404(client, django_user_model):
    lab = LabFactory(published=False)
    user = django_user_model.objects.create_user("staff-senza-permessi", is_staff=True)
    activate_totp_for_tests(user)
    client.force_login(user)
    assert client.get(lab.get_absolute_url()).status_code == 404


def test_a_draft_stays_out_of_the_anonymous_page_cache(client, editor):
    lab = LabFactory(published=False)
    client.force_login(editor)
    assert client.get(lab.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(lab.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("url_name", "model", "field"),
    [
        ("admin:labs_lab_add", Lab, "published"),
        ("admin:projects_project_add", Project, "published"),
        ("admin:projects_service_add", Service, "active"),
        ("admin:publications_publication_add", Publication, "published"),
        ("admin:publications_article_add", Article, "published"),
    ],
)
def test_the_admin_add_form_saves_a_draft(admin_client, url_name, model, field):
    html = admin_client.get(reverse(url_name)).content.decode()
    form_id = f"{model._meta.model_name}_form"
    data = form_data(
        html,
        form_id,
        title="Nuovo contenuto",
        slug="nuovo-contenuto",
        summary="Sintesi.",
        description="Descrizione.",
        body="Testo.",
        kind="ebook",
    )
    response = admin_client.post(reverse(url_name), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert getattr(model.objects.get(slug="nuovo-contenuto"), field) is False


@pytest.mark.parametrize(
    ("changelist", "factory", "field", "value", "message"),
    [
        ("admin:labs_lab_changelist", lambda: LabFactory(published=False), "published", True, "1 elemento pubblicato."),
        ("admin:labs_lab_changelist", LabFactory, "published", False, "1 elemento ritirato dal sito."),
        ("admin:projects_project_changelist", lambda: ProjectFactory(published=False), "published", True, None),
        ("admin:projects_service_changelist", lambda: ServiceFactory(active=False), "active", True, None),
        (
            "admin:publications_publication_changelist",
            lambda: PublicationFactory(published=False),
            "published",
            True,
            None,
        ),
        ("admin:publications_article_changelist", lambda: ArticleFactory(published=False), "published", True, None),
    ],
)
def test_publish_and_withdraw_are_admin_actions(editor_client, changelist, factory, field, value, message):
    obj = factory()
    response = editor_client.post(
        reverse(changelist),
        {"action": "publish" if value else "unpublish", ACTION_CHECKBOX_NAME: [obj.pk]},
        follow=True,
    )
    obj.refresh_from_db()
    assert getattr(obj, field) is value
    if message:
        assert message in response.content.decode()
    assert obj.history.first().history_user is not None  # saved through the model: history and cache bump


def test_a_scheduled_lab_and_article_appear_at_their_time(client):
    when = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
    with freeze_time("2026-03-01 10:00"):
        lab = LabFactory(published_from=when)
        meeting = MeetingFactory(lab=lab, starts_at=when + datetime.timedelta(days=10))
        article = ArticleFactory(date=datetime.date(2026, 2, 1), published_from=when)
    with freeze_time(when - datetime.timedelta(minutes=1)):
        assert list(Lab.objects.published()) == []
        assert list(Meeting.objects.published()) == []
        assert list(Article.objects.published()) == []
        assert meeting.registration_closed_reason() == "unpublished"
        assert client.get(lab.get_absolute_url()).status_code == 404
        assert client.get(article.get_absolute_url()).status_code == 404
    with freeze_time(when):
        assert list(Lab.objects.published()) == [lab]
        assert list(Meeting.objects.published()) == [meeting]
        assert list(Article.objects.published()) == [article]
        assert meeting.registration_closed_reason() is None
        assert client.get(lab.get_absolute_url()).status_code == 200
        assert client.get(article.get_absolute_url()).status_code == 200


def test_is_published_at_agrees_with_the_queryset():
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    labs = [
        LabFactory(published=published, published_from=start)
        for published in (True, False)
        for start in (None, now - hour, now + hour)
    ]
    now = timezone.now()
    assert {lab for lab in labs if lab.is_published_at(now)} == set(Lab.objects.published()) == set(labs[:2])


def test_an_imported_project_without_the_published_column_is_a_draft(editor_client):
    content = "Codice,Titolo,Sintesi,Stato\nimportato,Progetto importato,Sintesi,ongoing\n"
    preview = editor_client.post(
        reverse("admin:projects_project_import"),
        {"import_file": SimpleUploadedFile("progetti.csv", content.encode(), content_type="text/csv"), "format": "0"},
    )
    fields = dict(
        re.findall(
            r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', preview.content.decode()
        )
    )
    response = editor_client.post(reverse("admin:projects_project_process_import"), fields)
    assert response.status_code == 302
    assert Project.objects.get(slug="importato").published is False


def test_the_draft_preview_is_valid_html(editor_client, tmp_path):
    from tests.website.test_html_validity import _checker

    command = _checker()
    lab = LabFactory(published=False)
    meeting = MeetingFactory(lab=lab)
    files = []
    for name, url in (("lab", lab.get_absolute_url()), ("meeting", meeting.get_absolute_url())):
        path = tmp_path / f"{name}.html"
        path.write_bytes(editor_client.get(url).content)
        files.append(str(path))
    result = subprocess.run([*command, "--format", "json", "--Werror", *files], capture_output=True, text=True)
    assert json.loads(result.stderr or result.stdout)["messages"] == []
