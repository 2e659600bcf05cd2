"""Development email backend: one standard ``.eml`` file per message, so any mail client opens it.

Django's file backend appends every message of a connection to one ``.log`` file, which no mail client reads; the
embedded default (`make run`, no EMAIL_HOST) uses this backend instead, in EMAIL_FILE_PATH (var/mail/).
"""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages: list[EmailMessage]) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            # Sortable by time, unique across processes (runserver and the scheduler both send).
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S.%f")
            path = self.directory / f"{stamp}-{secrets.token_hex(4)}.eml"
            path.write_bytes(message.message().as_bytes())
            sent += 1
        return sent
