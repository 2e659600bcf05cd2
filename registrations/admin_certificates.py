"""The certificates in the admin: the list of certificates issued (the log of which were emailed, when, and whether the
email left), and the "Genera e invia attestati" action of meetings and labs, which calls certificates_send.

Staff read certificates with the registrations' view permission and send them with the change permission (the
attendance permission): certificates are derived from attendance, so the registrations desk needs no new grant.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin_actions import ActionForm, action_initial, render_action_form
from labs.models import Meeting

from .certificates import certificates_send, format_hours, held_meetings_q
from .models import Certificate, Registration, is_anonymised


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = [
        "display_code",
        "last_name",
        "first_name",
        "kind",
        "lab",
        "meeting",
        "hours",
        "issued_at",
        "emailed_at",
        "email_status",
    ]
    list_filter = ["kind", "lab", "emailed_at", "email_message__status"]
    search_fields = ["code", "last_name", "first_name", "email", "organization"]
    list_select_related = ["lab", "meeting", "meeting__lab", "email_message"]
    date_hierarchy = "issued_at"
    fields = [
        "code",
        "kind",
        "lab",
        "meeting",
        "first_name",
        "last_name",
        "email",
        "organization",
        "role",
        "hours_attended",
        "hours_offered",
        "meetings_attended",
        "meetings_offered",
        "issued_at",
        "emailed_at",
        "email_message",
        "registration",
        "links",
    ]
    readonly_fields = fields

    def _may_view(self, request) -> bool:
        return request.user.has_perm("registrations.view_registration")

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may_view(request)

    def has_module_permission(self, request) -> bool:
        return self._may_view(request)

    def has_add_permission(self, request) -> bool:
        return False  # issued from attendance by the services, never typed in

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a certificate somebody printed must stay verifiable; GDPR erasure removes it

    @admin.display(description=gettext_lazy("codice"), ordering="code")
    def display_code(self, obj: Certificate) -> str:
        return obj.display_code

    @admin.display(description=gettext_lazy("ore"))
    def hours(self, obj: Certificate) -> str:
        attended = format_hours(obj.hours_attended)
        if obj.kind == Certificate.Kind.LAB and obj.hours_offered is not None:
            return _("%(attended)s su %(offered)s") % {
                "attended": attended or "0",
                "offered": format_hours(obj.hours_offered),
            }
        return attended or "–"

    @admin.display(description=gettext_lazy("stato dell'email"), ordering="email_message__status")
    def email_status(self, obj: Certificate) -> str:
        if obj.email_message_id is None:
            return _("inviata (riga eliminata)") if obj.emailed_at else _("non inviata")
        return obj.email_message.get_status_display()

    @admin.display(description=gettext_lazy("documenti"))
    def links(self, obj: Certificate) -> str:
        verify = format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Pagina pubblica di verifica"))
        if obj.registration_id is None:
            return verify
        name = "pdf:certificate" if obj.kind == Certificate.Kind.LAB else "pdf:meeting_certificate"
        return format_html('<a href="{}">{}</a> · {}', reverse(name, args=[obj.registration_id]), _("PDF"), verify)


# --- "Genera e invia attestati" ---------------------------------------------------------------------------------------
class CertificateActions:
    """Mixed into the meeting and lab admins (registrations/admin.py). ``certificate_scope`` is "meeting" or "lab"."""

    certificate_scope = "meeting"

    def has_certificates_permission(self, request) -> bool:
        return request.user.has_perm("registrations.change_registration")

    def _attendee_emails(self, obj) -> set[str]:
        attended = Registration.objects.filter(attended=True)
        if self.certificate_scope == "meeting":
            attended = attended.filter(meeting=obj)
        else:
            attended = attended.filter(meeting__lab=obj).filter(held_meetings_q("meeting__"))
        return {email.lower() for email in attended.values_list("email", flat=True) if not is_anonymised(email)}

    def _already_emailed(self, obj) -> int:
        certificates = Certificate.objects.filter(emailed_at__isnull=False)
        if self.certificate_scope == "meeting":
            return certificates.filter(kind=Certificate.Kind.MEETING, meeting=obj).count()
        return certificates.filter(kind=Certificate.Kind.LAB, lab=obj).count()

    @admin.action(description=gettext_lazy("Genera e invia attestati"), permissions=["certificates"])
    def send_certificates(self, request, queryset):
        objects = list(queryset.order_by("pk"))
        form = ActionForm(request.POST if "apply" in request.POST else None, initial=action_initial(request))
        if form.is_bound and form.is_valid():
            for obj in objects:
                scope = {"meeting_id": obj.pk} if self.certificate_scope == "meeting" else {"lab_id": obj.pk}
                result = certificates_send(**scope)
                self.message_user(
                    request,
                    _("«%(title)s»: %(issued)s; %(queued)s; %(already)s")
                    % {
                        "title": obj.title,
                        "issued": ngettext("%(count)d attestato", "%(count)d attestati", len(result.issued))
                        % {"count": len(result.issued)},
                        "queued": ngettext("%(count)d email in coda", "%(count)d email in coda", len(result.queued))
                        % {"count": len(result.queued)},
                        "already": ngettext(
                            "%(count)d già inviato in precedenza",
                            "%(count)d già inviati in precedenza",
                            len(result.already_sent),
                        )
                        % {"count": len(result.already_sent)},
                    },
                    messages.SUCCESS if result.issued else messages.WARNING,
                )
            return None
        people = sum(len(self._attendee_emails(obj)) for obj in objects)
        already = sum(self._already_emailed(obj) for obj in objects)
        intro = ngettext(
            "%(count)d persona risulta presente.",
            "%(count)d persone risultano presenti.",
            people,
        ) % {"count": people}
        intro += " " + ngettext(
            "%(count)d ha già ricevuto l'attestato e non lo riceverà di nuovo; gli altri ricevono un'email con il "
            "link al proprio attestato in PDF e il codice di verifica.",
            "%(count)d hanno già ricevuto l'attestato e non lo riceveranno di nuovo; gli altri ricevono un'email con "
            "il link al proprio attestato in PDF e il codice di verifica.",
            already,
        ) % {"count": already}
        if self.certificate_scope == "lab":
            intro += " " + _(
                "L'attestato del laboratorio riporta gli incontri frequentati e le ore di presenza sulle ore degli "
                "incontri svolti finora."
            )
        return render_action_form(
            self,
            request,
            queryset,
            form=form,
            title=_("Genera e invia attestati"),
            submit_label=_("Genera e invia"),
            intro=intro,
        )

    def certificates_url(self, obj_id) -> str:
        changelist = reverse("admin:registrations_certificate_changelist")
        if self.certificate_scope == "meeting":
            return f"{changelist}?meeting__id__exact={obj_id}"
        return f"{changelist}?lab__id__exact={obj_id}&kind__exact=lab"


def attended_certificate_links(registration: Registration) -> dict[str, str]:
    """The staff PDF links of a registration's change page (empty when the person was not marked present)."""
    if not registration.attended:
        return {}
    links = {"meeting_certificate_url": reverse("pdf:meeting_certificate", args=[registration.pk])}
    if Meeting.objects.filter(lab_id=registration.meeting.lab_id).exclude(pk=registration.meeting_id).exists():
        links["lab_certificate_url"] = reverse("pdf:certificate", args=[registration.pk])
    return links
