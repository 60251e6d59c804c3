"""The vocabulary of a form's parties: who has a part in it (:class:`Party`), how each is found
from the roster (:data:`PARTY_RULES`), where the form is listed for them (:data:`LISTS`), and who
signs what (:class:`Signing`). Used through :mod:`mentorforms.vocabulary.declaration`."""

from __future__ import annotations

from dataclasses import dataclass

#: How a party of a form is found, always from the roster and the record, never from the page
#: (resolved in mentorforms.rules.parties):
#:   "subject"           the person the form is about (the viewer is that person);
#:   "assigned_mentor"   a mentor the roster assigns to the subject; the form's key names them;
#:   "department_chair"  the chair of the subject's department, or the chair's designee (never
#:                       of themselves; a designee never on the chair's own forms);
#:   "listed_member"     a person whose roster id the record lists (``Party.members``);
#:   "any_assigned_mentor" any mentor the roster assigns to the subject, whatever the form's key
#:                       (a mentee's checklist, kept once, seen by each of their mentors).
PARTY_RULES = frozenset({"subject", "assigned_mentor", "department_chair", "listed_member", "any_assigned_mentor"})

#: The landing page's lists, in the order they are shown: (id, heading). "{department}" is the
#: viewer's department.
LISTS = (
    ("own", "Your forms"),
    ("department", "Conferences in {department}"),
    ("mentoring", "Mentoring"),
)


@dataclass(frozen=True)
class Party:
    """Someone with a part in a form: who they are (``rule``), how the page names them, and where
    the form is listed for them.

    ``listed`` is one of the ids of :data:`LISTS` ("" means the form is not listed for this
    party); ``label`` is the listing's text, a template over ``{form}`` (the title), ``{subject}``
    (the subject's name), ``{instance}`` (the name of the person or group the form is kept
    for) and, for a serial form, ``{number}`` (which record: "Mentoring Meeting 2"); ``note`` is
    shown under it.
    """

    id: str
    title: str
    rule: str
    listed: str = ""
    label: str = "{form}"
    note: str = ""
    #: listed_member only: the "table.column" cells holding the members' roster ids.
    members: tuple[str, ...] = ()
    #: Roster roles of the people the form is listed for as this party (a subject with none of
    #: them may still open their own); empty: anyone the rule finds.
    roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.rule not in PARTY_RULES:
            raise ValueError(f"party {self.id!r}: unknown rule {self.rule!r}")
        if self.listed and self.listed not in dict(LISTS):
            raise ValueError(f"party {self.id!r}: unknown list {self.listed!r}")
        if (self.rule == "listed_member") != bool(self.members):
            raise ValueError(f"party {self.id!r}: members are named exactly for a listed_member party")


@dataclass(frozen=True)
class Signing:
    """Which party signs one signature field, and what that signature means (shown beside it, on
    the printed workbook and in the print view)."""

    field: str
    party: str
    meaning: str


__all__ = ["LISTS", "PARTY_RULES", "Party", "Signing"]
