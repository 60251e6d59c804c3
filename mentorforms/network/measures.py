"""The analysis themes of the developmental network map, measured from its rows.

Appendix A of the booklet asks seven questions of a network (diversity, redundancy,
interconnectivity, strength of connection, balance, connections to power, size). Most can be
partly answered from the table of people; :func:`measure` does that and gives each theme a
one-line reading in the booklet's own terms ("no one gives personal support"). The readings
sit beside the person's reflective answer; they prompt the reflection, they do not replace it.

Everything here is pure: rows in, an immutable :class:`Measures` out. The rows may be the
canonical table value of a record (see :mod:`mentorforms.vocabulary.record`) or the live, unvalidated rows
of the form page: :func:`read_people` accepts choice ids or labels, ignores empty rows, and
lists every value it could not understand in :attr:`Network.problems` instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from mentorforms.forms.network_map import CLOSENESS, KINDS_OF_HELP, LEVELS, ORGANISATION, RELATIONSHIP, THEMES

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
THEME_FIELDS: Mapping[str, str] = {field_id: theme for field_id, theme, _ in THEMES}

#: Sizes the size reading calls small and large. The booklet sets no numbers; these only choose
#: the wording of the prompt ("does it fit your goals?" / "can you maintain it?").
SMALL_NETWORK = 5
LARGE_NETWORK = 16

if set(KIND_PHRASES) != set(KIND_IDS) or set(KIND_NOUNS) != set(KIND_IDS):  # pragma: no cover - declaration guard
    raise RuntimeError("mentorforms.network.measures does not know every kind of help the network map declares")


# --------------------------------------------------------------------------- reading the rows


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


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Reading:
    """What the rows say about one theme: a short figure and the booklet's one-line reading.

    ``field_id`` is the theme's reflective-answer field in the declaration, so a page can show the
    reading beside the answer. ``concern`` marks readings the booklet warns about (a gap, a tip
    in the balance, a single point of support).
    """

    field_id: str
    theme: str
    figure: str
    reading: str
    concern: bool = False


@dataclass(frozen=True)
class KindCount:
    """How many people give one kind of help, and how close they are (counts by closeness)."""

    kind: str
    label: str
    people: int
    close: int
    moderate: int
    distant: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class Measures:
    """Every measured theme of one map. Shares are fractions 0..1, None when nothing is known."""

    size: int
    #: People per kind of help, in the booklet's order.
    per_kind: tuple[KindCount, ...]
    #: Kinds of help nobody gives, and kinds only one person gives (redundancy).
    kinds_with_nobody: tuple[str, ...]
    kinds_with_one: tuple[str, ...]
    #: Names of the people who give every kind of help.
    every_kind: tuple[str, ...]
    #: People who give no kind of help yet (on the map, but in no band).
    no_kind: tuple[str, ...]
    #: People by their closest relationship (strength): close, moderate, distant.
    closest_close: int
    closest_moderate: int
    closest_distant: int
    #: Balance.
    mentors: int
    mentees: int
    #: Power and influence: sponsors, very well connected, and people who are either.
    sponsors: int
    well_connected: int
    influential: int
    #: Diversity: inside/outside the organisation (of those with it stated), and levels.
    inside: int
    outside: int
    share_outside: float | None
    superiors: int
    peers: int
    juniors: int
    levels_present: tuple[str, ...]
    #: Interconnectivity as far as rows show it: people who give more than one kind of help.
    multi_kind: int
    readings: tuple[Reading, ...]
    problems: tuple[str, ...] = ()

    def kind(self, kind: str) -> KindCount:
        """The count for one kind of help; KeyError for an unknown kind."""
        for count in self.per_kind:
            if count.kind == kind:
                return count
        raise KeyError(kind)

    def reading(self, field_id: str) -> Reading:
        """The reading shown beside the reflective answer ``field_id`` (e.g. ``"theme_size"``)."""
        for reading in self.readings:
            if reading.field_id == field_id:
                return reading
        raise KeyError(field_id)

    @property
    def has_sponsor(self) -> bool:
        return self.sponsors > 0

    @property
    def nobody_personal(self) -> bool:
        return "personal" in self.kinds_with_nobody


# --------------------------------------------------------------------------- measuring


def _names(people: Iterable[NetworkPerson]) -> tuple[str, ...]:
    return tuple(person.shown_name for person in people)


def _list(names: Iterable[str], limit: int = 3) -> str:
    """'AB', 'AB and CD', 'AB, CD and EF', 'AB, CD, EF and 2 more'."""
    names = list(names)
    if len(names) > limit:
        rest = len(names) - limit
        names = names[:limit] + [f"{rest} more"]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def measure(rows: Iterable[Any] | Network | None) -> Measures:
    """Measure the themes of a map from its ``people`` rows (or an already read :class:`Network`)."""
    network = rows if isinstance(rows, Network) else read_people(rows)
    people = network.people
    size = len(people)

    per_kind = []
    for kind in KIND_IDS:
        givers = [person for person in people if person.closeness(kind) is not None]
        by_closeness = {closeness: sum(1 for person in givers if person.closeness(kind) == closeness)
                        for closeness in CLOSENESS_IDS}
        per_kind.append(KindCount(kind, KIND_LABELS[kind], len(givers), by_closeness["close"],
                                  by_closeness["moderate"], by_closeness["distant"], _names(givers)))
    kinds_with_nobody = tuple(count.kind for count in per_kind if count.people == 0)
    kinds_with_one = tuple(count.kind for count in per_kind if count.people == 1)
    every_kind = _names(person for person in people if len(person.help) == len(KIND_IDS))
    no_kind = _names(person for person in people if not person.help)
    closest = [person.closest for person in people]
    mentors = sum(1 for person in people if person.relationship == "mentor")
    mentees = sum(1 for person in people if person.relationship == "mentee")
    sponsors = sum(1 for person in people if person.sponsor)
    well_connected = sum(1 for person in people if person.well_connected)
    influential = sum(1 for person in people if person.sponsor or person.well_connected)
    inside = sum(1 for person in people if person.organisation == "inside")
    outside = sum(1 for person in people if person.organisation == "outside")
    levels = {level: sum(1 for person in people if person.level == level) for level in LEVEL_IDS}
    multi_kind = sum(1 for person in people if len(person.help) > 1)

    partial = Measures(
        size=size, per_kind=tuple(per_kind), kinds_with_nobody=kinds_with_nobody, kinds_with_one=kinds_with_one,
        every_kind=every_kind, no_kind=no_kind,
        closest_close=closest.count("close"), closest_moderate=closest.count("moderate"),
        closest_distant=closest.count("distant"),
        mentors=mentors, mentees=mentees, sponsors=sponsors, well_connected=well_connected, influential=influential,
        inside=inside, outside=outside, share_outside=(outside / (inside + outside)) if inside + outside else None,
        superiors=levels["superior"], peers=levels["peer"], juniors=levels["junior"],
        levels_present=tuple(level for level in LEVEL_IDS if levels[level]),
        multi_kind=multi_kind, readings=(), problems=network.problems,
    )
    from mentorforms.network.readings import theme_readings  # it reads Measures: imported once they exist

    readings = theme_readings(partial)
    order = tuple(field_id for field_id, _, _ in THEMES)
    readings = tuple(sorted(readings, key=lambda reading: order.index(reading.field_id)))
    return replace(partial, readings=readings)
