"""One reminder message per person: plain text and HTML from the jinja2 templates, links to the
forms, and (for the conference reasons) the deadline's calendar invitation.

The message is a standard-library :class:`email.message.EmailMessage`:
``multipart/mixed`` holding ``multipart/alternative`` (text, HTML and the
``text/calendar; method=REQUEST`` part calendar programs show as an invitation) and the same
calendar as an ``invite.ics`` attachment for mail programs that only offer attachments.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from functools import lru_cache

import jinja2

from mentorforms import messages
from mentorforms.forms import UnknownFormError, get_form
from mentorforms.reminders.calendar import Invitation, conference_invitation, to_ics
from mentorforms.reminders.rules import Owed
from mentorforms.vocabulary import pages
from mentorforms.vocabulary.academic_year import AcademicYear

#: The address ``mentorforms serve`` answers on (its default port); links use it unless told otherwise.
DEFAULT_BASE_URL = "http://127.0.0.1:8866"
DEFAULT_SENDER = "Faculty Affairs <faculty-affairs@localhost>"
TEXT_TEMPLATE = "reminder_email.txt.j2"
HTML_TEMPLATE = "reminder_email.html.j2"


@dataclass(frozen=True)
class Reminder:
    """The message for one person and the items it carries (the sent-log records their keys)."""

    person_id: str
    name: str
    email: str
    items: tuple[Owed, ...]
    message: EmailMessage
    invitation: Invitation | None = None
    sequence: int = 0


def _page_url(base_url: str, page: str, params: Sequence[tuple[str, str]]) -> str:
    query = urllib.parse.urlencode([(key, value) for key, value in params if value])
    address = f"{base_url.rstrip('/')}/voila/render/{page}"
    return f"{address}?{query}" if query else address


def form_url(base_url: str, item: Owed) -> str:
    """The form page's address for ``item``, as the landing page links it (form, person, year
    and, for an agreement, the mentor). Never carries an identity: the server decides who opens it."""
    return _page_url(base_url, pages.FORM, item.link)


def landing_url(base_url: str, year: AcademicYear) -> str:
    """The landing page for ``year``: every form the reader may open."""
    return _page_url(base_url, pages.LANDING, [("year", year.label)])


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    templates = importlib.resources.files("mentorforms.templates")

    def load(name: str) -> str:
        return templates.joinpath(name).read_text(encoding="utf-8")

    environment = jinja2.Environment(loader=jinja2.FunctionLoader(load), undefined=jinja2.StrictUndefined,
                                     trim_blocks=True, lstrip_blocks=True,
                                     autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",),
                                                                         default_for_string=False))
    return environment


def _form_title(form_id: str, year: AcademicYear) -> str:
    try:
        return get_form(form_id, year).title
    except UnknownFormError:
        return form_id


def subject_line(items: Sequence[Owed]) -> str:
    """The subject: the one reason, or how many and the earliest due date."""
    if len(items) == 1:
        return messages.say(messages.REMINDER_SUBJECT_ONE, reason=items[0].reason)
    first = min(items, key=lambda item: item.due)
    return messages.say(messages.REMINDER_SUBJECT_MANY, count=len(items), due=first.due_text)


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


def compose(items: Sequence[Owed], *, year: AcademicYear, base_url: str = DEFAULT_BASE_URL,
            sender: str = DEFAULT_SENDER, sequence: Callable[[Invitation], int] | None = None,
            now: dt.datetime | None = None) -> Reminder:
    """The message to the one person all ``items`` are owed by. ``sequence`` gives the calendar
    invitation's SEQUENCE (None: 0). ValueError if the recipient's name or address cannot be put
    in a mail header."""
    if not items or len({item.person_id for item in items}) != 1:
        raise ValueError("a reminder goes to exactly one person")
    now = now or dt.datetime.now(dt.UTC)
    first = items[0]
    landing = landing_url(base_url, year)
    shown = [{"reason": item.reason, "due_text": item.due_text, "url": form_url(base_url, item),
              "form_title": _form_title(item.form_id, year)} for item in items]
    calendar_item = next((item for item in items if item.calendar), None)
    invitation = None
    if calendar_item is not None:
        invitation = conference_invitation(first.person_id, first.name, first.email, year, landing)
    subject = subject_line(items)
    context = {"name": first.name, "items": shown, "year": year.label, "landing_url": landing,
               "calendar": invitation is not None, "subject": subject}
    environment = _environment()
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(display_name=first.name, addr_spec=first.email)
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("reminder", domain=_domain(sender))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies should not answer it
    message.set_content(environment.get_template(TEXT_TEMPLATE).render(context))
    message.add_alternative(environment.get_template(HTML_TEMPLATE).render(context), subtype="html")
    chosen_sequence = sequence(invitation) if sequence is not None and invitation is not None else 0
    if invitation is not None:
        ics = to_ics(invitation, organizer=parseaddr(sender)[1] or sender, sequence=chosen_sequence, stamp=now)
        message.add_alternative(ics.decode("utf-8"), subtype="calendar", params={"method": "REQUEST"})
        message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return Reminder(first.person_id, first.name, first.email, tuple(items), message, invitation, chosen_sequence)
