"""Survey results for staff: per meeting or per lab, averages and counts per score question, and every comment.

Figures are computed in the database (one aggregate query for the scores, one query for the comments), so a lab with
many meetings costs the same as one meeting. Questions are grouped by their label, so a lab whose meetings used the
same questionnaire reads as one table.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.charts import Chart, bar_chart
from core.spreadsheets import append_row
from registrations.models import Registration

from .models import SCORES, Answer, Question, Response


@dataclass(frozen=True)
class ScoreRow:
    question: str
    count: int
    average: Decimal
    distribution: list[int]  # how many answered 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Comment:
    meeting: str
    question: str
    text: str


@dataclass
class Results:
    title: str
    responses: int
    attended: int  # people marked present (those the survey is mainly for)
    scores: list[ScoreRow] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    chart: Chart | None = None


def _two_places(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def survey_results(registrations: QuerySet[Registration], *, title: str) -> Results:
    """The results of the given registrations' answers (one meeting's, or a lab's)."""
    answers = Answer.objects.filter(response__registration__in=registrations)
    responses = Response.objects.filter(registration__in=registrations).count()
    attended = registrations.filter(attended=True).count()
    score_rows = (
        answers.filter(question__kind=Question.Kind.SCORE, score__isnull=False)
        .values("question__label", "question__position", "score")
        .annotate(n=Count("pk"))
        .order_by("question__position", "question__label", "score")
    )
    by_question: dict[str, list[int]] = {}
    for row in score_rows:
        counts = by_question.setdefault(row["question__label"], [0] * len(SCORES))
        counts[row["score"] - 1] += row["n"]
    averages = {
        row["question__label"]: row["avg"]
        for row in answers.filter(question__kind=Question.Kind.SCORE, score__isnull=False)
        .values("question__label")
        .annotate(avg=Avg("score"))
    }
    scores = [
        ScoreRow(label, sum(counts), _two_places(averages[label]), counts) for label, counts in by_question.items()
    ]
    comments = [
        Comment(meeting, question, text)
        for meeting, question, text in answers.filter(question__kind=Question.Kind.COMMENT)
        .exclude(text="")
        .order_by("response__registration__meeting__starts_at", "question__position", "response__created_at")
        .values_list("response__registration__meeting__title", "question__label", "text")
    ]
    chart = None
    if scores:
        chart = bar_chart(
            "survey-averages",
            _("Punteggio medio per domanda"),
            _("Media delle risposte da 1 (per niente) a 5 (moltissimo), per ogni domanda."),
            [(row.question, row.average) for row in scores],
            label_header=_("Domanda"),
            value_header=_("Media"),
            fmt=lambda value: number_format(value, 2),
        )
    return Results(title, responses, attended, scores, comments, chart)


def satisfaction_average(registrations: QuerySet[Registration]) -> Decimal | None:
    """The mean of every score given by these registrations (all score questions), two decimals; None when nobody
    answered. For the funder report's "Soddisfazione media dei partecipanti" (registrations/reports.py cannot import
    this app: whoever builds the report passes it in)."""
    average = Answer.objects.filter(
        response__registration__in=registrations, question__kind=Question.Kind.SCORE, score__isnull=False
    ).aggregate(avg=Avg("score"))["avg"]
    return None if average is None else _two_places(average)


def results_xlsx(results: Results) -> bytes:
    """Two named sheets: the averages, and the comments (text typed by the public: rows through append_row, so no cell
    is a formula)."""
    book = Workbook()
    bold = Font(bold=True)
    summary = book.active
    summary.title = _("Punteggi")
    append_row(summary, [results.title])
    summary.append([_("Risposte"), results.responses])
    summary.append([])
    summary.append([_("Domanda"), _("Risposte"), _("Media"), *(str(score) for score in SCORES)])
    for cell in summary[4]:
        cell.font = bold
    for row in results.scores:
        append_row(summary, [row.question, row.count, float(row.average), *row.distribution])
    comments = book.create_sheet(_("Commenti"))
    comments.append([_("Incontro"), _("Domanda"), _("Commento")])
    for cell in comments[1]:
        cell.font = bold
    for comment in results.comments:
        append_row(comments, [comment.meeting, comment.question, comment.text])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
