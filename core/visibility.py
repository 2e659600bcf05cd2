"""What a request may see of the public content: the published rows for everybody, and drafts too for staff who may
view that model in the admin (the preview behind the admin's "Vedi sul sito").

"Published" itself is defined once per model, by its queryset's ``published()``; this module only chooses between it
and the whole table, so every detail view (and the lab programme PDF) applies the same rule.

Previews never reach a shared cache: a signed-in person is never a "shared visitor" (core.cache), so cached_page
neither serves nor stores their pages, and website.middleware marks their pages ``private, no-store``. An anonymous
request for a draft is a 404, which is never stored.
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.views.static import serve

# The folders of MEDIA_ROOT that anyone may fetch by URL (/media/<folder>/…): the content's images and thumbnails,
# publication files and the catalogue PDFs. Every other upload is private (meeting materials in materiali/, staff
# message attachments in messaggi/) and reached only through a view that checks who asks (labs.material_views).
# tests/labs/test_material_download.py pins every FileField's upload_to against this list, so a new private upload is not
# published by accident.
PUBLIC_MEDIA_FOLDERS = frozenset({"covers", "labs", "pdf", "projects", "thumbs"})
# The private folders and who may still open their files by URL: staff with the view permission on the model they
# belong to, so the admin's "Attualmente: <file>" links work for the people who manage them (never cached).
PRIVATE_MEDIA_FOLDERS = {
    "materiali": "labs.view_meetingmaterial",
    "messaggi": "registrations.view_staffmessage",
    "publications": "publications.view_publication",
}


def can_preview(request: HttpRequest, model: type[Model]) -> bool:
    """Staff with the view permission on ``model`` see its unpublished rows on the public site."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def visible_object_or_404(request: HttpRequest, queryset: QuerySet, **lookup) -> Model:
    """The object of a public detail page: from ``queryset.published()`` for the public (404 for a draft), from the
    whole ``queryset`` for staff who may preview it. The object carries ``is_draft`` (True when the public cannot see
    it), which templates/base.html turns into the "Bozza — non pubblicato" banner."""
    if not can_preview(request, queryset.model):
        found = queryset.published().filter(**lookup)
        draft = False
    else:
        found = queryset.filter(**lookup)
        draft = None
    try:
        obj = found.get()
    except queryset.model.DoesNotExist:
        raise Http404 from None
    if draft is None:  # one more query, for previewing staff only: the public pages' query counts do not change
        draft = not queryset.model._default_manager.published().filter(pk=obj.pk).exists()
    obj.is_draft = draft
    return obj


class PreviewMixin:
    """For a DetailView whose get_queryset() returns every row (published or not): the object as
    visible_object_or_404 finds it from the URL's slug or pk."""

    def get_object(self, queryset=None):
        return visible_object_or_404(
            self.request, queryset if queryset is not None else self.get_queryset(), **self.kwargs
        )


def public_media(request: HttpRequest, path: str) -> FileResponse:
    """/media/<path>: the file when it lies in one of PUBLIC_MEDIA_FOLDERS, or in one of PRIVATE_MEDIA_FOLDERS for staff
    with its view permission; else 404 (never a hint that it exists).
    The path is normalised first, as serve() does, so "projects/../materiali/…" is judged by where it really leads."""
    normalized = posixpath.normpath(path).lstrip("/")
    folder, separator, _rest = normalized.partition("/")
    if separator and folder in PUBLIC_MEDIA_FOLDERS:
        return serve(request, normalized, document_root=settings.MEDIA_ROOT)
    permission = PRIVATE_MEDIA_FOLDERS.get(folder) if separator else None
    user = getattr(request, "user", None)
    if permission is None or user is None or not user.is_staff or not user.has_perm(permission):
        raise Http404
    response = serve(request, normalized, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
