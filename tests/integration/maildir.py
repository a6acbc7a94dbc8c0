"""Prints the messages of a maildir as JSON, as a person's mail reader
would show them: recipients, decoded subject, Message-ID, the parts and
their decoded text (used by tests/integration/mail.c)."""
import email
import email.header
import email.policy
import json
import mailbox
import sys

out = []
for key, raw in mailbox.Maildir(sys.argv[1], factory=None).iteritems():
    msg = email.message_from_bytes(raw.as_bytes(), policy=email.policy.default)
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        parts.append({
            "type": part.get_content_type(),
            "method": part.get_param("method") or "",
            "text": part.get_content(),
        })
    out.append({
        "to": msg["To"],
        "from": msg["From"],
        "subject": str(msg["Subject"]),
        "raw_subject": raw["Subject"],
        "message_id": msg["Message-ID"],
        "list_unsubscribe": str(msg["List-Unsubscribe"] or ""),
        "list_unsubscribe_post": str(msg["List-Unsubscribe-Post"] or ""),
        "parts": parts,
    })
out.sort(key=lambda m: (m["to"], m["subject"]))
json.dump(out, sys.stdout, ensure_ascii=False)
