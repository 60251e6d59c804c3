"""Who a viewer is in one form: the parties they hold, found from the roster and the record.

Each form declares its parties (:class:`mentorforms.vocabulary.declaration.Party`); this module resolves
them. Nothing here reads the page or the query string: the request may *ask* for a person's form
(and a key such as the agreement's mentor), and :func:`open_case` decides, from the roster alone,
whether that form exists and who the viewer is in it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mentorforms import messages
from mentorforms.errors import AccessDenied
from mentorforms.records.roster import Person, Roster
from mentorforms.rules.identity import Viewer
from mentorforms.vocabulary.declaration import Form, Party


@dataclass(frozen=True)
class Case:
    """One form of one subject (and one key, for forms kept per mentor or group), as one viewer
    holds it: ``parties`` are the ids of the form's parties the viewer is."""

    form: Form
    subject: Person
    instance: str | None
    instance_person: Person | None
    viewer: Viewer
    parties: frozenset[str]

    def writes(self, field_id: str) -> bool:
        """May the viewer write the answer to ``field_id``?"""
        return bool(self.parties.intersection(self.form.writers_of(field_id)))

    @property
    def writable(self) -> frozenset[str]:
        """Every field the viewer may write."""
        return frozenset(field_id for field_id in self.form.field_ids if self.writes(field_id))

    @property
    def writes_anything(self) -> bool:
        return bool(self.writable)

    def sees(self, field_id: str, values: Mapping[str, Any]) -> bool:
        """May the viewer see the answer to ``field_id`` in a record holding ``values``? Every
        answer, except one declared ``shown_when`` a check that is not ticked, to a non-writer."""
        gate = self.form.field(field_id).shown_when
        return not gate or self.writes(field_id) or values.get(gate) is True

    def hidden(self, values: Mapping[str, Any]) -> frozenset[str]:
        """The fields of ``values``' record the viewer may not see yet."""
        return frozenset(field_id for field_id in self.form.field_ids if not self.sees(field_id, values))

    def signs(self, field_id: str) -> bool:
        """May the viewer give signature ``field_id``?"""
        try:
            return self.form.signing(field_id).party in self.parties
        except KeyError:
            return False

    @property
    def title(self) -> str:
        """How the page names the viewer's part ("Mentor", "Chair or designee")."""
        return " and ".join(self.form.party(party_id).title for party_id in sorted(self.parties))


def is_chair_of(roster: Roster, chair: Person, subject_id: str) -> bool:
    """Is ``chair`` the chair, or the chair's designee, of ``subject_id``'s department? Never of
    themselves (nobody holds their own conference), and a designee acts for the chair, not on
    the chair's own forms."""
    subject = roster.get(subject_id)
    if not (holds_conferences(chair) and subject and subject.department == chair.department):
        return False
    if subject.person_id == chair.person_id:
        return False
    return chair.has_role("chair") or not subject.has_role("chair")


def holds_conferences(person: Person) -> bool:
    """True for a chair and for a chair's designee (the documents: "chair (or designee)")."""
    return person.has_role("chair") or person.has_role("designee")


def _member_ids(party: Party, values: Mapping[str, Any]) -> set[str]:
    ids: set[str] = set()
    for cell in party.members:
        table_id, column_id = cell.split(".", 1)
        for row in values.get(table_id) or ():
            if isinstance(row, Mapping) and row.get(column_id):
                ids.add(str(row[column_id]).strip())
    return ids


def _has_roles(party: Party, person: Person) -> bool:
    return not party.roles or any(person.has_role(role) for role in party.roles)


