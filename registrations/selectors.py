"""Read-only queries other apps use (public pages show the seats left)."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.db.models import Count, Q

from labs.models import Meeting

from .models import HOLDS_SEAT, Registration


def seats_left_by_meeting(meeting_ids: Iterable[int]) -> dict[int, int | None]:
    """{meeting pk: seats left (0 when full) or None when the meeting has no capacity limit}, in one query."""
    rows = (
        Meeting.objects.filter(pk__in=list(meeting_ids))
        .annotate(held=Count("registrations", filter=Q(registrations__status__in=HOLDS_SEAT)))
        .values_list("pk", "capacity", "held")
    )
    return {pk: None if capacity is None else max(capacity - held, 0) for pk, capacity, held in rows}


def registrations_of_user(user) -> tuple[list[Registration], list[str]]:
    """Registrations made with any VERIFIED address of the user (logging in by code verifies it), newest meeting
    first; plus the user's unverified addresses, which the page explains. Unverified addresses never show anything:
    otherwise anyone could sign up with somebody else's address and read their registrations."""
    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", "verified"))
    verified = [email for email, ok in addresses if ok]
    unverified = [email for email, ok in addresses if not ok]
    if not verified:
        return [], unverified
    query = Q()
    for email in verified:
        query |= Q(email__iexact=email)
    registrations = list(
        Registration.objects.filter(query)
        .select_related("meeting", "meeting__lab", "meeting__venue")
        .order_by("-meeting__starts_at", "pk")
    )
    return registrations, unverified
