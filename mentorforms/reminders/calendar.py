"""The conference deadline as a calendar invitation (iCalendar, made with ``icalendar``).

Outlook and most calendar programs show an invitation only from a ``METHOD:REQUEST`` calendar
in a ``text/calendar; method=REQUEST`` part. The event is all day on the last day before the
deadline (the conference is due *before* April 1) and does not block time. Its UID is the same
for a person and year every time, so a later reminder updates the entry instead of adding
another; SEQUENCE rises only when what the event says changes (the sent-log remembers it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from icalendar import Calendar, Event, vCalAddress

from mentorforms import messages
from mentorforms.vocabulary.academic_year import AcademicYear

PRODID = "-//mentorforms//Annual Career Planning Conference reminders//EN"
UID_DOMAIN = "mentorforms.invalid"


@dataclass(frozen=True)
class Invitation:
    """What the event says (its fingerprint decides SEQUENCE) and who it is for."""

    uid: str
    summary: str
    description: str
    day: dt.date
    attendee_email: str
    attendee_name: str

    @property
    def fingerprint(self) -> str:
        """A hash of what a calendar shows: a change raises SEQUENCE."""
        content = "\n".join((self.summary, self.description, self.day.isoformat()))
        return hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]


def uid_for(person_id: str, year: AcademicYear) -> str:
    """The invitation's UID for one person and year: stable, and not showing the roster id."""
    digest = hashlib.sha256(f"{person_id}\n{year.label}".encode()).hexdigest()[:24]
    return f"conference-deadline-{year.label}-{digest}@{UID_DOMAIN}"


def _day_text(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def conference_invitation(person_id: str, name: str, email: str, year: AcademicYear, link: str) -> Invitation:
    """The deadline invitation for one person: all day on the day before ``year``'s
    ``conference_due``, naming the deadline and linking to their forms."""
    due = year.conference_due
    return Invitation(
        uid=uid_for(person_id, year),
        summary=messages.say(messages.REMINDER_CALENDAR_SUMMARY, day=_day_text(due)),
        description=messages.say(messages.REMINDER_CALENDAR_DESCRIPTION, year=year.label, day=_day_text(due),
                                 link=link),
        day=due - dt.timedelta(days=1),
        attendee_email=email,
        attendee_name=name,
    )


def to_ics(invitation: Invitation, *, organizer: str, sequence: int, stamp: dt.datetime) -> bytes:
    """The invitation as a ``METHOD:REQUEST`` calendar; ``stamp`` (UTC) is DTSTAMP."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    calendar.add("calscale", "GREGORIAN")
    event = Event()
    event.add("uid", invitation.uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", invitation.day)
    event.add("dtend", invitation.day + dt.timedelta(days=1))
    event.add("summary", invitation.summary)
    event.add("description", invitation.description)
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("organizer", vCalAddress.new(organizer))
    event.add("attendee", vCalAddress.new(invitation.attendee_email, cn=invitation.attendee_name,
                                          role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=False))
    calendar.add_component(event)
    return calendar.to_ical()
