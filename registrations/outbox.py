"""The email outbox: every email is a row first, then a Celery task sends it.

Why a table and not `send_mail` in a task: the row is written in the same transaction as the registration that causes
it, so an email exists if and only if the registration does; the task only gets the row's pk, after commit.

Delivery guarantees (the choice that matters for users):
- A row is claimed with a conditional UPDATE (queued → sending, `WHERE status = 'queued'`): two workers, a task run
  twice, or the sweeper and a late task racing can never send the same row twice while it is healthy.
- A worker killed mid-send leaves its row in "sending". We choose AT-LEAST-ONCE: after OUTBOX_STALE_SECONDS (longer
  than the send task's hard time limit, so the original worker is certainly dead or stopped) the row may be claimed
  again and resent. The duplicate window is only the instant between the SMTP server's final "250 OK" and our UPDATE
  to "sent"; a kill anywhere before that (connecting, talking, sending DATA) means the server discarded the message, so
  resending is the only way the person gets it. At-most-once would silently lose the meeting link, which hurts a
  person more than a rare duplicate; the stable Message-ID (one per row) lets mail clients fold such a duplicate.
- SMTP 4xx and connection errors are transient: the row goes back to "queued" with exponential backoff. 5xx is
  permanent: "failed", shown in the admin with the server's answer, re-queueable by staff.
- Enqueueing never blocks the request: if Redis is down the publish fails fast, is logged and swallowed, and the
  sweeper re-enqueues the row later (rows stay "queued" in the database, nothing is lost).
"""

from __future__ import annotations

import datetime
import logging
import re
import smtplib
import time
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .email_context import PermanentError, expand_context
from .models import OutboundEmail, is_anonymised

logger = logging.getLogger(__name__)

# Retry policy for transient SMTP failures: 1, 2, 4, 8 … minutes, capped at one hour, at most MAX_ATTEMPTS sends.
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 3600
MAX_ATTEMPTS = 8
# The send task's hard time limit (tasks.py); a row "sending" for longer than STALE_SECONDS belongs to a dead worker.
SEND_TIME_LIMIT_SECONDS = 60
# The send task, looked up by its name (registrations/tasks.py wraps this module, so this module cannot import it).
SEND_TASK = "registrations.send_email"
# After a failed publish (Redis down), skip publishing in this process for a few seconds: the request must not pay a
# connection attempt each time (a black-holed host would cost the full connect timeout), and the sweeper catches up.
BROKER_DOWN_COOLDOWN_SECONDS = 5.0
_broker_down_until = 0.0


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTBOX_STALE_SECONDS)


BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Subject, text body and HTML body of templates/emails/<template>/, in the registrant's language."""
    with translation.override(language):
        ctx = {"SITE_URL": settings.SITE_URL, "CONTACT_EMAIL": settings.CONTACT_EMAIL, **context}
        subject = " ".join(render_to_string(f"emails/{template}/subject.txt", ctx).split())
        # Template tags leave runs of empty lines where optional parts are left out: one empty line between
        # paragraphs, as a person would type the email.
        body_text = BLANK_LINES.sub("\n\n", render_to_string(f"emails/{template}/body.txt", ctx)).strip() + "\n"
        body_html = render_to_string(f"emails/{template}/body.html", ctx)
    return subject, body_text, body_html


def render_row(email: OutboundEmail) -> tuple[str, str, str, list[dict[str, str]]]:
    """Subject, bodies and attachments of a row, rendered now from its primitives (in the worker, not the request)."""
    with translation.override(email.language):
        context, attachments = expand_context(email)
    if email.body_text:  # rendered when it was queued (render_now): send exactly that text
        return email.subject, email.body_text, email.body_html, attachments
    subject, body_text, body_html = render_email(email.template, context, email.language)
    return subject[:255], body_text, body_html, attachments


