"""The meeting lock every seat-changing write takes, and the refusal the person sees when it cannot be had.

SELECT … FOR UPDATE on the meeting rows, in pk order (two transactions locking the same meetings can never deadlock),
with a short lock timeout: past settings.REGISTRATION_LOCK_TIMEOUT_MS the person reads "riprova tra qualche istante"
instead of a 500 or an endless spinner (pretix doc/development/implementation/locking.rst). On SQLite (development)
select_for_update is a no-op and the IMMEDIATE transaction mode serialises writers instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from labs.models import Meeting


class RegistrationRefused(Exception):
    """A rule refused the request; `message` is the Italian sentence the person reads."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class RegistrationBusy(RegistrationRefused):
    """The meeting row stayed locked longer than the lock timeout (a burst of registrations)."""


def busy_message() -> str:
    return _("In questo momento molte persone si stanno iscrivendo: riprova tra qualche istante.")


def _is_lock_timeout(exc: OperationalError) -> bool:
    cause = exc.__cause__
    # 55P03 lock_not_available (PostgreSQL lock_timeout); SQLite reports "database is locked" after its busy timeout.
    return getattr(cause, "sqlstate", None) == "55P03" or "database is locked" in str(exc)


@contextmanager
def locked_meetings(meeting_ids: Iterable[int]) -> Iterator[dict[int, Meeting]]:
    ids = sorted(set(meeting_ids))
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # SET LOCAL cannot take a bind parameter; set_config(…, is_local=true) is the same, parametrised.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('lock_timeout', %s, true)", [f"{settings.REGISTRATION_LOCK_TIMEOUT_MS}ms"]
                    )
            # The meeting rows are locked (of=self), the lab is joined because "registration is open" includes "the lab
            # is published" (Meeting.registration_closed_reason). The venue is never read under the lock.
            meetings = {
                m.pk: m
                for m in Meeting.objects.select_for_update(of=("self",))
                .select_related("lab")
                .filter(pk__in=ids)
                .order_by("pk")
            }
            yield meetings
    except OperationalError as exc:
        if _is_lock_timeout(exc):
            raise RegistrationBusy(busy_message(), "busy") from exc
        raise
