"""503 instead of 500 while the database is unreachable (a PostgreSQL restart or failover lasts a few seconds).

Found by `make resilience`: during `pg_ctlcluster restart` the requests in flight failed with OperationalError and
answered 500. The honest answer is "temporarily unavailable, try again" with Retry-After. It is given by the 500
handler (urls.handler500), not by a middleware: the error may come from another middleware's response phase (the
session being saved), which no middleware's process_exception sees. Such a request may have done its work before
failing (a registration committed, then the session save failed), so the page says "send it again", never "it was
not saved": sending a registration again is safe, the service recognises the person and re-sends the email.
The page is built here, without templates or context processors: those could need the database.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import TemplateDoesNotExist, loader
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – AnciLab · ANCI Lombardia</title>
<link rel="stylesheet" href="/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css"></head>
<body><main id="main-content" class="container my-5"><p aria-hidden="true">503</p><h1>{title}</h1>
<p class="lead" role="alert">{message}</p><p><a href="/">{home}</a></p></main></body></html>"""


def database_unavailable(request) -> HttpResponse:
    page = PAGE.format(
        lang=escape(get_language() or "it"),
        title=escape(_("Servizio momentaneamente non disponibile")),
        message=escape(_("Riprova tra qualche secondo. Se stavi inviando un modulo, invialo di nuovo.")),
        home=escape(_("Torna alla pagina iniziale")),
    )
    response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    """handler500: the usual 500 page, except while the database is unreachable (503, see the module docstring)."""
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        logger.warning("database unavailable, answering 503: %s %s: %s", request.method, request.path, exception)
        return database_unavailable(request)
    try:
        template = loader.get_template(template_name)
    except TemplateDoesNotExist:
        return defaults.server_error(request, template_name)
    # Like Django's own handler, no request and no context processors (they could be what failed); only the contact
    # address the footer shows everywhere else, so that the 500 page follows CONTACT_EMAIL too.
    return HttpResponseServerError(template.render({"CONTACT_EMAIL": settings.CONTACT_EMAIL}))
