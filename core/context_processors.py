"""Values every page template needs (footer links, contacts)."""

from django.conf import settings


def portal(request) -> dict:
    return {
        "ACCESSIBILITY_STATEMENT_URL": settings.ACCESSIBILITY_STATEMENT_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
