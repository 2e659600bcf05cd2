"""Responsive thumbnails: resized JPEG and WebP copies of an uploaded image, made once with Pillow.

A thumbnail's name derives from the source's name and the width (thumbs/<hash>-<width>.<ext> under MEDIA_ROOT): a new
upload gets a new name from the storage, hence new thumbnails, and the old ones are never served for it. Whether a
thumbnail exists and its size are remembered in the cache, so a warm page costs no file-system call.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

THUMBS_DIR = "thumbs"
FORMATS = {
    "jpeg": ("JPEG", "jpg", {"quality": 82, "optimize": True, "progressive": True}),
    "webp": ("WEBP", "webp", {"quality": 80, "method": 4}),
}
CACHE_TIMEOUT = 60 * 60 * 24 * 30


@dataclass(frozen=True)
class Thumbnail:
    url: str
    width: int
    height: int


def _thumb_name(source_name: str, width: int, extension: str) -> str:
    digest = hashlib.sha256(source_name.encode()).hexdigest()[:16]
    return f"{THUMBS_DIR}/{digest}-{width}.{extension}"


def _render(source_name: str, width: int) -> dict[str, Thumbnail]:
    """Write every format of one width (never upscaling) and return them by format key."""
    with default_storage.open(source_name, "rb") as handle, Image.open(handle) as original:
        image = ImageOps.exif_transpose(original)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode == "L":
            image = image.convert("RGB")
        if image.width > width:
            image = image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)
        made = {}
        for key, (pil_format, extension, options) in FORMATS.items():
            # Named by the width actually produced: asking 2000 of a 1200-pixel original reuses the 1200 file.
            name = _thumb_name(source_name, image.width, extension)
            if not default_storage.exists(name):
                buffer = io.BytesIO()
                image.save(buffer, pil_format, **options)
                # The storage may add a suffix if a concurrent request won the race: use the name it returns.
                name = default_storage.save(name, ContentFile(buffer.getvalue()))
            made[key] = Thumbnail(default_storage.url(name), image.width, image.height)
        return made


def thumbnails(image_field, width: int) -> dict[str, Thumbnail] | None:
    """{"jpeg": Thumbnail, "webp": Thumbnail} for ``image_field`` at most ``width`` pixels wide, or None without a
    usable image (a missing or broken file is logged and the page shows no picture rather than an error)."""
    if not image_field or not getattr(image_field, "name", ""):
        return None
    key = f"thumb:{hashlib.sha256(image_field.name.encode()).hexdigest()[:24]}:{width}"
    made = cache.get(key)
    if made is None:
        try:
            made = _render(image_field.name, width)
        except (OSError, ValueError, Image.DecompressionBombError):
            logger.warning("thumbnail of %s failed", image_field.name, exc_info=True)
            return None
        cache.set(key, made, CACHE_TIMEOUT)
    return made
