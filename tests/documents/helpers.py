"""Reading PDFs in tests: text, metadata, links, and page 1 as a PNG (pdftoppm) for a human to look at."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"


def reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-"), pdf[:40]
    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(pdf).pages)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def link_uris(pdf: bytes) -> list[str]:
    uris = []
    for page in reader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def response_pdf(response) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def first_page_png(pdf: bytes, directory: Path, name: str) -> Path:
    """Page 1 at 70 dpi. Set PDF_PREVIEW_DIR to keep a copy there (the PNGs are looked at when the layout changes)."""
    source = directory / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [PDFTOPPM, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(source), str(directory / name)],
        check=True,
    )
    png = directory / f"{name}.png"
    keep = os.environ.get("PDF_PREVIEW_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(keep) / png.name)
        shutil.copy(source, Path(keep) / source.name)
    return png


def cache_keys() -> list[str]:
    """The keys now in the default cache, as the backend stores them (with its prefix): local memory or Redis."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        return sorted(cache._cache)
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client()
        return sorted(key.decode() for key in client.scan_iter(match=f"{cache.key_prefix}*"))
    raise NotImplementedError(type(cache))


def pdf_cache_kinds() -> list[str]:
    """The kinds of PDF (``pdf:<kind>:<hash>`` keys, cache.make_key) the cache holds now, one per key."""
    return sorted(key.split("pdf:", 1)[1].split(":", 1)[0] for key in cache_keys() if "pdf:" in key)
