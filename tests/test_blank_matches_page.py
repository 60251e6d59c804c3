"""The blank workbook and the page refuse the same answers, and start from the same answers.

For every built-in form (and one declared here), the data validation Excel applies to each input
cell of a real saved blank (read back with openpyxl: type, bounds, list, text length) is compared
with the server's validation (:mod:`mentorforms.rules.validation`, what the page uses) at the
boundaries the declaration gives: each bound, a step past it, each choice and an unknown one,
the longest text and one character more. A blank made for a person (``--person``) holds the
answers the page prefills from the roster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from mentorforms.forms import catalogue, form_ids, get_form
from mentorforms.records.roster import load_roster
from mentorforms.rules.offline import read_filled, write_blank
from mentorforms.rules.validation import normalise, problems
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import (
    Field,
    Form,
    Kind,
    Party,
    Section,
    Signing,
    check,
    check_note,
    choice,
    choices,
    date,
    hours,
    long_text,
    multi_choice,
    rank,
    short_text,
    signature,
    table,
    whole_number,
)
from mentorforms.vocabulary.prefill import roster_answers
from mentorforms.vocabulary.record import Signature
from mentorforms.vocabulary.rounding import HOURS_DECIMALS
from mentorforms.workbooks.form_sheet import MARK, SHEET, Slot, plan

YEAR = 2025
INLINE_ID = "inline_limits"
ANSWERS = choices(("yes", "Yes"), ("no", "No, not yet"), ("other", "Other, with a comma"))


def _declare_inline(year: AcademicYear) -> Form:
    """A form declared in place, with every kind of bound a declaration gives."""
    return Form(
        id=INLINE_ID, title="Limits", version=1, academic_year=year,
        parties=(Party("subject", "Faculty member", "subject"),),
        signings=(Signing("signed", "subject", "I agree."),),
        sections=(Section("all", "All", (
            short_text("name", "Name", prefill="subject.name", max_length=60),
            short_text("where", "Department", prefill="subject.division_department"),
            long_text("story", "Story", max_length=40),
            hours("hours", "Hours", max_value=30.5),
            whole_number("count", "Count", min_value=2, max_value=9),
            whole_number("floor", "At least", min_value=-3),
            date("when", "When"),
            choice("answer", "Answer", ANSWERS),
            multi_choice("many", "Many", ANSWERS),
            rank("order", "Order", ANSWERS),
            check("ticked", "Ticked"),
            check_note("noted", "Noted"),
            table("rows", "Rows", (
                short_text("who", "Who", prefill="subject.person_id", max_length=8),
                hours("spent", "Spent", max_value=5),
                whole_number("times", "Times", min_value=0, max_value=3),
                choice("state", "State", ANSWERS),
                date("on", "On"),
                check("done", "Done"),
            ), max_rows=2),
            signature("signed", "Signature"),
        )),),
    )


@pytest.fixture
def inline_catalogue() -> Iterator[None]:
    with catalogue().including(INLINE_ID, _declare_inline).active():
        yield


def _all_form_ids() -> list[str]:
    return [*form_ids(), INLINE_ID]


# --------------------------------------------------------------------------- what Excel accepts


def _excel_number(formula: str) -> float:
    if formula == "TODAY()":
        return float(to_excel(dt.date.today()))
    return float(formula)


def _options(validation: DataValidation, book: Workbook) -> list[str]:
    formula = validation.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet_name, cells = formula.split("!")
    low_col, low_row, high_col, high_row = range_boundaries(cells.replace("$", ""))
    sheet = book[sheet_name]
    return [str(sheet.cell(row=row, column=column).value)
            for row in range(low_row, high_row + 1) for column in range(low_col, high_col + 1)]


def excel_accepts(validation: DataValidation | None, typed: Any, book: Workbook) -> bool:
    """Whether Excel lets a person type ``typed`` into a cell with ``validation`` (None: no check)."""
    if validation is None:
        return True
    kind = validation.type
    if kind == "list":
        return str(typed) in _options(validation, book)
    if kind == "textLength":
        measured: float = len(str(typed))
    elif kind == "date":
        if not isinstance(typed, dt.date) or typed < dt.date(1900, 1, 1):
            return False  # Excel holds no earlier date: typed, it is text
        measured = float(to_excel(typed))
    elif kind in ("decimal", "whole"):
        if isinstance(typed, bool) or not isinstance(typed, (int, float)):
            return False
        if kind == "whole" and not float(typed).is_integer():
            return False
        measured = float(typed)
    else:
        raise AssertionError(f"a check this test does not know: {kind}")
    first = _excel_number(validation.formula1)
    operator = validation.operator or "between"
    if operator in ("between", "notBetween"):
        inside = first <= measured <= _excel_number(validation.formula2)
        return inside if operator == "between" else not inside
    compare = {"equal": measured == first, "notEqual": measured != first, "greaterThan": measured > first,
               "lessThan": measured < first, "greaterThanOrEqual": measured >= first,
               "lessThanOrEqual": measured <= first}
    return compare[operator]


def _checks_by_cell(path: Path) -> tuple[Workbook, dict[str, DataValidation]]:
    book = load_workbook(path)
    by_cell: dict[str, DataValidation] = {}
    for validation in book[SHEET].data_validations.dataValidation:
        for cells in validation.sqref.ranges:
            for row in cells.cells:
                by_cell[f"{get_column_letter(row[1])}{row[0]}"] = validation
    return book, by_cell


# --------------------------------------------------------------------------- what the server accepts


@dataclass(frozen=True)
class Probe:
    """One answer typed into one cell: as the workbook holds it and as the page sends it."""

    typed: Any  # in the workbook's cell
    value: Any  # the field's value on the page
    why: str


def _number_probes(item: Field) -> list[Probe]:
    step = 1 if item.kind is Kind.WHOLE_NUMBER or item.kind is Kind.RANK else 10 ** -HOURS_DECIMALS
    low, high = (1, len(item.choices)) if item.kind is Kind.RANK else (item.min_value, item.max_value)
    probes = []
    if low is not None:
        probes += [Probe(low, low, "min"), Probe(low - step, low - step, "min - step")]
    if high is not None:
        probes += [Probe(high, high, "max"), Probe(high + step, high + step, "max + step")]
        if step == 1 and (low is None or high - low >= 1):
            probes.append(Probe(high - 0.5, high - 0.5, "not whole"))
    return probes


def probes_for(item: Field, *, signature_date: bool = False) -> list[Probe]:
    """The boundary answers of one cell of ``item``, from its declaration."""
    today = dt.date.today()
    if signature_date:
        return [Probe(today, today, "today"), Probe(today + dt.timedelta(days=1), today + dt.timedelta(days=1),
                                                  "tomorrow"),
                Probe(dt.date(1900, 1, 1), dt.date(1900, 1, 1), "earliest")]
    kind = item.kind
    if kind in (Kind.HOURS, Kind.WHOLE_NUMBER, Kind.RANK):
        return _number_probes(item)
    if kind is Kind.DATE:
        return [Probe(dt.date(1900, 1, 1), dt.date(1900, 1, 1), "earliest"),
                Probe(dt.date(2199, 12, 31), dt.date(2199, 12, 31), "latest"),
                Probe(dt.date(1899, 12, 31), dt.date(1899, 12, 31), "before the earliest"),
                Probe(dt.date(2200, 1, 1), dt.date(2200, 1, 1), "after the latest")]
    if kind is Kind.CHOICE:
        return [*(Probe(option.label, option.id, f"choice {option.id}") for option in item.choices),
                Probe("Not one of them", "not_one_of_them", "unknown choice")]
    if kind in (Kind.CHECK, Kind.MULTI_CHOICE):
        return [Probe(MARK, True, "ticked")]
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT) and item.max_length:
        return [Probe("x" * item.max_length, "x" * item.max_length, "max length"),
                Probe("x" * (item.max_length + 1), "x" * (item.max_length + 1), "max length + 1")]
    return [Probe("some text", "some text", "text")] if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT) else []


def _page_values(form: Form, slot: Slot, probe: Probe, signature_date: bool) -> dict[str, Any]:
    item = form.field(slot.field_id)
    if item.kind is Kind.TABLE:
        column = item.column(str(slot.part))
        return {item.id: ({other.id: (probe.value if other.id == column.id else None) for other in item.columns},)}
    if item.kind is Kind.RANK:
        return {item.id: {slot.part: probe.value}}
    if item.kind is Kind.MULTI_CHOICE:
        return {item.id: (slot.part,)}
    if signature_date:
        return {item.id: Signature("A Name", probe.value)}
    return {item.id: probe.value}


def server_accepts(form: Form, slot: Slot, probe: Probe, signature_date: bool) -> bool:
    """Whether the page's validation accepts the answer (as a draft: bounds, not completeness)."""
    found = problems(form, _page_values(form, slot, probe, signature_date), submitting=False)
    return not [problem for problem in found if problem.field_id == slot.field_id]


