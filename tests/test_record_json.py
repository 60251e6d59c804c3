"""The answers the index keeps for the mentoring-year reports read back exactly, and those reports
take their records from the index, opening no workbook."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ui_answers import newest_year

from mentorforms.forms import FORM_IDS, get_form
from mentorforms.reports import record_json
from mentorforms.reports import year as year_report
from mentorforms.reports.facts import forms_by_role
from mentorforms.reports.index import Index
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.workbooks import workbook
from tests.strategies import values

YEAR = AcademicYear(2025)


@pytest.mark.parametrize("form_id", FORM_IDS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_answers_read_back_exactly(form_id: str, data: st.DataObject) -> None:
    form = get_form(form_id, YEAR)
    answers = data.draw(values(form))
    assert record_json.loads(form, record_json.dumps(form, answers)) == answers


def test_the_year_reports_take_their_records_from_the_index_not_the_workbooks(demo_dir, monkeypatch):
    year = newest_year(demo_dir)
    wanted = {form_id for ids in forms_by_role(year).values() for form_id in ids}
    with Index(demo_dir) as index:
        index.refresh()
        on_disk = {}
        for form_id, person_id, instance, path in index.query(
                "SELECT form_id, person_id, instance, path FROM files WHERE is_latest = 1 AND year = ?", [year.start]):
            if form_id in wanted:
                on_disk[(form_id, person_id, instance)] = workbook.read_record(index.records_root / path)
        assert {key[0] for key in on_disk} == wanted, "the demo has every kind of mentoring-year record"

        def no_workbook(*args, **kwargs):
            raise AssertionError("a workbook was opened")

        monkeypatch.setattr(workbook, "checked_content", no_workbook)
        found = year_report.year_records(index, year)
    assert len(found.records) == len(on_disk) and not found.problems

    def seen(record):
        return (record.form_id, record.person_id, record.status, record.saved_by, record.saved_at,
                repr(sorted(record.values.items())))

    assert sorted(map(seen, found.records)) == sorted(map(seen, on_disk.values()))


def test_a_damaged_row_of_the_index_is_named_and_skipped_not_trusted(demo_dir):
    year = newest_year(demo_dir)
    with Index(demo_dir) as index:
        index.refresh()
        before = year_report.year_records(index, year)
        file_id, path = index.query("SELECT f.id, f.path FROM f_record r JOIN files f ON f.id = r.file_id "
                                    "WHERE f.is_latest = 1 AND f.year = ? LIMIT 1", [year.start])[0]
        index.connection().execute("UPDATE f_record SET body = ? WHERE file_id = ?", ('{"meeting_date": 7', file_id))
        after = year_report.year_records(index, year)
    assert len(after.records) == len(before.records) - 1
    assert [(problem_path.endswith(path), "damaged" in reason) for problem_path, reason in after.problems] == [(True, True)]


def test_the_network_reports_take_the_maps_from_the_index(demo_dir, monkeypatch):
    from mentorforms.records.roster import load_roster
    from mentorforms.reports.tables import network_records

    year = newest_year(demo_dir)
    roster = load_roster(demo_dir / "roster.xlsx")
    with Index(demo_dir) as index:
        index.refresh()
        paths = [path for (path,) in index.query(
            "SELECT path FROM files WHERE is_official = 1 AND form_id = 'network_map' AND year = ?", [year.start])]
        from_files = sorted((record.person_id, repr(sorted(record.values.items())))
                            for record in (workbook.read_record(index.records_root / path) for path in paths))
        monkeypatch.setattr(workbook, "checked_content", lambda *args, **kwargs: pytest.fail("a workbook was opened"))
        records, problems = network_records(index, roster, [year], None)
    assert from_files and not problems
    assert sorted((record.person_id, repr(sorted(record.values.items()))) for record in records) == from_files
