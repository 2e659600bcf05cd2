"""Writes of the surveys app: the "after the meeting" email (publish materials, thank, invite to the survey) and a
survey answer. Every entry point (admin action, public page, tests) calls these."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from labs.models import Meeting, MeetingMaterial
from registrations.certificates import is_held
from registrations.models import Registration
from registrations.outbox import email_enqueue

from .models import (
    COMMENT_MAX_LENGTH,
    SCORES,
    Answer,
    FollowUpEmail,
    MeetingFollowUp,
    Question,
    Questionnaire,
    Response,
)

TEMPLATE = "meeting_followup"


class SurveyRefused(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class FollowUpRefused(Exception):
    """The follow-up cannot be sent (the meeting has not taken place); the message says so to staff."""


@dataclass(frozen=True)
class FollowUpResult:
    materials_published: int
    queued: int  # emails written to the outbox by this run
    already_sent: int  # registrations thanked by an earlier run: nothing new for them


def questionnaire_for(meeting: Meeting) -> Questionnaire | None:
    follow_up = MeetingFollowUp.objects.filter(meeting=meeting).select_related("questionnaire").first()
    if follow_up is not None and follow_up.questionnaire is not None:
        return follow_up.questionnaire
    return Questionnaire.objects.default()


def followup_recipients(meeting_id: int, *, include_absent: bool):
    """Attendees, and with ``include_absent`` the confirmed registrants who did not come."""
    who = Q(attended=True)
    if include_absent:
        who |= Q(status=Registration.Status.CONFIRMED, attended=False)
    return Registration.objects.filter(who, meeting_id=meeting_id).order_by("last_name", "first_name", "pk")


def survey_eligible(registration: Registration) -> bool:
    """Attendees answer; registrants who did not come only when staff invited them (the follow-up's checkbox). Never
    before the meeting took place."""
    if not is_held(registration.meeting):
        return False
    if registration.attended:
        return True
    if registration.status != Registration.Status.CONFIRMED:
        return False
    return MeetingFollowUp.objects.filter(meeting_id=registration.meeting_id, include_absent=True).exists()


def _materials_context(meeting_id: int) -> list[dict[str, str]]:
    """Primitives for the email (stored as JSON on the outbox row): absolute links to the published materials."""
    materials = []
    for material in MeetingMaterial.objects.published().filter(meeting_id=meeting_id):
        href = material.href
        if material.file:
            href = settings.SITE_URL + href
        materials.append(
            {
                "title": material.title,
                "title_en": material.title_en,
                "kind": material.kind,
                "url": href,
            }
        )
    return materials


@transaction.atomic
def meeting_follow_up_send(
    *, meeting_id: int, include_absent: bool = False, questionnaire_id: int | None = None
) -> FollowUpResult:
    """Publish the meeting's materials and queue one thank-you email per recipient not thanked yet.

    The follow-up row is locked first, so two staff members pressing the button at once queue each email once; the
    unique FollowUpEmail per registration makes any later run send nothing to the people already thanked (a later
    run with "anche agli assenti" reaches only the absent ones). Refused (FollowUpRefused) for a meeting that has not
    taken place: the email thanks people for coming and calls the registrants who did not come absent, and a thank-you
    sent too early could never be sent again at the right time."""
    meeting = Meeting.objects.get(pk=meeting_id)
    if not is_held(meeting):
        raise FollowUpRefused(
            _("«%(meeting)s» non si è ancora svolto (o è annullato): materiali e ringraziamento si inviano dopo.")
            % {"meeting": meeting.title}
        )
    follow_up, _created = MeetingFollowUp.objects.get_or_create(meeting_id=meeting_id)
    follow_up = MeetingFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    follow_up.include_absent = follow_up.include_absent or include_absent
    if questionnaire_id is not None:
        follow_up.questionnaire_id = questionnaire_id
    follow_up.save()

    published = 0
    for material in MeetingMaterial.objects.filter(meeting_id=meeting_id, published=False):
        material.published = True
        material.save(update_fields=["published", "updated_at"])  # save(), not update(): the page cache is bumped
        published += 1

    materials = _materials_context(meeting_id)
    thanked = set(
        FollowUpEmail.objects.filter(registration__meeting_id=meeting_id).values_list("registration_id", flat=True)
    )
    queued = already = 0
    for registration in followup_recipients(meeting_id, include_absent=include_absent):
        if registration.pk in thanked:
            already += 1
            continue
        email = email_enqueue(
            to=registration.email,
            template=TEMPLATE,
            context={
                "registration_id": registration.pk,
                "attended": registration.attended,
                "materials": materials,
            },
            language=registration.language,
            registration_id=registration.pk,
        )
        FollowUpEmail.objects.create(registration=registration, email=email)
        queued += email is not None  # an anonymised registrant (GDPR) is not written to
    return FollowUpResult(materials_published=published, queued=queued, already_sent=already)


def survey_answers_problems(questions: list[Question], answers: dict[int, int | str]) -> list[str]:
    """What is wrong with ``answers`` (question pk → score or text) for these questions, in their order; empty when
    they may be stored. The one definition of a valid answer: survey_answer refuses anything else, whoever calls it
    (the public form shows the same rule field by field)."""
    problems = []
    known = {question.pk for question in questions}
    if any(pk not in known for pk in answers):
        problems.append(_("Alcune risposte non corrispondono alle domande del questionario."))
    for question in questions:
        value = answers.get(question.pk)
        label = question.display_label
        if value is None or value == "":
            if question.required:
                problems.append(_("Rispondi alla domanda «%(question)s».") % {"question": label})
        elif question.kind == Question.Kind.SCORE:
            # bool is an int in Python: True would be stored as a score of 1.
            if isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
                problems.append(
                    _("«%(question)s»: il punteggio va da %(min)d a %(max)d.")
                    % {"question": label, "min": SCORES[0], "max": SCORES[-1]}
                )
        elif not isinstance(value, str):
            problems.append(_("«%(question)s»: la risposta deve essere un testo.") % {"question": label})
        elif len(value) > COMMENT_MAX_LENGTH:
            problems.append(
                _("«%(question)s»: il commento supera i %(max)d caratteri.")
                % {"question": label, "max": COMMENT_MAX_LENGTH}
            )
    return problems


def survey_answer(*, registration_id: int, answers: dict[int, int | str]) -> Response:
    """Store one registration's answers (question pk → score or text). Refused when not eligible, already done, or
    when the answers break survey_answers_problems (a required question left out, a score outside 1–5)."""
    registration = Registration.objects.select_related("meeting").get(pk=registration_id)
    if not survey_eligible(registration):
        raise SurveyRefused(_("Il questionario è riservato a chi ha partecipato all'incontro."), "not_eligible")
    questionnaire = questionnaire_for(registration.meeting)
    if questionnaire is None:
        raise SurveyRefused(_("Per questo incontro non c'è un questionario."), "no_questionnaire")
    questions = {q.pk: q for q in questionnaire.questions.all()}
    problems = survey_answers_problems(list(questions.values()), answers)
    if problems:
        raise SurveyRefused(" ".join(problems), "invalid")
    try:
        with transaction.atomic():
            response = Response.objects.create(registration=registration, questionnaire=questionnaire)
            Answer.objects.bulk_create(
                Answer(
                    response=response,
                    question=questions[pk],
                    score=value if questions[pk].kind == Question.Kind.SCORE else None,
                    text=value if questions[pk].kind == Question.Kind.COMMENT else "",
                )
                for pk, value in answers.items()
                if value not in (None, "")
            )
    except IntegrityError as exc:  # the unique registration: a second answer (two tabs, a double click)
        raise SurveyRefused(_("Grazie, hai già risposto al questionario."), "already") from exc
    return response
