"""Labels on the network picture: each name placed beside its marker where it overlaps no other
label, line or band edge (a coarse pixel grid makes the checks cheap), text fitted to a width."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.text import Text

from mentorforms.network.layout import Placed
from mentorforms.network.people import NetworkPerson

FONT = 7.5
NAME_CHARS = 14
LINE_CLEAR_RINGS = 3  # how far out (in label heights) a label also keeps clear of lines


def _label_text(person: NetworkPerson) -> str:
    name = person.shown_name
    if len(name) > NAME_CHARS:
        name = name[: NAME_CHARS - 1] + "…"
    if person.relationship in ("mentor", "mentee"):
        name += f" ({person.relationship})"
    if person.level is None:
        name += " (level?)"
    return name


class Grid:
    """Which pixels of the figure are taken, on a coarse grid, for fast overlap checks.

    Boxes are (x0, y0, x1, y1) in display pixels, y upwards, as matplotlib reports them.
    """

    CELL = 2

    def __init__(self, width_px: float, height_px: float) -> None:
        self.cells = np.zeros((int(height_px) // self.CELL + 2, int(width_px) // self.CELL + 2), dtype=bool)

    def _slice(self, box):
        x0, y0, x1, y1 = box
        c = self.CELL
        return (slice(max(0, int(y0 // c)), max(0, int(math.ceil(y1 / c)))),
                slice(max(0, int(x0 // c)), max(0, int(math.ceil(x1 / c)))))

    def free(self, box) -> bool:
        """Whether no cell under ``box`` is taken."""
        return not self.cells[self._slice(box)].any()

    def take(self, box, pad: float = 1.0) -> None:
        """Mark the cells under ``box`` (grown by ``pad`` pixels) as taken."""
        x0, y0, x1, y1 = box
        self.cells[self._slice((x0 - pad, y0 - pad, x1 + pad, y1 + pad))] = True

    def take_segment(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        """Mark the cells a straight line crosses."""
        steps = max(1, int(math.hypot(end[0] - start[0], end[1] - start[1]) / self.CELL))
        xs = np.linspace(start[0], end[0], steps + 1) // self.CELL
        ys = np.linspace(start[1], end[1], steps + 1) // self.CELL
        rows = np.clip(ys.astype(int), 0, self.cells.shape[0] - 1)
        columns = np.clip(xs.astype(int), 0, self.cells.shape[1] - 1)
        self.cells[rows, columns] = True


def fit_text(text: Text, renderer, width_px: float) -> None:
    """Shorten ``text`` (ending it with "…") until it is at most ``width_px`` wide."""
    content = text.get_text()
    while text.get_window_extent(renderer).width > width_px and len(content) > 1:
        content = content[: max(1, int(len(content) * 0.92))].rstrip()
        text.set_text(content + "…")


def _directions(outward: float) -> list[float]:
    """Sixteen directions, nearest to ``outward`` (radians) first."""
    angles = [outward + math.radians(step * 22.5) for step in range(16)]
    return sorted(angles, key=lambda angle: abs(math.remainder(angle - outward, 2 * math.pi)))


def _box_towards(mx: float, my: float, angle: float, distance: float, width: float, height: float):
    """The label box whose nearest edge lies ``distance`` pixels from (mx, my) in direction ``angle``."""
    dx, dy = math.cos(angle), math.sin(angle)
    cx = mx + dx * (distance + width / 2 * abs(dx))
    cy = my + dy * (distance + height / 2 * abs(dy))
    return (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def _inside(box, bounds) -> bool:
    return box[0] >= bounds[0] and box[1] >= bounds[1] and box[2] <= bounds[2] and box[3] <= bounds[3]


def place_label(ax: Any, item: Placed, point: tuple[float, float], bounds, renderer, grid: Grid,
                 lines: Grid, marker_px: float) -> bool:
    """Put the person's label in the first free spot near their marker (inside their band), with a
    leader line if it had to move away; False (and no label) if the band has no free spot left.

    Near the marker a spot must also keep clear of the lines back to the centre (``lines``);
    further out, only of texts and markers (``grid``).
    """
    text = ax.text(0, 0, _label_text(item.person), fontsize=FONT, ha="left", va="bottom", parse_math=False,
                   zorder=6, color="#222222")
    extent = text.get_window_extent(renderer)
    width, height = extent.width, extent.height
    mx, my = point
    outward = math.atan2(item.y, item.x)
    step = height * 0.9
    for ring in range(40):
        distance = marker_px + 1.5 + ring * step
        for angle in _directions(outward):
            box = _box_towards(mx, my, angle, distance, width, height)
            if _inside(box, bounds) and grid.free(box) and (ring > LINE_CLEAR_RINGS or lines.free(box)):
                grid.take(box)
                text.set_position((box[0], box[1]))
                if ring > 0:
                    ex = min(max(mx, box[0]), box[2])
                    ey = min(max(my, box[1]), box[3])
                    ax.add_line(Line2D([mx, ex], [my, ey], color="#999999", lw=0.5, zorder=2))
                    lines.take_segment((mx, my), (ex, ey))
                return True
    text.remove()
    return False
