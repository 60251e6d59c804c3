"""The live panel beside the network map form: the measured themes with their readings next to the
person's reflective answers, the picture, and what changed since the previous map.

The form page creates it through the panel name ``network_map`` (:mod:`mentorforms.ui.panels`;
``extras_for("network_map").panel(get_values, ...)``) and calls :meth:`NetworkPanel.refresh`
whenever a value changes. Refreshing is cheap when only the reflective answers changed: the
picture is redrawn only when the people (or the career goals printed on it) changed.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.errors import MentorformsError
from mentorforms.forms.network_map import THEMES
from mentorforms.network.compare import NO_PREVIOUS, Changes, compare, previous_map
from mentorforms.network.measures import Measures, measure, read_people
from mentorforms.network.picture import render_png
from mentorforms.vocabulary.record import Record

log = logging.getLogger(__name__)

REFLECTION_CHARS = 400


def _cell_key(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((str(key), _cell_key(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_cell_key(item) for item in value)
    return repr(value)


class NetworkPanel(widgets.VBox):
    """Measures, picture and year-over-year changes for the map being filled.

    ``get_values`` returns the form's current (unvalidated) values. The earlier map to compare
    with is ``previous`` (a Record or its values) if given, else it is looked up in ``folder``
    (a DataFolder) for ``person_id`` before academic ``year``, when all three are given.
    """

    def __init__(self, get_values: Callable[[], Mapping[str, Any]], *, previous: Record | Mapping | None = None,
                 folder: Any = None, person_id: str | None = None, year: Any = None) -> None:
        self._get_values = get_values
        self._picture_key: Any = None
        self.redraws = 0
        self.measures: Measures | None = None
        self.changes: Changes = NO_PREVIOUS
        self.png: bytes = b""
        self.message = widgets.HTML()
        self.message.add_class("mf-network-message")
        self.measures_html = widgets.HTML()
        self.measures_html.add_class("mf-network-measures")
        # The tall picture (bands stacked) is drawn at the width of a page's side column.
        self.picture = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="445px"))
        self.picture.add_class("mf-network-picture")
        self.changes_html = widgets.HTML()
        self.changes_html.add_class("mf-network-changes")
        super().__init__([
            widgets.HTML("<h3>Your network, measured from the table</h3>"),
            self.message, self.measures_html, self.picture,
            widgets.HTML("<h4>Since your previous map</h4>"), self.changes_html,
        ])
        self.add_class("mf-network-panel")
        self._previous_rows: Any = None
        self._previous_year = ""
        self._previous_problem = ""
        self._load_previous(previous, folder, person_id, year)
        self.refresh()

    # ----------------------------------------------------------------- previous map

    def _load_previous(self, previous, folder, person_id, year) -> None:
        if previous is None and folder is not None and person_id and year is not None:
            try:
                previous = previous_map(folder, person_id, year)
            except MentorformsError as error:
                log.exception("cannot read the previous network map of %s", person_id)
                self._previous_problem = messages.say(messages.NETWORK_PREVIOUS_UNREADABLE, error=error)
                return
        self.set_previous(previous)

    def set_context(self, *, folder: Any, person_id: str, year: Any) -> None:
        """Whose map this is and for which academic year (the form page calls this once): the
        panel then compares with the person's previous map in ``folder``."""
        self._previous_problem = ""
        self._load_previous(None, folder, person_id, year)
        self.refresh()

    def set_previous(self, previous: Record | Mapping | None) -> None:
        """Compare with ``previous`` (a Record or its values; None for no earlier map) from now on."""
        if isinstance(previous, Record):
            self._previous_year = previous.academic_year.label
            self._previous_rows = previous.values.get("people") or ()
        elif previous is not None:
            self._previous_year = ""
            self._previous_rows = previous.get("people") or ()
        else:
            self._previous_year, self._previous_rows = "", None

    # ----------------------------------------------------------------- refreshing

    def refresh(self) -> None:
        """Recompute from the current values; redraw the picture only if the people changed.

        Never raises: a failure is logged on the server and shown as a plain message.
        """
        try:
            self._refresh()
        except Exception as error:
            log.exception("network panel refresh failed")
            self._show_message(messages.say(messages.NETWORK_SUMMARY_FAILED, error=type(error).__name__))

    def _refresh(self) -> None:
        values = dict(self._get_values() or {})
        network = read_people(values.get("people"))
        self.measures = measure(network)
        goals = str(values.get("career_goals") or "")
        key = (_cell_key(values.get("people")), goals)
        if key != self._picture_key:
            self.png = render_png(network, career_goals=goals, tall=True)
            self.picture.value = self.png
            self._picture_key = key
            self.redraws += 1
        if self._previous_rows is None:
            self.changes = NO_PREVIOUS
        else:
            self.changes = compare(self._previous_rows, network, since=self._previous_year)
        self.measures_html.value = self._measures_table(values)
        self.changes_html.value = self._changes_list()
        notes = [self._previous_problem] if self._previous_problem else []
        notes += self.measures.problems
        self._show_message("<br>".join(html.escape(note) for note in notes), escape=False)

    def _show_message(self, text: str, *, escape: bool = True) -> None:
        text = html.escape(text) if escape else text
        self.message.value = f'<div style="color:#a00">{text}</div>' if text else ""

    def _measures_table(self, values: Mapping[str, Any]) -> str:
        """Each theme: its name and figure, the reading, and the person's reflection beneath."""
        assert self.measures is not None
        blocks = []
        for field_id, theme, _ in THEMES:
            reading = self.measures.reading(field_id)
            answer = values.get(field_id)
            answer = str(answer).strip() if answer else ""
            if len(answer) > REFLECTION_CHARS:
                answer = answer[: REFLECTION_CHARS - 1] + "…"
            colour = "#c0392b" if reading.concern else "#7fa7c9"
            mark = '<span title="worth a look">⚠</span> ' if reading.concern else ""
            reflection = (f"Your reflection: {html.escape(answer)}" if answer
                          else messages.NETWORK_NO_REFLECTION)
            blocks.append(
                f'<div class="mf-theme mf-{field_id}" style="margin:0 0 8px 0;padding:2px 0 2px 8px;'
                f'border-left:3px solid {colour};line-height:1.35">'
                f'<div><b>{html.escape(theme)}</b> <span class="mf-figure" style="color:#555">'
                f'· {html.escape(reading.figure)}</span></div>'
                f'<div class="mf-reading">{mark}{html.escape(reading.reading)}</div>'
                f'<div class="mf-reflection" style="color:#666;font-style:italic">{reflection}</div></div>'
            )
        return "".join(blocks)

    def _changes_list(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.changes.lines())
        return f"<ul>{items}</ul>"
