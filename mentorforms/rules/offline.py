"""The offline round trip: a fillable blank workbook out, a filled one back in.

``write_blank`` makes a workbook whose shaded cells are the answers (dropdowns for choices, the
rest of the sheet protected). ``import_workbook`` reads the answers back from those cells —
finding them with the same layout plan that placed them — validates them against the form's
declaration and files them as a new version, or refuses with every problem as
``sheet!cell, field, reason`` and files nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import range_boundaries

from mentorforms.errors import MentorformsError, ValidationFailed, WorkbookError
from mentorforms.forms import get_form
from mentorforms.records.roster import RosterInvalid, load_roster, replace_atomically
from mentorforms.records.store import DataFolder, StoredVersion
from mentorforms.rules import year_window
from mentorforms.rules.validation import check_draft, check_submission, is_signed
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Field, Form, Kind
from mentorforms.vocabulary.prefill import roster_answers
from mentorforms.vocabulary.record import CheckNote, Record, Signature, Status, utc_now
from mentorforms.workbooks import form_plan, machine_sheet, safe_cell
from mentorforms.workbooks.workbook import BROKEN_FILE_ERRORS, checked_content, read_checked_rows, workbook_bytes


@dataclass(frozen=True)
class ImportProblem:
    """One reason a filled workbook was refused: where (``Form!B12``), which question, why."""

    cell: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.cell}, {self.field}: {self.reason}"


class ImportRefused(MentorformsError):
    """Nothing was filed; ``problems`` lists every reason."""

    def __init__(self, path: Path | str, problems: list[ImportProblem]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(str(problem) for problem in problems))


def write_blank(form_id: str, year: AcademicYear | int | str, out: Path | str, *, person_id: str = "",
                data_dir: Path | str | None = None) -> Path:
    """Write a fillable blank of ``form_id`` for ``year`` to ``out`` (replacing it atomically).

    With ``data_dir``, the person's name and department come from that folder's roster, and the
    answers the form takes from the roster are filled in as the page fills them in
    (:func:`mentorforms.vocabulary.prefill.roster_answers`).
    """
    form = get_form(form_id, year)
    name = department = ""
    values: dict[str, Any] = {}
    if person_id and data_dir is not None:
        person = load_roster(DataFolder(data_dir).roster_path).get(person_id)
        if person is None:
            raise MentorformsError(f"{person_id!r} is not on the roster of {data_dir}")
        name, department = person.name, person.department
        values = roster_answers(form, person, person)
    record = Record(form.id, form.version, form.academic_year, person_id, department, values=values)
    content = workbook_bytes(record, form, person_name=name, blank=True)
    out = Path(out)

    def write(temporary: Path) -> None:
        temporary.write_bytes(content)

    # The blank is the user's own output file: replacing it is what they asked for.
    replace_atomically(out, write)
    return out


def _cell_ref(slot_or_cell: form_plan.Slot | Cell) -> str:
    address = slot_or_cell.address if isinstance(slot_or_cell, form_plan.Slot) else slot_or_cell.coordinate
    return f"{form_plan.SHEET}!{address}"


class _Reader:
    """Turns the cells of one field back into a value, collecting problems instead of stopping."""

    def __init__(self, sheet, form: Form) -> None:
        self.sheet = sheet
        self.form = form
        self.problems: list[ImportProblem] = []
        #: Characters removed from answers (the import goes ahead and says so).
        self.notices: list[ImportProblem] = []

    def raw(self, slot: form_plan.Slot) -> Any:
        cell = self.sheet.cell(row=slot.row, column=slot.column)
        if cell.data_type == "f":
            self.problems.append(ImportProblem(_cell_ref(slot), self._label(slot.field_id),
                                               "formulas are not accepted; type the answer itself"))
            return None
        value = cell.value
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def _label(self, field_id: str) -> str:
        return self.form.field(field_id).label if self.form.has_field(field_id) else field_id

    def fail(self, slot: form_plan.Slot, item: Field, reason: str) -> None:
        self.problems.append(ImportProblem(_cell_ref(slot), item.label, reason))

    def cell_value(self, slot: form_plan.Slot, item: Field) -> Any:
        """One cell's answer as the declaration's value type; None (and a problem) if it cannot be."""
        value = self.raw(slot)
        if value is None:
            return None
        kind = item.kind
        if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
            if isinstance(value, (dt.datetime, dt.date)):
                return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            cleaned = safe_cell.clean(safe_cell.decode_escapes(str(value)))
            if cleaned.notice:
                self.notices.append(ImportProblem(_cell_ref(slot), item.label, cleaned.notice))
            return cleaned.text
        if kind in (Kind.HOURS, Kind.WHOLE_NUMBER):
            number = value
            if isinstance(value, str):
                try:
                    number = float(value.replace(",", "").strip())
                except ValueError:
                    self.fail(slot, item, f"{value!r} is not a number")
                    return None
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                self.fail(slot, item, f"{value!r} is not a number")
                return None
            if kind is Kind.WHOLE_NUMBER:
                if not float(number).is_integer():
                    self.fail(slot, item, f"{value!r} is not a whole number")
                    return None
                return int(number)
            return float(number)
        if kind is Kind.DATE:
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            try:
                return dt.date.fromisoformat(str(value).strip())
            except ValueError:
                self.fail(slot, item, f"{value!r} is not a date such as 2025-09-30")
                return None
        if kind is Kind.CHOICE:
            text = str(value).strip()
            for choice in item.choices:
                if text in (choice.label, choice.id) or text.lower() == choice.label.lower():
                    return choice.id
            self.fail(slot, item, f"{text!r} is not one of the listed answers")
            return None
        if kind is Kind.CHECK:
            return self.tick(slot, item, value)
        raise AssertionError(f"{kind} is not a single-cell kind")

    def tick(self, slot: form_plan.Slot, item: Field, value: Any) -> bool | None:
        if value is None:
            return None
        if value is True or (isinstance(value, str) and value.strip().lower() in ("x", "yes", "true")):
            return True
        if value is False:
            return None
        self.fail(slot, item, f"type {form_plan.MARK} to tick the box or leave it empty (found {value!r})")
        return None


def _read_values(sheet, form: Form, layout: form_plan.Plan) -> tuple[dict[str, Any], _Reader]:
    reader = _Reader(sheet, form)
    values: dict[str, Any] = {}
    for item in form.fields():
        slots = layout.slots_for(item.id)
        kind = item.kind
        if kind is Kind.MULTI_CHOICE:
            chosen = tuple(slot.part for slot in slots if reader.tick(slot, item, reader.raw(slot)))
            values[item.id] = chosen or None
        elif kind is Kind.RANK:
            ranks = {}
            for slot in slots:
                rank = reader.cell_value(slot, Field("_rank", item.label, Kind.WHOLE_NUMBER))
                if rank is not None:
                    ranks[slot.part] = rank
            values[item.id] = ranks or None
        elif kind is Kind.CHECK_NOTE:
            box, note = slots
            checked = bool(reader.tick(box, item, reader.raw(box)))
            text = reader.cell_value(note, Field("_note", item.label, Kind.LONG_TEXT))
            values[item.id] = CheckNote(checked, text) if checked or text else None
        elif kind is Kind.SIGNATURE:
            name_slot, date_slot = slots
            name = reader.cell_value(name_slot, Field("_name", item.label, Kind.SHORT_TEXT))
            when = reader.cell_value(date_slot, Field("_date", item.label, Kind.DATE))
            values[item.id] = Signature(name, when) if name or when else None
        elif kind is Kind.TABLE:
            rows: dict[int, dict[str, Any]] = {}
            for slot in slots:
                index, column_id = slot.table_cell
                rows.setdefault(index, {})[column_id] = reader.cell_value(slot, item.column(column_id))
            values[item.id] = tuple(rows[index] for index in sorted(rows))
        else:
            values[item.id] = reader.cell_value(slots[0], item)
    return values, reader


def _problem_cell(layout: form_plan.Plan, form: Form, field_id: str, row: int | None, column: str | None,
                  item: str | None) -> str:
    slots = layout.slots_for(field_id)
    item_field = form.field(field_id)
    if item_field.kind is Kind.TABLE and row is not None:
        column_id = next((c.id for c in item_field.columns if c.label == column), None)
        for slot in slots:
            if slot.table_row == row and (column_id is None or slot.part == column_id):
                return _cell_ref(slot)
    for slot in slots:
        if (item is not None and slot.part == item) or (column is not None and slot.part == column):
            return _cell_ref(slot)
    return _cell_ref(slots[0]) if slots else f"{form_plan.SHEET}!A1"


def _table_rows(sheet, form: Form, source: Path) -> dict[str, int]:
    counts = {}
    for item in form.fields():
        if item.kind is not Kind.TABLE:
            continue
        table = sheet.tables.get(f"t_{item.id}")
        if table is None:
            raise ImportRefused(source, [ImportProblem(f"{form_plan.SHEET}!A1", item.label,
                                                       "its table is missing: was the form sheet rebuilt by hand?")])
        _, top, _, bottom = range_boundaries(table.ref)
        counts[item.id] = bottom - top
    return counts


def _check_layout(sheet, form: Form, layout: form_plan.Plan, source: Path) -> None:
    """Refuse a sheet whose rows were inserted or deleted: answers would land in the wrong fields."""
    for item in form.fields():
        slots = layout.slots_for(item.id)
        if item.kind in (Kind.MULTI_CHOICE, Kind.RANK):
            label_row, expected = slots[0].row - 1, form_plan.question_label(item)
        elif item.kind is Kind.TABLE:
            label_row, expected = layout.tables[item.id][0] - 1, form_plan.question_label(item)
        else:
            label_row, expected = slots[0].row, form_plan.question_label(item)
        if sheet.cell(row=label_row, column=1).value != expected:
            raise ImportRefused(source, [ImportProblem(
                f"{form_plan.SHEET}!A{label_row}", item.label,
                "the form's rows were moved (inserted or deleted rows?); fill a fresh blank instead")])


def read_filled(path: Path | str, notices: list[ImportProblem] | None = None
                ) -> tuple[Form, dict[str, Any], str, list[ImportProblem], form_plan.Plan]:
    """The form, raw answers, typed roster id and cell problems of a filled workbook (nothing
    validated yet). Characters removed from answers are added to ``notices``."""
    path = Path(path)
    try:
        # Formulas pass the boundary here so that each one is named by its cell below.
        content = checked_content(path, formulas=True)
        rows = read_checked_rows(content, machine_sheet.SHEET, path)
        book = load_workbook(io.BytesIO(content))
    except WorkbookError as error:
        raise ImportRefused(path, [ImportProblem("record", "workbook", error.reason)]) from error
    except BROKEN_FILE_ERRORS as error:
        raise ImportRefused(path, [ImportProblem("workbook", "workbook", f"cannot be opened ({error})")]) from error
    try:
        meta, _ = machine_sheet.read_meta(rows, str(path))
        form_id, year = (machine_sheet.cell_text(meta.get(key)) for key in ("form_id", "academic_year"))
        form = get_form(form_id, year)
    except WorkbookError as error:
        raise ImportRefused(path, [ImportProblem("record!A1", "workbook", error.reason)]) from error
    except (KeyError, ValueError) as error:
        raise ImportRefused(path, [ImportProblem("record!B2", "form", f"not a mentorforms form ({error})")]) from error
    if form_plan.SHEET not in book.sheetnames:
        raise ImportRefused(path, [ImportProblem(form_plan.SHEET, "workbook", "the Form sheet is missing")])
    sheet = book[form_plan.SHEET]
    layout = form_plan.plan(form, _table_rows(sheet, form, path))
    _check_layout(sheet, form, layout, path)
    values, reader = _read_values(sheet, form, layout)
    person = sheet.cell(row=layout.person_slot.row, column=layout.person_slot.column).value
    person_id = machine_sheet.cell_text(person).strip()
    if notices is not None:
        notices.extend(reader.notices)
    return form, values, person_id, reader.problems, layout


def import_workbook(path: Path | str, data_dir: Path | str, *, draft: bool = False, saved_by: str = "",
                    notices: list[ImportProblem] | None = None) -> StoredVersion:
    """Validate a filled workbook and file it in ``data_dir`` as a new version.

    Submitted (or signed, when every signer has signed) unless ``draft``. Raises ImportRefused
    listing every problem as sheet!cell, field, reason; nothing is filed then. Characters that
    cannot be stored are removed and each removal is added to ``notices`` (cell, field, what).
    """
    path = Path(path)
    form, values, person_id, problems, layout = read_filled(path, notices)
    folder = DataFolder(data_dir)
    try:
        year_window.check_year(folder.root, form.academic_year)
    except (year_window.YearOutsideWindow, year_window.YearSettingsInvalid) as error:
        problems.insert(0, ImportProblem(machine_sheet.SHEET, "Academic year", str(error)))
    department = ""
    person_ref = _cell_ref(layout.person_slot)
    if not person_id:
        problems.append(ImportProblem(person_ref, "Roster id", "type your roster id"))
    else:
        try:
            roster = load_roster(folder.roster_path)
        except RosterInvalid as invalid:
            reason = f"the data folder's roster cannot be used ({invalid})"
            problems.append(ImportProblem(person_ref, "Roster id", reason))
        else:
            person = roster.get(person_id)
            if person is None:
                problems.append(ImportProblem(person_ref, "Roster id", f"{person_id!r} is not on the roster"))
            else:
                department = person.department
    try:
        clean = check_draft(form, values) if draft else check_submission(form, values)
    except ValidationFailed as failed:
        clean = {}
        already = {problem.cell for problem in problems}  # a cell that could not be read is reported once
        for problem in failed.problems:
            cell = _problem_cell(layout, form, problem.field_id, problem.row, problem.column, problem.item)
            if cell not in already:
                problems.append(ImportProblem(cell, problem.label, problem.message))
    if problems:
        raise ImportRefused(path, problems)
    status = Status.DRAFT if draft else (Status.SIGNED if is_signed(form, clean) else Status.SUBMITTED)
    now = utc_now()
    record = Record(form.id, form.version, form.academic_year, person_id, department, status, clean,
                    created_at=now, saved_at=now, saved_by=saved_by or f"import:{path.name}")
    return folder.save(record, action="import", detail=f"{status.value}, imported from {path.name}")
