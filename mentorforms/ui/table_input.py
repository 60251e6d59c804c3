"""The input for a table field: rows of cells, one per column, with add and remove buttons."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import ipywidgets as widgets

from mentorforms.errors import FieldProblem
from mentorforms.ui.field_input import FieldInput
from mentorforms.ui.typed_text import NO_CHOICE, date_box, format_date_input, format_number, parse_date, parse_number
from mentorforms.vocabulary.declaration import Field, Kind


def column_flex(column: Field) -> str:
    """How much of a table row a column takes (CSS flex): narrow for ticks, dates and numbers."""
    if column.kind is Kind.CHECK:
        return "0 0 80px"
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
_COLUMN_MIN_PX = {Kind.CHECK: 80, Kind.DATE: 150, Kind.HOURS: 100, Kind.WHOLE_NUMBER: 100, Kind.CHOICE: 96,
                  Kind.LONG_TEXT: 180, Kind.SHORT_TEXT: 120}
_REMOVE_PX = 90


def row_min_px(table: Field) -> int:
    """The narrowest a row of ``table`` gets before the table scrolls sideways (px)."""
    return sum(_COLUMN_MIN_PX.get(column.kind, 120) for column in table.columns) + _REMOVE_PX


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

    def __init__(self, table: TableInput) -> None:
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

    def on_cell_change(self, column_id: str, hook: Callable[[TableRow], None]) -> None:
        """Call ``hook(row)`` whenever the user changes ``column_id`` in any row (present or future)."""
        self.field.column(column_id)  # KeyError for a column the table does not have
        self.cell_hooks.setdefault(column_id, []).append(hook)
        for row in self.rows:
            row.cells[column_id].observe(self.hook_handler(row, hook), names="value")

    def hook_handler(self, row: TableRow, hook: Callable[[TableRow], None]) -> Callable[[Any], None]:
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
