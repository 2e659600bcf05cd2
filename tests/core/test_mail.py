"""core/mail.py: the development backend writes one .eml per message that a mail parser (any mail client) opens."""

from __future__ import annotations

import email
from email import policy

from django.core.mail import EmailMultiAlternatives

from core.mail import EmlFileBackend


def test_each_message_is_one_eml_file_with_its_parts(tmp_path):
    backend = EmlFileBackend(file_path=str(tmp_path))
    first = EmailMultiAlternatives(
        "Conferma", "Gentile Giulia,\nconferma.", "AnciLab <laboratori@ancilab.it>", ["g@x.it"]
    )
    first.attach_alternative("<p>Gentile Giulia, conferma.</p>", "text/html")
    first.attach("incontro.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    second = EmailMultiAlternatives("Promemoria", "Domani.", "AnciLab <laboratori@ancilab.it>", ["h@x.it"])

    assert backend.send_messages([first, second]) == 2

    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    parsed = [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
    assert sorted(message["Subject"] for message in parsed) == ["Conferma", "Promemoria"]
    confirm = next(message for message in parsed if message["Subject"] == "Conferma")
    assert confirm["To"] == "g@x.it"
    assert confirm.get_body(("plain",)).get_content() == "Gentile Giulia,\nconferma."
    assert confirm.get_body(("html",)).get_content() == "<p>Gentile Giulia, conferma.</p>"
    attachments = {part.get_filename(): part.get_content_type() for part in confirm.iter_attachments()}
    assert attachments == {"incontro.ics": "text/calendar"}
