"""HTML template -> PDF bytes with WeasyPrint: the one place that knows how the portal's PDFs are produced.

Every PDF is A4, PDF/UA-1 tagged (structure tree for screen readers) and carries its metadata from the HTML: ``<html lang>``,
``<title>`` and ``<meta name="author">``. Resources are read only through PortalURLFetcher (static and media files).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .url_fetcher import PortalURLFetcher

logger = logging.getLogger(__name__)

AUTHOR = "ANCI Lombardia – AnciLab"
# PDF/UA-1 (WeasyPrint's variant): a tagged structure tree, XMP metadata (dc:title, dc:creator, pdfuaid) and the
# title shown instead of the file name. Public bodies' documents must be accessible (Legge 4/2004).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


@dataclass
class RenderStats:
    """How many PDFs this process has rendered: lets tests prove that a cached download did not render again."""

    count: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def increment(self) -> None:
        with self._lock:
            self.count += 1


RENDERS = RenderStats()


def css_string(value: str) -> str:
    """``value`` as a CSS string literal (for ``content:`` in the page margin boxes)."""
    # "<" is escaped too: the value is written inside a <style> element, where "</style>" would end it.
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return f'"{escaped}"'


def page_counter_css() -> str:
    """``"Pagina " counter(page) " di " counter(pages)`` built from one translatable sentence, so that a translator
    can move the numbers ("Page 1 of 3")."""
    sentence = _("Pagina %(page)s di %(pages)s")
    tokens = []
    rest = sentence
    while rest:
        page_at = rest.find("%(page)s")
        pages_at = rest.find("%(pages)s")
        positions = [(p, t) for p, t in ((page_at, "page"), (pages_at, "pages")) if p >= 0]
        if not positions:
            tokens.append(css_string(rest))
            break
        position, name = min(positions)
        if position:
            tokens.append(css_string(rest[:position]))
        tokens.append(f"counter({name})")
        rest = rest[position + len(f"%({name})s") :]
    return " ".join(tokens)


def base_context() -> dict:
    return {
        "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE,
        "PDF_AUTHOR": AUTHOR,
        "PAGE_COUNTER_CSS": page_counter_css(),
        "SITE_URL": settings.SITE_URL,
        "SITE_HOST_CSS": css_string(urlsplit(settings.SITE_URL).netloc),
    }


def render_html(template_name: str, context: dict) -> str:
    return render_to_string(template_name, {**base_context(), **context})


def html_to_pdf(html: str, progress: Callable[[int], None] | None = None) -> bytes:
    """Lay out ``html`` and return the PDF. Relative URLs resolve against SITE_URL and go through the fetcher.

    ``progress(percent)`` is told when layout (the long part) is done, for the background catalogue.
    """
    html_document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=PortalURLFetcher())
    document = html_document.render(font_config=FontConfiguration(), **PDF_OPTIONS)
    if progress:
        progress(80)
    pdf = document.write_pdf(**PDF_OPTIONS)
    RENDERS.increment()
    return pdf


def render_pdf(template_name: str, context: dict, progress: Callable[[int], None] | None = None) -> bytes:
    return html_to_pdf(render_html(template_name, context), progress)
