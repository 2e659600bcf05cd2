"""The check-in code of a registration: what its QR code (confirmed email, manage page) carries, and the images.

The code is the registration's pk signed with SECRET_KEY and a salt of its own (django.core.signing): unguessable,
checkable without a database column, and different from the registration token. A shared photo of the QR code lets
staff check that person in, and nothing else: it opens no page (the manage page needs the token, which the QR code
does not contain), and the check-in page that reads it is staff only.
"""

from __future__ import annotations

import io

from django.core import signing
from django.utils import timezone
from qrcode.image.svg import SvgPathImage

from core.qr import qr_code

SALT = "registrations.checkin"
# What a scanned text starts with: a QR code of another kind (a URL, a business card) is recognised as "not ours".
PREFIX = "ANCILAB-"


def checkin_code(registration_pk: int) -> str:
    """ "ANCILAB-42:signature" for registration 42."""
    return PREFIX + signing.Signer(salt=SALT).sign(str(registration_pk))


def registration_pk_from_code(code: str) -> int | None:
    """The registration pk a scanned (or typed) code stands for, or None when it is not a valid check-in code."""
    code = (code or "").strip()
    if not code.upper().startswith(PREFIX):
        return None
    try:
        value = signing.Signer(salt=SALT).unsign(code[len(PREFIX) :])
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def checkin_qr_png(code: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(code).make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def checkin_qr_svg(code: str) -> str:
    """An inline <svg> (no XML declaration) that scales with its container."""
    svg = qr_code(code).make_image(image_factory=SvgPathImage).to_string(encoding="unicode")
    return svg


def checkin_available(registration) -> bool:
    """Whether a registration has a door to show a QR code at: confirmed, attending in person (an online meeting, or
    the online side of a hybrid one, has no door), meeting not cancelled and not over."""
    meeting = registration.meeting
    if registration.status != "confirmed" or meeting.cancelled or not registration.attends_in_person:
        return False
    end = meeting.ends_at or meeting.starts_at
    return end is None or timezone.localdate(end) >= timezone.localdate()


def checkin_for(registration) -> dict | None:
    """The code and its inline SVG for a registration's page, or None when there is nothing to show at a door."""
    if not checkin_available(registration):
        return None
    code = checkin_code(registration.pk)
    return {"code": code, "svg": checkin_qr_svg(code)}


def checkin_qr_attachment(registration_pk: int) -> dict:
    return {
        "filename": "codice-qr-ingresso.png",
        "content": checkin_qr_png(checkin_code(registration_pk)),
        "mimetype": "image/png",
    }
