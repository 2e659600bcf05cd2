"""503 instead of 500 while the database is unreachable (a PostgreSQL restart or failover lasts a few seconds).

Found by `make resilience`: during `pg_ctlcluster restart` the requests in flight failed with OperationalError and
answered 500. Nothing was committed by those requests, so the honest answer is "temporarily unavailable, try again"
with Retry-After. The page is built here, without templates or context processors: those could need the database.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – AnciLab · ANCI Lombardia</title>
<link rel="stylesheet" href="/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css"></head>
<body><main id="main-content" class="container my-5"><p aria-hidden="true">503</p><h1>{title}</h1>
<p class="lead" role="alert">{message}</p><p><a href="/">{home}</a></p></main></body></html>"""


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable, answering 503: %s %s: %s", request.method, request.path, exception)
        page = PAGE.format(
            lang=escape(get_language() or "it"),
            title=escape(_("Servizio momentaneamente non disponibile")),
            message=escape(
                _("Riprova tra qualche secondo. Se stavi inviando un modulo, invialo di nuovo: non è stato registrato.")
            ),
            home=escape(_("Torna alla pagina iniziale")),
        )
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
