"""Celery tasks of the PDF package: thin, named, primary-key arguments (the work is in exports.py)."""

from __future__ import annotations

from celery import shared_task

from .exports import catalogue_export_build


@shared_task(name="pdf.build_catalogue_export")
def build_catalogue_export(export_id: int) -> None:
    catalogue_export_build(export_id=export_id)