def _cells_to_probe(form: Form) -> Iterator[tuple[Slot, Field, bool]]:
    """Each input cell's slot, the declaration bounding it, and whether it is a signature's date
    (first row of each table, first option of each rank; every other cell shares their check)."""
    table_rows = {item.id: item.max_rows for item in form.fields() if item.kind is Kind.TABLE}
    for slot in plan(form, table_rows).slots:
        item = form.field(slot.field_id)
        if item.kind is Kind.TABLE:
            if slot.table_row == 1:
                yield slot, item.column(str(slot.part)), False
        elif item.kind is Kind.RANK:
            if slot.part == item.choices[0].id:
                yield slot, item, False
        elif item.kind is Kind.SIGNATURE:
            if slot.part == "date":
                yield slot, item, True
        elif item.kind is not Kind.CHECK_NOTE:
            yield slot, item, False


@pytest.mark.usefixtures("inline_catalogue")
@pytest.mark.parametrize("form_id", _all_form_ids())
def test_the_blank_refuses_exactly_what_the_page_refuses(form_id: str, tmp_path: Path) -> None:
    form = get_form(form_id, YEAR)
    book, checks = _checks_by_cell(write_blank(form_id, YEAR, tmp_path / "blank.xlsx"))
    differences = []
    probed = 0
    for slot, bounded, signature_date in _cells_to_probe(form):
        for probe in probes_for(bounded, signature_date=signature_date):
            probed += 1
            in_excel = excel_accepts(checks.get(slot.address), probe.typed, book)
            on_page = server_accepts(form, slot, probe, signature_date)
            if in_excel != on_page:
                differences.append(f"{slot.field_id}{'.' + slot.part if slot.part else ''} ({slot.address}), "
                                   f"{probe.why} {probe.typed!r}: blank {'accepts' if in_excel else 'refuses'}, "
                                   f"page {'accepts' if on_page else 'refuses'}")
    assert probed
    assert differences == []


