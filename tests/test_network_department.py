"""Network figures for the department reports, checked against answers worked out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from network_examples import person

from mentorforms.records.roster import Person, Roster
from mentorforms.reports.network import (
    DEPARTMENT_COLUMNS,
    MENTOR_LOAD_COLUMNS,
    PERSON_COLUMNS,
    SUPPRESSED_TEXT,
    department_figures,
    mentor_load,
    person_rows,
    shown,
)
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status

YEAR = AcademicYear(2025)


def _roster() -> Roster:
    people = [Person(f"M{i}", f"Medic {i}", "Medicine", division="Cardiology", rank="Instructor") for i in range(1, 8)]
    people += [Person(f"S{i}", f"Surgeon {i}", "Surgery") for i in range(1, 4)]
    people.append(Person("X1", "Dana Reyes", "Medicine", roles=frozenset({"mentor"})))
    return Roster({p.person_id: p for p in people})


def _map(person_id: str, department: str, people, *, status=Status.SUBMITTED, day=10) -> Record:
    return Record("network_map", 1, YEAR, person_id, department, status, {"people": tuple(people)},
                  saved_at=dt.datetime(2026, 1, day, tzinfo=dt.UTC))


DR_SPONSOR = person("DR", career="close", relationship="mentor", sponsor=True)
RECORDS = [
    _map("M1", "Medicine", [DR_SPONSOR, person("LG", personal="close")]),
    _map("M2", "Medicine", [person("d.r.", career="moderate", relationship="mentor")]),
    _map("M3", "Medicine", [person("dana  reyes", career="close", relationship="mentor", sponsor=True),
                            person("A", personal="close"), person("B", job_done="close")]),
    _map("M4", "Medicine", [DR_SPONSOR, person("A", personal="close"), person("B", job_done="close"),
                            person("C", job_done="distant")]),
    _map("M5", "Medicine", [person("DR", career="close", relationship="mentor"),
                            person("DR", job_done="close", relationship="mentor")]),
    _map("M6", "Medicine", [DR_SPONSOR], day=3),  # superseded by the next version
    _map("M6", "Medicine", [person("LG", personal="close")], day=20),
    _map("M7", "Medicine", [DR_SPONSOR], status=Status.DRAFT),  # a draft: not counted
    *[_map(f"S{i}", "Surgery", [person("Z", personal="close", sponsor=True)]) for i in range(1, 4)],
    Record("conference_part1", 1, YEAR, "M1", "Medicine", Status.SIGNED, {}),  # another form: ignored
]


def test_person_rows_one_per_person_latest_submitted_version():
    rows = person_rows(RECORDS, _roster())
    assert tuple(rows.columns) == PERSON_COLUMNS
    assert list(rows["person_id"]) == ["M1", "M2", "M3", "M4", "M5", "M6", "S1", "S2", "S3"]
    m6 = rows.set_index("person_id").loc["M6"]
    assert (m6["size"], m6["has_sponsor"], m6["nobody_personal"]) == (1, False, False)
    m2 = rows.set_index("person_id").loc["M2"]
    assert (m2["name"], m2["division"], m2["rank"], m2["size"]) == ("Medic 2", "Cardiology", "Instructor", 1)
    assert m2["kinds_with_nobody"] == "Getting the job done; Personal support"
    assert list(rows["size"]) == [2, 1, 3, 4, 2, 1, 1, 1, 1]
    with_drafts = person_rows(RECORDS, _roster(), include_drafts=True)
    assert "M7" in set(with_drafts["person_id"])


def test_department_figures_in_the_chairs_own_view_are_complete():
    figures = department_figures(person_rows(RECORDS, _roster()), _roster(), own_department="Medicine")
    assert tuple(figures.columns) == DEPARTMENT_COLUMNS
    medicine = figures.set_index("department").loc["Medicine"]
    assert medicine["year"] == "2025-2026"
    assert (medicine["faculty"], medicine["with_map"], medicine["with_sponsor"], medicine["nobody_personal"]) == (
        7, 6, 3, 2)
    assert medicine["map_share"] == 6 / 7
    assert medicine["with_sponsor_share"] == 0.5
    assert medicine["nobody_personal_share"] == 2 / 6
    assert medicine["size_median"] == 2.0
    assert medicine["size_mean"] == 13 / 6
    assert medicine["suppressed"] == ()
    # Surgery is outside the chair's own department: every cell counts one to four people, except
    # a count of nobody, which the reports' rule shows.
    surgery = figures.set_index("department").loc["Surgery"]
    assert surgery[["faculty", "with_map", "with_sponsor", "with_sponsor_share", "size_median"]].isna().all()
    assert surgery["nobody_personal"] == 0
    assert set(surgery["suppressed"]) == {"faculty", "with_map", "map_share", "with_sponsor", "with_sponsor_share",
                                          "nobody_personal_share", "size_median", "size_mean"}


def test_outside_a_chairs_own_view_small_cells_and_what_they_give_away_are_suppressed():
    figures = department_figures(person_rows(RECORDS, _roster()), _roster())  # an analyst's view
    medicine = figures.set_index("department").loc["Medicine"].to_dict()
    assert (medicine["faculty"], medicine["with_map"], medicine["map_share"]) == (7, 6, 6 / 7)
    assert medicine["size_median"] == 2.0  # summarises 6 people
    assert pd.isna(medicine["with_sponsor"]) and pd.isna(medicine["with_sponsor_share"])  # 3 people
    assert pd.isna(medicine["nobody_personal"]) and pd.isna(medicine["nobody_personal_share"])  # 2 people
    assert figures["with_sponsor"].dtype == "Int64" and figures["with_sponsor_share"].dtype == "Float64"
    assert shown(medicine, "with_sponsor_share", percent=True) == SUPPRESSED_TEXT == "<5"
    assert shown(medicine, "map_share", percent=True) == "86%"
    assert shown(medicine, "size_mean") == "2.2"
    unsuppressed = department_figures(person_rows(RECORDS, _roster()), _roster(), min_cell=0)
    assert not unsuppressed[["faculty", "with_map", "with_sponsor", "nobody_personal"]].isna().any().any()


def test_a_zero_count_is_shown_as_everywhere_in_the_reports():
    figures = department_figures(person_rows(RECORDS, _roster()), _roster(), own_department="Medicine")
    surgery_full = department_figures(person_rows(RECORDS, _roster()), _roster(), own_department="Surgery")
    row = surgery_full.set_index("department").loc["Surgery"]
    assert row["nobody_personal"] == 0  # shown in Surgery's own view
    outside = figures.set_index("department").loc["Surgery"]
    assert outside["nobody_personal"] == 0 and "nobody_personal" not in outside["suppressed"]


def test_without_a_roster_faculty_counts_are_unknown_not_suppressed():
    figures = department_figures(person_rows(RECORDS), own_department="Medicine")
    medicine = figures.set_index("department").loc["Medicine"].to_dict()
    assert pd.isna(medicine["faculty"]) and "faculty" not in medicine["suppressed"]
    assert shown(medicine, "faculty") == "–"


def test_mentor_load_counts_distinct_faculty_naming_a_mentor():
    load = mentor_load(RECORDS, _roster(), own_department="Medicine")
    assert tuple(load.columns) == MENTOR_LOAD_COLUMNS
    medicine = load[load["department"] == "Medicine"]
    # DR: M1, M2 (as "d.r."), M4, M5 (named twice, counted once); not M6's old version nor M7's draft.
    assert list(zip(medicine["mentor"], medicine["mentor_person_id"], medicine["named_by"], medicine["many"])) == [
        ("DR", "", 4, True), ("Dana Reyes", "X1", 1, False)]
    assert load[load["department"] == "Surgery"].empty


def test_mentor_load_outside_the_chairs_view_hides_small_counts():
    load = mentor_load(RECORDS, _roster())
    assert load["named_by"].isna().all() and load["many"].isna().all()
    assert all(row == ("named_by", "many") for row in load["suppressed"])
    everyone = mentor_load(RECORDS, _roster(), min_cell=0, many=5)
    assert list(everyone["named_by"]) == [4, 1] and not everyone["many"].any()


def test_empty_inputs_give_empty_tables_with_their_columns():
    assert tuple(person_rows([]).columns) == PERSON_COLUMNS
    assert tuple(department_figures(person_rows([])).columns) == DEPARTMENT_COLUMNS
    assert tuple(mentor_load([]).columns) == MENTOR_LOAD_COLUMNS
