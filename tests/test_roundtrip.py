"""A workbook reads back as exactly the record that was written, for every form and any answers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from mentorforms.forms import FORM_IDS, get_form
from mentorforms.rules.validation import check_draft
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks.workbook import read_record, workbook_bytes
from tests.strategies import values

YEAR = AcademicYear(2025)
_MOMENTS = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                        timezones=st.just(dt.UTC))


@pytest.mark.parametrize("form_id", FORM_IDS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_record_reads_back_exactly(form_id: str, data: st.DataObject) -> None:
    form = get_form(form_id, YEAR)
    answers = data.draw(values(form))
    assert check_draft(form, answers) == answers, "the strategy draws canonical values"
    record = Record(
        form_id=form.id, form_version=form.version, academic_year=YEAR,
        person_id=data.draw(st.sampled_from(["F00001", "=P1", "p/../../etc", "李小龙-01", "👩🏽‍⚕️"])),
        department=data.draw(st.sampled_from(["Pediatrics", "Surgery & Anesthesia", "=Dept", "قسم الأطفال"])),
        status=data.draw(st.sampled_from(list(Status))),
        values=answers,
        created_at=data.draw(_MOMENTS),
        saved_at=data.draw(_MOMENTS),
        saved_by=data.draw(st.sampled_from(["", "F00001", "import:file.xlsx", "+chair"])),
    )
    assert read_record(workbook_bytes(record, form)) == record


def test_text_that_looks_like_a_formula_is_stored_as_text_everywhere() -> None:
    form = get_form("conference_part1", YEAR)
    typed = '=HYPERLINK("http://evil.example","click")'
    answers = check_draft(form, {
        "faculty_name": typed, "department": "+1", "challenges": "-2+3",
        "past_goals": [{"goal": "@SUM(A1)", "met": True}], "mentors": [{"name": "=1+1", "institution": "=A1"}],
    })
    record = Record(form.id, form.version, YEAR, "=P1", "=Dept", Status.SUBMITTED, answers, saved_by="=me")
    content = workbook_bytes(record, form)
    book = load_workbook(__import__("io").BytesIO(content))
    formulas = [f"{sheet.title}!{cell.coordinate}" for sheet in book.worksheets for row in sheet.iter_rows()
                for cell in row if cell.data_type == "f"]
    assert formulas == []
    texts = {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    assert typed in texts and "@SUM(A1)" in texts and "=1+1" in texts
    back = read_record(content)
    assert back.values["faculty_name"] == typed and back.person_id == "=P1"


def test_long_text_up_to_the_cell_limit_reads_back_whole() -> None:
    form = get_form("agreement", YEAR)
    longest = ("Expectations, written at length. " * 1100)[:32_767]
    answers = check_draft(form, {"outcomes": longest, "goals": [{"goal": "é" * 30_000}]})
    record = Record(form.id, form.version, YEAR, "F1", "Pediatrics", values=answers)
    assert read_record(workbook_bytes(record, form)) == record


def test_empty_record_reads_back_for_every_form() -> None:
    for form_id in FORM_IDS:
        form = get_form(form_id, YEAR)
        record = Record(form.id, form.version, YEAR, "F1", "Pediatrics")
        assert read_record(workbook_bytes(record, form)) == record
