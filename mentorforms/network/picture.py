"""The developmental network map as a picture, drawn as Appendix A of the booklet describes it.

One band per kind of help (getting the job done, advancing your career, personal support), side
by side as the booklet's three tables are (or stacked, ``tall``, for a narrow page column); a
person who gives several kinds appears in each of their bands, as the booklet asks ("listed more
than once"). In every band:

* the person is at the centre ("You");
* closeness is the length of the line back to the centre: close, moderate and distant rings;
* superiors are drawn above the centre, peers level with it, juniors below;
* people inside the organisation sit on the left half, filled, on solid lines; people outside
  sit on the right half, hollow, on dashed lines;
* sponsors get a filled star, very well connected people an open star;
* mentors and mentees are marked "(mentor)" / "(mentee)" beside their name.

A single picture cannot put kind of help, level and closeness all into position with peers
level with the centre (the angle is the only free direction once closeness fixes the distance),
hence the three bands.

Labels never overlap: each is placed in the first free spot around its marker (nearest first,
outward from the centre first), tracked on a pixel occupancy grid, with a thin leader line when
it had to move away. Drawing uses matplotlib's Agg canvas directly (no pyplot, no global state)
and takes well under 300 ms for 40 people (see ``benchmarks/network_picture.py``).
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import matplotlib
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform
from matplotlib.typing import RcKeyType

from mentorforms.network.labels import Grid, fit_text, place_label
from mentorforms.network.layout import RADIUS, Placed, layout
from mentorforms.network.people import KIND_IDS, KIND_LABELS, Network, read_people

DPI = 100
FIGURE_WIDTH = 13.2  # inches, the wide picture (bands side by side)
TALL_WIDTH = 4.45  # inches, the tall picture (bands one above the other) for a narrow column
PANEL_WIDTH = 4.25  # inches, one band
PANEL_GAP = 0.1
TOP = 0.82  # inches above the bands: title, career goals, a note
BOTTOM = 0.62  # inches below the wide picture's bands: the legend and key
TALL_BOTTOM = 1.12  # the same below the tall picture's, where they take more lines
MARGIN = 0.12  # inches from the picture's edge to its texts
GOALS_CHARS = {False: 150, True: 62}
HALF_WIDTH = 5.0  # data units from the centre to a panel's side
BASE_HALF_HEIGHT = 4.3
PNG_COMPRESSION = 3  # zlib level: 1 is ~30% bigger and barely faster here
MARKER_SIZE = 62  # points squared, as scatter takes them
STAR_SIZE = 58
YOU_SIZE = 620
#: Unhinted text draws about twice as fast here and reads as well at this size.
STYLE: dict[RcKeyType, Any] = {"text.hinting": "none", "font.enable_last_resort": False}

KIND_COLOURS = {"job_done": "#0072B2", "career": "#009E73", "personal": "#CC79A7"}
KIND_MARKERS = {"job_done": "s", "career": "^", "personal": "o"}  # the booklet's square, triangle, circle
STAR = "#E69F00"
MUTED = "#666666"


@dataclass(frozen=True)
class Frame:
    """The geometry of a picture: its size and where each band sits, for one band height.

    ``tall`` stacks the bands (for a narrow page column); otherwise they sit side by side. Data
    units are those of :data:`RADIUS` (a band's centre is 0, 0); pixels are display pixels with y
    upwards, as matplotlib's renderer reports them.
    """

    half_height: float
    tall: bool = False

    @property
    def panel_height(self) -> float:  # inches
        return PANEL_WIDTH * self.half_height / HALF_WIDTH

    @property
    def width(self) -> float:  # inches
        return TALL_WIDTH if self.tall else FIGURE_WIDTH

    @property
    def bottom(self) -> float:  # inches
        return TALL_BOTTOM if self.tall else BOTTOM

    @property
    def height(self) -> float:  # inches
        bands = 3 * self.panel_height + 2 * PANEL_GAP if self.tall else self.panel_height
        return TOP + bands + self.bottom

    @property
    def unit_px(self) -> float:
        return PANEL_WIDTH * DPI / (2 * HALF_WIDTH)

    def panel_box(self, index: int) -> tuple[float, float, float, float]:
        """(left, bottom, width, height) of band ``index`` in inches."""
        if self.tall:
            bottom = self.bottom + (2 - index) * (self.panel_height + PANEL_GAP)
            return ((self.width - PANEL_WIDTH) / 2, bottom, PANEL_WIDTH, self.panel_height)
        left0 = (self.width - (3 * PANEL_WIDTH + 2 * PANEL_GAP)) / 2
        return (left0 + index * (PANEL_WIDTH + PANEL_GAP), self.bottom, PANEL_WIDTH, self.panel_height)

    def panel_bounds_px(self, index: int) -> tuple[float, float, float, float]:
        left, bottom, width, height = self.panel_box(index)
        return (left * DPI, bottom * DPI, (left + width) * DPI, (bottom + height) * DPI)

    def to_px(self, index: int, x: float, y: float) -> tuple[float, float]:
        """Band ``index``'s data point (x, y) in figure pixels."""
        left, bottom, width, height = self.panel_box(index)
        return ((left + width / 2) * DPI + x * self.unit_px, (bottom + height / 2) * DPI + y * self.unit_px)


def frame_for(placed: list[Placed], *, tall: bool = False) -> Frame:
    """The frame for a map: bands grow taller when one holds many people, to leave room for names."""
    per_band = max([sum(1 for item in placed if item.kind == kind) for kind in KIND_IDS] + [0])
    steps = max(0, per_band - 18) // 4  # in steps, so that few different backgrounds are ever drawn
    return Frame(round(BASE_HALF_HEIGHT + steps * 0.36, 2), tall)


class FramedFigure(Figure):
    """A figure on an Agg canvas that carries the frame it is drawn in (``mf_frame``)."""

    mf_frame: Frame


def _new_figure(frame: Frame) -> FramedFigure:
    figure = FramedFigure(figsize=(frame.width, frame.height), dpi=DPI)
    figure.mf_frame = frame
    FigureCanvasAgg(figure)
    return figure


def _canvas(figure: Figure) -> FigureCanvasAgg:
    """The Agg canvas :func:`_new_figure` put under ``figure``."""
    canvas = figure.canvas
    assert isinstance(canvas, FigureCanvasAgg), "every figure here is drawn on an Agg canvas"
    return canvas


def _box(extent: Bbox) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(value) for value in extent.extents)
    return x0, y0, x1, y1


