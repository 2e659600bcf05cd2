"""Surveys admin: questionnaires and their questions, results per meeting and per lab (page and XLSX), and the
meeting action "Pubblica materiali e invia ringraziamento".

The meeting action extends registrations' MeetingAdmin and registers it in its place, as registrations/admin.py does
with labs' one: surveys depends on registrations, never the other way round.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin_actions import form_action
from labs.models import Lab, Meeting
from registrations import admin as registrations_admin
from registrations.models import Registration

from .admin_forms import FollowUpForm
from .models import Question, Questionnaire
from .results import results_xlsx, survey_results
from .services import FollowUpRefused, meeting_follow_up_send

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class QuestionInline(admin.StackedInline):
    # Stacked, not tabular: each field keeps its own <label> (a tabular inline's inputs have none).
    model = Question
    extra = 0
    fields = [("position", "kind", "required"), "label", "label_en"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "is_default"]
    inlines = [QuestionInline]
    change_list_template = "admin/surveys/questionnaire/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("risultati/", view(self.results_index_view), name="surveys_results"),
            path("risultati/incontro/<int:pk>/", view(self.meeting_results_view), name="surveys_results_meeting"),
            path("risultati/laboratorio/<int:pk>/", view(self.lab_results_view), name="surveys_results_lab"),
            *super().get_urls(),
        ]

    def _check(self, request) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied

    def results_index_view(self, request):
        self._check(request)
        meetings = (
            Meeting.objects.annotate(responses=Count("registrations__survey_response"))
            .filter(responses__gt=0)
            .select_related("lab")
            .order_by("lab__title", "starts_at")
        )
        labs = {}
        for meeting in meetings:
            labs.setdefault(meeting.lab, []).append(meeting)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Risultati dei questionari"),
            "opts": self.model._meta,
            "labs": labs.items(),
        }
        return TemplateResponse(request, "admin/surveys/results_index.html", context)

    def meeting_results_view(self, request, pk: int):
        self._check(request)
        meeting = get_object_or_404(Meeting.objects.select_related("lab"), pk=pk)
        title = f"{meeting.lab.title} – {meeting.title}"
        return self._results(request, Registration.objects.filter(meeting=meeting), title, meeting.title)

    def lab_results_view(self, request, pk: int):
        self._check(request)
        lab = get_object_or_404(Lab, pk=pk)
        return self._results(request, Registration.objects.filter(meeting__lab=lab), lab.title, lab.title)

    def _results(self, request, registrations, title: str, filename: str):
        results = survey_results(registrations, title=title)
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(results_xlsx(results), content_type=XLSX_CONTENT_TYPE)
            response["Content-Disposition"] = f'attachment; filename="questionario-{slugify(filename)[:60]}.xlsx"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": _("Risultati del questionario: %(title)s") % {"title": title},
            "opts": self.model._meta,
            "results": results,
        }
        return TemplateResponse(request, "admin/surveys/results.html", context)


class MeetingAdmin(registrations_admin.MeetingAdmin):
    actions = [*registrations_admin.MeetingAdmin.actions, "publish_and_thank"]

    def has_follow_up_permission(self, request) -> bool:
        # The action publishes the materials (an editorial decision: the same right as ticking "pubblicato" in the
        # inline) and emails every attendee (the follow-up's own permission). "Redazione" has both (surveys 0004);
        # change_registration alone, the registrations desk's, publishes nothing.
        return request.user.has_perms(["labs.change_meetingmaterial", "surveys.add_meetingfollowup"])

    @admin.action(description=gettext_lazy("Pubblica materiali e invia ringraziamento"), permissions=["follow_up"])
    def publish_and_thank(self, request, queryset):
        meetings = list(queryset.order_by("starts_at", "pk"))

        def apply(data) -> None:
            questionnaire = data["questionnaire"]
            for meeting in meetings:
                try:
                    result = meeting_follow_up_send(
                        meeting_id=meeting.pk,
                        include_absent=data["include_absent"],
                        questionnaire_id=questionnaire.pk if questionnaire else None,
                    )
                except FollowUpRefused as refused:
                    self.message_user(request, str(refused), messages.ERROR)
                    continue
                self.message_user(
                    request,
                    _("«%(meeting)s»: %(published)s; %(queued)s; %(already)s")
                    % {
                        "meeting": meeting.title,
                        "published": ngettext(
                            "%(count)d materiale pubblicato",
                            "%(count)d materiali pubblicati",
                            result.materials_published,
                        )
                        % {"count": result.materials_published},
                        "queued": ngettext("%(count)d email in coda", "%(count)d email in coda", result.queued)
                        % {"count": result.queued},
                        "already": ngettext(
                            "%(count)d persona già ringraziata",
                            "%(count)d persone già ringraziate",
                            result.already_sent,
                        )
                        % {"count": result.already_sent},
                    },
                    messages.SUCCESS,
                )

        def intro() -> str:
            ids = [m.pk for m in meetings]
            attendees = Registration.objects.filter(meeting_id__in=ids, attended=True).count()
            absent = (
                Registration.objects.filter(meeting_id__in=ids)
                .filter(Q(status=Registration.Status.CONFIRMED, attended=False))
                .count()
            )
            return _(
                "I materiali degli incontri selezionati vengono pubblicati sulla pagina dell'incontro. Ogni presente "
                "(%(attendees)d) riceve una sola email con i materiali, il link all'attestato e il questionario di "
                "gradimento; gli iscritti assenti (%(absent)d) solo se lo scegli qui sotto. Chi ha già ricevuto "
                "l'email non la riceve di nuovo."
            ) % {"attendees": attendees, "absent": absent}

        return form_action(
            self,
            request,
            queryset,
            FollowUpForm,
            apply=apply,
            title=_("Pubblica materiali e invia ringraziamento"),
            submit_label=_("Pubblica e invia"),
            intro=intro,
        )


admin.site.unregister(Meeting)
admin.site.register(Meeting, MeetingAdmin)
