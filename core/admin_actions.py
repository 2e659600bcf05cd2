"""Admin actions that need a parameter: an intermediate page carrying the changelist selection (like Django's delete
confirmation). Shared by every app's ModelAdmin; imports no domain app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy, ngettext

SELECTED = helpers.ACTION_CHECKBOX_NAME


class ActionForm(forms.Form):
    """Carries the changelist selection through an intermediate page, the way Django's delete confirmation does."""

    action = forms.CharField(widget=forms.HiddenInput)
    select_across = forms.BooleanField(required=False, widget=forms.HiddenInput)


def render_action_form(
    modeladmin: admin.ModelAdmin, request, queryset, *, form, title: str, submit_label: str, **extra
) -> TemplateResponse:
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "queryset": queryset,
        "form": form,
        "media": modeladmin.media + form.media,
        "action_checkbox_name": SELECTED,
        "submit_label": submit_label,
        **extra,
    }
    return TemplateResponse(request, "admin/backoffice/action_form.html", context)


def action_initial(request) -> dict:
    return {"action": request.POST.get("action", ""), "select_across": request.POST.get("select_across", "0")}


def form_action(
    modeladmin: admin.ModelAdmin,
    request,
    queryset,
    form_class: type[forms.Form],
    *,
    apply: Callable[[dict[str, Any]], None],
    title: str,
    submit_label: str,
    intro: str | Callable[[], str] = "",
    shown=None,
) -> TemplateResponse | None:
    """An action with an intermediate page: the page shows ``form_class`` (bound once its "apply" button is pressed);
    a valid form calls ``apply(cleaned_data)`` and the changelist comes back. ``intro`` may be a callable, so counts
    it states are queried only when the page is shown; ``shown``: the rows listed on the page (default ``queryset``)."""
    form = form_class(request.POST if "apply" in request.POST else None, initial=action_initial(request))
    if form.is_bound and form.is_valid():
        apply(form.cleaned_data)
        return None
    return render_action_form(
        modeladmin,
        request,
        queryset if shown is None else shown,
        form=form,
        title=title,
        submit_label=submit_label,
        intro=intro() if callable(intro) else intro,
    )


def _set_published(modeladmin: admin.ModelAdmin, request, queryset, value: bool) -> None:
    # One save per row, not queryset.update(): the save is what records the history and bumps the content version
    # (core.cache), so cached public pages show the change.
    field = getattr(modeladmin, "publish_field", "published")
    changed = 0
    for obj in queryset:
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            obj.save(update_fields=[field, "updated_at"] if hasattr(obj, "updated_at") else [field])
            changed += 1
    if value:
        message = ngettext("%(count)d elemento pubblicato.", "%(count)d elementi pubblicati.", changed)
    else:
        message = ngettext("%(count)d elemento ritirato dal sito.", "%(count)d elementi ritirati dal sito.", changed)
    modeladmin.message_user(request, message % {"count": changed}, messages.SUCCESS)


@admin.action(description=gettext_lazy("Pubblica"), permissions=["change"])
def publish(modeladmin: admin.ModelAdmin, request, queryset) -> None:
    """Publishing is an explicit act (issue 16): new content is a draft. A "pubblica dal" date in the future still
    holds the item back until then."""
    _set_published(modeladmin, request, queryset, True)


@admin.action(description=gettext_lazy("Ritira"), permissions=["change"])
def unpublish(modeladmin: admin.ModelAdmin, request, queryset) -> None:
    _set_published(modeladmin, request, queryset, False)
