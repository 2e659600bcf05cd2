"""Lab benefits, participation rules and named contacts (issue 15): edited on the lab form, shown on the lab page
("A chi è rivolto", "Come si partecipa", "Contatti") and in the programme PDF, copied with a new edition."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from documents.documents import lab_programme_pdf
from labs.editions import lab_duplicate_edition
from labs.models import LabContact
from tests.documents.helpers import pdf_text
from tests.factories import LabFactory, MeetingFactory
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _italian():
    translation.activate("it")
    yield
    translation.activate("it")


def _html(client, url: str) -> str:
    response = client.get(url)
    translation.activate("it")
    assert response.status_code == 200, url
    return response.content.decode()


def _section(html: str, section_id: str) -> str:
    return html.split(f'<section id="{section_id}"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def lab():
    lab = LabFactory(
        slug="lab-impact",
        participant_categories="Dirigenti territoriali",
        benefits="Conoscenza di esperienze che costituiscono casi di successo\nPossibilità di confronto aperto",
        participation_rules="Per la partecipazione agli incontri è necessario il Green Pass.",
    )
    MeetingFactory(lab=lab)
    LabContact.objects.create(lab=lab, name="Andrea Ballabio", phone="02 72629651", order=2)
    LabContact.objects.create(lab=lab, name="Nicol Mondin", phone="347 9986136", role="Segreteria", order=1)
    return lab


def test_editor_sets_benefits_rules_and_contacts_on_the_lab_form(editor_client):
    lab = LabFactory()
    url = reverse("admin:labs_lab_change", args=[lab.pk])
    page = editor_client.get(url)
    assert 'name="contacts-TOTAL_FORMS"' in page.content.decode()
    data = form_data(
        page.content.decode(),
        "lab_form",
        benefits="Possibilità di confronto aperto",
        benefits_en="An open exchange of views",
        participation_rules="È necessario il Green Pass.",
        **{
            "contacts-TOTAL_FORMS": "2",
            "contacts-0-name": "Nicol Mondin",
            "contacts-0-phone": "347 9986136",
            "contacts-0-order": "1",
            "contacts-1-name": "Andrea Ballabio",
            "contacts-1-phone": "02 72629651",
            "contacts-1-email": "ballabio@example.org",
            "contacts-1-order": "2",
        },
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    lab.refresh_from_db()
    assert (lab.benefits, lab.benefits_en, lab.participation_rules) == (
        "Possibilità di confronto aperto",
        "An open exchange of views",
        "È necessario il Green Pass.",
    )
    assert list(lab.contacts.values_list("name", "phone", "email", "order")) == [
        ("Nicol Mondin", "347 9986136", "", 1),
        ("Andrea Ballabio", "02 72629651", "ballabio@example.org", 2),
    ]


def test_lab_page_shows_benefits_rules_and_contacts_in_their_sections(client, lab):
    html = _html(client, lab.get_absolute_url())
    audience = _section(html, "a-chi-e-rivolto")
    assert "<li>Dirigenti territoriali</li>" in audience
    assert '<h3 class="h5">Vantaggi per chi partecipa</h3>' in audience
    assert (
        "<li>Conoscenza di esperienze che costituiscono casi di successo</li><li>Possibilità di confronto aperto</li>"
        in (audience)
    )
    rules = _section(html, "come-si-partecipa")
    assert "<p>Per la partecipazione agli incontri è necessario il Green Pass.</p>" in rules
    assert 'href="#come-si-partecipa"' in html
    contacts = _section(html, "contatti")
    mondin = contacts.index("Nicol Mondin")
    assert mondin < contacts.index("Andrea Ballabio")  # by order
    assert (
        '<strong>Nicol Mondin</strong> <span>(Segreteria)</span> · tel. <a href="tel:3479986136">347 9986136</a>'
        in contacts
    )
    assert '<strong>Andrea Ballabio</strong> · tel. <a href="tel:0272629651">02 72629651</a></li>' in contacts


def test_english_page_marks_italian_fallbacks(client, lab):
    lab.benefits_en = "An open exchange of views"
    lab.save()
    html = _html(client, f"/en{lab.get_absolute_url()}")
    assert "Benefits for participants" in html and "<li>An open exchange of views</li>" in html
    rules = _section(html, "come-si-partecipa")
    assert '<div lang="it">' in rules and "Green Pass" in rules
    assert '<span lang="it">(Segreteria)</span>' in html


def test_a_lab_without_them_shows_no_empty_sections(client):
    lab = LabFactory(participant_categories="")
    html = _html(client, lab.get_absolute_url())
    assert 'id="a-chi-e-rivolto"' not in html and 'id="come-si-partecipa"' not in html
    assert "Per informazioni" not in html and "Vantaggi per chi partecipa" not in html


def test_programme_pdf_lists_benefits_rules_and_contacts(lab):
    text = " ".join(pdf_text(lab_programme_pdf(lab)).split())
    assert "Vantaggi per chi partecipa" in text and "Possibilità di confronto aperto" in text
    assert "Come si partecipa Per la partecipazione agli incontri è necessario il Green Pass." in text
    assert "Per informazioni: Nicol Mondin (Segreteria) – tel. 347 9986136; Andrea Ballabio – tel. 02 72629651" in text


def test_a_new_edition_keeps_the_contacts(lab):
    copy = lab_duplicate_edition(lab_id=lab.pk, days=364)
    assert list(copy.contacts.values_list("name", "order")) == [("Nicol Mondin", 1), ("Andrea Ballabio", 2)]
    assert list(lab.contacts.values_list("name", flat=True)) == ["Nicol Mondin", "Andrea Ballabio"]
    assert (copy.benefits, copy.participation_rules) == (lab.benefits, lab.participation_rules)
