"""The counts behind a network map's themes: who gives which kind of help, how close, how many.

:func:`count_themes` turns the people of one map (:mod:`mentorforms.network.people`) into an immutable
:class:`Measures` without readings; :mod:`mentorforms.network.readings` words them and
:func:`mentorforms.network.measures.measure` puts the two together.
"""

from __future__ import annotations

from dataclasses import dataclass

from mentorforms.network.people import CLOSENESS_IDS, KIND_IDS, KIND_LABELS, LEVEL_IDS, Network, shown_names


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


def count_themes(network: Network) -> Measures:
    """The measures of ``network``'s themes, with no readings yet."""
    people = network.people
    size = len(people)

    per_kind = []
    for kind in KIND_IDS:
        givers = [person for person in people if person.closeness(kind) is not None]
        by_closeness = {closeness: sum(1 for person in givers if person.closeness(kind) == closeness)
                        for closeness in CLOSENESS_IDS}
        per_kind.append(KindCount(kind, KIND_LABELS[kind], len(givers), by_closeness["close"],
                                  by_closeness["moderate"], by_closeness["distant"], shown_names(givers)))
    kinds_with_nobody = tuple(count.kind for count in per_kind if count.people == 0)
    kinds_with_one = tuple(count.kind for count in per_kind if count.people == 1)
    every_kind = shown_names(person for person in people if len(person.help) == len(KIND_IDS))
    no_kind = shown_names(person for person in people if not person.help)
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

    return Measures(
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
