"""Reminders to look at (:func:`preview`) and reminders sent (:func:`send`).

Both start from :func:`plan`: everything owed on the day, and for each item whether it goes out
now or why not (the same reason already sent that day, that key sent before, no address). The
items that go out are grouped into one message per person.

:func:`send` holds the sent-log's lock from planning to the last line written, so two runs at
once never send the same reminder twice; each message delivered is written to the sent-log and
then to the audit trail as ``reminder_sent``.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mentorforms import messages
from mentorforms.errors import MentorformsError
from mentorforms.records import audit
from mentorforms.records.store import safe_segment
from mentorforms.reminders import sentlog
from mentorforms.reminders.due import find, select_rules, situation
from mentorforms.reminders.mail import DEFAULT_BASE_URL, DEFAULT_SENDER, Reminder, compose
from mentorforms.reminders.rules import RULES, Owed, Rule
from mentorforms.reports.index import Index
from mentorforms.vocabulary.academic_year import AcademicYear

ACTION = "reminder_sent"
SMTP_TIMEOUT_SECONDS = 30


class SmtpUnavailable(MentorformsError):
    """The mail server cannot be reached or refuses the connection; nothing more was sent."""


@dataclass
class Plan:
    """What is owed on ``as_of``, what goes out now, and why the rest does not."""

    as_of: dt.date
    year: AcademicYear
    owed: list[Owed]
    #: item key -> why it is not sent now (shown in the table's note column)
    held_back: dict[tuple[str, str], str] = field(default_factory=dict)
    reminders: list[Reminder] = field(default_factory=list)

    def note(self, item: Owed) -> str:
        return self.held_back.get((item.person_id, item.key), "")


@dataclass
class Outcome:
    """What :func:`send` did: the messages delivered and those refused (person id, reason)."""

    plan: Plan
    sent: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)


def plan(folder: Path | str, as_of: dt.date, log: sentlog.SentLog, *, reasons: Iterable[str] | None = None,
         departments: Sequence[str] | None = None, rules: Sequence[Rule] = RULES, base_url: str = DEFAULT_BASE_URL,
         sender: str = DEFAULT_SENDER, now: dt.datetime | None = None) -> Plan:
    """Everything owed on ``as_of`` and the messages that would go out given ``log``."""
    chosen = select_rules(reasons, rules)
    with Index(folder) as index:
        index.refresh()
        current = situation(index, as_of, departments)
        owed = find(current, chosen)
    result = Plan(as_of, current.year, owed)
    going: dict[str, list[Owed]] = {}
    for item in owed:
        earlier = log.sent_on(item.person_id, item.key)
        if earlier is not None:
            result.held_back[(item.person_id, item.key)] = messages.say(messages.REMINDER_ALREADY_SENT, day=earlier)
        elif log.sent_that_day(item.person_id, item.reason_id, as_of):
            result.held_back[(item.person_id, item.key)] = messages.say(messages.REMINDER_ALREADY_SENT,
                                                                        day=as_of.isoformat())
        elif not item.email:
            result.held_back[(item.person_id, item.key)] = messages.REMINDER_NO_EMAIL
        else:
            going.setdefault(item.person_id, []).append(item)
    for items in going.values():
        try:
            result.reminders.append(compose(
                items, year=current.year, base_url=base_url, sender=sender, now=now,
                sequence=lambda invitation: log.sequence_for(invitation.uid, invitation.fingerprint)))
        except ValueError as error:  # a name or address no mail header can hold
            for item in items:
                result.held_back[(item.person_id, item.key)] = str(error)
    return result


def preview(folder: Path | str, as_of: dt.date, *, reasons: Iterable[str] | None = None,
            departments: Sequence[str] | None = None, base_url: str = DEFAULT_BASE_URL,
            sender: str = DEFAULT_SENDER, now: dt.datetime | None = None) -> Plan:
    """What :func:`send` would send on ``as_of`` (and what is owed but held back), sending nothing."""
    return plan(folder, as_of, sentlog.read(folder), reasons=reasons, departments=departments,
                base_url=base_url, sender=sender, now=now)


def write_eml(reminders: Iterable[Reminder], out: Path | str) -> list[Path]:
    """Each message as ``<person>.eml`` in ``out`` (made if missing), to open in a mail program."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for reminder in reminders:
        path = out / f"{safe_segment(reminder.person_id)}.eml"
        path.write_bytes(reminder.message.as_bytes())
        written.append(path)
    return written


def _connect(host: str, port: int) -> smtplib.SMTP:
    server = f"{host}:{port}"
    try:
        connection = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS)
        connection.ehlo()
        if connection.has_extn("starttls"):
            connection.starttls(context=ssl.create_default_context())
            connection.ehlo()
    except (TimeoutError, OSError, smtplib.SMTPException) as error:
        raise SmtpUnavailable(messages.say(messages.REMINDER_SMTP_UNREACHABLE, server=server,
                                           reason=str(error) or type(error).__name__)) from error
    return connection


def send(folder: Path | str, as_of: dt.date, *, smtp_host: str = "localhost", smtp_port: int = 25,
         actor: str, reasons: Iterable[str] | None = None, departments: Sequence[str] | None = None,
         base_url: str = DEFAULT_BASE_URL, sender: str = DEFAULT_SENDER, now: dt.datetime | None = None) -> Outcome:
    """Send the day's reminders through the SMTP server at ``smtp_host:smtp_port``; ``actor`` is
    who sends them (the audit trail names them). Nothing already in the sent-log goes again.

    SmtpUnavailable if the server cannot be reached; a message the server refuses is listed in
    ``failed`` and the others still go.
    """
    with sentlog.locked(folder):
        log = sentlog.read(folder)
        result = Outcome(plan(folder, as_of, log, reasons=reasons, departments=departments, base_url=base_url,
                              sender=sender, now=now))
        if not result.plan.reminders:
            return result
        connection = _connect(smtp_host, smtp_port)
        try:
            for reminder in result.plan.reminders:
                try:
                    connection.send_message(reminder.message)
                except smtplib.SMTPServerDisconnected as error:
                    raise SmtpUnavailable(messages.say(messages.REMINDER_SMTP_UNREACHABLE,
                                                       server=f"{smtp_host}:{smtp_port}", reason=str(error))) from error
                except smtplib.SMTPException as error:
                    result.failed.append((reminder, str(error) or type(error).__name__))
                    continue
                _record(folder, log, reminder, result.plan, actor)
                result.sent.append(reminder)
        finally:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                pass  # the messages are delivered (or listed as failed); a broken goodbye changes nothing
    return result


def _record(folder: Path | str, log: sentlog.SentLog, reminder: Reminder, current: Plan, actor: str) -> None:
    """Write a delivered message to the sent-log, then to the audit trail."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    invitation = reminder.invitation
    entry = sentlog.Entry(
        sent_at=now, day=current.as_of.isoformat(), person_id=reminder.person_id,
        keys=tuple(item.key for item in reminder.items),
        reasons=tuple(dict.fromkeys(item.reason_id for item in reminder.items)),
        uid=invitation.uid if invitation else "", sequence=reminder.sequence,
        fingerprint=invitation.fingerprint if invitation else "")
    sentlog.append(folder, entry)
    log.add(entry)
    forms = sorted({item.form_id for item in reminder.items})
    audit.append(folder, ACTION, actor=actor, person_id=reminder.person_id, year=current.year.label,
                      form_id=forms[0] if len(forms) == 1 else None,
                      detail="; ".join(item.key for item in reminder.items)
                      + f" (Message-ID {reminder.message['Message-ID']})")
