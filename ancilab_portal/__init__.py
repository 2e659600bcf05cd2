"""The AnciLab portal project package: settings, URLs, Celery app, and the portal-wide pieces (home, health, demo)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
