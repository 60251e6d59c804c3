"""The inputs holding a form's answers on its page: made from the declaration, what each holds,
the notices shown next to each, and which may be changed. The page decides what they show and
when; the inputs only hold and show it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from mentorforms.errors import FieldProblem, ValidationFailed
from mentorforms.rules.validation import problems as field_problems
from mentorforms.ui import form_parts
from mentorforms.ui.widgets import FieldInput, SignatureInput, TableInput, TableRow, format_date_input, make_input
from mentorforms.vocabulary.declaration import Form


class AnswerInputs:
    """One input per field of ``form``. ``changed`` runs after the user changes any answer (its
    notices shown); ``sign(field_id)`` when a Sign button is pressed; ``today()`` dates goal progress."""

    def __init__(self, form: Form, *, changed: Callable[[], None], sign: Callable[[str], object],
                 today: Callable[[], dt.date]) -> None:
        self.form = form
        self._today = today
        #: Field id -> its input.
        self.fields: dict[str, FieldInput] = {item.id: make_input(item) for item in form.fields()}
        #: Table id -> (status column, date column) of the goal tables whose progress is dated.
        self.progress = {item.id: item.progress for item in form.fields() if item.progress is not None}
        for field_id, input_ in self.fields.items():
            input_.on_change(functools.partial(self._changed, field_id, changed))
            if isinstance(input_, SignatureInput):
                input_.sign.on_click(functools.partial(_sign_pressed, sign, field_id))
        for table_id, (status_column, date_column) in self.progress.items():
            table = self.fields[table_id]
            if isinstance(table, TableInput):
                table.on_cell_change(status_column, functools.partial(self._stamp_progress, date_column))

    def _changed(self, field_id: str, then: Callable[[], None]) -> None:
        input_ = self.fields[field_id]
        said = [FieldProblem(field_id, input_.field.label, text) for text in input_.notices()]
        input_.show_problems(said + field_problems(self.form, {field_id: input_.value()}, submitting=False)
                             + form_parts.removal_notices(self.form, {field_id: input_.value()}).get(field_id, []))
        then()

    def _stamp_progress(self, date_column: str, row: TableRow) -> None:
        control = row.cells[date_column]
        if control.value != format_date_input(self._today()):
            control.value = format_date_input(self._today())

    def raw(self, hidden: frozenset[str]) -> dict[str, Any]:
        """The answers held, except those ``hidden`` from the viewer (not on the page)."""
        return {field_id: input_.value() for field_id, input_ in self.fields.items() if field_id not in hidden}

    def show(self, values: Mapping[str, Any], hidden: frozenset[str], *, only: Iterable[str] | None = None) -> None:
        """Hold ``values`` (none for a field ``hidden``), in the fields ``only`` names if given."""
        for field_id in self.fields if only is None else only:
            self.fields[field_id].set_value(None if field_id in hidden else values.get(field_id))

    def enter(self, values: Mapping[str, Any]) -> None:
        """Type these answers as a user would (fields not enabled are skipped, as in the browser)."""
        for field_id, value in values.items():
            input_ = self.fields[field_id]
            if input_.enabled:
                input_.enter(value)

    def show_problems(self, failed: ValidationFailed) -> None:
        """Show each problem next to its field and focus the first; clear the others' messages."""
        by_field: dict[str, list[FieldProblem]] = {}
        for problem in failed.problems:
            by_field.setdefault(problem.field_id, []).append(problem)
        for field_id, input_ in self.fields.items():
            input_.show_problems(by_field.get(field_id, ()))
        if failed.problems:
            self.fields[failed.problems[0].field_id].focus()

    def clear_problems(self) -> None:
        """No message next to any field."""
        for input_ in self.fields.values():
            input_.show_problems(())

    def problems_shown(self) -> dict[str, str]:
        """Field id -> the message shown next to it now."""
        return {field_id: input_.message_text for field_id, input_ in self.fields.items() if input_.message_text}

    def set_modes(self, *, content: bool, fixed: set[str], may_sign: Callable[[str], bool],
                  sign_state: Callable[[str, bool], str], today: dt.date, progress_open: bool) -> None:
        """Enable the content inputs when ``content`` (except the ``fixed`` ones), each signature
        the viewer ``may_sign`` (with the words ``sign_state`` gives beside each), and the goal
        tables' progress columns when ``progress_open``."""
        for field_id, input_ in self.fields.items():
            if isinstance(input_, SignatureInput):
                signable = may_sign(field_id)
                input_.set_enabled(signable)
                input_.sign.layout.display = "" if signable else "none"
                input_.set_state(sign_state(field_id, signable))
                input_.show_date(today if signable else None)
            else:
                input_.set_enabled(content and field_id not in fixed)
        if progress_open:
            for table_id, columns in self.progress.items():
                table = self.fields[table_id]
                if isinstance(table, TableInput):
                    table.set_column_enabled(columns, True)


def _sign_pressed(sign: Callable[[str], object], field_id: str, _button: object = None) -> None:
    sign(field_id)

