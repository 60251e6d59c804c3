"""A blank workbook filled in Excel (here: openpyxl) and imported is filed exactly; bad cells are named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mentorforms.commands.cli import main
from mentorforms.forms import get_form
from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.rules.offline import ImportRefused, import_workbook, write_blank
from mentorforms.vocabulary.record import Signature, Status
from mentorforms.workbooks.form_sheet import plan
from mentorforms.workbooks.workbook import read_record


def _slots(form_id: str, year: int, rows: int | None = None):
    form = get_form(form_id, year)
    layout = plan(form, {item.id: item.max_rows for item in form.fields() if item.columns})
    return lambda field_id, part=None, row=None: next(
        slot.address for slot in layout.slots_for(field_id)
        if (part is None or slot.part == part) and (row is None or slot.table_row == row))


@pytest.fixture
def faculty_id(demo_dir: Path) -> str:
    return next(person.person_id for person in load_roster(demo_dir / "roster.xlsx") if person.has_role("faculty"))


def _fill_part1(path: Path, person_id: str, overrides: dict | None = None) -> None:
    at = _slots("conference_part1", 2025)
    book = load_workbook(path)
    sheet = book["Form"]
    answers = {
        at("faculty_name"): "=HYPERLINK(\"http://evil.example\")", at("department"): "Cardiology / Pediatrics",
        at("accomplishments", "grants"): "X", at("accomplishments", "honors"): "x",
        at("area_of_excellence"): "Teaching and Educational Leadership", at("promotion_criteria"): "Somewhat",
        at("goal_teaching"): "Lead the fellows' course", at("past_goals", "goal", 1): "Write the K23",
        at("past_goals", "met", 1): "X", at("faculty_signature", "name"): "Ana Abbott",
        at("faculty_signature", "date"): dt.datetime(2026, 1, 15),
    }
    for rank, activity in enumerate(("research", "teaching", "patient_care", "administration", "other"), start=1):
        answers[at("work_time", activity)] = rank
    for number, item in enumerate(f for f in get_form("conference_part1", 2025).fields() if f.group == "teaching_hours"):
        answers[at(item.id)] = number * 1.5
    answers.update({at(*key) if isinstance(key, tuple) else at(key): value for key, value in (overrides or {}).items()})
    for address, value in answers.items():
        sheet[address] = value
        if isinstance(value, str) and value.startswith("="):
            sheet[address].data_type = "s"  # typed as text, as Excel does with a leading apostrophe
    sheet[plan(get_form("conference_part1", 2025), {}).person_slot.address] = person_id
    book.save(path)


def test_blank_filled_and_imported_is_filed_exactly(demo_dir: Path, tmp_path: Path, faculty_id: str) -> None:
    blank = tmp_path / "part1.xlsx"
    assert main(["blank", "conference_part1", "--out", str(blank), "--year", "2025-2026"]) == 0
    _fill_part1(blank, faculty_id)
    assert main(["import", str(blank), str(demo_dir)]) == 0
    record = DataFolder(demo_dir).latest("conference_part1", 2025, faculty_id)
    assert record.status is Status.SIGNED
    assert record.values["faculty_name"] == "=HYPERLINK(\"http://evil.example\")"
    assert record.values["accomplishments"] == ("honors", "grants")
    assert record.values["work_time"] == {"patient_care": 3, "teaching": 2, "research": 1, "administration": 4,
                                          "other": 5}
    assert record.values["hours_residents"] == 1.5 and record.values["hours_courses"] == 0.0
    assert record.values["past_goals"] == ({"goal": "Write the K23", "met": True},)
    assert record.values["area_of_excellence"] == "teaching"
    assert record.values["faculty_signature"] == Signature("Ana Abbott", dt.date(2026, 1, 15))


def test_a_bad_cell_is_named_with_sheet_cell_field_and_reason_and_nothing_is_filed(
        demo_dir: Path, tmp_path: Path, faculty_id: str, capsys) -> None:
    at = _slots("conference_part1", 2025)
    blank = write_blank("conference_part1", 2025, tmp_path / "part1.xlsx")
    _fill_part1(blank, faculty_id, {"hours_courses": -3, "area_of_excellence": "Astrology",
                                    ("work_time", "teaching"): 1})
    before = sorted(DataFolder(demo_dir).iter_workbooks())
    assert main(["import", str(blank), str(demo_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"Form!{at('hours_courses')}, Teaching students in courses: Hours cannot be negative." in lines
    assert any(line.startswith(f"Form!{at('area_of_excellence')}, 3. Which Area of Excellence") and "'Astrology'" in line
               for line in lines)
    assert any(line.startswith(f"Form!{at('work_time', 'research')}, 1a.") and "only once" in line for line in lines)
    assert sorted(DataFolder(demo_dir).iter_workbooks()) == before


def test_a_formula_typed_into_a_cell_is_refused(demo_dir: Path, tmp_path: Path, faculty_id: str) -> None:
    at = _slots("conference_part1", 2025)
    blank = write_blank("conference_part1", 2025, tmp_path / "part1.xlsx")
    _fill_part1(blank, faculty_id)
    book = load_workbook(blank)
    book["Form"][at("hours_mentoring")] = "=SUM(B1:B2)"
    book.save(blank)
    with pytest.raises(ImportRefused) as refused:
        import_workbook(blank, demo_dir)
    assert [str(problem) for problem in refused.value.problems] == [
        f"Form!{at('hours_mentoring')}, Mentoring trainees and peers: formulas are not accepted; type the answer itself"]


def test_moved_rows_are_refused_rather_than_misread(demo_dir: Path, tmp_path: Path, faculty_id: str) -> None:
    blank = write_blank("network_map", 2025, tmp_path / "map.xlsx")
    book = load_workbook(blank)
    book["Form"].insert_rows(9, 2)
    book.save(blank)
    with pytest.raises(ImportRefused) as refused:
        import_workbook(blank, demo_dir)
    assert "rows were moved" in str(refused.value)


def test_a_blank_for_a_person_names_them_and_the_year(demo_dir: Path, tmp_path: Path, faculty_id: str) -> None:
    out = write_blank("agreement", 2026, tmp_path / "agreement.xlsx", person_id=faculty_id, data_dir=demo_dir)
    person = load_roster(demo_dir / "roster.xlsx").get(faculty_id)
    sheet = load_workbook(out)["Form"]
    shown = {cell.value for row in sheet.iter_rows(max_row=6) for cell in row}
    assert {faculty_id, person.name, person.department, "Academic year 2026-2027"} <= shown
    assert sheet.protection.sheet
    record = read_record(out)
    # The answers the page takes from the roster are filled in (issue 21: the blank starts as the page does).
    assert record.person_id == faculty_id and record.values == {"mentee": person.name, "department": person.department}


def test_blank_dropdowns_offer_the_declared_choices(tmp_path: Path) -> None:
    out = write_blank("conference_part2", 2025, tmp_path / "part2.xlsx")
    book = load_workbook(out)
    sheet = book["Form"]
    lists = book["lists"]
    formulas = [validation.formula1 for validation in sheet.data_validations.dataValidation]
    list_ranges = [formula for formula in formulas if formula and formula.startswith("lists!")]
    assert list_ranges
    options = {cell.value for row in lists.iter_rows() for cell in row if cell.value}
    assert "Promotion anticipated over the course of the new term." in options
    at = _slots("conference_part2", 2025)
    assert sheet[at("discussion_summary")].protection.locked is False
    assert sheet["A1"].protection.locked is True


_BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
         + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 2 else "") + ";") * 10}">' for n in range(2, 10))
         + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
           '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')


def test_an_xml_bomb_in_the_form_sheet_is_refused_without_expanding(demo_dir: Path, tmp_path: Path) -> None:
    import zipfile

    blank = write_blank("network_map", 2025, tmp_path / "map.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(bomb, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            copy.writestr(item, _BOMB.encode() if item.filename == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(ImportRefused) as refused:
        import_workbook(bomb, demo_dir)
    assert "cannot be opened" in str(refused.value)
