"""The columns of the analyst workbook's data sheets: header, source column, number format, width."""

from __future__ import annotations

from dataclasses import dataclass

from mentorforms.vocabulary.rounding import HOURS_NUMBER_FORMAT

HOURS_FORMAT = HOURS_NUMBER_FORMAT
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0%"
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    """One column of an exported table: the header, the source column, a number format, a width."""

    header: str
    source: str
    number_format: str | None = None
    width: float | None = None


PERSON_COLUMNS = [Column("Department", "department", width=18), Column("Division", "division", width=22),
                  Column("Name", "name", width=24), Column("Person id", "person_id", width=11),
                  Column("Rank", "rank", width=20)]

MISSING_LATE_COLUMNS = [
    *PERSON_COLUMNS, Column("Year", "year", width=11), Column("Completion", "completion", width=13),
    Column("Overdue", "overdue", width=9), Column("Waiting for", "waiting_for", width=26),
    Column("Part I", "part1_status", width=11), Column("Part I signed on", "part1_signed_on", DATE_FORMAT, 15),
    Column("Part II", "part2_status", width=11), Column("Conference date", "conference_date", DATE_FORMAT, 15),
    Column("Due before", "due", DATE_FORMAT, 12),
]
CONFERENCE_COLUMNS = [
    *MISSING_LATE_COLUMNS, Column("Part II signed on", "part2_signed_on", DATE_FORMAT, 15),
    Column("On time", "on_time", width=9), Column("LCME topics answered", "lcme_answered", COUNT_FORMAT, 12),
    Column("LCME topics asked", "lcme_total", COUNT_FORMAT, 12),
]
GOAL_COLUMNS = [
    *PERSON_COLUMNS, Column("Year", "year", width=11), Column("Source", "source", width=30),
    Column("Area", "area", width=40), Column("Goal", "goal", width=50), Column("Due", "due_date", DATE_FORMAT, 12),
    Column("Status", "status", width=16),
    Column("Status date", "status_date", DATE_FORMAT, 12), Column("Status history", "history", width=40),
]
MENTORING_COLUMNS = [
    *PERSON_COLUMNS, Column("Year", "year", width=11), Column("Has a mentor", "has_mentor", width=10),
    Column("Mentors on the roster", "assigned_mentors", width=24),
    Column("Mentors named in forms", "named_mentors", width=40),
]
REVISIT_COLUMNS = [
    *PERSON_COLUMNS, Column("Mentor id", "mentor_id", width=11), Column("Mentor", "mentor", width=24),
    Column("Agreement year", "year", width=12), Column("Start date", "start_date", DATE_FORMAT, 12),
    Column("Revisit by", "revisit_date", DATE_FORMAT, 12), Column("Days overdue", "days_overdue", COUNT_FORMAT, 10),
]
PROMOTION_COLUMNS = [
    *PERSON_COLUMNS, Column("Year", "year", width=11), Column("Outlook", "outlook", width=50),
    Column("Why no promotion", "no_promotion_reason", width=40),
    Column("Advancement will require", "advancement_requires", width=50),
]
SUPPORT_COLUMNS = [
    *PERSON_COLUMNS, Column("Year", "year", width=11), Column("Support", "area", width=50),
    Column("Needed", "needed", width=9), Column("Note", "note", width=50),
]
DRAFT_COLUMNS = [
    *PERSON_COLUMNS, Column("Year", "year", width=11), Column("Form", "form", width=40),
    Column("Saved at (UTC)", "saved_at", width=26), Column("File", "path", width=60),
]


NETWORK_COLUMNS = [
    Column("Department", "department", width=22), Column("Year", "year", width=11),
    Column("Faculty", "faculty", COUNT_FORMAT, 10), Column("With a map", "with_map", COUNT_FORMAT, 11),
    Column("Share with a map", "map_share", PERCENT_FORMAT, 12),
    Column("With a sponsor", "with_sponsor", COUNT_FORMAT, 12),
    Column("Share with a sponsor", "with_sponsor_share", PERCENT_FORMAT, 14),
    Column("Nobody for personal support", "nobody_personal", COUNT_FORMAT, 16),
    Column("Share with nobody for personal support", "nobody_personal_share", PERCENT_FORMAT, 18),
    Column("Median network size", "size_median", HOURS_FORMAT, 12),
    Column("Mean network size", "size_mean", HOURS_FORMAT, 12),
]


