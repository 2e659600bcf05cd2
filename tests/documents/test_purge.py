"""Purge of built catalogues (exports.pdf_exports_purge, task documents.purge_exports): which rows and files remain."""

from __future__ import annotations

import datetime
import os

import pytest
from celery import current_app
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from documents import exports
from documents.exports import PurgeResult, pdf_exports_purge
from documents.models import PdfExport

pytestmark = pytest.mark.django_db

Status = PdfExport.Status


def _export(name: str, *, age_days: float, status=Status.READY, key=None, params=None, language="it", started=None):
    """A row requested ``age_days`` ago (created_at is auto_now_add, hence the update), with a file when ready."""
    export = PdfExport.objects.create(
        cache_key=key or name, params=params or {"area": name}, language=language, status=status, started_at=started
    )
    if status == Status.READY:
        export.file.save(f"{name}.pdf", ContentFile(b"%PDF-1.7 " + name.encode()), save=True)
    PdfExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - datetime.timedelta(days=age_days))
    export.refresh_from_db()
    return export


def _orphan(name: str, *, age_days: float) -> str:
    saved = default_storage.save(name, ContentFile(b"%PDF-1.7 orphan"))
    when = (timezone.now() - datetime.timedelta(days=age_days)).timestamp()
    os.utime(default_storage.path(saved), (when, when))
    return saved


def _files() -> list[str]:
    root = default_storage.path("")
    return sorted(
        os.path.relpath(os.path.join(folder, name), root) for folder, _dirs, names in os.walk(root) for name in names
    )


def test_purge_deletes_old_superseded_and_orphaned_exports_and_keeps_the_rest():
    now = timezone.now()
    _export("vecchio", age_days=8)
    _export("fallito", age_days=8, status=Status.FAILED)
    _export("in-coda", age_days=8, status=Status.PENDING)
    _export("abbandonato", age_days=8, status=Status.RUNNING, started=now - datetime.timedelta(days=8))
    # Requested long ago (the broker was down) but claimed by a worker a moment ago: never deleted under its feet.
    building = _export("in-corso", age_days=8, status=Status.RUNNING, started=now - datetime.timedelta(seconds=30))
    # The same request (area=welfare, Italian) built twice, the content having changed in between: the older is dead.
    _export("welfare-v1", age_days=2, params={"area": "welfare"})
    welfare_v2 = _export("welfare-v2", age_days=1, params={"area": "welfare"})
    # The same request in English is another document.
    welfare_en = _export("welfare-en", age_days=2, params={"area": "welfare"}, language="en")
    # The same document (same key) rebuilt because its file had gone missing.
    _export("chiave-v1", age_days=3, key="k-innovazione")
    same_key_v2 = _export("chiave-v2", age_days=1, key="k-innovazione")
    # A newer request still being built does not supersede a ready one: it may yet fail.
    recent = _export("recente", age_days=1, params={"area": "mobilita"})
    recent_pending = _export("recente-in-coda", age_days=0, status=Status.PENDING, params={"area": "mobilita"})
    _orphan("pdf/catalogo-20240101-999.pdf", age_days=8)
    new_orphan = _orphan("pdf/catalogo-oggi-1000.pdf", age_days=0)
    old_cover = _orphan("covers/copertina.jpg", age_days=30)

    result = pdf_exports_purge()

    # Six rows; the files of the three ready ones among them, and the old orphan.
    assert result == PurgeResult(rows=6, files=4)
    remaining = set(PdfExport.objects.values_list("pk", flat=True))
    assert remaining == {building.pk, welfare_v2.pk, welfare_en.pk, same_key_v2.pk, recent.pk, recent_pending.pk}
    assert _files() == sorted(
        [
            old_cover,
            new_orphan,
            welfare_v2.file.name,
            welfare_en.file.name,
            same_key_v2.file.name,
            recent.file.name,
        ]
    )
    # Idempotent: nothing left to delete.
    assert pdf_exports_purge() == PurgeResult(rows=0, files=0)


def test_purge_without_any_export_or_folder_does_nothing():
    assert pdf_exports_purge() == PurgeResult(rows=0, files=0)


def test_a_row_whose_file_is_already_gone_is_deleted_without_error():
    export = _export("sparito", age_days=10)
    export.file.storage.delete(export.file.name)
    assert pdf_exports_purge() == PurgeResult(rows=1, files=0)
    assert not PdfExport.objects.exists()


def test_the_periodic_task_is_registered_by_name_and_purges():
    _export("vecchio", age_days=exports.EXPORT_MAX_AGE.days + 1)
    kept = _export("nuovo", age_days=exports.EXPORT_MAX_AGE.days - 1)
    current_app.tasks["documents.purge_exports"].apply().get()
    assert list(PdfExport.objects.values_list("pk", flat=True)) == [kept.pk]
    assert _files() == [kept.file.name]


def test_a_purged_catalogue_is_requested_again_as_a_new_export(django_capture_on_commit_callbacks):
    """After the purge the view finds no row for the document and enqueues a rebuild (no 500 on a missing file)."""
    old = _export("catalogo", age_days=8, key="k-catalogo", params={})
    pdf_exports_purge()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = exports.catalogue_export_request(params={}, language="it")
    assert again.pk != old.pk
    assert again.status == Status.PENDING
    assert len(callbacks) == 1


def test_the_command_purges_and_says_how_much():
    from io import StringIO

    from django.core.management import call_command

    old = _export("vecchio", age_days=8)
    kept = _export("recente", age_days=1)
    out = StringIO()
    call_command("purge_pdf_exports", stdout=out)
    assert out.getvalue() == "Deleted 1 exports and 1 files.\n"
    assert list(PdfExport.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not default_storage.exists(old.file.name)
    out = StringIO()
    call_command("purge_pdf_exports", stdout=out)
    assert out.getvalue() == "Deleted 0 exports and 0 files.\n"


def test_the_purge_runs_nightly_on_beat():
    from ancilab_portal.celery import app

    entry = app.conf.beat_schedule["documents-purge-exports"]
    assert entry["task"] == "documents.purge_exports"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({4}, {15})
