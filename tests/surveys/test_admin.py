"""Staff side: the meeting action that publishes materials and thanks registrants, the results pages and the XLSX."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from labs.models import MeetingMaterial
from registrations.models import OutboundEmail
from surveys.models import MeetingFollowUp, Questionnaire
from surveys.services import meeting_follow_up_send, survey_answer
from tests.conftest import _staff
from tests.factories import MeetingFactory, RegistrationFactory
from tests.surveys.conftest import registration

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:labs_meeting_changelist")


def _action(client, meetings, **extra):
    data = {"action": "publish_and_thank", "_selected_action": [m.pk for m in meetings], **extra}
    return client.post(CHANGELIST, data)


def test_the_action_asks_then_publishes_and_queues_once(editor_client, meeting):
    form = _action(editor_client, [meeting])
    body = form.content.decode()
    assert form.status_code == 200
    assert "Ogni presente (2) riceve una sola email" in body
    assert "gli iscritti assenti (1) solo se lo scegli qui sotto" in body
    assert OutboundEmail.objects.count() == 0

    done = _action(editor_client, [meeting], apply="1")
    assert done.status_code == 302
    assert sorted(OutboundEmail.objects.values_list("to", "template")) == [
        ("anna@example.it", "meeting_followup"),
        ("bruno@example.it", "meeting_followup"),
    ]
    assert set(MeetingMaterial.objects.values_list("published", flat=True)) == {True}
    messages = [str(m) for m in editor_client.get(CHANGELIST).context["messages"]]
    assert messages == ["«Primo incontro»: 2 materiali pubblicati; 2 email in coda; 0 persone già ringraziate"]

    _action(editor_client, [meeting], apply="1", include_absent="on")
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
        "anna@example.it",
        "bruno@example.it",
        "carla@example.it",
    ]
    messages = [str(m) for m in editor_client.get(CHANGELIST).context["messages"]]
    assert messages == ["«Primo incontro»: 0 materiali pubblicati; 1 email in coda; 2 persone già ringraziate"]


def test_the_registrations_desk_can_neither_see_nor_run_the_action(secretary_client, meeting):
    """change_registration alone would let the desk publish materials the editors left as drafts."""
    assert 'value="publish_and_thank"' not in secretary_client.get(CHANGELIST).content.decode()
    _action(secretary_client, [meeting], apply="1")
    assert OutboundEmail.objects.count() == 0
    assert set(MeetingMaterial.objects.values_list("published", flat=True)) == {False}


@pytest.mark.parametrize(
    ("permissions", "runs"),
    [
        (["labs.change_meetingmaterial", "surveys.add_meetingfollowup"], True),
        (["labs.change_meetingmaterial"], False),  # may publish materials one by one, not email every attendee
        (["surveys.add_meetingfollowup"], False),  # may not publish materials
    ],
)
def test_the_action_needs_both_the_materials_and_the_follow_up_permission(client, meeting, permissions, runs):
    user = _staff("operatore")
    for name in ["labs.view_meeting", *permissions]:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    client.force_login(user)
    assert ('value="publish_and_thank"' in client.get(CHANGELIST).content.decode()) is runs
    _action(client, [meeting], apply="1")
    assert OutboundEmail.objects.count() == (2 if runs else 0)
    assert set(MeetingMaterial.objects.values_list("published", flat=True)) == {runs}


def test_a_superuser_runs_the_action(admin_client, meeting):
    assert _action(admin_client, [meeting], apply="1").status_code == 302
    assert OutboundEmail.objects.count() == 2


def test_the_meeting_admin_keeps_its_registrations_inline_and_adds_materials(admin_client, meeting):
    body = admin_client.get(reverse("admin:labs_meeting_change", args=[meeting.pk])).content.decode()
    assert 'name="materials-TOTAL_FORMS"' in body
    assert 'name="registrations-TOTAL_FORMS"' in body


def _answer_all(meeting):
    meeting_follow_up_send(meeting_id=meeting.pk, include_absent=True)
    questions = list(Questionnaire.objects.default().questions.all())
    scores = [q for q in questions if q.kind == "score"]
    comments = [q for q in questions if q.kind == "comment"]
    survey_answer(
        registration_id=registration(meeting, "Anna").pk,
        answers={**{q.pk: s for q, s in zip(scores, [5, 4, 3, 5], strict=True)}, comments[0].pk: "=HYPERLINK(1)"},
    )
    survey_answer(
        registration_id=registration(meeting, "Bruno").pk,
        answers={**{q.pk: s for q, s in zip(scores, [4, 4, 2, 4], strict=True)}, comments[1].pk: "Più pause"},
    )
    survey_answer(
        registration_id=registration(meeting, "Carla").pk,
        answers={q.pk: s for q, s in zip(scores, [4, 5, 3, 3], strict=True)},
    )


def test_results_per_meeting_show_exact_averages_counts_and_comments(secretary_client, meeting):
    _answer_all(meeting)
    response = secretary_client.get(reverse("admin:surveys_results_meeting", args=[meeting.pk]))
    assert response.status_code == 200
    results = response.context["results"]
    assert (results.responses, results.attended) == (3, 2)
    assert [(r.question[:30], r.count, str(r.average), r.distribution) for r in results.scores] == [
        ("Nel complesso, quanto sei sodd", 3, "4.33", [0, 0, 0, 2, 1]),
        ("Quanto sono stati utili i cont", 3, "4.33", [0, 0, 0, 2, 1]),
        ("Quanto sono stati chiari i rel", 3, "2.67", [0, 1, 2, 0, 0]),
        ("Come valuti l'organizzazione (", 3, "4.00", [0, 0, 1, 1, 1]),
    ]
    assert [(c.question, c.text) for c in results.comments] == [
        ("Che cosa ti è stato più utile?", "=HYPERLINK(1)"),
        ("Che cosa possiamo migliorare nei prossimi incontri?", "Più pause"),
    ]
    body = response.content.decode()
    assert "Risposte: 3. Presenti: 2." in body
    assert "<td>3</td><td>4,33</td><td>0</td><td>0</td><td>0</td><td>2</td><td>1</td>" in body
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body and "Punteggio medio per domanda" in body


def test_the_satisfaction_average_of_every_score(meeting):
    from registrations.models import Registration
    from surveys.results import satisfaction_average

    assert satisfaction_average(Registration.objects.filter(meeting=meeting)) is None
    _answer_all(meeting)
    # (5+4+3+5) + (4+4+2+4) + (4+5+3+3) = 46 over 12 scores
    assert str(satisfaction_average(Registration.objects.filter(meeting=meeting))) == "3.83"


def test_results_per_lab_add_up_the_meetings(secretary_client, meeting):
    _answer_all(meeting)
    other = MeetingFactory(
        lab=meeting.lab, title="Secondo incontro", starts_at=meeting.starts_at + datetime.timedelta(days=1)
    )
    dina = RegistrationFactory(meeting=other, first_name="Dina", attended=True)
    scores = [q for q in Questionnaire.objects.default().questions.all() if q.kind == "score"]
    survey_answer(registration_id=dina.pk, answers={q.pk: 1 for q in scores})
    response = secretary_client.get(reverse("admin:surveys_results_lab", args=[meeting.lab.pk]))
    results = response.context["results"]
    assert results.responses == 4
    assert [(r.count, str(r.average)) for r in results.scores] == [
        (4, "3.50"),
        (4, "3.50"),
        (4, "2.25"),
        (4, "3.25"),
    ]
    index = secretary_client.get(reverse("admin:surveys_results")).content.decode()
    assert f'<a href="/admin/surveys/questionnaire/risultati/incontro/{meeting.pk}/">Primo incontro</a></th>' in index
    assert f"<td>{meeting.starts_at:%d/%m/%Y}</td><td>3</td>" in index
    assert f'<a href="/admin/surveys/questionnaire/risultati/laboratorio/{meeting.lab.pk}/">' in index


def test_results_xlsx_has_exact_cells_and_no_formula(secretary_client, meeting):
    _answer_all(meeting)
    response = secretary_client.get(reverse("admin:surveys_results_meeting", args=[meeting.pk]) + "?format=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="questionario-primo-incontro.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Punteggi", "Commenti"]
    rows = [list(row) for row in book["Punteggi"].iter_rows(values_only=True)]
    assert rows[0][0] == "Lab Welfare – Primo incontro"
    assert rows[1][:2] == ["Risposte", 3]
    assert rows[3] == ["Domanda", "Risposte", "Media", "1", "2", "3", "4", "5"]
    assert rows[4] == ["Nel complesso, quanto sei soddisfatto/a dell'incontro?", 3, 4.33, 0, 0, 0, 2, 1]
    assert rows[6] == ["Quanto sono stati chiari i relatori?", 3, 2.67, 0, 1, 2, 0, 0]
    comments = [list(row) for row in book["Commenti"].iter_rows(values_only=True)]
    assert comments == [
        ["Incontro", "Domanda", "Commento"],
        ["Primo incontro", "Che cosa ti è stato più utile?", "=HYPERLINK(1)"],
        ["Primo incontro", "Che cosa possiamo migliorare nei prossimi incontri?", "Più pause"],
    ]
    assert book["Commenti"]["C2"].data_type == "s"  # shown as typed, never run (core/spreadsheets.append_row)
    assert book["Commenti"]["C2"].quotePrefix


def test_results_need_the_view_permission(client, meeting):
    client.force_login(_staff("ospite"))  # staff, with no role
    assert client.get(reverse("admin:surveys_results_meeting", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("admin:surveys_results")).status_code == 403


def test_the_action_refuses_a_meeting_that_has_not_taken_place_and_sends_nothing(editor_client, meeting):
    """Walk-through of issue 17's session: the thank-you went out for a meeting six weeks away, called the registrant
    absent, opened the questionnaire, and could never be sent again after the meeting."""
    future = MeetingFactory(
        lab=meeting.lab, title="Incontro futuro", starts_at=timezone.now() + datetime.timedelta(days=40)
    )
    RegistrationFactory(meeting=future, email="giulia@example.it")
    MeetingMaterial.objects.create(meeting=future, title="Programma", kind="link", url="https://example.org/p")
    done = _action(editor_client, [future, meeting], apply="1", include_absent="on")
    assert done.status_code == 302
    messages = [str(m) for m in editor_client.get(CHANGELIST).context["messages"]]
    assert messages == [
        "«Primo incontro»: 2 materiali pubblicati; 3 email in coda; 0 persone già ringraziate",
        "«Incontro futuro» non si è ancora svolto (o è annullato): materiali e ringraziamento si inviano dopo.",
    ]
    assert not OutboundEmail.objects.filter(to="giulia@example.it").exists()
    assert not MeetingFollowUp.objects.filter(meeting=future).exists()
    assert not MeetingMaterial.objects.get(meeting=future).published
