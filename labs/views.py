"""Public pages of the labs: the list with filters, the Designers Italia event page, meetings and their calendars."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, Max, Min, OuterRef, Prefetch
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from core.cache import cached_page
from core.visibility import PreviewMixin, visible_object_or_404
from projects.models import Area, FundingLine

from . import calendar
from .jsonld import meeting_event_jsonld
from .models import Lab, Meeting

OPEN = "aperti"
PAST = "conclusi"
# Lab and meeting pages show seats left and whether registration is open. They are cached per seats version (every
# registration change bumps it), but opening and closing times pass with no write at all: hence one minute, not more.
SEATS_PAGE_TIMEOUT = 60
seats_page = method_decorator(
    cached_page(SEATS_PAGE_TIMEOUT, seats=True, params=["area", "anno", "stato", "page"]), name="dispatch"
)


class LabFilterForm(forms.Form):
    """The filters of /laboratori/ (GET, so a filtered list has its own URL). Invalid values are ignored, with a message."""

    area = forms.ModelChoiceField(
        label=gettext_lazy("Area tematica"),
        queryset=Area.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Tutte le aree"),
    )
    anno = forms.TypedChoiceField(label=gettext_lazy("Anno"), coerce=int, required=False, empty_value=None)
    stato = forms.ChoiceField(
        label=gettext_lazy("Stato"),
        required=False,
        choices=[
            ("", gettext_lazy("Tutti")),
            (OPEN, gettext_lazy("Con iscrizioni aperte")),
            (PAST, gettext_lazy("Conclusi")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = Lab.objects.published()
        self.fields["area"].queryset = Area.objects.filter(labs__in=published).distinct()
        years = (
            published.filter(edition_year__isnull=False)
            .order_by("-edition_year")
            .values_list("edition_year", flat=True)
            .distinct()
        )
        self.fields["anno"].choices = [("", _("Tutti gli anni"))] + [(year, str(year)) for year in years]


def labs_filtered(form: LabFilterForm):
    """The published labs matching a bound, valid filter form, annotated for the list cards."""
    open_meetings = Meeting.objects.open_for_registration().filter(lab=OuterRef("pk"))
    sample_dates = Meeting.objects.filter(lab=OuterRef("pk"), is_sample=True, starts_at__isnull=False)
    labs = (
        Lab.objects.published()
        .in_list_order()
        .annotate(
            first_meeting=Min("meetings__starts_at"),
            last_meeting=Max("meetings__starts_at"),
            has_open_meetings=Exists(open_meetings),
            # The card's date range is made of sample dates when any of them is: it says so.
            has_sample_dates=Exists(sample_dates),
        )
        .prefetch_related("areas")
    )
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("area"):
        labs = labs.filter(areas=data["area"])
    if data.get("anno"):
        labs = labs.filter(edition_year=data["anno"])
    if data.get("stato") == OPEN:
        labs = labs.filter(has_open_meetings=True)
    elif data.get("stato") == PAST:
        labs = labs.filter(is_concluded=True)
    return labs


@seats_page
class LabListView(ListView):
    template_name = "labs/lab_list.html"
    context_object_name = "labs"
    paginate_by = 12

    def get_queryset(self):
        self.form = LabFilterForm(self.request.GET or None)
        return labs_filtered(self.form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        context["filtered"] = any(self.request.GET.get(name) for name in ("area", "anno", "stato"))
        context["breadcrumbs"] = [(_("Laboratori"), "")]
        return context


def _meetings_for_page():
    return Meeting.objects.with_seats_taken().select_related("venue", "lab").order_by("order", "starts_at")


@seats_page
class LabDetailView(PreviewMixin, DetailView):
    template_name = "labs/lab_detail.html"
    context_object_name = "lab"

    def get_queryset(self):
        # publications depends on labs, not the other way round: the lab reaches them through the reverse relation.
        publications = Lab.publications.rel.related_model.objects.published()
        # The lab's rubrica: the news that point to it, newest first (labs/_rubrica.html, and the per-lab feed).
        articles = Lab.articles.rel.related_model.objects.published().order_by("-date", "-pk")
        return Lab.objects.select_related("project__programme").prefetch_related(
            "areas",
            Prefetch("project__funding_lines", queryset=FundingLine.objects.select_related("programme")),
            "contacts",
            Prefetch("meetings", queryset=_meetings_for_page(), to_attr="meeting_list"),
            Prefetch("publications", queryset=publications, to_attr="publication_list"),
            Prefetch("articles", queryset=articles, to_attr="rubrica_list"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lab: Lab = self.object
        meetings = lab.meeting_list
        dated = [m for m in meetings if m.starts_at]
        venues = []
        for meeting in meetings:
            if meeting.venue and meeting.format != Meeting.Format.ONLINE and meeting.venue not in venues:
                venues.append(meeting.venue)
        context.update(
            meetings=meetings,
            first_start=min((m.starts_at for m in dated), default=None),
            last_start=max((m.starts_at for m in dated), default=None),
            venues=venues,
            has_online=any(m.is_online for m in meetings),
            concluded=lab.concluded(meetings),
            # "Iscriviti a tutto il laboratorio" is worth offering only when it covers more than one meeting.
            whole_lab_open=sum(1 for m in meetings if m.registration_open) > 1,
            # The header's date range is made of sample dates when any of its meetings' is: it says so.
            has_sample_dates=any(m.is_sample for m in dated),
            last_updated=max([lab.updated_at, *(m.updated_at for m in meetings)]),
            jsonld=[meeting_event_jsonld(m, self.request) for m in dated],
            breadcrumbs=[(_("Laboratori"), reverse("labs:list")), (lab.display_title, "")],
        )
        return context


@seats_page
class MeetingDetailView(PreviewMixin, DetailView):
    template_name = "labs/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return Meeting.objects.with_seats_taken().select_related("lab", "venue")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting: Meeting = self.object
        other_meetings = list(
            Meeting.objects.filter(lab_id=meeting.lab_id).exclude(pk=meeting.pk).order_by("order", "starts_at")
        )
        for other in other_meetings:
            other.lab = meeting.lab  # registration_open reads lab.published: no query per meeting
        context.update(
            other_meetings=other_meetings,
            whole_lab_open=sum(1 for m in [meeting, *other_meetings] if m.registration_open) > 1,
            google_url=calendar.google_calendar_url(meeting),
            outlook_url=calendar.outlook_calendar_url(meeting),
            location=calendar.meeting_location(meeting),
            jsonld=[meeting_event_jsonld(meeting, self.request)] if meeting.starts_at else [],
            breadcrumbs=[
                (_("Laboratori"), reverse("labs:list")),
                (meeting.lab.display_title, meeting.lab.get_absolute_url()),
                (meeting.display_title, ""),
            ],
        )
        return context


def _ics_response(content: bytes, filename: str, *, draft: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    if draft:  # a staff preview (core.visibility): never kept by any cache
        response["Cache-Control"] = "private, no-store"
    return response


def meeting_ics(request, pk: int):
    # A meeting without a date has no calendar entry: 404, not an empty (invalid) calendar.
    meeting = visible_object_or_404(
        request, Meeting.objects.filter(starts_at__isnull=False).select_related("lab", "venue"), pk=pk
    )
    content = calendar.public_calendar([meeting], name=calendar.meeting_summary(meeting))
    return _ics_response(content, f"incontro-{meeting.pk}", draft=meeting.is_draft)


def lab_ics(request, slug: str):
    lab = visible_object_or_404(request, Lab.objects.all(), slug=slug)
    meetings = list(
        Meeting.objects.filter(lab=lab, starts_at__isnull=False).select_related("lab", "venue").order_by("starts_at")
    )
    if not meetings:  # the lab page offers no calendar until a date is set
        raise Http404
    return _ics_response(
        calendar.public_calendar(meetings, name=lab.display_title), slugify(lab.slug), draft=lab.is_draft
    )


def calendar_ics(request):
    # Cancelled meetings stay, marked CANCELLED: a subscriber's calendar must learn that a meeting it shows is off.
    meetings = Meeting.objects.published().upcoming(with_cancelled=True).select_related("lab", "venue")
    return _ics_response(calendar.public_calendar(meetings, name=_("Incontri di AnciLab")), "ancilab-incontri")
