"""The booklet's reading of each theme of a developmental network (Appendix A), from its measures:
a short figure and a one-line prompt per theme, flagged where the booklet warns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mentorforms.forms.network_map import THEMES
from mentorforms.network.counts import Measures, Reading
from mentorforms.network.people import KIND_IDS, KIND_PHRASES, LEVEL_IDS

THEME_FIELDS: Mapping[str, str] = {field_id: theme for field_id, theme, _ in THEMES}

#: Sizes the size reading calls small and large. The booklet sets no numbers; these only choose
#: the wording of the prompt ("does it fit your goals?" / "can you maintain it?").
SMALL_NETWORK = 5
LARGE_NETWORK = 16


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


def theme_readings(m: Measures) -> tuple[Reading, ...]:
    """Every theme's reading, in no particular order (the caller orders them by the declaration)."""
    return (_diversity(m), _redundancy(m), _interconnectivity(m), _strength(m), _balance(m), _power(m), _size(m))


def _reading(field_id: str, figure: str, reading: str, concern: bool = False) -> Reading:
    return Reading(field_id, THEME_FIELDS[field_id], figure, reading, concern)


def _diversity(m: Measures) -> Reading:
    stated = m.inside + m.outside
    level_counts = (("superior", m.superiors), ("peer", m.peers), ("junior", m.juniors))
    figure_parts = []
    if m.share_outside is not None:  # someone's place (inside or outside) is stated
        figure_parts.append(f"{round(100 * m.share_outside)}% outside ({m.outside} of {stated})")
    figure_parts.append(", ".join(f"{count} {level}{'s' if count != 1 else ''}" for level, count in level_counts))
    figure = "; ".join(figure_parts)
    if m.size == 0:
        return _reading("theme_diversity", "–", "No one on the map yet.")
    clauses = []
    concern = False
    if stated and m.outside == 0:
        clauses.append("everyone is inside your organisation" if stated == m.size
                       else "no one is marked outside your organisation")
        concern = True
    elif stated and m.inside == 0:
        clauses.append("everyone is outside your organisation" if stated == m.size
                       else "no one is marked inside your organisation")
        concern = True
    elif m.share_outside is not None:
        clauses.append(f"{round(100 * m.share_outside)}% of the people are outside your organisation")
    counts = dict(level_counts)
    if len(m.levels_present) == 1 and m.size > 1 and counts[m.levels_present[0]] == m.size:
        only = m.levels_present[0]
        clauses.append(f"all are {only}s" if only != "superior" else "all are your superiors")
        concern = True
    elif len(m.levels_present) == len(LEVEL_IDS):
        clauses.append("they span superiors, peers and juniors")
    elif m.levels_present:
        missing = [level for level in LEVEL_IDS if level not in m.levels_present]
        clauses.append(f"no {' or '.join(level + 's' for level in missing)}")
    if not clauses:
        clauses.append("mark who is inside or outside your organisation, and their level, to see the mix")
    reading = "; ".join(clauses)
    return _reading("theme_diversity", figure, reading[0].upper() + reading[1:] + ".", concern)


def _redundancy(m: Measures) -> Reading:
    figure = ", ".join(f"{count.label.lower()}: {count.people}" for count in m.per_kind)
    if m.size == 0:
        return _reading("theme_redundancy", figure, "No one on the map yet.")
    clauses = []
    if m.kinds_with_nobody:
        clauses.append("no one " + " or ".join(KIND_PHRASES[kind] for kind in m.kinds_with_nobody))
    alone: dict[str, list[str]] = {}  # the only giver of a kind -> the kinds they alone give
    for kind in m.kinds_with_one:
        alone.setdefault(m.kind(kind).names[0], []).append(kind)
    for name, kinds in alone.items():
        if name in m.every_kind and len(kinds) == len(KIND_IDS):
            clauses.append(f"{name} alone serves every function")
        else:
            clauses.append(f"only {name} " + " and ".join(KIND_PHRASES[kind] for kind in kinds))
    if len(m.every_kind) == 1 and m.every_kind[0] not in alone and m.size > 1:
        clauses.append(f"one person ({m.every_kind[0]}) serves every function")
    concern = bool(clauses)
    if not clauses:
        fewest = min(m.per_kind, key=lambda count: count.people)
        clauses.append(f"every kind of help has at least two people (fewest: {fewest.label.lower()}, "
                       f"{fewest.people})")
    if m.no_kind:
        clauses.append(f"{_list(m.no_kind)} {'gives' if len(m.no_kind) == 1 else 'give'} no kind of help yet")
    reading = "; ".join(clauses)
    return _reading("theme_redundancy", figure, reading[0].upper() + reading[1:] + ".", concern)


