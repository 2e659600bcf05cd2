"""QR codes for printed documents, as data: URIs (no file on disk, nothing fetched)."""

from __future__ import annotations

import base64
import io

from qrcode.image.svg import SvgPathImage

from core.qr import qr_code


def qr_svg_data_uri(text: str) -> str:
    """A vector QR code of ``text`` (crisp at any print size), medium error correction, quiet zone included."""
    buffer = io.BytesIO()
    qr_code(text, border=2).make_image(image_factory=SvgPathImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