def holds(party: Party, roster: Roster, viewer: Person, subject: Person, instance: str | None,
          values: Mapping[str, Any] | None = None) -> bool:
    """Does ``viewer`` hold ``party`` in ``subject``'s form kept under key ``instance`` (the key's
    roster id: see :func:`key_person_id`)? ``values`` are the last saved answers (a listed member
    is found there)."""
    if party.rule == "subject":
        return viewer.person_id == subject.person_id  # roles decide where it is listed, not who owns it
    if party.rule == "assigned_mentor":
        return (instance == viewer.person_id and viewer.person_id in subject.mentors
                and viewer.person_id != subject.person_id)
    if party.rule == "any_assigned_mentor":
        return viewer.person_id in subject.mentors and viewer.person_id != subject.person_id
    if party.rule == "department_chair":
        return is_chair_of(roster, viewer, subject.person_id)
    if party.rule == "listed_member":
        return viewer.person_id != subject.person_id and viewer.person_id in _member_ids(party, values or {})
    return False


def key_party(form: Form) -> Party | None:
    """The party whose roster id keys the form (an agreement's mentor), if the key comes from one."""
    return form.party(form.instance_party) if form.instance_party else None


def key_person_id(form: Form, instance: str | None) -> str | None:
    """The roster id in a form's key: the key itself, or for a serial key ("F00007/3") the part
    before the last "/"."""
    if instance is None or not form.instance_serial:
        return instance
    person_id, slash, number = instance.rpartition("/")
    return person_id if slash and number.isdigit() and int(number) > 0 else None


def serial_key(person_id: str, number: int) -> str:
    """The key of a form kept several times per relationship: the ``number``-th with ``person_id``."""
    return f"{person_id}/{number}"


def next_serial_key(form: Form, person_id: str, saved: Iterator[str] | tuple[str, ...]) -> str:
    """The key for a new record with ``person_id`` after the ``saved`` keys (1 for the first)."""
    numbers = [int(key.rpartition("/")[2]) for key in saved if key_person_id(form, key) == person_id]
    return serial_key(person_id, max(numbers, default=0) + 1)


def key_is_valid(form: Form, subject: Person, instance_person: Person | None) -> bool:
    """True when the roster makes ``instance_person`` the key's party for ``subject`` (the mentor
    an agreement is with must be one the roster assigns)."""
    party = key_party(form)
    if party is None:
        return True
    if instance_person is None:
        return False
    if party.rule == "assigned_mentor":
        return instance_person.person_id in subject.mentors and instance_person.person_id != subject.person_id
    return True


def open_case(form: Form, roster: Roster, viewer: Viewer, subject_id: str, instance: str | None = None,
              values: Mapping[str, Any] | None = None) -> Case:
    """The viewer's case for ``subject_id``'s ``form`` under key ``instance``.

    AccessDenied, in plain words, when the subject is not on the roster, the key names a
    relationship the roster does not have (an agreement with someone who is not an assigned
    mentor), or the viewer holds no party in it. ``values`` are the last saved answers, if any.
    """
    subject = roster.get(subject_id)
    if subject is None:
        raise AccessDenied(messages.say(messages.NOT_ON_ROSTER, person=subject_id))
    instance_person = None
    key_holder = key_party(form)
    if key_holder is not None:
        key_id = key_person_id(form, instance)
        instance_person = roster.get(key_id) if key_id else None
        if not key_is_valid(form, subject, instance_person):
            raise AccessDenied(messages.say(messages.NOT_A_RELATIONSHIP, form=form.title, subject=subject.name,
                                            party=key_holder.title.lower()))
    held = frozenset(party.id for party in form.parties
                     if holds(party, roster, viewer.person, subject, key_person_id(form, instance), values))
    if not held:
        raise AccessDenied(messages.say(messages.NOT_A_PARTY, form=form.title))
    return Case(form, subject, instance, instance_person, viewer, held)


@dataclass(frozen=True)
class Listing:
    """One form to list on a viewer's landing page: whose, under which key, as which party."""

    form: Form
    party: Party
    subject: Person
    instance: str | None
    instance_name: str
    #: A serial form's record ("Mentoring Meeting 2", "A new mentoring meeting"), for ``{number}``.
    number: str = ""


