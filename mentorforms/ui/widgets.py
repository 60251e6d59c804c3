"""One input per field, chosen by the field's kind in its declaration.

:func:`make_input` turns a :class:`~mentorforms.declaration.Field` into a :class:`FieldInput`:
an ipywidgets box showing the question (worded as the document words it), its help text, the
input itself and a place for messages next to it. Every input reads and writes values in the
record's value types (see :mod:`mentorforms.record`); text that is not a number where a number is
asked for is passed through as typed, so validation can say what is wrong and nothing typed is lost.

Stable CSS classes for tests and styling: ``mf-field mf-field-<id> mf-kind-<kind>`` on each box,
``mf-message`` on its message, ``mf-row`` on table rows, ``mf-cell-<column>`` on table cells,
``mf-choice-<choice>`` on the options of multiple-choice and rank fields.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from typing import Any, Callable, Iterable, Sequence

import ipywidgets as widgets

from mentorforms.declaration import Field, Kind
from mentorforms.errors import FieldProblem
from mentorforms.record import CheckNote, Signature

Listener = Callable[[], None]
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
#: Choices shown as radio buttons up to this many; longer lists become a drop-down.
RADIO_LIMIT = 8
NO_CHOICE = ""  # the drop-down entry meaning "not answered"


def parse_number(text: str, whole: bool) -> Any:
    """The number typed in ``text`` (float, or int when ``whole``), None when blank, and the text
    itself (stripped) when it is not a finite number, for validation to report."""
    stripped = text.strip()
    if not stripped:
        return None
    candidate = stripped.replace(",", "") if _THOUSANDS.match(stripped) else stripped
    try:
        number = float(candidate)
    except ValueError:
        return stripped
    if not math.isfinite(number):
        return stripped
    if whole:
        return int(number) if number.is_integer() else stripped
    return number


#: What a date box shows before anything is typed; ISO dates (2025-09-30) are accepted too.
DATE_PLACEHOLDER = "MM/DD/YYYY"
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(text: str) -> Any:
    """The date typed in ``text`` (MM/DD/YYYY or YYYY-MM-DD), None when blank, and the text itself
    (stripped) when it is no real date (02/30/2025), so validation says so and nothing is lost.

    A text box, not the browser's date input: that one sends an impossible or half-typed date to
    the server as empty, so a draft would be saved without it and nobody told."""
    stripped = text.strip()
    if not stripped:
        return None
    us, iso = _US_DATE.match(stripped), _ISO_DATE.match(stripped)
    try:
        if us:
            return dt.date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        pass
    return stripped


def format_date_input(value: Any) -> str:
    """How a stored date is shown in a date box (the placeholder's MM/DD/YYYY); typed text as typed."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.month:02d}/{value.day:02d}/{value.year:04d}"
    return "" if value is None else str(value)


def date_box(**kwargs: Any) -> widgets.Text:
    """A text box for a date, parsed on the server by :func:`parse_date`."""
    box = widgets.Text(placeholder=DATE_PLACEHOLDER, **kwargs)
    box.add_class("mf-date")
    return box


def format_number(value: Any) -> str:
    """How a stored number is shown in a text box: 12 rather than 12.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _question_html(item: Field, *, tag: str = "div") -> str:
    """The question (with its LCME and required marks) and its help text, as HTML."""
    label = html.escape(item.label)
    marks = ""
    if item.lcme:
        marks += '<span class="mf-lcme" title="LCME-required topic">*</span>'
    if item.required:
        marks += ' <span class="mf-required">required</span>'
    help_text = f'<{tag} class="mf-help">{html.escape(item.help)}</{tag}>' if item.help else ""
    return f'<{tag} class="mf-question-text">{label}{marks}</{tag}>{help_text}'


def _description(item: Field) -> str:
    """The label of a simple input as HTML (it stays a <label for=...> pointing at the input)."""
    return _question_html(item, tag="span")


class FieldInput:
    """The input for one field: ``box`` is the widget to show; ``value()``/``set_value()`` speak
    record value types; ``on_change`` listeners run after every change the user makes."""

    def __init__(self, item: Field) -> None:
        self.field = item
        self._listeners: list[Listener] = []
        self._quiet = 0
        self._enabled = True
        #: Created when the first message is shown (fewer widgets make a faster page).
        self.message: widgets.HTML | None = None
        self.box = widgets.VBox()
        self.box.add_class("mf-field")
        self.box.add_class(f"mf-field-{item.id}")
        self.box.add_class(f"mf-kind-{item.kind.value}")

    # ----------------------------------------------------------------- to implement per kind

    def value(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _set(self, value: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _controls(self) -> Iterable[widgets.Widget]:  # pragma: no cover - abstract
        """Every widget the user can change (enabled and disabled together)."""
        raise NotImplementedError

    def focus(self) -> None:
        """Move the keyboard focus (and so the scroll position) to the first control."""
        for control in self._controls():
            control.focus()
            return

    # ----------------------------------------------------------------- shared behaviour

    def set_value(self, value: Any) -> None:
        """Show ``value`` (a record value, or None for empty) without notifying listeners."""
        self._quiet += 1
        try:
            self._set(value)
        finally:
            self._quiet -= 1

    def enter(self, value: Any) -> None:
        """Show ``value`` as if the user had typed or picked it (listeners are told)."""
        self.set_value(value)
        self._changed()

    def on_change(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _changed(self, change: Any = None) -> None:
        if self._quiet:
            return
        for listener in list(self._listeners):
            listener()

    def _watch(self, control: widgets.Widget, name: str = "value") -> widgets.Widget:
        control.observe(self._changed, names=name)
        return control

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Allow or prevent changes (a signed form, or a field this viewer may not change)."""
        self._enabled = enabled
        for control in self._controls():
            control.disabled = not enabled

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        """Show these problems next to the field, in plain words (none: hide the message)."""
        if not problems:
            if self.message is not None and self.message.value:
                self.message.value = ""
                self.message.layout.display = "none"
                self.box.remove_class("mf-invalid")
            return
        if self.message is None:
            self.message = widgets.HTML()
            self.message.add_class("mf-message")
            self.box.children = self.box.children + (self.message,)
        lines = []
        for problem in problems:
            where = []
            if problem.row is not None:
                where.append(f"Row {problem.row}")
            if problem.column is not None and self.field.kind is Kind.TABLE:
                where.append(problem.column)
            if problem.item is not None and self.field.kind is Kind.RANK:
                where.append(self.field.choice_label(problem.item))
            prefix = f"{', '.join(where)}: " if where else ""
            lines.append(f"<li>{html.escape(prefix + problem.message)}</li>")
        self.message.value = f'<ul class="mf-message-list" role="alert">{"".join(lines)}</ul>'
        self.message.layout.display = ""
        self.box.add_class("mf-invalid")

    @property
    def message_text(self) -> str:
        """The message shown now, as plain text ('' when none): for tests and the status line."""
        if self.message is None:
            return ""
        return html.unescape(re.sub(r"<[^>]+>", " ", self.message.value)).strip()

    def _layout(self, *parts: widgets.Widget | None, question: bool = False) -> None:
        """Lay out the box: the question with its help (as one HTML, unless the first part is an
        input that carries them in its own label), then the parts."""
        children: list[widgets.Widget] = []
        if question:
            children.append(widgets.HTML(_question_html(self.field)))
        children.extend(part for part in parts if part is not None)
        self.box.children = tuple(children)


def _labelled(control: widgets.Widget, item: Field) -> widgets.Widget:
    control.description = _description(item)
    control.description_allow_html = True
    control.style.description_width = "initial"
    control.add_class("mf-q")
    return control


class TextInput(FieldInput):
    """Short text (one line) or long text (a box that grows)."""

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        if item.kind is Kind.LONG_TEXT:
            self.input = widgets.Textarea(rows=3, layout=widgets.Layout(width="100%"))
        else:
            self.input = widgets.Text(layout=widgets.Layout(width="100%"))
        _labelled(self._watch(self.input), item)
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
        _labelled(self._watch(self.input), item)
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
        self.input = _labelled(self._watch(date_box()), item)
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
        self.input = self._watch(widgets.Checkbox(description=_description(item), description_allow_html=True,
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
        self.check = self._watch(widgets.Checkbox(description=_description(item), description_allow_html=True,
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
            self._previous[choice_id] = new
            if new != self.UNRANKED:
                for other_id, other in self.selects.items():
                    if other_id != choice_id and other.value == new:
                        # Swap: the other item takes this item's old rank (or none).
                        self._previous[other_id] = old
                        other.value = old
            self._changed()
        return handler

    def value(self) -> Any:
        ranks = {choice_id: select.value for choice_id, select in self.selects.items()
                 if select.value != self.UNRANKED}
        return ranks or None

    def _set(self, value: Any) -> None:
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


def column_flex(column: Field) -> str:
    """How much of a table row a column takes (CSS flex): narrow for ticks, dates and numbers."""
    if column.kind is Kind.CHECK:
        return "0 0 90px"
    if column.kind is Kind.DATE:
        return "0 0 150px"
    if column.kind in (Kind.HOURS, Kind.WHOLE_NUMBER):
        return "0 0 100px"
    if column.kind is Kind.LONG_TEXT:
        return "2 1 0"
    if column.kind is Kind.CHOICE:
        return "1 1 0"
    return "1.5 1 0"


#: The narrowest a column may get (px) before the table scrolls sideways instead of squeezing.
_COLUMN_MIN_PX = {Kind.CHECK: 90, Kind.DATE: 150, Kind.HOURS: 100, Kind.WHOLE_NUMBER: 100, Kind.CHOICE: 120,
                  Kind.LONG_TEXT: 180, Kind.SHORT_TEXT: 140}
_REMOVE_PX = 90


def row_min_width(table: Field) -> str:
    """The width below which a table's rows scroll sideways (wide tables, narrow screens)."""
    return f"{sum(_COLUMN_MIN_PX.get(column.kind, 120) for column in table.columns) + _REMOVE_PX}px"


def _cell_widget(column: Field) -> widgets.Widget:
    kind = column.kind
    if kind is Kind.LONG_TEXT:
        control = widgets.Textarea(rows=2, placeholder=column.label)
    elif kind in (Kind.SHORT_TEXT, Kind.HOURS, Kind.WHOLE_NUMBER):
        control = widgets.Text(placeholder=column.label)
    elif kind is Kind.DATE:
        control = date_box()
    elif kind is Kind.CHOICE:
        control = widgets.Dropdown(options=[("—", NO_CHOICE)] + [(c.label, c.id) for c in column.choices])
    elif kind is Kind.CHECK:
        control = widgets.Checkbox(description=column.label, indent=False)
    else:  # the declaration refuses other kinds in tables
        raise AssertionError(f"column {column.id!r}: no cell widget for {kind.value}")
    control.tooltip = column.label
    control.add_class(f"mf-cell-{column.id}")
    control.add_class("mf-cell")
    control.layout.width = "auto"
    control.layout.flex = column_flex(column)
    control.layout.min_width = "0"
    return control


def _cell_value(column: Field, control: widgets.Widget) -> Any:
    kind = column.kind
    if kind in (Kind.HOURS, Kind.WHOLE_NUMBER):
        return parse_number(control.value, kind is Kind.WHOLE_NUMBER)
    if kind is Kind.CHECK:
        return True if control.value else None
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT, Kind.CHOICE):
        return control.value or None
    if kind is Kind.DATE:
        return parse_date(control.value)
    return control.value


def _set_cell(column: Field, control: widgets.Widget, value: Any) -> None:
    kind = column.kind
    if kind in (Kind.HOURS, Kind.WHOLE_NUMBER):
        control.value = format_number(value)
    elif kind is Kind.CHECK:
        control.value = value is True
    elif kind is Kind.DATE:
        control.value = format_date_input(value)
    elif kind is Kind.CHOICE:
        control.value = value if value in column.choice_ids else NO_CHOICE
    else:
        control.value = "" if value is None else str(value)


class TableRow:
    """One row of a table: a cell per column and a button that removes the row."""

    def __init__(self, table: "TableInput") -> None:
        self.cells = {column.id: table._watch(_cell_widget(column)) for column in table.field.columns}
        for control in self.cells.values():
            control.disabled = not table.enabled
        for column_id, hooks in table.cell_hooks.items():
            for hook in hooks:
                self.cells[column_id].observe(table.hook_handler(self, hook), names="value")
        self.remove = widgets.Button(description="Remove", tooltip="Remove this row",
                                     layout=widgets.Layout(width="auto", flex="0 0 auto"))
        self.remove.add_class("mf-remove-row")
        self.remove.on_click(lambda _: table.remove_row(self))
        self.box = widgets.HBox(list(self.cells.values()) + [self.remove],
                                layout=widgets.Layout(width="100%", min_width=row_min_width(table.field)))
        self.box.add_class("mf-row")

    def value(self, table: Field) -> dict[str, Any]:
        return {column.id: _cell_value(column, self.cells[column.id]) for column in table.columns}

    def set(self, table: Field, row: dict[str, Any]) -> None:
        for column in table.columns:
            _set_cell(column, self.cells[column.id], row.get(column.id))


class TableInput(FieldInput):
    """Rows of cells, one per column; rows can be added and removed within min_rows..max_rows."""

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        self.rows: list[TableRow] = []
        self.cell_hooks: dict[str, list[Callable[[TableRow], None]]] = {}
        heads = "".join(
            f'<div class="mf-column-head" style="flex: {column_flex(column)}; min-width: 0">'
            f'{html.escape(column.label)}{" <span class=mf-required>required</span>" if column.required else ""}</div>'
            for column in item.columns)
        header = widgets.HTML(
            f'<div class="mf-table-head-row">{heads}<div class="mf-column-head" style="flex: 0 0 {_REMOVE_PX}px">'
            f'</div></div>', layout=widgets.Layout(width="100%", min_width=row_min_width(item)))
        header.add_class("mf-table-head")
        self.body = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.body.add_class("mf-table-body")
        self.add = widgets.Button(description="Add row", icon="plus", tooltip=f"Add a row to: {item.label}")
        self.add.add_class("mf-add-row")
        self.add.on_click(lambda _: self.add_row())
        self.limits = widgets.HTML()
        self.limits.add_class("mf-table-limits")
        self.table = widgets.VBox([header, self.body], layout=widgets.Layout(width="100%", overflow_x="auto"))
        self.table.add_class("mf-table")
        footer = widgets.HBox([self.add, self.limits])
        self._layout(self.table, footer, question=True)
        self._set_rows(self._starting_rows())

    def on_cell_change(self, column_id: str, hook: Callable[["TableRow"], None]) -> None:
        """Call ``hook(row)`` whenever the user changes ``column_id`` in any row (present or future)."""
        self.field.column(column_id)  # KeyError for a column the table does not have
        self.cell_hooks.setdefault(column_id, []).append(hook)
        for row in self.rows:
            row.cells[column_id].observe(self.hook_handler(row, hook), names="value")

    def hook_handler(self, row: "TableRow", hook: Callable[["TableRow"], None]) -> Callable[[Any], None]:
        def handler(change: Any) -> None:
            if not self._quiet:
                hook(row)
        return handler

    def _starting_rows(self) -> int:
        return max(self.field.min_rows, 1 if self.field.max_rows else 0)

    def _set_rows(self, count: int) -> None:
        while len(self.rows) < count:
            self.rows.append(TableRow(self))
        del self.rows[count:]
        self.body.children = tuple(row.box for row in self.rows)
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        count = len(self.rows)
        self.add.disabled = not self._enabled or count >= self.field.max_rows
        for row in self.rows:
            row.remove.disabled = not self._enabled or count <= self.field.min_rows
        bounds = []
        if self.field.min_rows:
            bounds.append(f"at least {self.field.min_rows}")
        bounds.append(f"at most {self.field.max_rows}")
        self.limits.value = f'<span class="mf-limits">{count} row{"s" if count != 1 else ""} ' \
                            f'({" and ".join(bounds)})</span>'

    def add_row(self) -> TableRow | None:
        """Add an empty row at the end, unless the table is full or disabled; returns it."""
        if not self._enabled or len(self.rows) >= self.field.max_rows:
            return None
        row = TableRow(self)
        self.rows.append(row)
        self.body.children = tuple(item.box for item in self.rows)
        self._refresh_buttons()
        self._changed()
        return row

    def remove_row(self, row: TableRow) -> None:
        """Remove ``row`` unless that would leave fewer than min_rows (or the table is disabled)."""
        if not self._enabled or len(self.rows) <= self.field.min_rows or row not in self.rows:
            return
        self.rows.remove(row)
        self.body.children = tuple(item.box for item in self.rows)
        self._refresh_buttons()
        self._changed()

    def value(self) -> Any:
        rows = tuple(row.value(self.field) for row in self.rows)
        rows = tuple(row for row in rows if any(cell is not None for cell in row.values()))
        return rows or None

    def _set(self, value: Any) -> None:
        rows = list(value or ())[: self.field.max_rows]
        self._set_rows(max(len(rows), self._starting_rows()))
        for row, data in zip(self.rows, rows + [{}] * (len(self.rows) - len(rows))):
            row.set(self.field, data if isinstance(data, dict) else {})

    def _controls(self):
        for row in self.rows:
            yield from row.cells.values()

    def set_enabled(self, enabled: bool) -> None:
        super().set_enabled(enabled)
        self._refresh_buttons()

    def set_column_enabled(self, column_ids: Iterable[str], enabled: bool) -> None:
        """Enable or disable only these columns (goal progress on a signed agreement)."""
        wanted = set(column_ids)
        for row in self.rows:
            for column_id, control in row.cells.items():
                if column_id in wanted:
                    control.disabled = not enabled

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        super().show_problems(problems)
        bad = {(problem.row, problem.column) for problem in problems if problem.row is not None}
        for index, row in enumerate(self.rows, start=1):
            for column in self.field.columns:
                control = row.cells[column.id]
                if (index, column.label) in bad or (index, None) in bad:
                    control.add_class("mf-invalid-cell")
                else:
                    control.remove_class("mf-invalid-cell")

    def focus(self) -> None:
        for row in self.rows:
            for control in row.cells.values():
                control.focus()
                return
        self.add.focus()


class SignatureInput(FieldInput):
    """A typed name and a date that attest the form's content, with a Sign button the page wires."""

    def __init__(self, item: Field) -> None:
        super().__init__(item)
        self.name = self._watch(widgets.Text(description="Typed name", placeholder="Type your full name",
                                             style={"description_width": "initial"}))
        self.name.add_class("mf-signature-name")
        self.date = self._watch(widgets.DatePicker(description="Date", style={"description_width": "initial"}))
        self.date.add_class("mf-signature-date")
        self.sign = widgets.Button(description="Sign", icon="pencil", button_style="primary",
                                   tooltip=f"Sign as: {item.label}")
        self.sign.add_class("mf-sign")
        self.sign.layout.display = "none"
        self.state = widgets.HTML()
        self.state.add_class("mf-signature-state")
        row = widgets.HBox([self.name, self.date, self.sign])
        row.add_class("mf-signature-row")
        self._layout(row, self.state, question=True)

    def value(self) -> Any:
        name = self.name.value or None
        if name is None and self.date.value is None:
            return None
        return Signature(name, self.date.value)

    def _set(self, value: Any) -> None:
        if isinstance(value, Signature):
            self.name.value = value.name or ""
            self.date.value = value.date
        else:
            self.name.value = ""
            self.date.value = None

    def _controls(self):
        return (self.name, self.date)

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
