"""One input per field, chosen by the field's kind in its declaration.

:func:`make_input` turns a :class:`~mentorforms.vocabulary.declaration.Field` into a :class:`FieldInput`:
an ipywidgets box showing the question (worded as the document words it), its help text, the
input itself and a place for messages next to it. Every input reads and writes values in the
record's value types (see :mod:`mentorforms.vocabulary.record`); text that is not a number where a number is
asked for is passed through as typed, so validation can say what is wrong and nothing typed is lost.

Stable CSS classes for tests and styling: ``mf-field mf-field-<id> mf-kind-<kind>`` on each box,
``mf-message`` on its message, ``mf-row`` on table rows, ``mf-cell-<column>`` on table cells,
``mf-choice-<choice>`` on the options of multiple-choice and rank fields.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any, cast

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.ui.field_input import FieldInput, Listener, input_label_html, labelled
from mentorforms.ui.table_input import TableInput, TableRow
from mentorforms.ui.typed_text import (
    DATE_PLACEHOLDER,
    NO_CHOICE,
    RADIO_LIMIT,
    date_box,
    format_date_input,
    format_number,
    parse_date,
    parse_number,
)
from mentorforms.vocabulary.declaration import Field, Kind
from mentorforms.vocabulary.record import CheckNote, Signature

__all__ = ["DATE_PLACEHOLDER", "FieldInput", "Listener", "TableInput", "TableRow", "format_date_input",
           "format_number", "make_input", "parse_date", "parse_number"]


class TextInput(FieldInput):
    """Short text (one line) or long text (a box that grows)."""

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        if item.kind is Kind.LONG_TEXT:
            self.input = widgets.Textarea(rows=3, layout=widgets.Layout(width="100%"))
        else:
            self.input = widgets.Text(layout=widgets.Layout(width="100%"))
        labelled(self._watch(self.input), item)
        self._layout(self.input)

    def value(self) -> Any:
        return self.input.value or None

    def _set(self, value: Any) -> None:
        self.input.value = "" if value is None else str(value)

    def _controls(self):
        return (self.input,)


class NumberInput(FieldInput):
    """Hours (any number) or a whole number, typed as digits; anything else is kept as typed and
    reported by validation ("Enter a number of hours, such as 12 or 2.5")."""

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        self.whole = item.kind is Kind.WHOLE_NUMBER
        self.input = widgets.Text(layout=widgets.Layout(width="100%"))
        self.input.add_class("mf-number")
        labelled(self._watch(self.input), item)
        self.input.remove_class("mf-q")
        self.input.add_class("mf-qrow")  # label left, number right; "hours" is added by the style sheet
        self._layout(self.input)

    def value(self) -> Any:
        return parse_number(self.input.value, self.whole)

    def _set(self, value: Any) -> None:
        self.input.value = format_number(value)

    def _controls(self):
        return (self.input,)


class DateInput(FieldInput):
    """A date typed as MM/DD/YYYY (or YYYY-MM-DD) and read on the server (see :func:`parse_date`)."""

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        self.input = labelled(self._watch(date_box()), item)
        self._layout(self.input)

    def value(self) -> Any:
        return parse_date(self.input.value)

    def _set(self, value: Any) -> None:
        self.input.value = format_date_input(value)

    def _controls(self):
        return (self.input,)


class ChoiceInput(FieldInput):
    """One of the listed choices: radio buttons, or a drop-down for long lists."""

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        options = [(choice.label, choice.id) for choice in item.choices]
        self.radio = len(options) <= RADIO_LIMIT
        if self.radio:
            self.input = widgets.RadioButtons(options=options, index=None, layout=widgets.Layout(width="100%"))
        else:
            self.input = widgets.Dropdown(options=[("— choose —", NO_CHOICE)] + options)
        self._watch(self.input)
        self.clear = None
        if self.radio and not item.required:
            self.clear = widgets.Button(description="Clear", tooltip=f"Clear the answer to: {item.label}")
            self.clear.add_class("mf-clear")
            self.clear.on_click(lambda _: self._clear())
        self._layout(self.input, self.clear, question=True)

    def _clear(self) -> None:
        self.input.index = None
        self._changed()

    def value(self) -> Any:
        return self.input.value or None

    def _set(self, value: Any) -> None:
        if value in self.field.choice_ids:
            self.input.value = value
        elif self.radio:
            self.input.index = None
        else:
            self.input.value = NO_CHOICE

    def _controls(self):
        return (self.input,) + ((self.clear,) if self.clear else ())


class MultiChoiceInput(FieldInput):
    """Any of the listed choices: one tick box each, in the document's order."""

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        self.boxes: dict[str, widgets.Checkbox] = {}
        for choice in item.choices:
            box = self._watch(widgets.Checkbox(description=choice.label, indent=False,
                                               layout=widgets.Layout(width="100%")))
            box.add_class(f"mf-choice-{choice.id}")
            self.boxes[choice.id] = box
        grid = widgets.VBox(list(self.boxes.values()))
        grid.add_class("mf-choices")
        self._layout(grid, question=True)

    def value(self) -> Any:
        chosen = tuple(choice_id for choice_id, box in self.boxes.items() if box.value)
        return chosen or None

    def _set(self, value: Any) -> None:
        chosen = set(value or ())
        for choice_id, box in self.boxes.items():
            box.value = choice_id in chosen

    def _controls(self):
        return tuple(self.boxes.values())


