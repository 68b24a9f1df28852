"""Reminder and notice e-mails (plain text and HTML) in each recipient's own language.

Each kind has a body of 1-3 sentences in `templates/meetings/notifications/kinds/<kind>.txt`
and `.html` (the in-app list shows the same `.html`); this module wraps it in the layout: a
subject (the kind's label and the PLG), a greeting, the body, a link, and a footer that says
where to change one's reminders. A kind without templates falls back to a generic body.

The rows come with their recipient, meeting, PLG, school and theme loaded (select_related), so
rendering runs no queries. Sending uses one connection and reports each message as it goes: a
message the server refuses (or that fails to render) fails alone; a connection error stops the
batch, so the caller can give the rest back for a retry.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template import Context
from django.template.loader import render_to_string, select_template
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from plg_platform.links import absolute_url

from .models import NotificationKind

if TYPE_CHECKING:
    from .models import Notification

logger = logging.getLogger(__name__)

KINDS_DIR = "meetings/notifications/kinds"
SEND_ERRORS = (OSError, smtplib.SMTPException)
# The server refused this one message or address: the others can still go over the connection.
# (Every SMTPException is an OSError; any other OSError means the connection itself failed.)
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


def kind_label(kind: str) -> str:
    try:
        return str(NotificationKind(kind).label)
    except ValueError:
        return kind


def _moment(value: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def body_context(row: Notification) -> dict[str, object]:
    """The context of a kind's body template (the contract with every kind's templates)."""
    payload = row.payload or {}
    path = str(payload.get("path") or "")
    context: dict[str, object] = {
        "notification": row,
        "meeting": row.meeting,
        "payload": payload,
        "recipient": row.recipient,
        "url": absolute_url(path) if path.startswith("/") else "",
        "community": row.meeting.community,
        # The start the reminder was about (a later move does not rewrite an old entry).
        "starts_at": _moment(payload.get("starts_at")) or row.meeting.starts_at,
    }
    for key in ("absence_path", "phase0_path", "agenda_path"):
        value = str(payload.get(key) or "")
        if value.startswith("/"):
            context[key.replace("_path", "_url")] = absolute_url(value)
    return context


def render_body(row: Notification, extension: str) -> str:
    """A kind's body as text ("txt", not escaped) or HTML ("html", safe to include)."""
    template = select_template(
        [f"{KINDS_DIR}/{row.kind}.{extension}", f"{KINDS_DIR}/_generic.{extension}"]
    )
    context = body_context(row)
    if extension == "html":
        return mark_safe(template.render(context).strip())  # noqa: S308 -- autoescaped template
    # Plain text is not HTML: no &amp; in a mail, whatever the kind's template does.
    return template.template.render(Context(context, autoescape=False)).strip()


def _layout_context(recipient) -> dict[str, object]:
    return {
        "recipient": recipient,
        "settings_url": absolute_url(reverse("meetings:notification_settings")),
        "list_url": absolute_url(reverse("meetings:notifications")),
    }


def _render_text(name: str, context: dict[str, object]) -> str:
    template = select_template([name])
    return template.template.render(Context(context, autoescape=False))


def notification_message(row: Notification, connection=None) -> EmailMultiAlternatives:
    """The e-mail for one notification, in its recipient's language."""
    recipient = row.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {
            **_layout_context(recipient),
            **body_context(row),
            "label": kind_label(row.kind),
            "body_text": render_body(row, "txt"),
            "body_html": render_body(row, "html"),
        }
        subject = f"{kind_label(row.kind)} · {row.meeting.community.name}"
        text = _render_text("meetings/notifications/email.txt", context)
        html = render_to_string("meetings/notifications/email.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[recipient.email], connection=connection
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_message(rows: Sequence[Notification], connection=None) -> EmailMultiAlternatives:
    """One e-mail with all of one person's waiting digest rows, in their language."""
    recipient = rows[0].recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        items = [
            {
                **body_context(row),
                "label": kind_label(row.kind),
                "body_text": render_body(row, "txt"),
                "body_html": render_body(row, "html"),
            }
            for row in rows
        ]
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
        subject = _("Your reminders of %(day)s") % {"day": today}
        context = {**_layout_context(recipient), "items": items, "subject": subject}
        text = _render_text("meetings/notifications/digest.txt", context)
        html = render_to_string("meetings/notifications/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[recipient.email], connection=connection
    )
    message.attach_alternative(html, "text/html")
    return message


class SendLog(Protocol):
    """Where the sender reports, message by message, which rows went out and which failed."""

    def sent(self, ids: list[int]) -> None: ...

    def failed(self, ids: list[int], error: Exception) -> None: ...


def is_connection_error(error: BaseException) -> bool:
    """True when the mail server or the network failed (not one message or one address)."""
    return isinstance(error, OSError) and not isinstance(error, MESSAGE_ERRORS)


def _send_each(
    groups: Iterable[list[Notification]],
    build: Callable[[list[Notification], object], EmailMultiAlternatives],
    log: SendLog,
) -> Exception | None:
    """Send one message per group over one connection, reporting each to `log`.

    An error of one message (its address refused, its rendering broken) fails only its own rows
    and the next message is sent; a connection error stops the batch and is returned, so the
    caller gives the unsent rest back. Anything else (a time limit) propagates.
    """
    connection = get_connection()
    try:
        connection.open()
    except SEND_ERRORS as error:
        return error
    try:
        for rows in groups:
            ids = [row.pk for row in rows]
            try:
                build(rows, connection).send()
            except SoftTimeLimitExceeded:
                raise
            except Exception as error:
                if is_connection_error(error):
                    return error
                logger.warning("Notification %s not sent: %r", ids, error)
                log.failed(ids, error)
                continue
            log.sent(ids)
    finally:
        try:
            connection.close()
        except Exception as error:  # noqa: BLE001 -- what was sent stays reported as sent
            logger.warning("Closing the mail connection failed: %r", error)
    return None


def notification_messages_send(rows: Sequence[Notification], log: SendLog) -> Exception | None:
    """Send one e-mail per row over one connection; return the connection error, if any."""
    return _send_each(
        ([row] for row in rows),
        lambda group, connection: notification_message(group[0], connection),
        log,
    )


def digest_messages_send(rows: Sequence[Notification], log: SendLog) -> Exception | None:
    """Send one e-mail per person with all their rows; return the connection error, if any."""
    by_person: dict[int, list[Notification]] = {}
    for row in rows:
        by_person.setdefault(row.recipient_id, []).append(row)
    return _send_each(by_person.values(), digest_message, log)
