"""Satisfaction surveys after a meeting, and the "after the meeting" email that invites people to answer them.

A questionnaire is a short list of questions (scores from 1 to 5 and free comments). A meeting uses the questionnaire
chosen when its follow-up was sent, or the default one. Each registration answers once, through its private token.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel, localized
from labs.models import Meeting
from registrations.models import OutboundEmail, Registration

SCORES = range(1, 6)
COMMENT_MAX_LENGTH = 2000


class QuestionnaireQuerySet(models.QuerySet):
    def default(self) -> Questionnaire | None:
        return self.filter(is_default=True).first()


class Questionnaire(TimeStampedModel):
    title = models.CharField(_("titolo"), max_length=200)
    title_en = models.CharField(_("titolo (inglese)"), max_length=200, blank=True)
    intro = models.TextField(_("introduzione"), blank=True)
    intro_en = models.TextField(_("introduzione (inglese)"), blank=True)
    is_default = models.BooleanField(
        _("predefinito"), default=False, help_text=_("Usato per gli incontri a cui non è assegnato un questionario.")
    )

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", "title"]
        verbose_name = _("questionario")
        verbose_name_plural = _("questionari")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_questionnaire"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_intro(self) -> str:
        return localized(self, "intro")


class Question(models.Model):
    class Kind(models.TextChoices):
        SCORE = "score", _("punteggio da 1 a 5")
        COMMENT = "comment", _("commento libero")

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionario"), related_name="questions", on_delete=models.CASCADE
    )
    kind = models.CharField(_("tipo"), max_length=8, choices=Kind.choices, default=Kind.SCORE)
    label = models.CharField(_("domanda"), max_length=300)
    label_en = models.CharField(_("domanda (inglese)"), max_length=300, blank=True)
    required = models.BooleanField(_("obbligatoria"), default=True)
    position = models.PositiveSmallIntegerField(_("posizione"), default=0)

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        verbose_name = _("domanda")
        verbose_name_plural = _("domande")

    def __str__(self) -> str:
        return self.label

    @property
    def display_label(self) -> str:
        return localized(self, "label")


class MeetingFollowUp(TimeStampedModel):
    """What staff decided when they published a meeting's materials and thanked its registrants."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("incontro"), related_name="follow_up", on_delete=models.CASCADE
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionario"),
        related_name="follow_ups",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Vuoto: il questionario predefinito."),
    )
    # Registrants who did not come may answer the survey too, once staff invited them.
    include_absent = models.BooleanField(_("invitati anche gli assenti"), default=False)

    class Meta:
        verbose_name = _("ringraziamento dopo l'incontro")
        verbose_name_plural = _("ringraziamenti dopo l'incontro")

    def __str__(self) -> str:
        return str(self.meeting)


class FollowUpEmail(models.Model):
    """One row per registration thanked: the unique registration is what makes a second run send nothing."""

    registration = models.OneToOneField(
        Registration, verbose_name=_("iscrizione"), related_name="follow_up_email", on_delete=models.CASCADE
    )
    email = models.ForeignKey(
        OutboundEmail, verbose_name=_("email"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("inviata il"), auto_now_add=True)

    class Meta:
        verbose_name = _("email di ringraziamento")
        verbose_name_plural = _("email di ringraziamento")

    def __str__(self) -> str:
        return str(self.registration)


class Response(models.Model):
    registration = models.OneToOneField(
        Registration, verbose_name=_("iscrizione"), related_name="survey_response", on_delete=models.CASCADE
    )
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionario"), related_name="responses", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("risposto il"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("risposta al questionario")
        verbose_name_plural = _("risposte ai questionari")

    def __str__(self) -> str:
        return str(self.registration)


class Answer(models.Model):
    response = models.ForeignKey(Response, verbose_name=_("risposta"), related_name="answers", on_delete=models.CASCADE)
    question = models.ForeignKey(Question, verbose_name=_("domanda"), related_name="answers", on_delete=models.PROTECT)
    score = models.PositiveSmallIntegerField(_("punteggio"), null=True, blank=True)
    text = models.TextField(_("commento"), blank=True)

    class Meta:
        verbose_name = _("risposta")
        verbose_name_plural = _("risposte")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="answer_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score if self.score is not None else self.text}"
