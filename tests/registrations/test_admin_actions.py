"""Registration actions of the back-office mixin (confirm, cancel with promotion, move, GDPR export/erase) and the
province filter. They run on a ModelAdmin built from the mixin, as registrations/admin.py mixes it in."""

from __future__ import annotations

import json

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from registrations.admin_actions import ProvinceFilter, RegistrationBackofficeMixin
from registrations.models import OutboundEmail, Registration
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


class BackofficeRegistrationAdmin(RegistrationBackofficeMixin, admin.ModelAdmin):
    pass


@pytest.fixture
def model_admin():
    return BackofficeRegistrationAdmin(Registration, admin.AdminSite(name="test"))


@pytest.fixture
def make_request(admin_user):
    def make(data: dict | None = None):
        request = RequestFactory().post("/admin/registrations/registration/", data or {})
        request.user = admin_user
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        return request

    return make


def _messages(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_confirm_selected_confirms_pending_and_reports_refusals(model_admin, make_request):
    pending = RegistrationFactory(status=Registration.Status.PENDING)
    waiting = RegistrationFactory(status=Registration.Status.WAITLISTED, first_name="Bruno", last_name="Bianchi")
    request = make_request()
    model_admin.confirm_selected(request, Registration.objects.filter(pk__in=[pending.pk, waiting.pk]))
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert (pending.status, waiting.status) == ("confirmed", "waitlisted")
    assert _messages(request) == [
        "Iscrizioni confermate: 1.",
        "Bruno Bianchi: Sei in lista d'attesa: ti scriveremo appena si libera un posto.",
    ]


def test_cancel_selected_promotes_the_waiting_list(model_admin, make_request, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(capacity=1)
    seated = RegistrationFactory(meeting=meeting, email="seduto@example.it")
    waiting = RegistrationFactory(meeting=meeting, status=Registration.Status.WAITLISTED, email="attesa@example.it")
    request = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.cancel_selected(request, Registration.objects.filter(pk=seated.pk))
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.status == "cancelled"
    assert waiting.status in {"pending", "confirmed"}
    assert set(OutboundEmail.objects.values_list("to", flat=True)) == {"seduto@example.it", "attesa@example.it"}
    assert _messages(request) == ["Iscrizioni annullate: 1."]


def test_move_selected_asks_the_meeting_then_moves(model_admin, make_request):
    registration = RegistrationFactory()
    target = MeetingFactory(title="Destinazione")
    queryset = Registration.objects.filter(pk=registration.pk)
    form_page = model_admin.move_selected(make_request({"action": "move_selected"}), queryset)
    assert form_page.status_code == 200
    assert "Sposta all&#x27;incontro" in form_page.rendered_content
    request = make_request({"action": "move_selected", "meeting": str(target.pk), "apply": "1"})
    assert model_admin.move_selected(request, queryset) is None
    registration.refresh_from_db()
    assert registration.meeting == target
    # A person who already confirmed the address stays confirmed at the new meeting.
    assert registration.status == "confirmed"


def test_gdpr_export_downloads_json_for_one_person(model_admin, make_request):
    one = RegistrationFactory(email="anna@comune.it")
    RegistrationFactory(email="ANNA@comune.it")
    response = model_admin.gdpr_export(make_request(), Registration.objects.filter(pk=one.pk))
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="dati-anna-at-comuneit-')
    assert len(data["registrations"]) == 2


def test_gdpr_actions_refuse_several_people(model_admin, make_request):
    RegistrationFactory(email="a@example.it")
    RegistrationFactory(email="b@example.it")
    request = make_request()
    assert model_admin.gdpr_export(request, Registration.objects.all()) is None
    assert _messages(request) == ["Seleziona le iscrizioni di una sola persona (un solo indirizzo email)."]


def test_gdpr_erase_confirms_then_anonymises(model_admin, make_request):
    one = RegistrationFactory(email="anna@comune.it")
    other = RegistrationFactory(email="anna@comune.it")
    queryset = Registration.objects.filter(pk=one.pk)
    page = model_admin.gdpr_erase(make_request({"action": "gdpr_erase"}), queryset)
    assert "L&#x27;operazione non si può annullare." in page.rendered_content
    assert Registration.objects.filter(email="anna@comune.it").count() == 2
    request = make_request({"action": "gdpr_erase", "apply": "1"})
    assert model_admin.gdpr_erase(request, queryset) is None
    assert not Registration.objects.filter(email="anna@comune.it").exists()
    other.refresh_from_db()
    assert other.first_name == "Anonimo"
    assert _messages(request) == ["2 iscrizioni anonimizzate; cronologia ed email inviate cancellate."]


def test_gdpr_erase_needs_the_delete_permission(model_admin, make_request, secretary):
    request = make_request()
    request.user = secretary
    actions = model_admin.get_actions(request)
    assert "gdpr_export" in actions and "confirm_selected" in actions
    assert "gdpr_erase" not in actions


def test_province_filter(model_admin, make_request):
    bergamo = RegistrationFactory(organization="Comune di Bergamo")
    lecco = RegistrationFactory(organization="Provincia di Lecco")
    unknown = RegistrationFactory(organization="ACME srl")
    request = make_request()

    def filtered(value):
        params = {"provincia": [value]}
        flt = ProvinceFilter(request, params, Registration, model_admin)
        return set(flt.queryset(request, Registration.objects.all()))

    assert filtered("BG") == {bergamo}
    assert filtered("LC") == {lecco}
    assert filtered("-") == {unknown}
