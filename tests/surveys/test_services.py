"""The after-meeting email: materials published, one email per attendee (and absent registrants when asked), once; a
survey answer stored only when every required question has a valid answer, whoever calls the service."""

from __future__ import annotations

import pytest
from django.core import mail

from labs.models import MeetingMaterial
from registrations.models import OutboundEmail
from surveys.models import Answer, FollowUpEmail, MeetingFollowUp, Questionnaire, Response
from surveys.services import SurveyRefused, meeting_follow_up_send, survey_answer
from tests.surveys.conftest import registration

pytestmark = pytest.mark.django_db


def test_publishes_the_materials_and_thanks_each_attendee_once(meeting, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://ancilab.example.it"
    with django_capture_on_commit_callbacks(execute=True):
        first = meeting_follow_up_send(meeting_id=meeting.pk)
    assert (first.materials_published, first.queued, first.already_sent) == (2, 2, 0)
    assert list(MeetingMaterial.objects.filter(meeting=meeting).values_list("published", flat=True)) == [True, True]
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.it", "bruno@example.it"]

    with django_capture_on_commit_callbacks(execute=True):
        second = meeting_follow_up_send(meeting_id=meeting.pk)
    assert (second.materials_published, second.queued, second.already_sent) == (0, 0, 2)
    assert len(mail.outbox) == 2
    assert OutboundEmail.objects.filter(template="meeting_followup").count() == 2

    anna = registration(meeting, "Anna")
    email = next(m for m in mail.outbox if m.to == ["anna@example.it"])
    assert email.subject == "Grazie per aver partecipato: Primo incontro"
    slide = MeetingMaterial.objects.get(title="Slide").href
    assert email.body.rstrip("\n") + "\n" == (
        "Gentile Anna,\n\n"
        "grazie per aver partecipato all'incontro «Primo incontro» del laboratorio «Lab Welfare».\n\n"
        "Materiali e registrazioni:\n"
        f"- Slide: https://ancilab.example.it{slide}\n"
        "- Registrazione: https://video.example.org/primo\n\n"
        "Il tuo attestato è disponibile nella pagina della tua iscrizione: "
        f"https://ancilab.example.it/iscrizioni/{anna.token}/\n\n"
        "Ci aiuti a migliorare? Rispondi al questionario di gradimento (due minuti): "
        f"https://ancilab.example.it/iscrizioni/{anna.token}/questionario/\n\n"
        "Tutte le tue iscrizioni, in un posto solo (accedi con un codice che ti inviamo a questo indirizzo): "
        "https://ancilab.example.it/le-mie-iscrizioni/\n\n"
        "--\n"
        "AnciLab – ANCI Lombardia, Via Rovello 2, 20121 Milano · " + settings.CONTACT_EMAIL + "\n"
        "Hai ricevuto questa email perché qualcuno ha usato questo indirizzo per iscriversi a un incontro di AnciLab.\n"
    )
    html = email.alternatives[0][0]
    assert f'<a href="https://ancilab.example.it/iscrizioni/{anna.token}/questionario/">' in html
    assert '<li><a href="https://video.example.org/primo">Registrazione</a></li>' in html

    bruno = next(m for m in mail.outbox if m.to == ["bruno@example.it"])
    assert bruno.subject == "Thank you for attending: Primo incontro"
    assert "- Recording: https://video.example.org/primo" in bruno.body
    assert f"/en/iscrizioni/{registration(meeting, 'Bruno').token}/questionario/" in bruno.body


def test_absent_registrants_only_when_asked_and_without_the_certificate(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_follow_up_send(meeting_id=meeting.pk)
        later = meeting_follow_up_send(meeting_id=meeting.pk, include_absent=True)
    # Only Carla is new: the attendees were thanked already, Dario cancelled.
    assert (later.queued, later.already_sent) == (1, 2)
    assert sorted(FollowUpEmail.objects.values_list("registration__first_name", flat=True)) == [
        "Anna",
        "Bruno",
        "Carla",
    ]
    carla = next(m for m in mail.outbox if m.to == ["carla@example.it"])
    assert carla.subject == "Materiali dell'incontro: Primo incontro"
    assert "ci è dispiaciuto non vederti all'incontro «Primo incontro»" in carla.body
    assert "attestato" not in carla.body
    assert "/questionario/" in carla.body
    assert MeetingFollowUp.objects.get(meeting=meeting).include_absent is True


def _default_questions():
    questions = list(Questionnaire.objects.default().questions.all())
    return [q for q in questions if q.kind == "score"], [q for q in questions if q.kind == "comment"]


def _refusal(meeting, answers) -> SurveyRefused:
    with pytest.raises(SurveyRefused) as info:
        survey_answer(registration_id=registration(meeting, "Anna").pk, answers=answers)
    assert Response.objects.count() == 0
    return info.value


def test_an_answer_without_the_optional_comments_is_stored(meeting):
    scores, _comments = _default_questions()
    response = survey_answer(
        registration_id=registration(meeting, "Anna").pk, answers={q.pk: 4 for q in scores} | {_comments[0].pk: ""}
    )
    assert sorted(Answer.objects.filter(response=response).values_list("question_id", "score", "text")) == sorted(
        (q.pk, 4, "") for q in scores
    )


def test_a_required_question_left_out_is_refused_by_the_service(meeting):
    scores, _comments = _default_questions()
    refusal = _refusal(meeting, {q.pk: 4 for q in scores[1:]} | {scores[1].pk: ""})
    assert refusal.code == "invalid"
    assert refusal.message == (f"Rispondi alla domanda «{scores[0].label}». Rispondi alla domanda «{scores[1].label}».")


@pytest.mark.parametrize("score", [0, 6, -1, True, "5", 4.5])
def test_a_score_outside_1_to_5_is_refused_by_the_service(meeting, score):
    scores, _comments = _default_questions()
    refusal = _refusal(meeting, {q.pk: 4 for q in scores} | {scores[2].pk: score})
    assert (refusal.code, refusal.message) == ("invalid", f"«{scores[2].label}»: il punteggio va da 1 a 5.")


def test_a_comment_too_long_or_not_text_and_an_unknown_question_are_refused(meeting):
    scores, comments = _default_questions()
    answers = {q.pk: 4 for q in scores} | {comments[0].pk: "x" * 2001, comments[1].pk: 3, 999_999: 5}
    assert _refusal(meeting, answers).message == (
        "Alcune risposte non corrispondono alle domande del questionario. "
        f"«{comments[0].label}»: il commento supera i 2000 caratteri. "
        f"«{comments[1].label}»: la risposta deve essere un testo."
    )


def test_no_follow_up_and_no_questionnaire_before_the_meeting_takes_place(meeting):
    import datetime

    from django.utils import timezone

    from surveys.services import FollowUpRefused, survey_eligible

    meeting.starts_at = timezone.now() + datetime.timedelta(days=3)
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=3)
    meeting.save()
    with pytest.raises(FollowUpRefused):
        meeting_follow_up_send(meeting_id=meeting.pk, include_absent=True)
    assert not MeetingFollowUp.objects.filter(meeting=meeting).exists()
    attendee = meeting.registrations.filter(attended=True).first()
    assert not survey_eligible(attendee)
    with pytest.raises(SurveyRefused):
        survey_answer(registration_id=attendee.pk, answers={})
