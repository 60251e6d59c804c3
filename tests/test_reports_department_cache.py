"""Department summaries kept in the index: the same numbers as computed afresh, reused while
nothing they were built from changed, and rebuilt for the one department that did."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from mentorforms.records.store import DataFolder
from mentorforms.reports import department_cache
from mentorforms.reports.department_cache import decode, encode, summary_of
from mentorforms.reports.index import Index
from mentorforms.reports.summary import summarise
from mentorforms.reports.tables import build_tables
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.workbooks.workbook import read_record

AS_OF = dt.date(2026, 11, 22)


@pytest.fixture
def demo(demo_master: Path, tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(demo_master, root)
    return root


def _year(index: Index) -> AcademicYear:
    return AcademicYear(max(index.years()))


def _same(a: pd.DataFrame, b: pd.DataFrame, *, order: bool = True) -> None:
    if not order:
        a, b = a.sort_index(), b.sort_index()
        a, b = a[sorted(a.columns)], b[sorted(b.columns)]
    pd.testing.assert_frame_equal(a, b, check_index_type=False, check_column_type=False)


def test_a_stored_summary_reads_back_equal(demo: Path) -> None:
    with Index(demo) as index:
        roster = index.roster()
        index.refresh()
        year = _year(index)
        department = roster.departments[0]
        tables = build_tables(index, roster, years=[year], departments=[department], as_of=AS_OF, detail=False)
        summary = summarise(tables, year, department=department)
    back = decode(encode(summary))
    for field in ("conferences", "completion", "completion_by_division", "hours_by_category",
                  "hours_by_category_people", "hours_by_division", "goal_status", "goal_status_people",
                  "mentoring", "revisit", "outlook", "support", "missing_late"):
        _same(getattr(back, field), getattr(summary, field))
    assert (back.faculty, back.drafts, back.year, back.department) == (
        summary.faculty, summary.drafts, summary.year, summary.department)


def test_departments_added_up_give_the_numbers_of_the_whole(demo: Path) -> None:
    with Index(demo) as index:
        roster = index.roster()
        index.refresh()
        year = _year(index)
        departments = list(roster.departments)
        whole = summarise(build_tables(index, roster, years=[year], as_of=AS_OF, detail=False), year)
        added = summary_of(index, roster, year, departments, AS_OF)
    assert added.faculty == whole.faculty and added.drafts == whole.drafts
    assert added.with_mentor == whole.with_mentor
    for field in ("completion", "completion_by_division", "hours_by_category", "hours_by_category_people",
                  "hours_by_division", "hours_by_division_people", "goal_status", "goal_status_people",
                  "outlook", "support"):
        _same(getattr(added, field), getattr(whole, field), order=False)
    for field in ("conferences", "mentoring", "revisit", "missing_late"):
        assert sorted(getattr(added, field)["person_id"]) == sorted(getattr(whole, field)["person_id"]), field


def test_one_new_version_rebuilds_only_its_department(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    real = department_cache.summarise
    monkeypatch.setattr(department_cache, "summarise",
                        lambda tables, year, department: built.append(department) or real(tables, year,
                                                                                           department=department))
    with Index(demo) as index:
        roster = index.roster()
        index.refresh()
        year = _year(index)
        departments = list(roster.departments)
        first = summary_of(index, roster, year, departments, AS_OF)
        assert sorted(built) == sorted(departments)
        built.clear()
        summary_of(index, roster, year, departments, AS_OF)
        assert built == [], "nothing changed: every summary comes from the index"

        # One person saves a new Part I with one more hour.
        folder = DataFolder(demo)
        part1 = next(path for path in folder.iter_workbooks() if "conference_part1" in path.as_posix()
                     and read_record(path).academic_year.start == year.start
                     and read_record(path).status.value != "draft")
        record = read_record(part1)
        person = roster.get(record.person_id)
        folder.save(record.with_values({**record.values,
                                        "hours_courses": float(record.values.get("hours_courses") or 0) + 1}))
        index.refresh(thorough=False)
        after = summary_of(index, roster, year, departments, AS_OF)
    assert built == [person.department]
    assert after.hours_by_category.sum().iloc[0] == pytest.approx(first.hours_by_category.sum().iloc[0] + 1)


def test_a_stored_summary_survives_a_fresh_index_object(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Index(demo) as index:
        roster = index.roster()
        index.refresh()
        year = _year(index)
        summary_of(index, roster, year, list(roster.departments), AS_OF)
    monkeypatch.setattr(department_cache, "summarise", lambda *args, **kwargs: pytest.fail("rebuilt"))
    with Index(demo) as index:  # as a new dashboard opens
        roster = index.roster()
        index.refresh(thorough=False)
        summary_of(index, roster, year, list(roster.departments), AS_OF)
