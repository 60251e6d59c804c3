"""The mentoring year in the reports: a meeting's goal update reaches the goal table, the export's
sheets, and the dashboard's tab."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from test_ui_form_page import TODAY, open_page, roster
from ui_answers import complete_answers, newest_year

from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.reports import year as year_report
from mentorforms.reports.export import write_export
from mentorforms.reports.index import Index
from mentorforms.reports.tables import build_tables
from mentorforms.ui.dashboard import dashboard_app
from mentorforms.ui.dashboard_tabs import YEAR_TAB


def _signed_agreement(root):
    """A mentee, mentor and a signed agreement between them (filed through the pages)."""
    folder = DataFolder(root)
    year = newest_year(root)
    for person in roster(root):
        if person.has_role("faculty") and person.mentors and not person.has_role("chair") and \
                folder.latest("agreement", year, person.person_id, person.mentors[0]) is None:
            break
    mentor_id = person.mentors[0]
    page = open_page(root, person.person_id, "agreement", mentor_id=mentor_id)
    answers = {key: value for key, value in complete_answers(page.form).items() if key not in page.fixed_fields}
    answers["goals"] = ({"goal": "Submit the R01 resubmission", "status": "in_progress"},)
    page.enter(answers)
    page.inputs["mentee_signature"].name.value = person.name
    assert page.submit() is not None, page.problems_shown()
    mentor_page = open_page(root, mentor_id, "agreement", person_id=person.person_id)
    mentor_page.inputs["mentor_signature"].name.value = mentor_page.viewer.person.name
    assert mentor_page.submit() is not None
    return person, mentor_page.viewer.person


def _goal_rows(root, person_id):
    with Index(root) as index:
        index.refresh()
        tables = build_tables(index, load_roster(root / "roster.xlsx"), years=[newest_year(root)], as_of=TODAY)
    goals = tables.goals
    return goals[(goals["person_id"] == person_id) & (goals["goal"] == "Submit the R01 resubmission")]


def test_a_meetings_goal_update_changes_the_agreements_goal_status_in_the_next_report(demo_dir):
    person, mentor = _signed_agreement(demo_dir)
    before = _goal_rows(demo_dir, person.person_id)
    assert list(before["status"]) == ["In progress"]

    meeting = open_page(demo_dir, mentor.person_id, "meeting", person_id=person.person_id)
    rows = meeting.inputs["goal_updates"].value()
    assert [row["goal"] for row in rows] == ["Submit the R01 resubmission"]  # the agreement's goals, listed
    meeting.enter({"meeting_date": TODAY, "notes": "Resubmitted!",
                   "goal_updates": ({"goal": "Submit the R01 resubmission", "status": "met"},)})
    assert meeting.submit() is not None, meeting.problems_shown()

    after = _goal_rows(demo_dir, person.person_id)
    assert list(after["status"]) == ["Met"]
    assert f"meeting, by {mentor.name}" in after["history"].iloc[0]


def test_the_export_has_the_mentoring_year_sheets(demo_dir, tmp_path):
    with Index(demo_dir) as index:
        index.refresh()
        tables = build_tables(index, load_roster(demo_dir / "roster.xlsx"), as_of=TODAY)
        path = write_export(tmp_path / "export.xlsx", tables, newest_year(demo_dir))
        found = year_report.year_records(index, newest_year(demo_dir))
    book = load_workbook(path, read_only=True)
    for sheet in ("Meetings", "Reviews due", "Checklists not started", "Peer groups below 2 h", "Goal updates"):
        assert sheet in book.sheetnames
    the_roster = load_roster(demo_dir / "roster.xlsx")
    checklists = year_report.checklists(found, the_roster)
    not_started = set(checklists.loc[checklists["state"] == "not started", "person_id"])
    listed = {row[2] for row in book["Checklists not started"].iter_rows(min_row=2, values_only=True)}
    assert not_started and not_started == listed
    meetings = year_report.meetings_per_relationship(found, the_roster, TODAY)
    quiet = meetings[meetings["quiet"]]
    assert len(quiet) and all(days is None or days != days or days > 90 for days in quiet["days_since"])


def test_meetings_reviews_and_quiet_relationships_counted_from_records(demo_dir):
    with Index(demo_dir) as index:
        index.refresh()
        found = year_report.year_records(index, newest_year(demo_dir))
    the_roster = load_roster(demo_dir / "roster.xlsx")
    today = dt.date(newest_year(demo_dir).start + 1, 3, 1)
    meetings = year_report.meetings_per_relationship(found, the_roster, today)
    held = {(record.person_id, str(record.values["meeting_key"]).rpartition("/")[0]) for record in found.records
            if record.form_id == "meeting" and record.values["meeting_date"] <= today}
    counted = {(row.mentee_id, row.mentor_id) for row in meetings.itertuples() if row.meetings}
    assert held == counted
    reviews = year_report.reviews_due(found, the_roster, today)
    assert set(reviews["state"]) <= {"done", "overdue", "due", "not yet"}
    for row in reviews.itertuples():
        if row.state == "overdue":
            assert row.revisit_date < today


def test_the_dashboard_shows_the_mentoring_year_to_a_chair(demo_dir):
    chair = next(person for person in roster(demo_dir) if person.has_role("chair"))
    app = dashboard_app({"MENTORFORMS_DATA": str(demo_dir), "MENTORFORMS_AS": chair.person_id}, background=False,
                        as_of=TODAY)
    dashboard = app.dashboard
    dashboard.year.value = newest_year(demo_dir).start
    dashboard.tabs.widget.selected_index = YEAR_TAB
    shown = dashboard.tabs.year_tab.value
    assert "The mentoring year" in shown and "Checklists not started" in shown and chair.department in shown


def test_a_relationship_ended_by_a_review_is_not_chased_for_its_revisit_date(demo_dir):
    from mentorforms.reports.coverage import agreements_past_revisit

    year = newest_year(demo_dir)
    with Index(demo_dir) as index:
        index.refresh()
        tables = build_tables(index, load_roster(demo_dir / "roster.xlsx"), years=[year], as_of=TODAY)
        ended = year_report.ended_relationships(year_report.year_records(index, year))
    assert ended, "the demo ends some relationships by a signed review"
    # Far enough ahead that every agreement is past its revisit date.
    late = agreements_past_revisit(tables, dt.date(year.start + 5, 1, 1))
    chased = set(zip(late["person_id"], late["mentor_id"]))
    with_agreement = set(zip(tables.agreements["person_id"], tables.agreements["mentor_id"]))
    assert ended & with_agreement, "some ended relationship has an agreement"
    assert not chased & ended
    assert chased == with_agreement - ended