def draw_background(frame: Frame) -> FramedFigure:
    """Everything that does not depend on the people: the bands, rings, "You", titles and legend."""
    with matplotlib.rc_context(STYLE):
        figure = _new_figure(frame)
        half_height = frame.half_height
        figure.text(MARGIN / frame.width, (frame.height - 0.28) / frame.height, "My developmental network",
                    fontsize=12, weight="bold", va="baseline", parse_math=False)
        for index, kind in enumerate(KIND_IDS):
            left, bottom, width, height = frame.panel_box(index)
            ax = figure.add_axes((left / frame.width, bottom / frame.height, width / frame.width,
                                  height / frame.height))
            ax.set_xlim(-HALF_WIDTH, HALF_WIDTH)
            ax.set_ylim(-half_height, half_height)
            ax.set_axis_off()
            ax.add_patch(FancyBboxPatch((0.005, 0.005), 0.99, 0.99, boxstyle="round,pad=0,rounding_size=0.02",
                                        transform=ax.transAxes, facecolor="#fafafa" if index % 2 == 0 else "#f4f6f8",
                                        edgecolor="#dddddd", linewidth=0.8, zorder=0))
            colour = KIND_COLOURS[kind]
            theta = np.linspace(0, 2 * np.pi, 120)
            for radius in RADIUS.values():
                ax.plot(radius * np.cos(theta), radius * np.sin(theta), color="#bbbbbb", lw=0.7, ls=(0, (2, 2)),
                        zorder=1)
            ax.plot([0, 0], [-half_height * 0.93, half_height * 0.86], color="#dddddd", lw=0.8, zorder=0)
            ax.text(0, half_height * 0.97, KIND_LABELS[kind], ha="center", va="top", fontsize=10, weight="bold",
                    color=colour, parse_math=False)
            for words, x, ha in (("inside my organisation", -0.15, "right"), ("outside", 0.15, "left")):
                ax.text(x, half_height * 0.84, words, ha=ha, va="top", fontsize=6.5, color=MUTED, parse_math=False)
            level_y = min(half_height * 0.72, RADIUS["distant"] + 0.3)
            for words, y in (("superiors", level_y), ("peers", 0.0), ("juniors", -level_y)):
                ax.text(-HALF_WIDTH * 0.96, y, words, ha="left", va="center", fontsize=6.5, color=MUTED,
                        style="italic", parse_math=False)
            for name, radius in RADIUS.items():
                ax.text(0, -radius, name, ha="center", va="center", fontsize=5.8, color="#999999", parse_math=False,
                        bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none"))
            ax.scatter([0], [0], s=YOU_SIZE, c=colour, zorder=4, edgecolors="white", linewidths=1.5)
            ax.text(0, 0, "You", ha="center", va="center", fontsize=8, weight="bold", color="white", zorder=5,
                    parse_math=False)
        handles = [
            Line2D([], [], ls="-", marker="o", color="#555555", markerfacecolor="#555555",
                   label="inside my organisation"),
            Line2D([], [], ls=(0, (3, 2)), marker="o", color="#555555", markerfacecolor="white",
                   label="outside my organisation"),
            Line2D([], [], ls="", marker="*", markersize=10, color=STAR, label="sponsor"),
            Line2D([], [], ls="", marker="*", markersize=10, markerfacecolor="white", markeredgecolor=STAR,
                   label="very well connected"),
        ]
        key = ("Line length = closeness (close, moderate, distant).",
               "Superiors above you, peers level, juniors below.")
        if frame.tall:
            figure.legend(handles=handles, loc="lower left", bbox_to_anchor=(MARGIN / frame.width, 0.42 / frame.height),
                          ncol=2, frameon=False, fontsize=7.5, handlelength=2.4, borderaxespad=0.15)
            for line, text in enumerate(reversed(key)):
                figure.text(MARGIN / frame.width, (0.12 + 0.16 * line) / frame.height, text, ha="left",
                            va="baseline", fontsize=7, color=MUTED, parse_math=False)
        else:
            figure.legend(handles=handles, loc="lower left", bbox_to_anchor=(MARGIN / frame.width, 0.0), ncol=4,
                          frameon=False, fontsize=7.5, handlelength=2.4, borderaxespad=0.15)
            figure.text(1 - MARGIN / frame.width, 0.12 / frame.height, " ".join(key), ha="right", va="baseline",
                        fontsize=7, color=MUTED, parse_math=False)
    return figure


@lru_cache(maxsize=8)
def _background(frame: Frame) -> tuple[np.ndarray, tuple[tuple[float, float, float, float], ...]]:
    """The background of ``frame`` rendered once: its pixels and the boxes of its texts."""
    figure = draw_background(frame)
    with matplotlib.rc_context(STYLE):
        canvas = _canvas(figure)
        canvas.draw()
        renderer = canvas.get_renderer()
        boxes = tuple(_box(text.get_window_extent(renderer)) for text in figure.findobj(Text)
                      if text.get_visible() and text.get_text())
    pixels = np.asarray(canvas.buffer_rgba()).copy()
    pixels.setflags(write=False)
    return pixels, boxes


@lru_cache(maxsize=8)
def _background_image(frame: Frame) -> PIL.Image.Image:
    return PIL.Image.fromarray(_background(frame)[0], "RGBA")


class _PixelLayer:
    """Adds artists to a figure in display pixels, without the cost of an Axes."""

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.pixels = IdentityTransform()

    def text(self, x: float, y: float, text: str, **style) -> Text:
        return self.figure.text(x, y, text, transform=self.pixels, **style)

    def add_line(self, line: Line2D) -> None:
        line.set_transform(self.pixels)
        self.figure.add_artist(line)

    def add_collection(self, collection: LineCollection) -> None:
        collection.set_transform(self.pixels)
        self.figure.add_artist(collection)

    def markers(self, xs, ys, *, marker: str, size: float, face: str, edge: str, width: float, zorder: float) -> None:
        """Markers of ``size`` (points squared, as scatter takes it) at pixel positions."""
        self.add_line(Line2D(xs, ys, ls="none", marker=marker, markersize=math.sqrt(size), markerfacecolor=face,
                             markeredgecolor=edge, markeredgewidth=width, zorder=zorder))


def draw(rows: Iterable[Any] | Network | None, *, career_goals: str = "", tall: bool = False) -> FramedFigure:
    """The people of the map of ``rows`` (the ``people`` table, live or saved) as a transparent
    matplotlib Figure on an Agg canvas, bands side by side or (``tall``) stacked.

    It is laid over :func:`draw_background` of its frame (``render_png`` does that; the background
    is drawn once per frame size and reused; the figure carries its frame as ``mf_frame``). Every
    text is plain (user text is never read as mathtext) and no text overlaps another, or the
    background's.
    """
    network = rows if isinstance(rows, Network) else read_people(rows)
    placed = layout(network)
    frame = frame_for(placed, tall=tall)
    static_boxes = _background(frame)[1]
    with matplotlib.rc_context(STYLE):
        figure = _new_figure(frame)
        figure.patch.set_alpha(0.0)  # transparent: composed over the background by render_png
        width_px, height_px = frame.width * DPI, frame.height * DPI
        ax = _PixelLayer(figure)
        renderer = _canvas(figure).get_renderer()
        grid = Grid(width_px, height_px)
        lines = Grid(width_px, height_px)
        for box in static_boxes:
            grid.take(box)
        you_px = math.sqrt(YOU_SIZE) / 2 * DPI / 72
        for index in range(len(KIND_IDS)):
            cx, cy = frame.to_px(index, 0, 0)
            grid.take((cx - you_px, cy - you_px, cx + you_px, cy + you_px))

        texts = []
        goals = " ".join(career_goals.split())
        limit = GOALS_CHARS[frame.tall]
        if goals:
            shown = goals if len(goals) <= limit else goals[: limit - 1] + "…"
            texts.append(ax.text(MARGIN * DPI, (frame.height - 0.5) * DPI, f"Career goals: {shown}", fontsize=8,
                                 color=MUTED, va="baseline", parse_math=False))
        if not network.people:
            texts.append(ax.text(MARGIN * DPI, (frame.height - 0.7) * DPI, "No one on your map yet: add the people "
                                 "who help you.", fontsize=8, color=MUTED, va="baseline", parse_math=False))
        unplaced = [person.shown_name for person in network.people if not person.help]
        if unplaced:
            most = 3 if frame.tall else 8
            shown = ", ".join(unplaced[:most]) + (f" and {len(unplaced) - most} more" if len(unplaced) > most else "")
            note = f"Not drawn (no kind of help marked yet): {shown}"
            if frame.tall:
                texts.append(ax.text(MARGIN * DPI, 0.92 * DPI, note, va="baseline", fontsize=7, color=MUTED,
                                     parse_math=False))
            else:
                texts.append(ax.text(width_px - MARGIN * DPI, 0.34 * DPI, note, ha="right", va="baseline",
                                     fontsize=7, color=MUTED, parse_math=False))
        for text in texts:
            fit_text(text, renderer, width_px - 2 * MARGIN * DPI)
            grid.take(text.get_window_extent(renderer).extents)

        # Lines back to the centre (from the edge of the "You" disc), then the markers and stars.
        points = {id(item): frame.to_px(KIND_IDS.index(item.kind), item.x, item.y) for item in placed}
        marker_px = math.sqrt(MARKER_SIZE) / 2 * DPI / 72 + 1
        star_px = math.sqrt(STAR_SIZE) / 2 * DPI / 72
        star_offset = 0.2 * frame.unit_px
        for kind_index, kind in enumerate(KIND_IDS):
            colour = KIND_COLOURS[kind]
            mine = [item for item in placed if item.kind == kind]
            cx, cy = frame.to_px(kind_index, 0, 0)
            for side, style in (("inside", "-"), ("outside", (0, (3, 2)))):
                segments = []
                for item in mine:
                    if item.side != side:
                        continue
                    px, py = points[id(item)]
                    length = math.hypot(px - cx, py - cy) or 1.0
                    start = (cx + (px - cx) * you_px / length, cy + (py - cy) * you_px / length)
                    segments.append((start, (px, py)))
                    lines.take_segment(start, (px, py))
                if segments:
                    ax.add_collection(LineCollection(segments, colors=colour, linewidths=0.9, linestyles=style,
                                                     alpha=0.55, zorder=2))
            for side in ("inside", "outside"):
                group = [points[id(item)] for item in mine if item.side == side]
                if group:
                    xs, ys = zip(*group)
                    ax.markers(xs, ys, marker=KIND_MARKERS[kind], size=MARKER_SIZE,
                               face=colour if side == "inside" else "white", edge=colour, width=1.4, zorder=3)
            for filled in (True, False):
                stars = [points[id(item)] for item in mine
                         if (item.person.sponsor if filled
                             else (item.person.well_connected and not item.person.sponsor))]
                if stars:
                    ax.markers([x + star_offset for x, _ in stars], [y + star_offset for _, y in stars],
                               marker="*", size=STAR_SIZE, face=STAR if filled else "white", edge=STAR, width=0.9,
                               zorder=4)
        for item in placed:
            px, py = points[id(item)]
            grid.take((px - marker_px, py - marker_px, px + marker_px, py + marker_px))
            if item.person.sponsor or item.person.well_connected:
                sx, sy = px + star_offset, py + star_offset
                grid.take((sx - star_px, sy - star_px, sx + star_px, sy + star_px))

        crowded = 0
        for item in sorted(placed, key=lambda item: (KIND_IDS.index(item.kind), math.hypot(item.x, item.y))):
            index = KIND_IDS.index(item.kind)
            crowded += not place_label(ax, item, points[id(item)], frame.panel_bounds_px(index), renderer, grid,
                                        lines, marker_px)
        if crowded:
            ax.text(MARGIN * DPI, (frame.height - 0.7) * DPI, f"{crowded} name{'s' if crowded > 1 else ''} left off: "
                    "too crowded to label; see the table.", va="baseline", fontsize=8, color="#aa0000",
                    parse_math=False)
    return figure


def render_png(rows: Iterable[Any] | Network | None, *, career_goals: str = "", tall: bool = False) -> bytes:
    """The map as PNG bytes (see :func:`draw`): bands side by side, or stacked if ``tall``."""
    network = rows if isinstance(rows, Network) else read_people(rows)
    return _render_png(network, " ".join(career_goals.split()), tall)


@lru_cache(maxsize=16)
def _render_png(network: Network, career_goals: str, tall: bool) -> bytes:
    # Cached: the page draws the picture as the table changes, then the save draws the same one.
    with warnings.catch_warnings():
        # A character the font lacks is drawn as a box; the table keeps the text as typed.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        figure = draw(network, career_goals=career_goals, tall=tall)
        canvas = _canvas(figure)
        with matplotlib.rc_context(STYLE):
            canvas.draw()
    width, height = canvas.get_width_height()
    # Agg's buffer is straight (not premultiplied) RGBA, as PIL's alpha compositing expects.
    layer = PIL.Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    composed = PIL.Image.alpha_composite(_background_image(figure.mf_frame), layer).convert("RGB")
    buffer = io.BytesIO()
    composed.save(buffer, format="PNG", compress_level=PNG_COMPRESSION)
    return buffer.getvalue()