def email_enqueue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    registration_id: int | None = None,
    attachments: list[dict[str, str]] | None = None,
    render_now: bool = True,
) -> OutboundEmail | None:
    """Write the outbox row in the current transaction; the send task is published only after commit.

    `context` holds primitives (it is stored as JSON); with `registration_id` the registration, its meeting and lab
    are added when the email is rendered. By default the text is rendered now and kept on the row. The registration
    services pass render_now=False: they run while holding the meeting lock, and rendering three templates there
    would make every other registrant of the meeting wait; the worker renders those rows when it sends them.

    An anonymised address (GDPR erasure or purge) gets nothing: no row, None is returned. Skipping rather than raising
    keeps a staff message to a whole meeting, or a promotion in the same transaction, from failing because one
    registrant was erased; the address is a reserved ".invalid" one, so there is nobody to reach anyway."""
    if is_anonymised(to):
        logger.info("outbox: not queueing %r to an anonymised address", template)
        return None
    email = OutboundEmail(
        to=to,
        template=template,
        language=language,
        context=context,
        attachments=attachments or [],
        registration_id=registration_id,
    )
    if render_now:
        email.subject, email.body_text, email.body_html, _attachments = render_row(email)
    email.save()
    pk = email.pk
    transaction.on_commit(lambda: publish_send(pk))
    return email


def publish_send(pk: int, countdown: int | None = None) -> bool:
    """Publish the send task; never raises. False when the broker is unreachable (the sweeper will retry)."""
    global _broker_down_until
    send_email = current_app.tasks[SEND_TASK]
    if time.monotonic() < _broker_down_until and not send_email.app.conf.task_always_eager:
        return False
    try:
        send_email.apply_async((pk,), countdown=countdown)
    except Exception:  # any broker failure: the row is committed and stays queued for the sweeper
        _broker_down_until = time.monotonic() + BROKER_DOWN_COOLDOWN_SECONDS
        logger.warning("outbox: could not publish send_email(%s); the sweeper will re-enqueue it", pk, exc_info=True)
        return False
    return True


def reset_broker_state() -> None:
    """Forget a recorded broker failure (tests, and the sweeper once a publish succeeded)."""
    global _broker_down_until
    _broker_down_until = 0.0


def claim(pk: int) -> OutboundEmail | None:
    """queued (and due) → sending, or a stale "sending" → sending again; None when somebody else owns the row."""
    now = timezone.now()
    claimable = Q(status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - stale_after()
    )
    updated = OutboundEmail.objects.filter(claimable, pk=pk).update(
        status=OutboundEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
    )
    if updated != 1:
        return None
    return OutboundEmail.objects.get(pk=pk)