def _interconnectivity(m: Measures) -> Reading:
    figure = f"{m.multi_kind} of {m.size} give more than one kind of help"
    if m.size == 0:
        return _reading("theme_interconnectivity", "–", "No one on the map yet.")
    if m.multi_kind == 0:
        reading = "Each person gives one kind of help; whether they know each other is for you to judge."
    elif m.multi_kind == m.size:
        reading = ("Everyone gives more than one kind of help, a tightly overlapping network; "
                   "whether they know each other is for you to judge.")
    else:
        reading = (f"{_people(m.multi_kind)} give{'s' if m.multi_kind == 1 else ''} more than one kind of help; "
                   "whether the people know each other is for you to judge.")
    return _reading("theme_interconnectivity", figure, reading)


def _strength(m: Measures) -> Reading:
    placed = m.closest_close + m.closest_moderate + m.closest_distant
    figure = f"close {m.closest_close}, moderate {m.closest_moderate}, distant {m.closest_distant}"
    if placed == 0:
        return _reading("theme_strength", figure if m.size else "–",
                        "No closeness marked yet." if m.size else "No one on the map yet.")
    if m.closest_close == 0:
        return _reading("theme_strength", figure, "No close relationships: no one you trust with a high degree of "
                        "mutual commitment.", True)
    if m.closest_close == placed:
        return _reading("theme_strength", figure, "All relationships are close; none more distant.")
    if m.closest_close == 1:
        return _reading("theme_strength", figure, "Only one close relationship.", True)
    if m.closest_distant > m.closest_close + m.closest_moderate:
        return _reading("theme_strength", figure, "Mostly distant relationships: few people know you well.", True)
    return _reading("theme_strength", figure, "A spread of close and more distant relationships.")


def _balance(m: Measures) -> Reading:
    figure = f"{m.mentors} mentor{'s' if m.mentors != 1 else ''}, {m.mentees} mentee{'s' if m.mentees != 1 else ''}"
    if m.size == 0:
        return _reading("theme_balance", figure, "No one on the map yet.")
    if m.mentors == 0 and m.mentees == 0:
        return _reading("theme_balance", figure, "No one is marked as a mentor or a mentee.", True)
    if m.mentees == 0:
        return _reading("theme_balance", figure, "Mentors but no mentees: is the network in danger of tipping?",
                        True)
    if m.mentors == 0:
        return _reading("theme_balance", figure, "Mentees but no mentors: who is mentoring you?", True)
    return _reading("theme_balance", figure, "Both mentors and mentees.")


def _power(m: Measures) -> Reading:
    figure = f"{m.sponsors} sponsor{'s' if m.sponsors != 1 else ''}, {m.well_connected} very well connected"
    if m.size == 0:
        return _reading("theme_power", figure, "No one on the map yet.")
    if m.influential == 0:
        return _reading("theme_power", figure, "No sponsor and no one very well connected.", True)
    if m.sponsors == 0:
        return _reading("theme_power", figure,
                        f"No sponsor; {_people(m.well_connected)} very well connected.", True)
    return _reading("theme_power", figure,
                    f"{_people(m.influential)} you see as influential, {m.sponsors} of them "
                    f"{'a sponsor' if m.sponsors == 1 else 'sponsors'}.")


def _size(m: Measures) -> Reading:
    figure = _people(m.size)
    if m.size == 0:
        return _reading("theme_size", "0 people", "No one yet: add the people who help you.", True)
    if m.size < SMALL_NETWORK:
        return _reading("theme_size", figure, f"A small network of {_people(m.size)}: does it fit your goals?",
                        True)
    if m.size >= LARGE_NETWORK:
        return _reading("theme_size", figure, f"A large network of {m.size}: is it a size you can maintain?")
    return _reading("theme_size", figure, f"{_people(m.size)}: does the size fit your goals?")
