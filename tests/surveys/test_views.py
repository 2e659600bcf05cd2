"""The survey page, reached through the registration's token: who may answer, once, and how the form defends itself."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from surveys.models import Answer, MeetingFollowUp, Question, Questionnaire, Response
from tests.surveys.conftest import registration

pytestmark = pytest.mark.django_db


def _url(reg) -> str:
    return reverse("surveys:answer", args=[reg.token])


def _questions() -> list[Question]:
    return list(Questionnaire.objects.default().questions.all())


def _answers(*scores: int, comments=("Gli esempi pratici", "")) -> dict[str, str]:
    questions = _questions()
    score_questions = [q for q in questions if q.kind == "score"]
    comment_questions = [q for q in questions if q.kind == "comment"]
    data = {f"q{q.pk}": str(s) for q, s in zip(score_questions, scores, strict=True)}
    data.update({f"q{q.pk}": text for q, text in zip(comment_questions, comments, strict=True)})
    return data


def test_the_default_questionnaire_has_four_scores_and_two_comments():
    assert [(q.kind, q.label, q.required) for q in _questions()] == [
        ("score", "Nel complesso, quanto sei soddisfatto/a dell'incontro?", True),
        ("score", "Quanto sono stati utili i contenuti per il tuo lavoro?", True),
        ("score", "Quanto sono stati chiari i relatori?", True),
        ("score", "Come valuti l'organizzazione (orari, sede o piattaforma online)?", True),
        ("comment", "Che cosa ti è stato più utile?", False),
        ("comment", "Che cosa possiamo migliorare nei prossimi incontri?", False),
    ]


def test_an_attendee_answers_once(client, meeting):
    anna = registration(meeting, "Anna")
    page = client.get(_url(anna))
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert page["X-Robots-Tag"] == "noindex"
    body = page.content.decode()
    assert '<meta name="robots" content="noindex">' in body
    assert (
        '<legend class="h6">Nel complesso, quanto sei soddisfatto/a dell&#x27;incontro? <span aria-hidden="true">*</span></legend>'
        in body
    )

    response = client.post(_url(anna), _answers(5, 4, 4, 3))
    assert response.status_code == 302 and response["Location"] == _url(anna)
    stored = Response.objects.get(registration=anna)
    assert sorted((a.question.position, a.score, a.text) for a in stored.answers.select_related("question")) == [
        (1, 5, ""),
        (2, 4, ""),
        (3, 4, ""),
        (4, 3, ""),
        (5, None, "Gli esempi pratici"),
    ]

    again = client.get(_url(anna))
    assert "Grazie, hai già risposto al questionario: le tue risposte sono state registrate." in again.content.decode()
    assert again["Cache-Control"] == "private, no-store"
    second = client.post(_url(anna), _answers(1, 1, 1, 1))
    assert "Grazie, hai già risposto al questionario" in second.content.decode()
    assert Answer.objects.filter(response__registration=anna).count() == 5
    assert Response.objects.count() == 1


def test_a_missing_score_is_an_error_and_nothing_is_stored(client, meeting):
    anna = registration(meeting, "Anna")
    data = _answers(5, 4, 4, 3)
    del data[f"q{_questions()[2].pk}"]
    response = client.post(_url(anna), data)
    assert response.status_code == 200
    assert "Controlla le domande evidenziate:" in response.content.decode()
    assert "Quanto sono stati chiari i relatori?</a>: Questo campo è obbligatorio." in response.content.decode()
    assert Response.objects.count() == 0


def test_a_score_outside_1_to_5_is_refused(client, meeting):
    anna = registration(meeting, "Anna")
    response = client.post(_url(anna), _answers(6, 4, 4, 3))
    assert response.status_code == 200
    assert Response.objects.count() == 0


def test_a_registrant_who_did_not_come_is_refused_unless_invited(client, meeting):
    carla = registration(meeting, "Carla")
    refused = client.get(_url(carla))
    assert refused.status_code == 403
    assert "Il questionario è riservato a chi ha partecipato all'incontro." in refused.content.decode()
    assert client.post(_url(carla), _answers(5, 5, 5, 5)).status_code == 403
    assert Response.objects.count() == 0

    MeetingFollowUp.objects.create(meeting=meeting, include_absent=True)
    assert client.get(_url(carla)).status_code == 200
    assert client.post(_url(carla), _answers(5, 5, 5, 5)).status_code == 302
    # A cancelled registration is never invited.
    assert client.get(_url(registration(meeting, "Dario"))).status_code == 403


def test_the_honeypot_stores_nothing(client, meeting):
    anna = registration(meeting, "Anna")
    response = client.post(_url(anna), {**_answers(5, 4, 4, 3), "website": "http://spam.example"})
    assert "Non è stato possibile inviare il modulo. Riprova." in response.content.decode()
    assert Response.objects.count() == 0


def test_csrf_is_required(meeting):
    anna = registration(meeting, "Anna")
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(_url(anna), _answers(5, 4, 4, 3)).status_code == 403
    assert Response.objects.count() == 0


def test_the_rate_limit_applies(client, meeting, settings):
    settings.REGISTRATION_RATE_LIMIT_IP = "1/h"
    anna, bruno = registration(meeting, "Anna"), registration(meeting, "Bruno")
    data = _answers(5, 4, 4, 3)
    del data[f"q{_questions()[0].pk}"]
    assert client.post(_url(anna), data).status_code == 200  # an error, but counted
    limited = client.post(_url(bruno), _answers(5, 4, 4, 3))
    assert limited.status_code == 429
    assert "Sono arrivate troppe richieste dalla tua rete. Riprova tra un&#x27;ora." in limited.content.decode()
    assert Response.objects.count() == 0


def test_an_unknown_token_is_a_404(client):
    assert client.get("/iscrizioni/" + "x" * 43 + "/questionario/").status_code == 404


def test_the_english_page_uses_the_english_labels(client, meeting):
    body = client.get("/en" + _url(registration(meeting, "Bruno"))).content.decode()
    assert "<h1>Satisfaction survey</h1>" in body
    assert "Overall, how satisfied are you with the meeting?" in body


def test_the_questionnaire_page_stays_closed_until_the_meeting_takes_place(client, meeting):
    import datetime

    from django.utils import timezone

    meeting.starts_at = timezone.now() + datetime.timedelta(days=3)
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=3)
    meeting.save()
    attendee = meeting.registrations.filter(attended=True).first()
    response = client.get(reverse("surveys:answer", args=[attendee.token]))
    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"
