"""Fixtures of the security regression tests (issue 14): tasks run in-process, pages start in Italian."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from ancilab_portal.celery import app as celery_app
from documents import tasks as _documents_tasks  # noqa: F401 - registers the tasks with the eager app
from registrations import tasks as _registrations_tasks  # noqa: F401


@pytest.fixture(autouse=True)
def eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield celery_app
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _italian():
    translation.activate("it")
    yield
    translation.activate("it")


CODE = re.compile(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", re.MULTILINE)


def request_login_code(client, email: str):
    """Step 1 of the code login, as a visitor does it: the login form with only an address."""
    mail.outbox.clear()
    return client.post(reverse("account_login"), {"login": email})


def login_code_in(message) -> str:
    return CODE.search(message.body).group(1)


def confirm_login_code(client, code: str):
    return client.post(reverse("account_confirm_login_code"), {"code": code})
