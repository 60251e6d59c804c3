"""Bar charts for the dashboard, drawn with matplotlib into PNG bytes (no pyplot state, no display)."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

#: Colours of the series, in order (this year, last year; or one per status).
PALETTE = ("#2b5c8a", "#9dbad6", "#1a7f37", "#e0a100", "#b42318", "#8250df", "#59636e", "#57a0d3")


def _wrap(label: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def grouped_bars(categories: Sequence[str], series: Mapping[str, Sequence[float | None]], *, title: str,
                 axis_label: str, stacked: bool = False, note: str = "", whole: bool = False) -> bytes:
    """Horizontal bars, one group per category and one bar per series (or one stacked bar).

    A value of None leaves its bar out (no data, or hidden by the small-cell rule). ``whole``: the
    values are counts (whole-number ticks).
    """
    rows = max(1, len(categories))
    legend_rows = 1 + (len(series) - 1) // 4 if series else 0
    height = 1.5 + 0.25 * legend_rows + 0.42 * rows * (1 if stacked else max(1, len(series)) * 0.6)
    figure = Figure(figsize=(8.2, height), dpi=96)
    axes = figure.add_subplot()
    names = list(series)
    positions = list(range(len(categories)))
    height = 0.8 if stacked else 0.8 / max(1, len(names))
    left = [0.0] * len(categories)
    for number, name in enumerate(names):
        values = list(series[name])
        shown = [0.0 if value is None else float(value) for value in values]
        if stacked:
            axes.barh(positions, shown, height, left=left, label=name, color=PALETTE[number % len(PALETTE)])
            left = [base + value for base, value in zip(left, shown)]
        else:
            offsets = [position - 0.4 + height * (number + 0.5) for position in positions]
            axes.barh(offsets, shown, height, label=name, color=PALETTE[number % len(PALETTE)])
    axes.set_yticks(positions, [_wrap(category) for category in categories], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel(axis_label)
    if whole:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    if names:
        axes.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.16 - 0.02 * (rows < 4)),
                    ncol=min(4, len(names)))
    if note:
        figure.text(0.01, 0.005, note, fontsize=7, color="#59636e")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
