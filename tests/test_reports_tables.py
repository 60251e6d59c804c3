"""The report tables against a folder whose every number is written down by hand (reports_known)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reports_known import AS_OF, FORMULA_GOAL, HOUR_FIELDS, LAST, YEAR, Known, build_known, expected_total

from mentorforms.records.roster import load_roster
from mentorforms.reports import coverage
from mentorforms.reports.index import Index
from mentorforms.reports.summary import LAST_YEAR, THIS_YEAR, summarise
from mentorforms.reports.tables import Tables, build_tables


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Known:
    return build_known(tmp_path_factory.mktemp("known") / "data")


@pytest.fixture(scope="module")
def tables(known: Known) -> Tables:
    with Index(known.root) as index:
        index.refresh()
        return build_tables(index, load_roster(known.root / "roster.xlsx"), as_of=AS_OF)


def test_teaching_hours_add_up_to_the_official_submissions_only(known: Known, tables: Tables) -> None:
    for year in (YEAR, LAST):
        rows = tables.teaching[tables.teaching["year"] == year.label]
        found = rows.groupby("category_id")["hours"].sum().to_dict()
        expected = expected_total(known, year.start)
        assert {field_id: found.get(field_id, 0.0) for field_id in HOUR_FIELDS} == pytest.approx(expected)
    people = set(tables.teaching.loc[tables.teaching["year"] == YEAR.label, "person_id"])
    assert people == set(known.official_hours[YEAR.start])


def test_the_latest_version_wins_and_drafts_never_count(known: Known, tables: Tables) -> None:
    this_year = tables.teaching[tables.teaching["year"] == YEAR.label]
    p1 = this_year[this_year["person_id"] == "P1"].set_index("category_id")["hours"].to_dict()
    assert p1 == pytest.approx(known.official_hours[YEAR.start]["P1"])  # the second signed version
    p3 = this_year[this_year["person_id"] == "P3"].set_index("category_id")["hours"].to_dict()
    assert p3["hours_courses"] == 100  # the later draft (999) does not replace the signed version
    assert "P4" not in set(this_year["person_id"])  # only ever drafted
    assert {(row.person_id, row.form_id) for row in tables.drafts.itertuples()} == known.drafts


def test_teaching_rows_carry_the_roster_description(tables: Tables) -> None:
    row = tables.teaching[(tables.teaching["person_id"] == "P6")].iloc[0]
    assert (row["name"], row["department"], row["division"], row["rank"]) == \
        ("Flo Six", "Pediatrics", "Neonatology", "Assistant Professor")
    assert row["category"] in {"Teaching students in courses", "Formal teaching of residents, fellows, post-docs",
                               "Clinical supervision and training", "Research supervision and training",
                               "Formal teaching of peers (e.g., CME)", "Local invited presentations",
                               "Mentoring trainees and peers", "Education administration and service"}


def test_conference_completion_matches_what_was_filed(known: Known, tables: Tables) -> None:
    frame = coverage.conferences(tables, [YEAR])
    found = dict(zip(frame["person_id"], frame["completion"]))
    assert found == known.completion
    # Past April 1 (as of June 1), whatever is not done or late is overdue.
    overdue = set(frame.loc[frame["overdue"], "person_id"])
    assert overdue == {person for person, state in known.completion.items() if state in ("missing", "in progress")}
    p2 = frame[frame["person_id"] == "P2"].iloc[0]
    assert str(p2["conference_date"]) == "2026-04-10" and not p2["on_time"]


def test_completion_counts_by_department(known: Known, tables: Tables) -> None:
    frame = coverage.conferences(tables, [YEAR])
    counts = coverage.completion_counts(frame[frame["department"] == "Pediatrics"]).iloc[0].to_dict()
    pediatrics = [person for person in known.completion if person.startswith("P")]
    expected = {state: sum(1 for person in pediatrics if known.completion[person] == state)
                for state in coverage.COMPLETION_ORDER}
    assert counts == expected == {"done": 1, "in progress": 3, "missing": 1, "late": 2}


def test_mentoring_coverage_and_agreements_due_for_review(known: Known, tables: Tables) -> None:
    frame = coverage.mentoring_coverage(tables, YEAR)
    assert set(coverage.without_mentor(frame)["person_id"]) == known.without_mentor
    p3 = frame[frame["person_id"] == "P3"].iloc[0]
    assert p3["has_mentor"] and "Pat Chair" in p3["named_mentors"]
    sponsors = tables.mentoring[tables.mentoring["relation"] == "sponsor"]
    assert list(zip(sponsors["person_id"], sponsors["named"], sponsors["source"])) == [
        ("P1", "Dr. Sponsor", "network_map")]
    revisit = coverage.agreements_past_revisit(tables, AS_OF)
    assert {(row.person_id, row.mentor_id) for row in revisit.itertuples()} == known.revisit_overdue
    assert revisit.iloc[0]["days_overdue"] == 31  # revisit by May 1, counted on June 1


def test_goals_have_status_and_history_from_the_declarations(tables: Tables) -> None:
    goals = tables.goals[tables.goals["person_id"] == "P1"]
    paper = goals[goals["goal"] == "Publish a paper"].iloc[0]
    assert paper["source"] == "Mentoring agreement"
    assert paper["status"] == "In progress"
    assert paper["history"] == "Not started (2025-09-01) → In progress (2026-01-05)"
    formula = goals[goals["goal"] == FORMULA_GOAL].iloc[0]
    assert formula["status"] == "Met"
    part2 = goals[goals["source"] == "Part II: goals for the next year"].iloc[0]
    assert (part2["area"], part2["status"]) == ("Clinical Expertise and Innovation", "Agreed at the conference")
    # The draft agreement's goal is not there.
    assert "Find a project" not in set(tables.goals["goal"])


def test_promotion_outlook_and_support_from_part2(known: Known, tables: Tables) -> None:
    promotion = tables.promotion[tables.promotion["year"] == YEAR.label]
    assert dict(zip(promotion["person_id"], promotion["outlook_id"])) == known.outlook
    assert promotion.loc[promotion["person_id"] == "P2", "outlook"].iloc[0] == \
        "No promotion anticipated in the upcoming term."
    support = tables.support[tables.support["needed"]]
    found = {area: set(group["person_id"]) for area, group in support.groupby("area_id")}
    assert found == known.support


def test_unreadable_files_are_listed_with_their_reason_and_skipped(known: Known, tables: Tables) -> None:
    problems = dict(zip(tables.problems["file"], tables.problems["reason"]))
    assert set(problems) == {str(known.truncated), str(known.foreign)}
    assert "cannot be opened" in problems[str(known.truncated)]
    assert "not a mentorforms workbook" in problems[str(known.foreign)]


def test_summary_for_one_department_this_year_against_last(known: Known, tables: Tables) -> None:
    summary = summarise(tables, YEAR, department="Pediatrics")
    pediatrics = {person for person in known.official_hours[YEAR.start] if person.startswith("P")}
    expected = expected_total(known, YEAR.start, pediatrics)
    by_id = dict(zip(tables.teaching["category"], tables.teaching["category_id"]))
    found = {by_id[category]: value for category, value in summary.hours_by_category[THIS_YEAR].items()}
    assert found == pytest.approx(expected)
    last = {by_id[category]: value for category, value in summary.hours_by_category[LAST_YEAR].items()}
    assert last == pytest.approx(expected_total(known, LAST.start))
    assert summary.faculty == 7
    assert summary.with_mentor == 7 - len({"PC", "P4", "P6"})
    assert summary.completion.iloc[0].to_dict() == {"done": 1, "in progress": 3, "missing": 1, "late": 2}
    assert set(summary.missing_late["person_id"]) == {"P2", "P3", "P4", "P5", "P6", "PC"}


def test_a_department_filter_keeps_only_that_department(known: Known) -> None:
    with Index(known.root) as index:
        index.refresh()
        surgery = build_tables(index, load_roster(known.root / "roster.xlsx"), departments=["Surgery"], as_of=AS_OF)
    assert set(surgery.people["department"]) == {"Surgery"}
    assert set(surgery.teaching["person_id"]) == {"S1"}
    assert surgery.teaching["hours"].sum() == pytest.approx(sum(known.official_hours[YEAR.start]["S1"].values()))


def test_someone_no_longer_on_the_roster_keeps_their_filed_department(known: Known, tmp_path: Path) -> None:
    with Index(known.root) as index:
        index.refresh()
        roster = load_roster(known.root / "roster.xlsx")
        smaller = type(roster)({key: person for key, person in roster.people.items() if key != "S1"})
        tables = build_tables(index, smaller, as_of=AS_OF)
    row = tables.teaching[tables.teaching["person_id"] == "S1"].iloc[0]
    assert row["department"] == "Surgery" and "not on the roster" in row["name"]
