"""Public pages of publications (e-books, volumes, reports) and news, and the counted download."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from core.clientip import client_ip
from core.visibility import PreviewMixin, visible_object_or_404
from labs.models import Lab
from projects.models import Area, Project
from publications.filters import PublicationFilter
from publications.models import Article, Publication

logger = logging.getLogger(__name__)

PUBLICATIONS_PER_PAGE = 12
# A download is counted once per visitor and day; the marker outlives the day by a little (time zones, clock skew).
DOWNLOAD_DEDUP_SECONDS = 26 * 3600
ARTICLES_PER_PAGE = 10


@require_GET
def publication_list(request):
    """/pubblicazioni/: filtered by kind, area and year; invalid parameters answer 400 with the reasons shown."""
    queryset = Publication.objects.published().prefetch_related(
        Prefetch("areas", queryset=Area.objects.only("slug", "name", "name_en"))
    )
    filterset = PublicationFilter(request.GET, queryset=queryset, request=request)
    context = {"filter": filterset, "form": filterset.form}
    if not filterset.is_valid():
        context.update(errors=filterset.error_messages(), page_obj=None, publications=[], total=0)
        return render(request, "publications/publication_list.html", context, status=400)
    paginator = Paginator(filterset.qs.order_by("-year", "title", "pk"), PUBLICATIONS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    context.update(page_obj=page_obj, publications=page_obj.object_list, total=paginator.count)
    return render(request, "publications/publication_list.html", context)


class PublicationDetailView(PreviewMixin, DetailView):
    template_name = "publications/publication_detail.html"
    context_object_name = "publication"

    def get_queryset(self):
        return Publication.objects.prefetch_related(
            "areas",
            Prefetch("labs", queryset=Lab.objects.published()),
            Prefetch("projects", queryset=Project.objects.published()),
            "editions",
        )


@require_GET
def publication_download(request, slug: str):
    """Count the download, then send the file (or the reader to the external page). 404 when there is nothing.

    The file is sent from here, never from /media/ (core.visibility.PUBLIC_MEDIA_FOLDERS leaves "publications" out):
    a draft's file would otherwise be public to anybody who guessed its name."""
    publication = visible_object_or_404(
        request, Publication.objects.only("pk", "slug", "file", "external_url"), slug=slug
    )
    if publication.file:
        try:
            handle = publication.file.open("rb")
        except FileNotFoundError:
            raise Http404("file missing") from None
        extension = publication.file.name.rsplit(".", 1)[-1].lower()
        response = FileResponse(
            handle,
            filename=f"{publication.slug}.{extension}",
            content_type=DOWNLOAD_TYPES.get(extension, "application/octet-stream"),
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store" if publication.is_draft else "public, max-age=3600"
    elif publication.external_url:
        response = redirect(publication.external_url)
    else:
        raise Http404("no file")
    if not publication.is_draft and _first_download_today(request, publication.pk):  # staff previews are not reads
        # F() makes the database add one, so that simultaneous downloads are all counted.
        Publication.objects.filter(pk=publication.pk).update(download_count=F("download_count") + 1)
    return response


# What a publication's file may be (publications.models validates the upload); anything else is sent as bytes.
DOWNLOAD_TYPES = {"pdf": "application/pdf", "epub": "application/epub+zip"}


def _visitor(request) -> str:
    """Who is downloading, for counting once a day: the trusted-proxy client address (core/clientip.py)."""
    return client_ip(request)


def _first_download_today(request, publication_id: int) -> bool:
    """True once per visitor, publication and day: a GET must not be a counter anybody (or any crawler following
    links) can inflate at will (issue 14). The visitor is kept as a hash in the cache, never as an address. A cache
    that is down counts every download, as before."""
    day = timezone.localdate().isoformat()
    visitor = hashlib.sha256(f"{settings.SECRET_KEY}|{_visitor(request)}".encode()).hexdigest()[:32]
    try:
        return cache.add(f"download:{publication_id}:{day}:{visitor}", 1, timeout=DOWNLOAD_DEDUP_SECONDS)
    except Exception:
        logger.warning("cache unavailable: download counted without de-duplication", exc_info=True)
        return True


class ArticleListView(ListView):
    template_name = "publications/article_list.html"
    context_object_name = "articles"
    paginate_by = ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().prefetch_related(
            Prefetch("areas", queryset=Area.objects.only("slug", "name", "name_en"))
        )

    def paginate_queryset(self, queryset, page_size):
        # As on the catalogue: a mangled or out-of-range page number lands on the first or last page, never a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()


class ArticleDetailView(PreviewMixin, DetailView):
    template_name = "publications/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.prefetch_related("areas", Prefetch("labs", queryset=Lab.objects.published()))
