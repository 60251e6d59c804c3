"""The analyst export's "Mentoring year" sheets: relationships and their meetings, reviews due,
checklists not started, peer group months below 2 hours, and the goal updates meetings made."""

from __future__ import annotations

from collections.abc import Sequence

from mentorforms.reports import year as year_report
from mentorforms.reports.export_columns import COUNT_FORMAT, DATE_FORMAT, HOURS_FORMAT, Column
from mentorforms.reports.export_sheets import data_sheet
from mentorforms.reports.labels import goal_status_label
from mentorforms.reports.sheet import BookBackend
from mentorforms.reports.tables import Tables
from mentorforms.vocabulary.academic_year import AcademicYear

_PAIR = [Column("Department", "department", width=18), Column("Mentee", "mentee", width=24),
         Column("Mentee id", "mentee_id", width=11), Column("Mentor", "mentor", width=24),
         Column("Mentor id", "mentor_id", width=11)]
MEETING_COLUMNS = [*_PAIR, Column("Meetings this year", "meetings", COUNT_FORMAT, 12),
                   Column("Last meeting", "last_meeting", DATE_FORMAT, 14),
                   Column("Days since", "days_since", COUNT_FORMAT, 10),
                   Column(f"No meeting in {year_report.QUIET_DAYS} days", "quiet", width=14),
                   Column("Ended by a review", "ended", width=12)]
REVIEW_COLUMNS = [*_PAIR, Column("Revisit date", "revisit_date", DATE_FORMAT, 14),
                  Column("Review", "review", width=11), Column("Decision", "decision", width=12),
                  Column("State", "state", width=10)]
CHECKLIST_COLUMNS = [Column("Department", "department", width=18), Column("Name", "name", width=24),
                     Column("Person id", "person_id", width=11), Column("Mentors", "mentors", width=30),
                     Column("Checklist", "state", width=12), Column("Steps ticked", "ticked", COUNT_FORMAT, 10)]
SEASON_COLUMNS = [Column("Department", "department", width=18), Column("Group", "group", width=28),
                  Column("Led by", "leader", width=24), Column("Month", "month", DATE_FORMAT, 12),
                  Column("Hours met", "hours", HOURS_FORMAT, 10)]
UPDATE_COLUMNS = [*_PAIR, Column("Meeting", "meeting_date", DATE_FORMAT, 12), Column("Goal", "goal", width=40),
                  Column("Status", "status", width=12), Column("Updated by", "updated_by", width=24)]


def add_year_sheets(book: BookBackend, tables: Tables, year: AcademicYear, departments: Sequence[str],
                    names: list[str]) -> list[tuple[str, str]]:
    """Append the mentoring-year sheets to ``book``; returns the workbooks that could not be read."""
    assert tables.roster is not None, "the year's sheets need the roster the tables came from"
    assert tables.index is not None, "the year's sheets read the index the tables came from"
    roster = tables.roster
    found = year_report.year_records(tables.index, year, departments)
    today = tables.as_of
    meetings = year_report.meetings_per_relationship(found, roster, today, departments)
    ended = int(meetings["ended"].sum())
    data_sheet(book, "Meetings", MEETING_COLUMNS, meetings, "Meetings", names,
               note=f"Every relationship the roster assigns: {len(meetings) - ended} active, {ended} ended by a "
                    f"signed yearly review. Meetings held this year up to {today.isoformat()}.")
    reviews = year_report.reviews_due(found, roster, today, departments)
    data_sheet(book, "Reviews due", REVIEW_COLUMNS, reviews[reviews["state"].isin(["due", "overdue"])],
               "ReviewsDue", names,
               note=f"Relationships whose agreement's revisit date has passed (overdue) or falls within "
                    f"{year_report.DUE_AHEAD_DAYS} days (due), with no signed review this year.")
    checklists = year_report.checklists(found, roster, departments)
    data_sheet(book, "Checklists not started", CHECKLIST_COLUMNS,
               checklists[checklists["state"] == "not started"], "ChecklistsNotStarted", names)
    below = year_report.groups_below(found, roster, today)
    data_sheet(book, "Peer groups below 2 h", SEASON_COLUMNS, below[below["department"].isin(departments)],
               "PeerGroupsBelow", names, note="Months of the September-April season already over with fewer "
                                              "than 2 hours met (Appendix D: 2 to 6 hours a month).")
    updates = year_report.goal_updates(found, roster)
    updates["status"] = [goal_status_label(source, year.start, status)
                         for source, status in zip(updates["source"], updates["status"], strict=True)]
    data_sheet(book, "Goal updates", UPDATE_COLUMNS, updates, "GoalUpdates", names,
               note="Goal status recorded at meetings; the newest reaches the Goals sheet.")
    return found.problems