def roster_listings(form: Form, roster: Roster, viewer: Viewer,
                    saved_instances: Mapping[str, tuple[str, ...]],
                    ended: Collection[tuple[str, str]] = ()) -> Iterator[Listing]:
    """The viewer's listings of ``form`` that the roster gives (members of a group are found by
    the reports' index instead). ``saved_instances`` maps a subject id to the keys of the forms
    saved for them (peer groups, agreements with a mentor no longer assigned are not listed; a
    serial form's saved records). ``ended`` holds (mentee id, mentor id) of relationships a
    review ended: their forms are not listed any more."""
    for listing in _roster_listings(form, roster, viewer, saved_instances):
        mentor_id = key_person_id(form, listing.instance) if form.instance_party else (
            viewer.person_id if listing.party.rule == "any_assigned_mentor" else None)
        if mentor_id is None or (listing.subject.person_id, mentor_id) not in ended:
            yield listing


def _roster_listings(form: Form, roster: Roster, viewer: Viewer,
                     saved_instances: Mapping[str, tuple[str, ...]]) -> Iterator[Listing]:
    person = viewer.person
    for party in form.parties:
        if not party.listed:
            continue
        if party.rule == "subject":
            if not _has_roles(party, person):
                continue
            key = key_party(form)
            if form.instance_field is None:
                yield Listing(form, party, person, None, "")
            elif key is not None and key.rule == "assigned_mentor" and form.instance_serial:
                for mentor_id in person.mentors:
                    yield from _serial_listings(form, party, roster, person, mentor_id,
                                                saved_instances.get(person.person_id, ()))
            elif key is not None and key.rule == "assigned_mentor":
                for mentor_id in person.mentors:
                    mentor = roster.get(mentor_id)
                    if mentor is not None and mentor_id != person.person_id:
                        yield Listing(form, party, person, mentor_id, mentor.name)
            else:
                for instance in saved_instances.get(person.person_id, ()):
                    yield Listing(form, party, person, instance, instance)
        elif party.rule == "assigned_mentor" and form.instance_serial:
            for mentee in sorted(roster.mentees_of(person.person_id), key=lambda other: other.name):
                yield from _serial_listings(form, party, roster, mentee, person.person_id,
                                            saved_instances.get(mentee.person_id, ()))
        elif party.rule == "assigned_mentor":
            for mentee in sorted(roster.mentees_of(person.person_id), key=lambda other: other.name):
                yield Listing(form, party, mentee, person.person_id, person.name)
        elif party.rule == "any_assigned_mentor":
            for mentee in sorted(roster.mentees_of(person.person_id), key=lambda other: other.name):
                if mentee.person_id != person.person_id:
                    yield Listing(form, party, mentee, None, mentee.name)
        elif party.rule == "department_chair" and holds_conferences(person):
            subject_party = form.parties[0]
            for other in sorted(roster.in_department(person.department), key=lambda other: other.name):
                if _has_roles(subject_party, other) and is_chair_of(roster, person, other.person_id):
                    yield Listing(form, party, other, None, "")


def _serial_listings(form: Form, party: Party, roster: Roster, subject: Person, mentor_id: str,
                     saved: tuple[str, ...]) -> Iterator[Listing]:
    """Each saved record of a serial form with ``mentor_id`` (one per meeting), then a new one."""
    mentor = roster.get(mentor_id)
    if mentor is None or mentor_id == subject.person_id:
        return
    mine = sorted((key for key in saved if key_person_id(form, key) == mentor_id),
                  key=lambda key: int(key.rpartition("/")[2]))
    for key in mine:
        yield Listing(form, party, subject, key, mentor.name, f"{form.title} {key.rpartition('/')[2]}")
    yield Listing(form, party, subject, next_serial_key(form, mentor_id, tuple(mine)), mentor.name,
                  f"A new {form.title.lower()}")
