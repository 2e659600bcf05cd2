"""The download of a meeting material's file: the published rule applied to a file, as the meeting page applies it
to the list. /media/ never serves these files (core.visibility.PUBLIC_MEDIA_FOLDERS)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest

from core.visibility import visible_object_or_404

from .models import MeetingMaterial

# A published file may change or be withdrawn: browsers keep it an hour, not longer.
PUBLISHED_CACHE_CONTROL = "public, max-age=3600"
# A draft reaches only previewing staff: never stored anywhere.
DRAFT_CACHE_CONTROL = "private, no-store"


def material_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file of a published material for everybody, of any material for staff who may view materials; 404 else
    (also for a link or recording, which has no file, and for a file missing from the disk)."""
    material = visible_object_or_404(request, MeetingMaterial.objects.exclude(file=""), pk=pk)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=material.download_name, content_type=material.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = DRAFT_CACHE_CONTROL if material.is_draft else PUBLISHED_CACHE_CONTROL
    return response
