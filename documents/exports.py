"""Catalogues too large to render during a request: a PdfExport row, a Celery task, a file under MEDIA_ROOT.

The row is the state (pending -> running -> ready/failed) and the dedup key: every request for the same document version
finds the same row, so a catalogue is built once however many people (or refreshes) ask for it. Rows and files nobody
will be served again are purged by a periodic task (``pdf_exports_purge``).
"""

from __future__ import annotations

import datetime
import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone, translation

from documents.models import PdfExport

from . import documents

logger = logging.getLogger(__name__)

# A failed build is shown as failed for this long before a new request may try again (no retry storm from refreshes).
FAILED_RETRY_AFTER = datetime.timedelta(minutes=10)
# How long a built catalogue is kept. The view only serves the export of the current document version, so an old file
# is dead weight on the disk; a week still lets staff download a recent one from the admin list, and a catalogue asked
# for again after the purge is simply rebuilt.
EXPORT_MAX_AGE = datetime.timedelta(days=7)
# The folder of PdfExport.file (upload_to): nothing else is stored there, which is what makes the orphan sweep safe.
EXPORT_DIRECTORY = "pdf"


def _stale_running_before() -> datetime.datetime:
    """A row still "running" after the task's hard time limit lost its worker and may be claimed again."""
    return timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


# --- Bounds on rendering (issue 14: anonymous requests could keep every CPU busy with WeasyPrint) --------------------
RENDER_COUNTER_KEY = "render-slots:pdf"  # outside the "pdf:" namespace of the documents themselves


@contextmanager
def render_slot(*, wait: float = 0) -> Iterator[bool]:
    """One of the PDF_MAX_CONCURRENT_RENDERS render slots shared by every process (a counter in the shared cache).
    Yields True when granted; False when every slot stayed busy for ``wait`` seconds: the caller then answers "in
    preparazione" instead of rendering. The counter expires after the task time limit, so a process killed while
    holding a slot cannot block rendering for longer than that. A cache that is down grants the slot (fail open, like
    the registration rate limits): the per-client rate limit still applies."""
    limit = settings.PDF_MAX_CONCURRENT_RENDERS
    deadline = time.monotonic() + wait
    while True:
        try:
            cache.add(RENDER_COUNTER_KEY, 0, timeout=settings.CELERY_TASK_TIME_LIMIT)
            running = cache.incr(RENDER_COUNTER_KEY)
        except Exception:
            logger.warning("PDF render slots: cache unavailable, render not bounded", exc_info=True)
            yield True
            return
        if not limit or running <= limit:
            break
        _release_slot()
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(0.5)
    try:
        yield True
    finally:
        _release_slot()


def _release_slot() -> None:
    try:
        cache.decr(RENDER_COUNTER_KEY)
    except ValueError:  # the counter expired meanwhile: nothing to give back
        return
    except Exception:  # a cache that is down: the counter expires on its own
        logger.warning("PDF render slots: cache unavailable, slot not released", exc_info=True)


def _stale(export: PdfExport) -> bool:
    """A pending row whose enqueue was lost, or a running row whose worker died (killed, or an in-process build cut
    by the server's timeout), once older than the task's time limit: it is built again, never waited for."""
    limit = _stale_running_before()
    if export.status == PdfExport.Status.RUNNING:
        return export.started_at is None or export.started_at < limit
    return export.status == PdfExport.Status.PENDING and export.created_at < limit


def catalogue_export_existing(*, key: str, take_over: bool = True) -> PdfExport | None:
    """The row a request for the document ``key`` is served from (ready, being built, or failed a moment ago), or
    None when a new build is needed. A stale row is taken over (unless ``take_over`` is False: a mere look): its
    build is enqueued again, and catalogue_export_build claims a stale running row."""
    recent_failure = Q(status=PdfExport.Status.FAILED, finished_at__gte=timezone.now() - FAILED_RETRY_AFTER)
    existing = (
        PdfExport.objects.filter(kind=PdfExport.Kind.CATALOGUE, cache_key=key)
        .filter(
            Q(status__in=[PdfExport.Status.PENDING, PdfExport.Status.RUNNING, PdfExport.Status.READY]) | recent_failure
        )
        .order_by("-created_at")
        .first()
    )
    if existing is None:
        return None
    # A ready row whose file has gone (media cleaned up, another server's disk) is rebuilt rather than served as a 500.
    if existing.status == PdfExport.Status.READY and not (
        existing.file and existing.file.storage.exists(existing.file.name)
    ):
        return None
    if take_over and _stale(existing):
        logger.warning(
            "PDF export %s is stale (%s since %s): building it again",
            existing.pk,
            existing.status,
            existing.started_at or existing.created_at,
        )
        export_id = existing.pk
        transaction.on_commit(lambda: _enqueue(export_id))
    return existing


