"""Text a workbook cannot hold: cleaned with a word about what was removed, refused by the writer
(naming the field) rather than saved into a file that would not reopen."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from mentorforms.errors import UnsafeTextError
from mentorforms.forms import get_form
from mentorforms.records.store import DataFolder
from mentorforms.rules.validation import check_draft
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks.safe_cell import clean, unstorable
from mentorforms.workbooks.workbook import read_record

YEAR = AcademicYear(2025)


def test_clean_says_what_it_removed() -> None:
    assert clean("a goal\ufffe").notice == "removed 1 character Excel cannot store (U+FFFE)"
    both = clean("nul\x00 and esc\x1b and \uffff")
    assert both.text == "nul and esc and "
    assert both.notice == "removed 3 characters Excel cannot store (U+0000, U+001B, U+FFFF)"
    assert clean("tab\tnew\nline\r\nend").text == "tab\tnew\nline\nend"
    assert clean("plain").notice is None and clean("\U0001fffe\ufdd0").removed == ("U+1FFFE", "U+FDD0")


def test_unstorable_lists_every_reason() -> None:
    assert unstorable("fine text, an emoji \U0001f600") == []
    assert unstorable("x" * 40_000 + "\ufffe\ud83d") == [
        "is 40,002 characters long; a spreadsheet cell holds at most 32,767",
        "contains 1 character Excel cannot store (U+FFFE)",
        "contains a broken character (half of an emoji or symbol); please retype it",
    ]


def _draft(values: dict) -> Record:
    form = get_form("conference_part1", YEAR)
    return Record(form.id, form.version, YEAR, "F1", "Pediatrics", Status.DRAFT, values)


@pytest.mark.parametrize("text", ["goal\ufffe", "goal\uffff", "goal\x00", "x" * 40_000, "half \ud83d"])
def test_the_writer_refuses_text_a_workbook_cannot_hold_naming_the_field(data_dir: Path, text: str) -> None:
    folder = DataFolder(data_dir)
    with pytest.raises(UnsafeTextError) as refused:
        folder.save(_draft({"challenges": text}))
    assert refused.value.field_id == "challenges"
    assert "2. What challenges did you have?" in str(refused.value)
    assert list(folder.iter_workbooks()) == [] and list(folder.temporaries()) == []


def test_a_goal_with_u_fffe_is_saved_without_it_and_the_file_reopens(data_dir: Path) -> None:
    form = get_form("conference_part1", YEAR)
    values = check_draft(form, {"challenges": "finish\ufffe the K23\x1b"})
    assert values == {"challenges": "finish the K23"}
    stored = DataFolder(data_dir).save(_draft(values))
    load_workbook(stored.path)  # openpyxl refuses a file holding U+FFFE: this one opens
    assert read_record(stored.path).values["challenges"] == "finish the K23"


def test_import_says_which_characters_it_removed(demo_dir: Path, tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    import hostile_corpus

    from mentorforms.rules.offline import import_workbook

    folder = DataFolder(demo_dir)
    stored, record = hostile_corpus.good_record(folder)
    book = load_workbook(stored.path)
    sheet = book["Form"]
    cell = next(cell for row in sheet.iter_rows() for cell in row if cell.value == hostile_corpus.MARK)
    cell.value = "bell_x0007_ here"  # how Excel writes a BEL (openpyxl refuses the character itself)
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    notices: list = []
    new = import_workbook(filled, demo_dir, notices=notices)
    assert read_record(new.path).values["challenges"] == "bell here"
    assert [str(notice) for notice in notices] == [
        f"Form!{cell.coordinate}, 2. What challenges did you have?: removed 1 character Excel cannot store (U+0007)"]
    assert read_record(new.path).person_id == record.person_id


def test_text_that_looks_like_an_excel_escape_reads_back_as_typed(data_dir: Path) -> None:
    typed = "see _x0007_ and _x0041_ and _x005F_ literally"
    stored = DataFolder(data_dir).save(_draft({"challenges": typed}))
    assert read_record(stored.path).values["challenges"] == typed
