"""Admin actions that need a parameter: an intermediate page carrying the changelist selection (like Django's delete
confirmation). Shared by every app's ModelAdmin; imports no domain app."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

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
