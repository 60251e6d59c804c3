"""The people of a developmental network map, read from its ``people`` table rows.

The rows may be the canonical table value of a record (see :mod:`mentorforms.vocabulary.record`) or
the live, unvalidated rows of the form page: :func:`read_people` accepts choice ids or labels,
ignores empty rows, and lists every value it could not understand in :attr:`Network.problems`
instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mentorforms.forms.network_map import CLOSENESS, KINDS_OF_HELP, LEVELS, ORGANISATION, RELATIONSHIP

#: Kind-of-help column ids in the booklet's order, and their labels.
KIND_IDS: tuple[str, ...] = tuple(kind for kind, _, _ in KINDS_OF_HELP)
KIND_LABELS: Mapping[str, str] = {kind: label for kind, label, _ in KINDS_OF_HELP}
#: How a kind of help reads in a sentence ("no one gives personal support").
KIND_PHRASES: Mapping[str, str] = {
    "job_done": "helps you get the job done",
    "career": "helps advance your career",
    "personal": "gives personal support",
}
KIND_NOUNS: Mapping[str, str] = {
    "job_done": "getting the job done",
    "career": "advancing your career",
    "personal": "personal support",
}
CLOSENESS_IDS: tuple[str, ...] = tuple(choice.id for choice in CLOSENESS)  # closest first
LEVEL_IDS: tuple[str, ...] = tuple(choice.id for choice in LEVELS)  # superior, peer, junior
ORGANISATION_IDS: tuple[str, ...] = tuple(choice.id for choice in ORGANISATION)
RELATIONSHIP_IDS: tuple[str, ...] = tuple(choice.id for choice in RELATIONSHIP)

if set(KIND_PHRASES) != set(KIND_IDS) or set(KIND_NOUNS) != set(KIND_IDS):  # pragma: no cover - declaration guard
    raise RuntimeError("mentorforms.network.people does not know every kind of help the network map declares")


@dataclass(frozen=True)
class NetworkPerson:
    """One person on the map, as the measures and the picture use it.

    ``help`` holds (kind id, closeness id) pairs for every kind of help the person gives, in the
    booklet's order; a person with no pairs is on the map but gives no kind of help yet.
    Unknown or empty answers are None.
    """

    row: int  # 1-based row number in the table
    name: str
    description: str = ""
    help: tuple[tuple[str, str], ...] = ()
    level: str | None = None
    organisation: str | None = None
    sponsor: bool = False
    well_connected: bool = False
    relationship: str | None = None

    def closeness(self, kind: str) -> str | None:
        """How close this person is for ``kind`` of help; None if they do not give it."""
        for kind_id, closeness in self.help:
            if kind_id == kind:
                return closeness
        return None

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind, _ in self.help)

    @property
    def closest(self) -> str | None:
        """The closest relationship across every kind of help they give; None if they give none."""
        ranks = [CLOSENESS_IDS.index(closeness) for _, closeness in self.help]
        return CLOSENESS_IDS[min(ranks)] if ranks else None

    @property
    def shown_name(self) -> str:
        return self.name or f"(row {self.row}, no name)"


@dataclass(frozen=True)
class Network:
    """The people of one map, and every table value that could not be understood (by row)."""

    people: tuple[NetworkPerson, ...]
    problems: tuple[str, ...] = ()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _choice(value: Any, options, what: str, row: int, problems: list[str]) -> str | None:
    """A choice id from an id or a label (case and spacing forgiven); None for empty."""
    text = _text(value)
    if not text:
        return None
    folded = text.casefold()
    for option in options:
        if folded in (option.id.casefold(), option.label.casefold()):
            return option.id
    problems.append(f"row {row}: {text!r} is not a {what}; it is left out of the measures")
    return None


def _flag(value: Any, what: str, row: int, problems: list[str]) -> bool:
    if value is None or value is False or value == "":
        return False
    if value is True:
        return True
    text = _text(value).casefold()
    if text in ("x", "yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    problems.append(f"row {row}: {_text(value)!r} is not a tick for {what}; it is left out of the measures")
    return False


def read_people(rows: Iterable[Any] | None) -> Network:
    """The people in the ``people`` table value ``rows`` (canonical or live, possibly invalid).

    Rows with nothing in them are skipped (a row just added on the page); a row with content but
    no name still counts. Choice cells may hold ids or labels; anything else is listed in
    ``problems`` and treated as empty.
    """
    people: list[NetworkPerson] = []
    problems: list[str] = []
    for number, row in enumerate(rows or (), start=1):
        if not isinstance(row, Mapping):
            problems.append(f"row {number}: is not a row of the table; it is left out of the measures")
            continue
        if not any(_text(value) for value in row.values() if value is not False):
            continue
        help_pairs = []
        for kind in KIND_IDS:
            closeness = _choice(row.get(kind), CLOSENESS, f"closeness for {KIND_NOUNS[kind]}", number, problems)
            if closeness is not None:
                help_pairs.append((kind, closeness))
        people.append(NetworkPerson(
            row=number,
            name=_text(row.get("name")),
            description=_text(row.get("description")),
            help=tuple(help_pairs),
            level=_choice(row.get("level"), LEVELS, "level", number, problems),
            organisation=_choice(row.get("organisation"), ORGANISATION, "place (inside or outside)", number,
                                 problems),
            sponsor=_flag(row.get("sponsor"), "sponsor", number, problems),
            well_connected=_flag(row.get("well_connected"), "very well connected", number, problems),
            relationship=_choice(row.get("relationship"), RELATIONSHIP, "mentor or mentee", number, problems),
        ))
    return Network(tuple(people), tuple(problems))


def shown_names(people: Iterable[NetworkPerson]) -> tuple[str, ...]:
    """The names of ``people`` as shown (a row without a name by its row number)."""
    return tuple(person.shown_name for person in people)