class CheckInput(FieldInput):
    """A single tick box."""

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        self.input = self._watch(widgets.Checkbox(description=input_label_html(item), description_allow_html=True,
                                                  indent=False, layout=widgets.Layout(width="100%")))
        self.input.add_class("mf-q")
        self._layout(self.input)

    def value(self) -> Any:
        return True if self.input.value else None

    def _set(self, value: Any) -> None:
        self.input.value = value is True

    def _controls(self):
        return (self.input,)


class CheckNoteInput(FieldInput):
    """A tick box with a note beside it."""

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        self.check = self._watch(widgets.Checkbox(description=input_label_html(item), description_allow_html=True,
                                                  indent=False, layout=widgets.Layout(width="auto")))
        self.check.add_class("mf-q")
        self.note = self._watch(widgets.Textarea(rows=2, placeholder="Note", layout=widgets.Layout(width="100%")))
        self.note.description = "Note"
        self.note.add_class("mf-note")
        self._layout(self.check, self.note)

    def value(self) -> Any:
        note = self.note.value or None
        if not self.check.value and note is None:
            return None
        return CheckNote(bool(self.check.value), note)

    def _set(self, value: Any) -> None:
        checked = isinstance(value, CheckNote) and value.checked
        self.check.value = bool(checked)
        self.note.value = value.note or "" if isinstance(value, CheckNote) else ""

    def _controls(self):
        return (self.check, self.note)


class RankInput(FieldInput):
    """Rank every listed item 1..n. Choosing a rank another item holds swaps the two, so no rank
    can ever be used twice."""

    UNRANKED = 0

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        size = len(item.choices)
        options = [("—", self.UNRANKED)] + [(str(rank), rank) for rank in range(1, size + 1)]
        self.selects: dict[str, widgets.Dropdown] = {}
        self._previous: dict[str, int] = {}
        #: What the last change moved ("X had rank 1, so it now has no rank"), said next to the field.
        self._moved = ""
        rows = []
        for choice in item.choices:
            select = widgets.Dropdown(options=options, value=self.UNRANKED, description=choice.label,
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(width="auto"))
            select.add_class(f"mf-choice-{choice.id}")
            select.add_class("mf-rank-select")
            select.observe(self._make_handler(choice.id), names="value")
            self.selects[choice.id] = select
            self._previous[choice.id] = self.UNRANKED
            rows.append(select)
        grid = widgets.VBox(rows)
        grid.add_class("mf-rank")
        self._layout(grid, question=True)

    def _make_handler(self, choice_id: str) -> Callable[[Any], None]:
        def handler(change: Any) -> None:
            new, old = change["new"], self._previous[choice_id]
            if new == old:
                return  # the swap below setting the other item: not a change of its own
            self._previous[choice_id] = new
            self._moved = ""
            if new != self.UNRANKED:
                for other_id, other in self.selects.items():
                    if other_id != choice_id and other.value == new:
                        # Swap: the other item takes this item's old rank (or none), and the page says so.
                        self._previous[other_id] = old
                        other.value = old
                        self._moved = messages.say(
                            messages.RANK_MOVED, other=self.field.choice_label(other_id), rank=new,
                            now=f"rank {old}" if old != self.UNRANKED else messages.RANK_NONE)
            self._changed()
        return handler

    def value(self) -> Any:
        ranks = {choice_id: select.value for choice_id, select in self.selects.items()
                 if select.value != self.UNRANKED}
        return ranks or None

    def notices(self) -> list[str]:
        return [self._moved] if self._moved else []

    def _set(self, value: Any) -> None:
        self._moved = ""
        ranks = value if isinstance(value, dict) else {}
        size = len(self.field.choices)
        used: set[int] = set()
        for choice_id, select in self.selects.items():
            rank = ranks.get(choice_id)
            rank = rank if isinstance(rank, int) and 1 <= rank <= size and rank not in used else self.UNRANKED
            used.add(rank)
            self._previous[choice_id] = rank
            select.value = rank

    def _controls(self):
        return tuple(self.selects.values())


