"""Security headers Django does not set by itself: Content-Security-Policy (with a per-request nonce, no unsafe-inline)
and Permissions-Policy. The portal loads nothing from third parties, so 'self' is the whole policy."""

from __future__ import annotations

import secrets

from django.conf import settings

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), "
    "interest-cohort=()"
)


def permissions_policy(*, camera: bool = False) -> str:
    """The policy above; `camera`: this page may use the camera (the staff check-in page scans QR codes)."""
    return PERMISSIONS_POLICY.replace("camera=()", "camera=(self)") if camera else PERMISSIONS_POLICY


def content_security_policy(nonce: str, *, wasm: bool = False) -> str:
    """`wasm`: this page may compile WebAssembly served from 'self' (the QR decoder of the check-in page)."""
    directives = {
        "default-src": "'self'",
        # A template that truly needs an inline script uses nonce="{{ request.csp_nonce }}".
        "script-src": f"'self' 'nonce-{nonce}'" + (" 'wasm-unsafe-eval'" if wasm else ""),
        "style-src": f"'self' 'nonce-{nonce}'",
        "img-src": "'self' data:",
        # Bootstrap Italia's CSS embeds an icon font as a data: URL.
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        header = "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"
        # A view opts in to more with attributes on its response (registrations/admin_checkin.py: camera + wasm).
        wasm = getattr(response, "csp_allow_wasm", False)
        response.headers.setdefault(header, content_security_policy(request.csp_nonce, wasm=wasm))
        response.headers.setdefault(
            "Permissions-Policy", permissions_policy(camera=getattr(response, "permissions_allow_camera", False))
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
