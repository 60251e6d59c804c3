"""The analysis themes of the developmental network map, measured from its rows.

Appendix A of the booklet asks seven questions of a network (diversity, redundancy,
interconnectivity, strength of connection, balance, connections to power, size). Most can be
partly answered from the table of people; :func:`measure` does that and gives each theme a
one-line reading in the booklet's own terms ("no one gives personal support"). The readings
sit beside the person's reflective answer; they prompt the reflection, they do not replace it.

Everything here is pure: rows in, an immutable :class:`Measures` out. The rows are read by
:mod:`mentorforms.network.people`, counted by :mod:`mentorforms.network.counts` and worded by
:mod:`mentorforms.network.readings`; this module is where the three meet, and it names what its
callers use of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from mentorforms.forms.network_map import THEMES
from mentorforms.network.counts import KindCount, Measures, Reading, count_themes
from mentorforms.network.people import KIND_IDS, KIND_LABELS, Network, NetworkPerson, read_people
from mentorforms.network.readings import theme_readings

__all__ = ["KIND_IDS", "KIND_LABELS", "KindCount", "Measures", "Network", "NetworkPerson", "Reading", "measure",
           "read_people"]


def measure(rows: Iterable[Any] | Network | None) -> Measures:
    """Measure the themes of a map from its ``people`` rows (or an already read :class:`Network`)."""
    network = rows if isinstance(rows, Network) else read_people(rows)
    counted = count_themes(network)
    order = tuple(field_id for field_id, _, _ in THEMES)
    readings = tuple(sorted(theme_readings(counted), key=lambda reading: order.index(reading.field_id)))
    return replace(counted, readings=readings)
