"""Year over year: the booklet asks for the map to be redrawn at least yearly.

A new year's map starts from last year's people (:func:`start_values`), and the page shows what
changed since (:func:`compare`): who was added, who was dropped, and who moved closer or further
for each kind of help.

People are matched by name as typed, forgiving case, spacing and full stops ("J.D." is "JD"); a
name used twice on one map is matched in table order. A renamed person reads as one dropped and
one added, which is what the rows can tell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mentorforms.forms import catalogue
from mentorforms.network.people import (
    CLOSENESS_IDS,
    KIND_IDS,
    KIND_NOUNS,
    KIND_PHRASES,
    Network,
    NetworkPerson,
    read_people,
)
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record

#: Fields a new year's map copies from last year's: the goals and the people, not the reflections.
CARRIED_FIELDS = ("career_goals", "people")


def name_key(name: str) -> str:
    """The form of a name used to match people across years: case, spacing and full stops ignored."""
    return re.sub(r"[\s.]+", "", name).casefold()


@dataclass(frozen=True)
class Move:
    """One person's change of closeness for one kind of help.

    ``before`` or ``after`` is None when the person did not give that kind of help then.
    """

    name: str
    kind: str
    before: str | None
    after: str | None

    @property
    def direction(self) -> str:
        """"closer", "further", "started" (now gives this help) or "stopped"."""
        if self.before is None:
            return "started"
        if self.after is None:
            return "stopped"
        return "closer" if CLOSENESS_IDS.index(self.after) < CLOSENESS_IDS.index(self.before) else "further"

    def __str__(self) -> str:
        if self.direction == "started":
            return f"{self.name}: now {KIND_PHRASES[self.kind]} ({self.after})"
        if self.direction == "stopped":
            return f"{self.name}: no longer {KIND_PHRASES[self.kind]} (was {self.before})"
        return f"{self.name}: {KIND_NOUNS[self.kind]} {self.before} → {self.after}"


@dataclass(frozen=True)
class Changes:
    """What changed between last year's map and this year's."""

    added: tuple[str, ...]
    dropped: tuple[str, ...]
    moves: tuple[Move, ...]
    #: Other changes of a person kept on the map (level, inside/outside, sponsor, mentor/mentee).
    other: tuple[str, ...]
    has_previous: bool = True
    #: The academic year of the map compared with (e.g. "2024-2025"), when known.
    since: str = ""

    @property
    def closer(self) -> tuple[Move, ...]:
        return tuple(move for move in self.moves if move.direction in ("closer", "started"))

    @property
    def further(self) -> tuple[Move, ...]:
        return tuple(move for move in self.moves if move.direction in ("further", "stopped"))

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.dropped or self.moves or self.other)

    def lines(self) -> list[str]:
        """The changes as short lines a page or print view shows, most important first."""
        if not self.has_previous:
            return ["No earlier map to compare with."]
        if self.unchanged:
            return [f"No change since your {self.since or 'earlier'} map."]
        lines = []
        if self.added:
            lines.append("Added: " + ", ".join(self.added))
        if self.dropped:
            lines.append("Dropped: " + ", ".join(self.dropped))
        if self.closer:
            lines.append("Closer: " + "; ".join(str(move) for move in self.closer))
        if self.further:
            lines.append("Further: " + "; ".join(str(move) for move in self.further))
        if self.other:
            lines.append("Also changed: " + "; ".join(self.other))
        return lines


NO_PREVIOUS = Changes((), (), (), (), has_previous=False)


def _keyed(network: Network) -> dict[tuple[str, int], NetworkPerson]:
    seen: dict[str, int] = {}
    keyed = {}
    for person in network.people:
        key = name_key(person.name) or f"#row{person.row}"
        seen[key] = seen.get(key, 0) + 1
        keyed[(key, seen[key])] = person
    return keyed


def _describe_other(before: NetworkPerson, after: NetworkPerson) -> list[str]:
    notes = []
    name = after.shown_name
    if before.level != after.level and after.level:
        notes.append(f"{name} is now a {after.level}" + (f" (was {before.level})" if before.level else ""))
    if before.organisation != after.organisation and after.organisation:
        notes.append(f"{name} is now {after.organisation} your organisation")
    if before.sponsor != after.sponsor:
        notes.append(f"{name} {'is now' if after.sponsor else 'is no longer'} a sponsor")
    if before.well_connected != after.well_connected:
        notes.append(f"{name} {'is now' if after.well_connected else 'is no longer'} marked very well connected")
    if before.relationship != after.relationship:
        if after.relationship:
            notes.append(f"{name} is now your {after.relationship}")
        else:
            notes.append(f"{name} is no longer your {before.relationship}")
    return notes


def compare(last_rows: Iterable[Any] | Network | None, this_rows: Iterable[Any] | Network | None, *,
            since: str = "") -> Changes:
    """What changed from last year's ``people`` rows to this year's (either may be live rows);
    ``since`` names the earlier map's academic year for the page."""
    last = last_rows if isinstance(last_rows, Network) else read_people(last_rows)
    this = this_rows if isinstance(this_rows, Network) else read_people(this_rows)
    before, after = _keyed(last), _keyed(this)
    added = tuple(person.shown_name for key, person in after.items() if key not in before)
    dropped = tuple(person.shown_name for key, person in before.items() if key not in after)
    moves: list[Move] = []
    other: list[str] = []
    for key, now in after.items():
        then = before.get(key)
        if then is None:
            continue
        for kind in KIND_IDS:
            old, new = then.closeness(kind), now.closeness(kind)
            if old != new:
                moves.append(Move(now.shown_name, kind, old, new))
        other.extend(_describe_other(then, now))
    return Changes(added, dropped, tuple(moves), tuple(other), since=since)


def start_values(previous: Record | Mapping[str, Any] | None) -> dict[str, Any]:
    """The values a new year's map starts from: last year's career goals and people (the reflective
    answers start empty, since they are this year's reflection). Empty if there is no previous map."""
    if previous is None:
        return {}
    values = previous.values if isinstance(previous, Record) else previous
    started = {}
    for field_id in CARRIED_FIELDS:
        value = values.get(field_id)
        if value:
            started[field_id] = tuple(dict(row) for row in value) if field_id == "people" else value
    return started


#: How many years back :func:`previous_map` looks for an earlier map.
LOOK_BACK_YEARS = 10


def previous_map(folder, person_id: str, year: AcademicYear | int | str) -> Record | None:
    """The person's latest map from the most recent academic year before ``year`` that has one
    (looking back at most :data:`LOOK_BACK_YEARS`), from ``folder`` (a DataFolder); None if none.

    Raises WorkbookError if that workbook cannot be read (it is never skipped silently).
    """
    earlier = AcademicYear.parse(year)
    forms = catalogue()
    for _ in range(LOOK_BACK_YEARS):
        earlier = earlier.previous
        maps = [form_id for form_id in forms.ids if forms.get(form_id, earlier).reports.network]
        found = [record for form_id in maps if (record := folder.latest(form_id, earlier, person_id)) is not None]
        if found:
            return max(found, key=lambda record: record.saved_at)
    return None
