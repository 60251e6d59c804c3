"""Why a person is reminded: the declared list of reasons, each one entry in :data:`RULES`.

A rule reads the report tables of the academic year (:class:`Situation`, built from the index,
never from the workbooks again) and yields what each person owes as :class:`Owed` items. Each
item names its reason (``reason_id``) and its stage; a reason at one stage (its ``key``) is sent
to a person at most once, and no reason twice on one day (the sent-log remembers both). The
stages set how often a reason comes back: the conference reasons at 30, 14 and 3 days before
April 1, then once per week once late; a revisit date once per 30 days overdue.

A new reason is one more :class:`Rule` in :data:`RULES` with a function from the situation to
the items it finds; the messages, the table, the sent-log and the audit trail need nothing else.
The mentoring-year reasons (a yearly review due, an agenda not shared the day before a meeting)
read the year's meetings and reviews (:attr:`Situation.year_records`, from the workbooks the
index marks latest) as the dashboard's "Mentoring year" tab does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from mentorforms import messages
from mentorforms.forms import get_form
from mentorforms.records.roster import Person, Roster
from mentorforms.reports import year as year_report
from mentorforms.reports.coverage import agreements_past_revisit, conferences
from mentorforms.reports.facts import conference_parts, forms_taking
from mentorforms.reports.tables import Tables, rows
from mentorforms.rules.parties import is_chair_of, key_person_id
from mentorforms.vocabulary.academic_year import AcademicYear

#: Days before the conference deadline when a missing Part I (and network map) is reminded of.
PART1_STAGES = (30, 14, 3)
#: Part II is chased once the deadline is near: these days before it, then weekly once it is late.
PART2_STAGES = (14, 3)
#: A revisit date that has passed comes back once per this many days.
REVISIT_EVERY_DAYS = 30


@dataclass(frozen=True)
class Owed:
    """One thing one person (the recipient) owes, as the table and the message show it.

    ``subject_id`` is whose form it is (the recipient for their own Part I; the faculty member
    for a chair's Part II). ``link`` holds the form page's query parameters; the message turns
    them into an address under the configured base URL.
    """

    person_id: str
    name: str
    email: str
    rule_id: str
    #: The sentence the message shows, and the same in a few words for a table.
    reason: str
    short: str
    form_id: str
    subject_id: str
    due: dt.date
    due_text: str
    #: Which reason this is, whatever the stage: never sent twice on one day.
    reason_id: str
    #: How far along it is (``"30d"``, ``"late-2027-04-05"``): each stage is sent once.
    stage: str
    link: tuple[tuple[str, str], ...]
    #: Set from the rule: the message carries the conference deadline's calendar invitation.
    calendar: bool = False

    @property
    def key(self) -> str:
        """What the sent-log remembers: the reason at its stage."""
        return f"{self.reason_id}@{self.stage}"


@dataclass
class Situation:
    """What the rules read: one academic year's report tables on one day."""

    tables: Tables
    roster: Roster
    year: AcademicYear
    as_of: dt.date
    #: The departments asked for (None: every department), as the tables were built.
    departments: tuple[str, ...] | None = None

    @cached_property
    def conferences(self) -> pd.DataFrame:
        return conferences(self.tables, [self.year])

    @cached_property
    def past_revisit(self) -> pd.DataFrame:
        return agreements_past_revisit(self.tables, self.as_of)

    @cached_property
    def official_forms(self) -> set[tuple[str, str]]:
        """(person_id, form_id) of every form with a submitted or signed version this year."""
        return {(person_id, form_id) for person_id, form_id, year, official in
                rows(self.tables.latest, ["person_id", "form_id", "year", "official_status"])
                if year == self.year.label and official in ("submitted", "signed")}

    @cached_property
    def part2_signatures(self) -> dict[str, tuple[dt.date | None, dt.date | None]]:
        """Per faculty member, (faculty signed on, chair signed on) of this year's official Part II."""
        return {person_id: (faculty, chair) for person_id, year, form_id, faculty, chair in
                rows(self.tables.conference_forms, ["person_id", "year", "form_id", "faculty_signed_on",
                                                    "chair_signed_on"])
                if year == self.year.label and form_id == conference_parts(self.year)[1]}

    @cached_property
    def year_records(self) -> year_report.YearRecords:
        """This year's meetings and reviews (and the agreements in force) in the asked departments,
        read through the index the tables came from (which must still be open)."""
        departments = None if self.departments is None else list(self.departments)
        assert self.tables.index is not None, "the reminders read the index the tables came from"
        return year_report.year_records(self.tables.index, self.year, departments, roles=["meeting", "review"])

    @cached_property
    def reviews(self) -> pd.DataFrame:
        """Each relationship's yearly review state on ``as_of`` (:func:`reports.year.reviews_due`)."""
        return year_report.reviews_due(self.year_records, self.roster, self.as_of, self.departments)

    def form_of(self, about: str) -> str:
        """The id of the form a reason is ``about`` in this year's declarations: "part1" and
        "part2" (the conference's faculty and chair parts), "relationship" (the agreement),
        "network" (the network map), "review" (the relationship's yearly review) or "meeting" (a
        mentoring meeting); "" if no form is declared so."""
        if about in ("part1", "part2"):
            return conference_parts(self.year)[0 if about == "part1" else 1]
        if about in ("review", "meeting"):
            found = year_report.forms_by_role(self.year).get(about, ())
        else:
            found = forms_taking(about, self.year)
        return found[0] if found else ""


Finder = Callable[[Situation], Iterable[Owed]]


@dataclass(frozen=True)
class Rule:
    """One reason to remind: its id (in keys, the sent-log and ``--reason``), what form it is
    about (as :meth:`Situation.form_of` names forms), whether the message carries the conference
    deadline's calendar invitation, and the function that finds who owes it."""

    id: str
    about: str
    find: Finder = field(repr=False)
    calendar: bool = False


# --------------------------------------------------------------------------- timing


def conference_stage(as_of: dt.date, due: dt.date, stages: tuple[int, ...], *, weekly_when_late: bool) -> str | None:
    """The reminder stage on ``as_of`` for something due before ``due``: ``"30d"`` from 30 days
    before (for stages 30, 14, 3) until the 14-day stage starts, and so on; once ``due`` has come,
    ``"late-<monday>"`` (one per week) if ``weekly_when_late``, else None. None before the first stage."""
    days_left = (due - as_of).days
    if days_left <= 0:
        if not weekly_when_late:
            return None
        monday = as_of - dt.timedelta(days=as_of.weekday())
        return f"late-{monday.isoformat()}"
    current = [stage for stage in stages if days_left <= stage]
    return f"{min(current)}d" if current else None


def _day(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _due_before(day: dt.date) -> str:
    return messages.say(messages.REMINDER_DUE_BEFORE, day=_day(day))


def _owed(person: Person, rule_id: str, reason: tuple[str, str], form_id: str, subject_id: str, due: dt.date,
          due_text: str, reason_id: str, stage: str, link: dict[str, str]) -> Owed:
    return Owed(person.person_id, person.name, person.email, rule_id, *reason, form_id, subject_id, due, due_text,
                reason_id, stage, tuple(link.items()))


# --------------------------------------------------------------------------- the rules


def _part1_missing(situation: Situation) -> Iterator[Owed]:
    """Faculty with no submitted or signed Part I this year, from 30 days before April 1."""
    due = situation.year.conference_due
    stage = conference_stage(situation.as_of, due, PART1_STAGES, weekly_when_late=True)
    part1 = situation.form_of("part1")
    if stage is None or not part1:
        return
    for person_id, waiting in rows(situation.conferences, ["person_id", "waiting_for"]):
        person = situation.roster.get(person_id)
        if person is None or "Part I" not in str(waiting).split(", "):
            continue
        reason = (messages.say(messages.REMINDER_PART1_MISSING, year=situation.year.label),
                  messages.REMINDER_SHORT_PART1_MISSING)
        yield _owed(person, "part1_missing", reason, part1, person_id, due, _due_before(due),
                    f"part1_missing:{situation.year.label}", stage,
                    {"form": part1, "person": person_id, "year": situation.year.label})


def _part2_not_held(situation: Situation) -> Iterator[Owed]:
    """Part I is in but Part II is not signed by both, near or after April 1: to the chair and
    designees who hold the conference, or to the faculty member once the chair has signed (or
    when nobody on the roster holds it: a chair's own)."""
    due = situation.year.conference_due
    stage = conference_stage(situation.as_of, due, PART2_STAGES, weekly_when_late=True)
    part2 = situation.form_of("part2")
    if stage is None or not part2:
        return
    label = situation.year.label
    holders = [person for person in situation.roster if person.has_role("chair") or person.has_role("designee")]
    for person_id, name, waiting in rows(situation.conferences, ["person_id", "name", "waiting_for"]):
        waiting = str(waiting).split(", ")
        if "Part I" in waiting or not {"Part II", "Part II signatures"} & set(waiting):
            continue
        link = {"form": part2, "person": person_id, "year": label}
        faculty_signed, chair_signed = situation.part2_signatures.get(person_id, (None, None))
        subject = situation.roster.get(person_id)
        if chair_signed is not None and faculty_signed is None and subject is not None:
            reason = (messages.say(messages.REMINDER_PART2_SIGN, year=label), messages.REMINDER_SHORT_PART2_SIGN)
            yield _owed(subject, "part2_not_held", reason, part2, person_id, due, _due_before(due),
                        f"part2_not_held:{label}:{person_id}", stage, link)
            continue
        held_by = [holder for holder in holders if is_chair_of(situation.roster, holder, person_id)]
        for holder in held_by:
            yield _owed(holder, "part2_not_held",
                        (messages.say(messages.REMINDER_PART2_NOT_HELD, subject=name, year=label),
                         messages.say(messages.REMINDER_SHORT_PART2_NOT_HELD, subject=name)),
                        part2, person_id, due, _due_before(due),
                        f"part2_not_held:{label}:{person_id}", stage, link)
        if not held_by and subject is not None:
            # A chair's own conference: nobody on the roster holds it, so the chair is told.
            reason = (messages.say(messages.REMINDER_PART2_OWN_NOT_HELD, year=label),
                      messages.REMINDER_SHORT_PART2_OWN_NOT_HELD)
            yield _owed(subject, "part2_not_held", reason, part2, person_id, due, _due_before(due),
                        f"part2_not_held:{label}:{person_id}", stage, link)


def _agreement_revisit(situation: Situation) -> Iterator[Owed]:
    """Each mentee-mentor pair whose latest agreement is past its revisit date: to both. Where the
    year declares a yearly review, the pairs the review covers (the roster's relationships) are
    left to ``review_due``: the review is how the plan is revisited, so a pair is told once, and
    not at all once the review is signed."""
    label = situation.year.label
    agreement = situation.form_of("relationship")
    reviewed = (set(zip(situation.reviews["mentee_id"], situation.reviews["mentor_id"]))
                if situation.form_of("review") else set())
    for mentee_id, mentor_id, mentor_name, revisit in rows(
            situation.past_revisit, ["person_id", "mentor_id", "mentor", "revisit_date"]):
        mentee = situation.roster.get(mentee_id)
        mentor = situation.roster.get(mentor_id) if isinstance(mentor_id, str) else None
        if mentee is None or (mentee_id, mentor_id) in reviewed:
            continue
        reason_id = f"agreement_revisit:{mentee_id}:{mentor_id}:{revisit.isoformat()}"
        stage = f"{(situation.as_of - revisit).days // REVISIT_EVERY_DAYS * REVISIT_EVERY_DAYS}d-late"
        link = {"form": agreement, "person": mentee_id, "year": label, "mentor": str(mentor_id or "")}
        due_text = messages.say(messages.REMINDER_DUE_ON, day=_day(revisit))
        mentor_label = mentor.name if mentor is not None else (mentor_name if isinstance(mentor_name, str) else "")
        yield _owed(mentee, "agreement_revisit",
                    (messages.say(messages.REMINDER_AGREEMENT_REVISIT_MENTEE, mentor=mentor_label),
                     messages.say(messages.REMINDER_SHORT_AGREEMENT_REVISIT, other=mentor_label)),
                    agreement, mentee_id, revisit, due_text, reason_id, stage, link)
        if mentor is not None:
            yield _owed(mentor, "agreement_revisit",
                        (messages.say(messages.REMINDER_AGREEMENT_REVISIT_MENTOR, mentee=mentee.name),
                         messages.say(messages.REMINDER_SHORT_AGREEMENT_REVISIT, other=mentee.name)),
                        agreement, mentee_id, revisit, due_text, reason_id, stage, link)


def _network_map_missing(situation: Situation) -> Iterator[Owed]:
    """Faculty with no submitted network map this year, at the Part I stages (the map prepares
    the conference); not chased once the deadline has passed."""
    due = situation.year.conference_due
    stage = conference_stage(situation.as_of, due, PART1_STAGES, weekly_when_late=False)
    network_map = situation.form_of("network")
    if stage is None or not network_map:
        return
    label = situation.year.label
    for person_id in rows(situation.tables.people, ["person_id"]):
        person = situation.roster.get(person_id[0])
        if person is None or (person.person_id, network_map) in situation.official_forms:
            continue
        reason = (messages.say(messages.REMINDER_NETWORK_MAP_MISSING, year=label),
                  messages.REMINDER_SHORT_NETWORK_MAP_MISSING)
        yield _owed(person, "network_map_missing", reason, network_map, person.person_id, due, _due_before(due),
                    f"network_map_missing:{label}", stage,
                    {"form": network_map, "person": person.person_id, "year": label})


def _review_due(situation: Situation) -> Iterator[Owed]:
    """Each relationship whose yearly review is due (revisit date within 30 days) or overdue, with
    no signed review this year: to the mentee and the mentor, once when due, then once per 30
    days overdue."""
    review = situation.form_of("review")
    if not review:
        return
    label = situation.year.label
    for mentee_id, mentor_id, revisit, state in rows(
            situation.reviews, ["mentee_id", "mentor_id", "revisit_date", "state"]):
        mentee, mentor = situation.roster.get(mentee_id), situation.roster.get(mentor_id)
        if state not in ("due", "overdue") or mentee is None or mentor is None or not isinstance(revisit, dt.date):
            continue
        if state == "due":
            stage, sentence, short = "due", messages.REMINDER_REVIEW_DUE, messages.REMINDER_SHORT_REVIEW_DUE
        else:
            stage = f"{(situation.as_of - revisit).days // REVISIT_EVERY_DAYS * REVISIT_EVERY_DAYS}d-late"
            sentence, short = messages.REMINDER_REVIEW_OVERDUE, messages.REMINDER_SHORT_REVIEW_OVERDUE
        reason_id = f"review_due:{label}:{mentee_id}:{mentor_id}:{revisit.isoformat()}"
        link = {"form": review, "person": mentee_id, "year": label, "mentor": mentor_id}
        due_text = messages.say(messages.REMINDER_DUE_ON, day=_day(revisit))
        yield _owed(mentee, "review_due",
                    (messages.say(sentence, other=mentor.name),
                     messages.say(short, other=mentor.name)),
                    review, mentee_id, revisit, due_text, reason_id, stage, link)
        yield _owed(mentor, "review_due",
                    (messages.say(sentence, other=mentee.name),
                     messages.say(short, other=mentee.name)),
                    review, mentee_id, revisit, due_text, reason_id, stage, link)


def _agenda_not_shared(situation: Situation) -> Iterator[Owed]:
    """Each meeting dated tomorrow whose agenda the mentee has not shared: to the mentee, once
    per meeting, linking to that meeting's record (as the landing page does)."""
    meeting = situation.form_of("meeting")
    if not meeting:
        return
    tomorrow = situation.as_of + dt.timedelta(days=1)
    label = situation.year.label
    form = get_form(meeting, situation.year)
    ended = year_report.ended_relationships(situation.year_records)
    for record in situation.year_records.records:
        if record.form_id != meeting or record.values.get("meeting_date") != tomorrow \
                or record.values.get("agenda_shared") is True:
            continue
        mentee = situation.roster.get(record.person_id)
        key = str(record.values.get("meeting_key") or "")
        mentor = situation.roster.get(key_person_id(form, key) or "") if key else None
        if mentee is None or mentor is None or (mentee.person_id, mentor.person_id) in ended:
            continue  # a relationship a review ended has no meetings to prepare
        yield _owed(mentee, "agenda_not_shared",
                    (messages.say(messages.REMINDER_AGENDA_NOT_SHARED, mentor=mentor.name, day=_day(tomorrow)),
                     messages.say(messages.REMINDER_SHORT_AGENDA_NOT_SHARED, other=mentor.name)),
                    meeting, mentee.person_id, tomorrow, messages.say(messages.REMINDER_DUE_BEFORE, day=_day(tomorrow)),
                    f"agenda_not_shared:{label}:{mentee.person_id}:{key}", tomorrow.isoformat(),
                    {"form": meeting, "person": mentee.person_id, "year": label, "instance": key})


#: Every reason, in the order a message lists them. Add a reason here (see the module's docstring).
RULES: tuple[Rule, ...] = (
    Rule("part1_missing", "part1", _part1_missing, calendar=True),
    Rule("part2_not_held", "part2", _part2_not_held, calendar=True),
    Rule("agreement_revisit", "relationship", _agreement_revisit),
    Rule("network_map_missing", "network", _network_map_missing),
    Rule("review_due", "review", _review_due),
    Rule("agenda_not_shared", "meeting", _agenda_not_shared),
)


def rule_ids(rules: Iterable[Rule] = RULES) -> tuple[str, ...]:
    """The ids of ``rules``, in order."""
    return tuple(rule.id for rule in rules)
