"""The only way a PDF being rendered can read a file: static and media files from disk, nothing else.

WeasyPrint's default fetcher follows any URL (http, ftp, file://). A template that ever printed a user-supplied URL
as an image would then let a visitor make the server fetch internal addresses or read /etc/passwd into a PDF. This
fetcher answers only ``SITE_URL``/static/… and ``SITE_URL``/media/… (what ``{% static %}`` and ``FieldFile.url``
produce once resolved against the document's base URL), from the configured roots, and small ``data:image`` URIs.
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint.urls import URLFetcher, URLFetcherResponse

# data: URIs are decoded here rather than by urllib: only images, and small ones (a QR code is a few kilobytes).
DATA_MIME_TYPES = {"image/png", "image/svg+xml", "image/jpeg"}
DATA_MAX_BYTES = 512 * 1024


class RefusedURL(ValueError):
    """A URL the PDF renderer is not allowed to read. WeasyPrint logs it and leaves the resource out."""


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _relative_path(path: str, prefix: str) -> str | None:
    """The part of ``path`` below ``prefix`` ("/static/"), or None when it is not below it or tries to climb out."""
    path = unquote(path)
    if "\x00" in path or "\\" in path:
        return None
    normalized = posixpath.normpath(path)
    if path.endswith("/") or not normalized.startswith(prefix):
        return None
    relative = normalized[len(prefix) :]
    if not relative or relative.startswith("/") or ".." in relative.split("/"):
        return None
    return relative


def _inside(root: Path, relative: str) -> Path | None:
    """``root/relative`` when it is a regular file that really lies inside ``root`` (symlinks resolved)."""
    try:
        candidate = Path(safe_join(str(root), relative)).resolve()
    except (SuspiciousFileOperation, ValueError):
        return None
    try:
        candidate.relative_to(Path(root).resolve())
    except ValueError:
        return None
    return candidate if candidate.is_file() else None


def resolve_static(relative: str) -> Path | None:
    """Collected files first (production, hashed names), then the finders (development and tests)."""
    if settings.STATIC_ROOT:
        found = _inside(Path(settings.STATIC_ROOT), relative)
        if found:
            return found
    try:
        match = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if not match:
        return None
    # The finders join paths with safe_join themselves, so a match lies inside one of their roots.
    path = Path(match)
    return path if path.is_file() else None


def resolve_media(relative: str) -> Path | None:
    return _inside(Path(settings.MEDIA_ROOT), relative)


def _data_response(url: str) -> URLFetcherResponse:
    header, sep, payload = url[len("data:") :].partition(",")
    if not sep:
        raise RefusedURL("malformed data: URI")
    parts = header.split(";")
    mime_type = parts[0].lower()
    if mime_type not in DATA_MIME_TYPES:
        raise RefusedURL(f"data: URI of type {mime_type!r} refused")
    try:
        body = base64.b64decode(payload, validate=True) if "base64" in parts[1:] else unquote(payload).encode()
    except ValueError as exc:
        raise RefusedURL("malformed data: URI") from exc
    if len(body) > DATA_MAX_BYTES:
        raise RefusedURL("data: URI too large")
    return URLFetcherResponse(url="data:", body=body, headers={"Content-Type": mime_type})


class PortalURLFetcher(URLFetcher):
    """WeasyPrint fetcher restricted to the portal's static and media files (see the module docstring)."""

    def __init__(self, site_url: str | None = None, **kwargs) -> None:
        # Errors never stop the rendering: a refused image is left out and logged, the PDF is still produced.
        super().__init__(allowed_protocols=(), fail_on_errors=False, **kwargs)
        self.site_origin = _origin((site_url or settings.SITE_URL) + "/")

    def resolve(self, url: str) -> Path:
        """The file on disk that ``url`` names, or RefusedURL."""
        scheme, netloc = _origin(url)
        if (scheme, netloc) != self.site_origin:
            raise RefusedURL(f"{url!r} is not a static or media file of this site")
        path = urlsplit(url).path
        for prefix, resolver in ((settings.STATIC_URL, resolve_static), (settings.MEDIA_URL, resolve_media)):
            if not prefix.startswith("/"):
                continue
            relative = _relative_path(path, prefix)
            if relative is not None:
                found = resolver(relative)
                if found is not None:
                    return found
                break
        raise RefusedURL(f"{url!r} is not a static or media file of this site")

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.lower().startswith("data:"):
            return _data_response(url)
        path = self.resolve(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".woff2":
            mime_type = "font/woff2"
        return URLFetcherResponse(url=url, body=path.read_bytes(), headers={"Content-Type": mime_type})
