"""Upload validators. Images are opened by Pillow before they are stored, so a broken file, a file that only claims
to be an image, or a decompression bomb is refused with a form error instead of failing later in a thumbnail."""

from __future__ import annotations

import unicodedata
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image(file) -> None:
    if file is None:
        return
    size = getattr(file, "size", None)
    if size is not None and size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            _("L'immagine è troppo grande (%(size)s); il massimo è %(max)s."),
            code="image_too_large",
            params={"size": filesizeformat(size), "max": filesizeformat(settings.IMAGE_MAX_BYTES)},
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse both cases with our own limit.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
                if width * height > settings.IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        _("L'immagine ha troppi pixel (%(width)s×%(height)s); il massimo è %(max)s pixel."),
                        code="image_too_many_pixels",
                        params={"width": width, "height": height, "max": settings.IMAGE_MAX_PIXELS},
                    )
                if image.format not in ALLOWED_IMAGE_FORMATS:
                    raise ValidationError(_("Formato non supportato: usa JPEG, PNG, WebP o GIF."), code="image_format")
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("L'immagine ha troppi pixel e non può essere accettata."), code="image_too_many_pixels"
        ) from exc
    except Exception as exc:
        raise ValidationError(_("Il file non è un'immagine valida."), code="invalid_image") from exc
    finally:
        if position is not None and hasattr(file, "seek"):
            file.seek(position)


def validate_image_header(file) -> None:
    """The size check, on the header only, before anything decodes the image: Image.open reads the header and
    nothing else (no load()). Django's ImageField decodes the file (verify()) before the model's validators run, so
    without this a decompression bomb was refused as "immagine danneggiata" after Pillow had started on it."""
    if file is None or not hasattr(file, "seek"):
        return
    position = file.tell()
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own limit (far above ours) stopped it in the header: too many pixels, whatever the exact size.
        raise ValidationError(
            _("L'immagine ha troppi pixel e non può essere accettata."), code="image_too_many_pixels"
        ) from exc
    except Exception:  # noqa: BLE001 - not an image at all: the form field says so in its own words
        return
    finally:
        file.seek(position)
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("L'immagine ha troppi pixel (%(width)s×%(height)s); il massimo è %(max)s pixel."),
            code="image_too_many_pixels",
            params={"width": width, "height": height, "max": settings.IMAGE_MAX_PIXELS},
        )


class ImageFormField(forms.ImageField):
    """Django's image form field with the header size check first (validate_image_header)."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image_header(data)
        return super().to_python(data)


class PortalImageField(models.ImageField):
    """The model image field of the portal: its form field checks the pixel count before decoding. It deconstructs
    as Django's ImageField, so swapping it in needs no migration."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageFormField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs


# What an upload's first bytes are when its extension is honest. Office Open XML, OpenDocument and EPUB are zip files.
PDF_SIGNATURE = b"%PDF-"
ZIP_SIGNATURE = b"PK\x03\x04"


def file_head(file, size: int) -> bytes:
    """The first ``size`` bytes of an upload, leaving the file where it was (the storage reads it again to save it)."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(size)
    file.seek(position)
    return head


def validate_document(file) -> None:
    """E-book files: a PDF must start with %PDF, an EPUB is a zip with the EPUB mimetype entry. (Meeting materials,
    other formats with a size cap, have their own rule: labs.models.validate_material_file.)"""
    if file is None:
        return
    head = file_head(file, 64)
    name = (getattr(file, "name", "") or "").lower()
    if name.endswith(".pdf") and head.startswith(PDF_SIGNATURE):
        return
    if name.endswith(".epub") and head.startswith(ZIP_SIGNATURE) and b"mimetypeapplication/epub+zip" in head:
        return
    raise ValidationError(_("Carica un file PDF o EPUB."), code="invalid_document")


# Meetings are planned years ahead at most; a date outside this range is a typo, and far-away years (e.g. year 1)
# cannot even be converted to UTC by the database driver.
PLAUSIBLE_YEARS = range(2000, 2101)


def validate_plausible_datetime(value) -> None:
    if value is not None and value.year not in PLAUSIBLE_YEARS:
        raise ValidationError(
            _("Indica una data tra il %(first)s e il %(last)s."),
            code="implausible_date",
            params={"first": PLAUSIBLE_YEARS[0], "last": PLAUSIBLE_YEARS[-1]},
        )


# --- One-line text typed by the public ------------------------------------------------------------------------------
# Unicode categories Cc (controls: NUL, newline, tab, bell…) and Cf (format: bidi overrides, zero-width) have no place
# in a name or a title: a newline in a name would become a new line of an email ("Gentile Mario⏎Bcc: …"), a bidi
# override would make a name read backwards in the admin, a NUL byte is refused by PostgreSQL.
_LINE_BREAKS = "\r\n\t\v\f\x85\u2028\u2029"


def single_line(value: str) -> str:
    """``value`` on one line: line breaks and tabs become spaces, other control and format characters are dropped,
    runs of spaces collapse to one, and the ends are trimmed."""
    if not value:
        return value
    chars = []
    for char in value:
        if char in _LINE_BREAKS:
            chars.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cf"):
            chars.append(char)
    return " ".join("".join(chars).split())
