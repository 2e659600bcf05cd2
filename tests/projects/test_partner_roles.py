"""Partner roles: each partner of a project with the role the sources give it (capofila, partner, partner associato,
ente finanziatore), edited in the project's admin inline, shown on the project page and in the PDF catalogue (a plain
"partner" is listed under "Partner" without repeating it)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from documents.documents import catalogue_pdf
from projects.models import ProjectPartner
from tests.documents.helpers import pdf_text
from tests.factories import ProjectFactory
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _italian():
    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture
def bees():
    from projects.models import Organization

    project = ProjectFactory(slug="cultural-bees", title="Cultural BEES")
    anci = Organization.objects.create(name="ANCI Lombardia", slug="anci-lombardia")
    unesco = Organization.objects.create(name="UNESCO Cipro", slug="unesco-cipro", website="https://example.org/")
    return project, anci, unesco


def test_partners_added_without_a_role_are_partners_in_order(bees):
    project, anci, unesco = bees
    # One at a time: set()/add() of several objects inserts them in the order of a Python set of ids.
    project.partners.add(anci)
    project.partners.add(unesco)
    assert list(project.partnerships.values_list("organization__slug", "role")) == [
        ("anci-lombardia", "partner"),
        ("unesco-cipro", "partner"),
    ]


def test_editor_sets_each_partners_role_in_the_project_inline(editor_client, bees):
    project, anci, unesco = bees
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = form_data(
        editor_client.get(url).content.decode(),
        "project_form",
        **{
            "partnerships-TOTAL_FORMS": "2",
            "partnerships-0-organization": str(anci.pk),
            "partnerships-0-role": "partner",
            "partnerships-0-order": "1",
            "partnerships-1-organization": str(unesco.pk),
            "partnerships-1-role": "associate",
            "partnerships-1-order": "2",
        },
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert list(project.partnerships.values_list("organization__slug", "role", "order")) == [
        ("anci-lombardia", "partner", 1),
        ("unesco-cipro", "associate", 2),
    ]
    assert list(project.partners.order_by("slug").values_list("slug", flat=True)) == ["anci-lombardia", "unesco-cipro"]


def test_project_page_shows_each_partner_with_its_role(client, bees):
    project, anci, unesco = bees
    ProjectPartner.objects.create(project=project, organization=unesco, role="associate", order=2)
    ProjectPartner.objects.create(project=project, organization=anci, role="partner", order=1)
    html = client.get(project.get_absolute_url()).content.decode()
    section = html.split('<section class="portal-section" id="partner"', 1)[1].split("</section>", 1)[0]
    assert section.split("<ul>", 1)[1].split("</ul>", 1)[0] == (
        '<li>ANCI Lombardia</li><li><a href="https://example.org/">UNESCO Cipro</a> (partner associato)</li>'
    )


def test_english_project_page_translates_the_roles(client, bees):
    project, anci, _ = bees
    ProjectPartner.objects.create(project=project, organization=anci, role="lead")
    with translation.override("en"):
        url = project.get_absolute_url()
    html = client.get(url).content.decode()
    assert "<li>ANCI Lombardia (lead partner)</li>" in html


def test_pdf_catalogue_lists_partners_with_their_roles(bees):
    project, anci, unesco = bees
    ProjectPartner.objects.create(project=project, organization=anci, role="partner", order=1)
    ProjectPartner.objects.create(project=project, organization=unesco, role="funder", order=2)
    text = pdf_text(catalogue_pdf({}))
    assert "Partner: ANCI Lombardia, UNESCO Cipro (ente finanziatore)" in " ".join(text.split())


def test_open_data_lists_each_partners_role_in_the_partners_order(client, bees):
    project, anci, unesco = bees
    ProjectPartner.objects.create(project=project, organization=unesco, role="associate", order=1)
    ProjectPartner.objects.create(project=project, organization=anci, role="partner", order=2)
    data = json.loads(b"".join(client.get(reverse("projects:export_json")).streaming_content))
    (record,) = data["items"]
    assert (record["partners"], record["partner_roles"]) == (
        ["ANCI Lombardia", "UNESCO Cipro"],
        ["partner", "associate"],
    )
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(client.get(reverse("projects:export_csv")).streaming_content).decode("utf-8-sig"))
        )
    )
    assert (rows[0]["partners"], rows[0]["partner_roles"]) == ("ANCI Lombardia;UNESCO Cipro", "partner;associate")
