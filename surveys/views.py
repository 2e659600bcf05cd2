"""The public survey page, reached through the registration's private token (like the other registration pages)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.clientip import client_ip
from core.private_pages import private_page
from registrations import ratelimit
from registrations.models import Registration

from . import services
from .forms import SurveyForm
from .models import Response


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    registration = get_object_or_404(Registration.objects.select_related("meeting", "meeting__lab"), token=token)
    meeting = registration.meeting
    context = {"registration": registration, "meeting": meeting}
    if Response.objects.filter(registration=registration).exists():
        return private_page(render(request, "surveys/done.html", context))
    questionnaire = services.questionnaire_for(meeting)
    if questionnaire is None or not services.survey_eligible(registration):
        return private_page(render(request, "surveys/not_available.html", context, status=403))
    form = SurveyForm(request.POST if request.method == "POST" else None, questionnaire=questionnaire)
    status = 200
    if form.is_bound:
        if ratelimit.hit("survey-ip", client_ip(request), settings.REGISTRATION_RATE_LIMIT_IP):
            form.add_error(None, _("Sono arrivate troppe richieste dalla tua rete. Riprova tra un'ora."))
            status = 429
        elif form.is_valid():
            if form.is_bot():
                form.add_error(None, _("Non è stato possibile inviare il modulo. Riprova."))
            else:
                try:
                    services.survey_answer(registration_id=registration.pk, answers=form.answers())
                except services.SurveyRefused as refusal:
                    form.add_error(None, refusal.message)
                    status = 409
                else:
                    return redirect("surveys:answer", token=token)
    context.update(form=form, questionnaire=questionnaire)
    return private_page(render(request, "surveys/answer.html", context, status=status))