def is_permanent(exc: Exception) -> bool:
    """5xx answers are permanent (bad address, rejected content); 4xx and connection errors are worth retrying."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def build_message(email: OutboundEmail, attachments: list[dict[str, str]]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        # One Message-ID per row: if an at-least-once resend ever happens, clients can recognise the duplicate.
        headers={"Message-ID": f"<outbox-{email.pk}-{email.created_at:%Y%m%d%H%M%S}@ancilab-portal>"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for item in attachments:
        message.attach(item["filename"], item["content"], item.get("mimetype", "application/octet-stream"))
    return message


def send_claimed(email: OutboundEmail) -> str:
    """Render and send a claimed row, and record the outcome. Returns the new status (or "retry")."""
    try:
        email.subject, email.body_text, email.body_html, attachments = render_row(email)
        # Kept on the row before talking to SMTP: staff see what was (or would have been) sent, even if it fails.
        OutboundEmail.objects.filter(pk=email.pk).update(
            subject=email.subject, body_text=email.body_text, body_html=email.body_html
        )
        build_message(email, attachments).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row; unknown ones are retried (capped).
        now = timezone.now()
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if isinstance(exc, PermanentError) or is_permanent(exc) or email.attempts >= MAX_ATTEMPTS:
            OutboundEmail.objects.filter(pk=email.pk).update(
                status=OutboundEmail.Status.FAILED, last_error=error, updated_at=now
            )
            logger.error("outbox: email %s to %s failed permanently: %s", email.pk, email.to, error)
            return OutboundEmail.Status.FAILED
        delay = backoff(email.attempts)
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.QUEUED, last_error=error, next_attempt_at=now + delay, updated_at=now
        )
        logger.warning("outbox: email %s to %s deferred %s: %s", email.pk, email.to, delay, error)
        publish_send(email.pk, countdown=int(delay.total_seconds()))
        return "retry"
    # Recorded immediately after the server accepted the message: this UPDATE is the end of the duplicate window.
    record_sent(email.pk)
    return OutboundEmail.Status.SENT


def record_sent(pk: int, *, pause: float = 1.0) -> None:
    """Mark a row sent, waiting out a short database outage (a restart, a failover) instead of giving up.

    The message is already accepted by the SMTP server: if this UPDATE were lost, the row would stay "sending", be
    reclaimed as stale and be sent a second time (found by `make resilience`, PostgreSQL restarted mid-send). The
    patience stays well below OUTBOX_STALE_SECONDS, so no other worker can reclaim the row meanwhile."""
    deadline = time.monotonic() + min(30.0, settings.OUTBOX_STALE_SECONDS / 2)
    while True:
        try:
            now = timezone.now()
            OutboundEmail.objects.filter(pk=pk).update(
                status=OutboundEmail.Status.SENT, sent_at=now, last_error="", updated_at=now
            )
            return
        except (OperationalError, InterfaceError):
            if time.monotonic() + pause > deadline:
                raise
            logger.warning("outbox: email %s was sent but the database is unreachable; recording it again", pk)
            connection.close()  # a broken connection is dropped; the next query opens (or borrows) a fresh one
            time.sleep(pause)


def outbox_send(*, email_id: int) -> str:
    """Claim and send one row. Safe to call any number of times: only one call sends."""
    email = claim(email_id)
    if email is None:
        _look_again_when_stale(email_id)
        return "skipped"
    return send_claimed(email)


def _look_again_when_stale(email_id: int) -> None:
    """A task redelivered after its worker was killed finds the row still "sending": come back once the row can be
    reclaimed, instead of leaving the recovery to the next sweep. (A row that gets sent meanwhile is then skipped.)"""
    if current_app.conf.task_always_eager:
        return  # in-process tasks ignore countdowns: this would loop
    row = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.SENDING).values("claimed_at").first()
    if row and row["claimed_at"]:
        remaining = (row["claimed_at"] + stale_after() - timezone.now()).total_seconds()
        publish_send(email_id, countdown=max(int(remaining) + 1, 1))


def outbox_sweep(*, limit: int = 500) -> list[int]:
    """Re-publish rows that are due but have no task in flight: queued after a Redis outage, retries whose countdown
    was lost, and stale "sending" rows of a killed worker. A row with a task already queued is harmless to publish
    again: the claim lets only one send."""
    now = timezone.now()
    # A grace period so that the sweeper does not race with the on_commit publish of a row created a moment ago.
    grace = datetime.timedelta(seconds=settings.OUTBOX_SWEEP_GRACE_SECONDS)
    due = Q(status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=now - grace) | Q(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - stale_after()
    )
    pks = list(OutboundEmail.objects.filter(due).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    reset_broker_state()
    published = []
    for pk in pks:
        if not publish_send(pk):
            break  # the broker is still down: try again at the next sweep
        published.append(pk)
    return published


def outbox_requeue(*, email_ids: list[int]) -> int:
    """Staff action: give failed rows another chance (e.g. after fixing an address or the SMTP account)."""
    now = timezone.now()
    count = OutboundEmail.objects.filter(pk__in=email_ids, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.QUEUED, attempts=0, next_attempt_at=now, updated_at=now
    )
    for pk in email_ids:
        transaction.on_commit(lambda pk=pk: publish_send(pk))
    return count
