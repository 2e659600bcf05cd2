"""How the portal builds a QR code, for every image of one (the check-in code, the links printed on PDFs)."""

from __future__ import annotations

import qrcode


def qr_code(text: str, *, border: int = 4) -> qrcode.QRCode:
    """A QR code of ``text``, ready for ``make_image()``: medium error correction (a crease or a smudge on a printed
    or displayed code still reads), the smallest version that fits. ``border``: the quiet zone in modules; 4 is
    the standard's, a printed document whose margin is white already may use less."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=border)
    code.add_data(text)
    code.make(fit=True)
    return code
