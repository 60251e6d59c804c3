"""One rounding rule for hours (halves up, to the hundredth the form declares), the same in what is
stored, what the dashboard and the printable report show and what the export writes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from openpyxl import load_workbook
from reports_known import AS_OF, PEOPLE, YEAR, _save, hours, part1

from mentorforms.records.roster import load_roster, write_roster
from mentorforms.records.store import DataFolder
from mentorforms.reports.export import write_export
from mentorforms.reports.html import render_report
from mentorforms.reports.index import Index
from mentorforms.reports.tables import build_tables
from mentorforms.vocabulary.record import Status
from mentorforms.workbooks.workbook import read_record


def _folder_with_hours(root: Path) -> DataFolder:
    """Three faculty of one department: courses 0.125, 0.135 and 0 hours; residents 11.25, 50.25
    and 173.25 (234.75 in all)."""
    folder = DataFolder(root)
    write_roster(PEOPLE, folder.roster_path)
    for person_id, courses, residents in (("P1", 0.125, 11.25), ("P2", 0.135, 50.25), ("P3", 0.0, 173.25)):
        _save(folder, "conference_part1", YEAR, person_id,
              part1(person_id, hours(courses, residents, 0, 0, 0, 0, 0, 0), dt.date(2026, 1, 10)),
              Status.SIGNED, dt.date(2026, 1, 10))
    return folder


def test_halves_round_up_when_stored_shown_and_exported(tmp_path: Path) -> None:
    folder = _folder_with_hours(tmp_path / "data")
    stored = {person_id: read_record(folder.latest_version("conference_part1", YEAR, person_id).path)
              for person_id in ("P1", "P2", "P3")}
    assert stored["P1"].values["hours_courses"] == 0.13  # round(0.125, 2) would keep 0.12
    assert stored["P2"].values["hours_courses"] == 0.14
    assert sum(record.values["hours_residents"] for record in stored.values()) == 234.75

    with Index(folder.root) as index:
        index.refresh()
        tables = build_tables(index, load_roster(folder.roster_path), as_of=AS_OF)
    book = load_workbook(write_export(tmp_path / "report.xlsx", tables, YEAR))
    sheet = book["Pediatrics"]
    ref = next(ref for name, ref in sheet.tables.items() if name.startswith("HoursByCategory"))
    cells = {row[0].value: row[1] for row in sheet[ref][1:]}
    residents = next(cell for label, cell in cells.items() if "resident" in str(label).lower())
    courses = next(cell for label, cell in cells.items() if "course" in str(label).lower())
    assert residents.value == 234.75 and courses.value == 0.27  # 0.13 + 0.14: the people's sum
    assert residents.number_format == "#,##0.0#"  # Excel shows 234.75, not 234.8

    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_report(tables, YEAR, departments=["Pediatrics"])))
    assert "234.75" in page and "234.8" not in page
