"""Where each person of a developmental network sits in the booklet's picture (Appendix A): the
three kinds of help as bands, closeness as distance from the centre, superiors above, peers level,
juniors below, inside the organisation on the left and outside on the right. Pure geometry: no
drawing, so it is cheap to test."""

from __future__ import annotations

import math
from dataclasses import dataclass

from mentorforms.network.people import KIND_IDS, Network, NetworkPerson

RADIUS = {"close": 1.0, "moderate": 2.0, "distant": 3.0}
BAND = 0.36  # people spread this far either side of their ring when a zone is crowded
SPACING = 0.4  # data units between neighbours on one arc

#: Where in its share of a zone a lone person sits, by closeness: so that people at different
#: distances in one zone do not line up on one line from the centre.
PHASE = {"close": 0.5, "moderate": 0.25, "distant": 0.75}

#: Angular zones (degrees) by level and side: inside the organisation on the left, outside on the right.
ZONES = {
    ("superior", "inside"): (104.0, 150.0),
    ("superior", "outside"): (30.0, 76.0),
    ("peer", "inside"): (156.0, 204.0),
    ("peer", "outside"): (-24.0, 24.0),
    ("junior", "inside"): (210.0, 256.0),
    ("junior", "outside"): (284.0, 330.0),
}


@dataclass(frozen=True)
class Placed:
    """One person drawn in one band: where, and how the picture marks them."""

    person: NetworkPerson
    kind: str
    x: float
    y: float
    side: str  # "inside" or "outside" (the half they are drawn in)


def _side(person: NetworkPerson, counts: dict[str, int]) -> str:
    if person.organisation in ("inside", "outside"):
        return person.organisation
    return "inside" if counts["inside"] <= counts["outside"] else "outside"  # not stated: the emptier half


def layout(network: Network) -> list[Placed]:
    """Where every person goes in every band they belong to (data units, centre at 0, 0).

    Pure and deterministic: people keep table order within a zone (a ring, level and half).
    """
    placed: list[Placed] = []
    for kind in KIND_IDS:
        zones: dict[tuple[str, str, str], list[NetworkPerson]] = {}
        side_counts = {"inside": 0, "outside": 0}
        for person in network.people:
            closeness = person.closeness(kind)
            if closeness is None:
                continue
            side = _side(person, side_counts)
            side_counts[side] += 1
            level = person.level or "peer"
            zones.setdefault((closeness, level, side), []).append(person)
        for (closeness, level, side), members in zones.items():
            low, high = ZONES[(level, side)]
            spots = _spots(len(members), RADIUS[closeness], low, high, PHASE[closeness])
            for person, (radius, degrees) in zip(members, spots):
                angle = math.radians(degrees)
                placed.append(Placed(person, kind, radius * math.cos(angle), radius * math.sin(angle), side))
    return placed


def _spots(count: int, radius: float, low: float, high: float, phase: float = 0.5) -> list[tuple[float, float]]:
    """``count`` (radius, angle in degrees) spots spread over the zone between angles ``low`` and
    ``high`` in the closeness band around ``radius``: one arc while they fit, else up to four.
    ``phase`` (0..1) shifts where in its share of the arc each spot sits."""
    for rows in range(1, 5):
        radii = [radius] if rows == 1 else [radius - BAND + 2 * BAND * row / (rows - 1) for row in range(rows)]
        capacity = [max(1, int(math.radians(high - low) * r / SPACING)) for r in radii]
        if sum(capacity) >= count or rows == 4:
            break
    # Each person goes to the arc that is least full for its size (the outer one on a tie).
    shares = [0] * len(radii)
    for _ in range(count):
        row = min(range(len(radii)), key=lambda r: (shares[r] / capacity[r], -r))
        shares[row] += 1
    spots = []
    for row, (r, share) in enumerate(zip(radii, shares)):
        offset = phase if len(radii) == 1 else 0.3 + 0.4 * (row % 2)
        for index in range(share):
            spots.append((r, low + (index + offset) * (high - low) / share))
    spots.sort(key=lambda spot: (-spot[1], spot[0]))  # table order runs from the top of the zone down
    return spots
