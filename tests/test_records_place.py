"""A workbook counts only in its place: at a name the app writes, holding the record that name
belongs to. Copies, strays and swapped files are named by ``check``, listed among a report's
problems, and shown to nobody as data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ui_answers import newest_year

from mentorforms.commands.check import check_folder
from mentorforms.commands.cli import main
from mentorforms.errors import WorkbookError
from mentorforms.records.store import DataFolder, MisplacedWorkbook
from mentorforms.reports.index import Index
from mentorforms.ui.context import PageRequest, open_session
from mentorforms.ui.form_open import open_form_page
from mentorforms.ui.form_page import FormPage
from mentorforms.vocabulary.record import Status
from mentorforms.workbooks.workbook import read_record, workbook_bytes


def _official_part2(root: Path) -> tuple[Path, object]:
    """A signed or submitted Part II that is its person's latest, and its record."""
    folder = DataFolder(root)
    for path in folder.iter_workbooks():
        if path.parts[-2] != "conference_part2":
            continue
        record = read_record(path)
        latest = folder.latest_version("conference_part2", record.academic_year, record.person_id)
        if record.status is not Status.DRAFT and latest is not None and latest.path == path \
                and record.values.get("promotion_outlook"):
            return path, record
    raise AssertionError("the demo has no filed Part II")


def _other_outlook(record) -> str:
    return "not_anticipated" if record.values["promotion_outlook"] != "not_anticipated" else "anticipated"


def _promotion_counted(root: Path, person_id: str, year_start: int) -> list[tuple[str, str]]:
    with Index(root) as index:
        index.refresh()
        return index.query(
            "SELECT files.path, f_promotion.outlook FROM files JOIN f_promotion ON f_promotion.file_id = files.id "
            "WHERE files.person_id = ? AND files.year = ? AND files.is_official = 1", (person_id, year_start))


def test_a_copy_at_a_stray_name_is_no_ones_part2_and_check_and_the_report_name_it(demo_dir: Path) -> None:
    path, record = _official_part2(demo_dir)
    changed = record.with_values({**record.values, "promotion_outlook": _other_outlook(record),
                                  "no_promotion_reason": "Changed in a copy", "faculty_signature": None,
                                  "chair_signature": None})
    stray = demo_dir / "records" / record.academic_year.label / "notes" / "old copy.xlsx"
    stray.parent.mkdir()
    stray.write_bytes(workbook_bytes(changed))
    assert read_record(stray).values["promotion_outlook"] == _other_outlook(record)  # a valid, readable workbook

    counted = _promotion_counted(demo_dir, record.person_id, record.academic_year.start)
    assert counted == [(path.relative_to(demo_dir / "records").as_posix(), record.values["promotion_outlook"])]
    with Index(demo_dir) as index:
        problems = {str(problem.path): problem.reason for problem in index.problems()}
    assert "is not at a name the app writes" in problems[str(stray)]

    found, _ = check_folder(demo_dir)
    assert any(problem.path == stray and "not at a name the app writes" in problem.reason and not problem.note
               for problem in found), [str(problem) for problem in found]
    assert main(["check", str(demo_dir)]) == 1


def test_a_readable_copy_at_a_stray_name_in_a_year_folder_never_becomes_anyones_latest(demo_dir: Path) -> None:
    folder = DataFolder(demo_dir)
    year = newest_year(demo_dir)
    path = next(path for path in folder.iter_workbooks()
                if path.parts[-2] == "conference_part1" and path.parts[-5] == year.label)
    record = read_record(path)
    real = folder.latest_version("conference_part1", year, record.person_id)
    copy = demo_dir / "records" / year.label / "part1 copy.xlsx"  # written last: the newest file of all
    copy.write_bytes(workbook_bytes(record.with_values({**record.values, "challenges": "Only in the copy"})))
    assert folder.latest("conference_part1", year, record.person_id).values.get("challenges") != "Only in the copy"
    with Index(demo_dir) as index:
        index.refresh()
        latest = index.query("SELECT path FROM files WHERE person_id = ? AND form_id = 'conference_part1' "
                             "AND year = ? AND is_latest = 1", (record.person_id, year.start))
        assert latest == [(real.path.relative_to(demo_dir / "records").as_posix(),)]
        assert copy in {problem.path for problem in index.problems()}


def test_two_peoples_first_versions_swapped_are_shown_to_nobody_and_never_filed_as_the_other(
        demo_dir: Path) -> None:
    year = newest_year(demo_dir)
    folder = DataFolder(demo_dir)
    firsts = [path for path in folder.iter_workbooks()
              if path.parts[-2] == "conference_part1" and path.parts[-5] == year.label and path.name == "v0001.xlsx"
              and len(list(path.parent.iterdir())) == 1]
    first, second = firsts[:2]
    one, other = read_record(first), read_record(second)
    assert one.person_id != other.person_id
    swap = first.with_name("swap.tmp")
    first.rename(swap)
    second.rename(first)
    swap.rename(second)

    with pytest.raises(MisplacedWorkbook, match=f"says it is conference_part1 of {other.person_id}"):
        folder.latest("conference_part1", year, one.person_id)
    record, stored, unreadable = folder.latest_readable("conference_part1", year, one.person_id)
    assert (record, stored) == (None, None) and isinstance(unreadable[0], MisplacedWorkbook)
    # The first person's page does not open on the second person's answers, so it cannot file them.
    session = open_session({"MENTORFORMS_DATA": str(demo_dir), "MENTORFORMS_AS": one.person_id}, PageRequest())
    with pytest.raises(WorkbookError):
        page = open_form_page(session, PageRequest(form_id="conference_part1", year=year.label))
        assert not isinstance(page, FormPage)
    assert [path.name for path in first.parent.iterdir()] == ["v0001.xlsx"]

    found, _ = check_folder(demo_dir)
    named = {problem.path for problem in found if "says it is conference_part1" in problem.reason}
    assert named == {first, second}
    with Index(demo_dir) as index:
        index.refresh()
        counted = index.query("SELECT count(*) FROM files WHERE person_id IN (?, ?) AND form_id = 'conference_part1' "
                              "AND year = ? AND is_latest = 1", (one.person_id, other.person_id, year.start))
        assert counted == [(0,)]
        assert {problem.path for problem in index.problems()} >= {first, second}


def test_a_version_copied_over_a_later_number_is_named_and_the_page_shows_the_version_before(
        demo_dir: Path) -> None:
    folder = DataFolder(demo_dir)
    year = newest_year(demo_dir)
    path = next(path for path in folder.iter_workbooks()
                if path.parts[-2] == "conference_part1" and path.parts[-5] == year.label)
    record = read_record(path)
    versions = folder.versions("conference_part1", year, record.person_id)
    newest = versions[-1]
    copied = newest.path.with_name(f"v{newest.version + 1:04d}.xlsx")
    shutil.copyfile(versions[0].path, copied)  # version 1's bytes under the next number
    shown, stored, unreadable = folder.latest_readable("conference_part1", year, record.person_id)
    assert stored.version == newest.version and "version 1" in unreadable[0].reason
    found, _ = check_folder(demo_dir)
    assert any(problem.path == copied and "version 1 but lies at" in problem.reason for problem in found)
