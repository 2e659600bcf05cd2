"""Finding 3: anonymous PDF renders are bounded. One document per resolved content (not per query string), a per-client
rate limit on renders, a cap on renders at the same time, stale builds taken over, in-process builds off the request."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.test import Client
from django.utils import timezone

from documents import documents, exports
from documents.models import PdfExport
from documents.rendering import RENDERS
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
URL = "/progetti/catalogo.pdf"


@pytest.fixture
def projects():
    return [ProjectFactory(budget="100000.00"), ProjectFactory(budget="200000.00")]


def _renders(call) -> int:
    before = RENDERS.count
    call()
    return RENDERS.count - before


def test_budget_variations_that_select_the_same_projects_are_one_document(client, projects):
    first = client.get(URL, {"budget_max": "99999999997"})
    assert first.status_code == 200
    assert _renders(lambda: client.get(URL, {"budget_max": "99999999998"})) == 0
    assert _renders(lambda: client.get(URL, {"budget_max": "99999999999", "budget_min": "1"})) == 0


def test_renders_are_rate_limited_per_client(settings, projects):
    settings.PDF_RENDER_RATE_LIMIT = "2/h"
    one, other = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="203.0.113.8")
    assert one.get(URL, {"budget_max": "150000"}).status_code == 200
    assert one.get(URL, {"budget_min": "150000"}).status_code == 200
    # A cached document costs nothing and is not counted.
    assert one.get(URL, {"budget_max": "150001"}).status_code == 200
    refused = one.get(URL)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Troppe richieste di PDF" in refused.content.decode()
    assert other.get(URL).status_code == 200


def test_over_the_concurrent_render_cap_the_visitor_is_asked_to_wait(client, settings, projects):
    settings.PDF_MAX_CONCURRENT_RENDERS = 1
    with exports.render_slot() as granted:
        assert granted
        response = client.get(URL)
        assert _renders(lambda: client.get(URL)) == 0
    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    assert "Catalogo PDF in preparazione" in response.content.decode()
    # The slot is free again: the next request renders.
    assert client.get(URL).status_code == 200


def test_a_running_build_whose_worker_died_is_taken_over(
    client, settings, monkeypatch, projects, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(documents, "CATALOGUE_SYNC_LIMIT", 0)
    with django_capture_on_commit_callbacks(execute=False):
        export = exports.catalogue_export_request(params={}, language="it")  # its worker never builds it
    stale = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    PdfExport.objects.filter(pk=export.pk).update(status=PdfExport.Status.RUNNING, started_at=stale, progress=15)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(URL)
    assert response.status_code == 202  # taken over: built again (after the commit), not shown as "15%" for days
    export.refresh_from_db()
    assert export.status == PdfExport.Status.READY
    assert PdfExport.objects.count() == 1
    ready = client.get(URL)
    assert (ready.status_code, ready["Content-Type"]) == (200, "application/pdf")


@pytest.mark.django_db(transaction=True)
def test_an_in_process_build_runs_in_a_background_thread(client, settings, monkeypatch, projects):
    settings.PDF_BUILD_IN_THREAD = True
    monkeypatch.setattr(documents, "CATALOGUE_SYNC_LIMIT", 0)
    threads = []
    original = exports.catalogue_export_build

    def recording(*, export_id):
        threads.append(threading.current_thread())
        return original(export_id=export_id)

    monkeypatch.setattr(exports, "catalogue_export_build", recording)
    response = client.get(URL)
    assert response.status_code == 202
    deadline = time.monotonic() + 60
    while PdfExport.objects.get().status != PdfExport.Status.READY and time.monotonic() < deadline:
        time.sleep(0.2)
    assert PdfExport.objects.get().status == PdfExport.Status.READY
    assert threads and threads[0] is not threading.main_thread()
    assert client.get(URL).status_code == 200