def test_the_inline_form_probes_every_kind_of_bound() -> None:
    """The inline declaration exercises numbers, dates, choices and text lengths, in and out of tables."""
    form = _declare_inline(AcademicYear(YEAR))
    whys = {probe.why for _, item, signed in _cells_to_probe(form) for probe in probes_for(item, signature_date=signed)}
    assert {"min - step", "max + step", "not whole", "after the latest", "unknown choice", "max length + 1",
            "tomorrow"} <= whys


# --------------------------------------------------------------------------- prefilled answers


@pytest.fixture
def person(demo_dir: Path):
    return next(person for person in load_roster(demo_dir / "roster.xlsx") if person.has_role("faculty"))


@pytest.mark.usefixtures("inline_catalogue")
@pytest.mark.parametrize("form_id", _all_form_ids())
def test_a_blank_for_a_person_holds_what_the_page_prefills(form_id: str, demo_dir: Path, tmp_path: Path,
                                                           person) -> None:
    form = get_form(form_id, YEAR)
    out = write_blank(form_id, YEAR, tmp_path / "blank.xlsx", person_id=person.person_id, data_dir=demo_dir)
    _, typed, person_id, cell_problems, _ = read_filled(out)
    assert person_id == person.person_id and cell_problems == []
    assert normalise(form, typed) == normalise(form, roster_answers(form, person, person))


@pytest.mark.usefixtures("inline_catalogue")
def test_a_blank_for_a_person_shows_their_name_where_the_form_asks_for_it(demo_dir: Path, tmp_path: Path,
                                                                          person) -> None:
    out = write_blank("conference_part1", YEAR, tmp_path / "part1.xlsx", person_id=person.person_id,
                      data_dir=demo_dir)
    _, typed, _, _, _ = read_filled(out)
    assert typed["faculty_name"] == person.name
    assert typed["department"] and person.department in typed["department"]
    out = write_blank(INLINE_ID, YEAR, tmp_path / "inline.xlsx", person_id=person.person_id, data_dir=demo_dir)
    _, typed, _, _, _ = read_filled(out)
    assert typed["name"] == person.name
    assert typed["rows"][0]["who"] == person.person_id
