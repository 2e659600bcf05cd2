"""A local SMTP server (aiosmtpd) for the resilience scenarios: counts what it accepted, per Message-ID and recipient,
and can be switched to answer 4xx or 5xx, or to be slow.

Delivery semantics match a real MTA: a message counts as delivered when the server answers "250" at the end of DATA.
In "slow" mode the server waits before that answer; if the client vanished meanwhile (a worker killed mid-send), the
message is discarded, as an MTA discards a transaction whose connection dropped before the final reply.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections import Counter

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.I | re.M)


class Sink:
    def __init__(self):
        self.mode = "ok"  # ok | tempfail | permfail | slow
        self.slow_seconds = 3.0
        self.lock = threading.Lock()
        self.delivered: Counter[tuple[str, str]] = Counter()  # (message-id, recipient) -> times accepted
        self.refused = Counter()  # reply code -> count
        self.discarded = 0  # slow mode: the client left before the final reply
        self.in_flight = 0

    # aiosmtpd handler hooks ---------------------------------------------------------------------------------------
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "tempfail":
            with self.lock:
                self.refused["451"] += 1
            return "451 4.3.0 Temporary failure, try again later (resilience test)"
        if self.mode == "permfail":
            with self.lock:
                self.refused["550"] += 1
            return "550 5.1.1 Mailbox unavailable (resilience test)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "slow":
            with self.lock:
                self.in_flight += 1
            try:
                await asyncio.sleep(self.slow_seconds)
            finally:
                with self.lock:
                    self.in_flight -= 1
            transport = getattr(server, "transport", None)
            if transport is None or transport.is_closing():
                with self.lock:
                    self.discarded += 1
                return "451 4.4.2 Connection dropped"
        content = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        match = MESSAGE_ID.search(content)
        message_id = match.group(1).decode() if match else "<none>"
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.delivered[(message_id, recipient.lower())] += 1
        return "250 Message accepted for delivery"

    # Figures -------------------------------------------------------------------------------------------------------
    def snapshot(self) -> dict[tuple[str, str], int]:
        with self.lock:
            return dict(self.delivered)


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.sink = Sink()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=port, ready_timeout=10)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