def catalogue_export_request(*, params: dict[str, str], language: str, user=None) -> PdfExport:
    """The export of the catalogue for ``params`` in ``language``: an existing one when the same document version is
    ready, being built, or failed a moment ago; otherwise a new row whose build is enqueued after commit.

    Raises documents.InvalidFilters for parameters the catalogue refuses.
    """
    with translation.override(language):
        ids, latest, filters = documents.catalogue_selection(params)
        key = documents.catalogue_key(ids, latest, filters)
    existing = catalogue_export_existing(key=key)
    if existing is not None:
        return existing
    with transaction.atomic():
        export = PdfExport.objects.create(
            kind=PdfExport.Kind.CATALOGUE,
            params=params,
            language=language,
            cache_key=key,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        transaction.on_commit(lambda: _enqueue(export.pk))
    return export


# documents/tasks.py wraps this module, so the task is looked up by its name instead of imported.
BUILD_TASK = "documents.build_catalogue_export"


def _enqueue(export_id: int) -> None:
    if current_app.conf.task_always_eager and settings.PDF_BUILD_IN_THREAD:
        # No broker (development, a single-server install): the build would run inside the request and die with it
        # when the server's timeout kills the worker (gunicorn: 30 s), leaving the row "running". A thread of its own
        # lets the request answer "in preparazione" at once; a process that dies anyway leaves a stale row, which the
        # next request takes over (catalogue_export_existing).
        threading.Thread(
            target=_build_in_thread, args=(export_id,), name=f"pdf-export-{export_id}", daemon=True
        ).start()
        return
    try:
        current_app.tasks[BUILD_TASK].delay(export_id)
    except Exception:  # broker down: the row stays pending and the next request after the time limit enqueues it again
        logger.exception("Could not enqueue the build of PDF export %s", export_id)


def _build_in_thread(export_id: int) -> None:
    try:
        catalogue_export_build(export_id=export_id)
    except Exception:
        logger.exception("In-process build of PDF export %s failed", export_id)
    finally:
        connections.close_all()  # this thread's own database connections


def _set_progress(export_id: int, percent: int) -> None:
    PdfExport.objects.filter(pk=export_id).update(progress=percent)


def catalogue_export_build(*, export_id: int) -> PdfExport | None:
    """Build the file of a pending export. Idempotent: a row already claimed, ready or failed is left alone."""
    claimed = (
        PdfExport.objects.filter(pk=export_id)
        .filter(
            Q(status=PdfExport.Status.PENDING)
            | Q(status=PdfExport.Status.RUNNING, started_at__lt=_stale_running_before())
        )
        .update(status=PdfExport.Status.RUNNING, started_at=timezone.now(), progress=5)
    )
    if not claimed:
        return None
    export = PdfExport.objects.get(pk=export_id)
    try:
        with translation.override(export.language):
            ids, _latest, filters = documents.catalogue_selection(export.params)
            _set_progress(export_id, 15)
            # Builds share the render slots with the requests, waiting for one rather than adding to the load.
            with render_slot(wait=settings.CELERY_TASK_TIME_LIMIT / 2):
                pdf = documents.render_catalogue(ids, filters, progress=lambda p: _set_progress(export_id, p))
        _set_progress(export_id, 90)
        name = f"catalogo-{timezone.localdate():%Y%m%d}-{export.pk}.pdf"
        export.file.save(name, ContentFile(pdf), save=False)
        export.status = PdfExport.Status.READY
        export.progress = 100
        export.error = ""
    except Exception as exc:  # the failure is recorded on the row for the admin to see
        logger.exception("PDF export %s failed", export_id)
        export.status = PdfExport.Status.FAILED
        export.error = f"{type(exc).__name__}: {exc}"[:2000]
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "progress", "error", "finished_at"])
    return export


@dataclass(frozen=True)
class PurgeResult:
    rows: int
    files: int


def pdf_exports_purge(*, max_age: datetime.timedelta = EXPORT_MAX_AGE) -> PurgeResult:
    """Delete the exports nobody will be served again, and their files:

    - every export requested more than ``max_age`` ago, except one a worker is building right now;
    - a ready export superseded by a newer ready one of the same document (same key) or of the same request (same
      kind, language and parameters: the content has changed since, and the view serves the current version only);
    - files under ``pdf/`` that no row points to (a row deleted in the admin leaves its file), once older than
      ``max_age`` (a file being written has no row pointing to it yet, hence the age).

    Idempotent: a second run deletes nothing. Rows go first: a file whose deletion fails is an orphan that the next
    run sweeps, whereas a row left without its file would only cost a rebuild (the view checks the file exists).
    """
    now = timezone.now()
    building = Q(status=PdfExport.Status.RUNNING, started_at__gte=_stale_running_before())
    doomed = set(PdfExport.objects.filter(created_at__lt=now - max_age).exclude(building).values_list("pk", flat=True))
    seen_keys: set[str] = set()
    seen_requests: set[tuple[str, str, str]] = set()
    ready = PdfExport.objects.filter(status=PdfExport.Status.READY).order_by("-created_at", "-pk")
    for pk, key, kind, language, params in ready.values_list("pk", "cache_key", "kind", "language", "params"):
        request = (kind, language, json.dumps(params, sort_keys=True))
        if key in seen_keys or request in seen_requests:
            doomed.add(pk)
        seen_keys.add(key)
        seen_requests.add(request)

    with transaction.atomic():
        targets = PdfExport.objects.filter(pk__in=doomed).exclude(building)
        names = [name for name in targets.values_list("file", flat=True) if name]
        rows, _ = targets.delete()
    files = sum(_delete_file(name) for name in names)

    storage = _storage()
    referenced = set(PdfExport.objects.exclude(file="").values_list("file", flat=True))
    try:
        _dirs, listed = storage.listdir(EXPORT_DIRECTORY)
    except FileNotFoundError:  # no export was ever built on this disk
        listed = []
    for filename in listed:
        name = f"{EXPORT_DIRECTORY}/{filename}"
        if name not in referenced and storage.get_modified_time(name) < now - max_age:
            files += _delete_file(name)
    return PurgeResult(rows=rows, files=files)


def _storage():
    return PdfExport._meta.get_field("file").storage


def _delete_file(name: str) -> int:
    storage = _storage()
    try:
        if not storage.exists(name):
            return 0
        storage.delete(name)
    except OSError:  # left for the next run's orphan sweep
        logger.warning("Could not delete the PDF export file %s", name, exc_info=True)
        return 0
    return 1