class SignatureInput(FieldInput):
    """A typed name that attests the form's content, with a Sign button the page wires. The date
    is not an input: the server dates a signature, so the page shows the date that will be stored
    (:meth:`show_date`), or the date a given signature holds."""

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        self.name = self._watch(widgets.Text(description="Typed name", placeholder="Type your full name",
                                             style={"description_width": "initial"}))
        self.name.add_class("mf-signature-name")
        #: The date of the signature shown (a given one's); None for one not given yet.
        self._date: dt.date | None = None
        self.date_shown = widgets.HTML()
        self.date_shown.add_class("mf-signature-date")
        self.sign = widgets.Button(description="Sign", icon="pencil", button_style="primary",
                                   tooltip=f"Sign as: {item.label}")
        self.sign.add_class("mf-sign")
        self.sign.layout.display = "none"
        self.state = widgets.HTML()
        self.state.add_class("mf-signature-state")
        row = widgets.HBox([self.name, self.date_shown, self.sign])
        row.add_class("mf-signature-row")
        self._layout(row, self.state, question=True)

    def value(self) -> Any:
        name = self.name.value or None
        if name is None and self._date is None:
            return None
        # Either part may be missing here (a name typed but not given has no date yet; a given
        # signature's name may be cleared): the workflow checks both before filing.
        return Signature(cast(str, name), cast(dt.date, self._date))

    def _set(self, value: Any) -> None:
        if isinstance(value, Signature):
            self.name.value = value.name or ""
            self._date = value.date
        else:
            self.name.value = ""
            self._date = None
        self.show_date(None)

    def _controls(self):
        return (self.name,)

    def show_date(self, today: Any) -> None:
        """Show the given signature's date, else ``today`` (the date signing now stores), else nothing."""
        if self._date is not None:
            text = messages.say(messages.SIGNATURE_DATE_GIVEN, day=format_date_input(self._date))
        elif today is not None:
            text = messages.say(messages.SIGNATURE_DATE_TODAY, day=format_date_input(today))
        else:
            text = ""
        self.date_shown.value = f'<span class="mf-signature-day">{html.escape(text)}</span>' if text else ""

    def set_state(self, text: str) -> None:
        """A short line under the signature ("Signed by ... on ...", "Not signed yet")."""
        self.state.value = f'<div class="mf-signature-note">{html.escape(text)}</div>' if text else ""


_BY_KIND: dict[Kind, type[FieldInput]] = {
    Kind.SHORT_TEXT: TextInput,
    Kind.LONG_TEXT: TextInput,
    Kind.HOURS: NumberInput,
    Kind.WHOLE_NUMBER: NumberInput,
    Kind.DATE: DateInput,
    Kind.CHOICE: ChoiceInput,
    Kind.MULTI_CHOICE: MultiChoiceInput,
    Kind.CHECK: CheckInput,
    Kind.CHECK_NOTE: CheckNoteInput,
    Kind.RANK: RankInput,
    Kind.TABLE: TableInput,
    Kind.SIGNATURE: SignatureInput,
}


def make_input(item: Field) -> FieldInput:
    """The input fitting ``item``'s kind (every kind has one)."""
    return _BY_KIND[item.kind](item)


def button(description: str, icon: str, css: str, tooltip: str, style: str = "") -> widgets.Button:
    """A button with an icon, a tooltip and its CSS class (the browser tests find it by the class)."""
    made = widgets.Button(description=description, icon=icon, tooltip=tooltip, button_style=style)
    made.add_class(css)
    return made
