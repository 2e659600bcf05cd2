"""Celery tasks of the PDF package: thin, named, primary-key arguments (the work is in exports.py)."""

from __future__ import annotations

import logging

from celery import shared_task

from .exports import BUILD_TASK, catalogue_export_build, pdf_exports_purge

logger = logging.getLogger(__name__)


@shared_task(name=BUILD_TASK)
def build_catalogue_export(export_id: int) -> None:
    catalogue_export_build(export_id=export_id)


@shared_task(name="documents.purge_exports")
def purge_exports() -> None:
    """Periodic (Celery beat): built catalogues older than exports.EXPORT_MAX_AGE or superseded, with their files."""
    result = pdf_exports_purge()
    logger.info("PDF exports purged: %s rows, %s files", result.rows, result.files)
