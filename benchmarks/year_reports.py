"""The mentoring year's report figures on a demo folder: how long reading the year's records and
building the frames takes, and what they count. Prints ``name: value`` lines.

    python benchmarks/year_reports.py DATA_DIR
"""

from __future__ import annotations

import datetime as dt
import sys
import time


def main(root: str) -> None:
    from mentorforms.records.roster import load_roster
    from mentorforms.reports import year as year_report
    from mentorforms.reports.index import Index
    from mentorforms.vocabulary.academic_year import AcademicYear

    today = dt.date.today()
    with Index(root) as index:
        index.refresh()
        roster = load_roster(f"{root}/roster.xlsx")
        year = AcademicYear.containing(today)
        started = time.perf_counter()
        found = year_report.year_records(index, year)
        read = time.perf_counter()
        meetings = year_report.meetings_per_relationship(found, roster, today)
        reviews = year_report.reviews_due(found, roster, today)
        checklists = year_report.checklists(found, roster)
        below = year_report.groups_below(found, roster, today)
        updates = year_report.goal_updates(found, roster)
        built = time.perf_counter()
    print(f"year_records_files: {len(found.records) + len(found.agreements)}")
    print(f"year_records_read_s: {read - started:.3f}")
    print(f"year_frames_s: {built - read:.3f}")
    print(f"relationships: {len(meetings)}")
    print(f"relationships_quiet_90_days: {int(meetings['quiet'].sum())}")
    print(f"relationships_ended: {int(meetings['ended'].sum())}")
    print(f"reviews_due_or_overdue: {int(reviews['state'].isin(['due', 'overdue']).sum())}")
    print(f"checklists_not_started: {int((checklists['state'] == 'not started').sum())}")
    print(f"peer_group_months_below_2h: {len(below)}")
    print(f"meeting_goal_updates: {len(updates)}")


if __name__ == "__main__":
    main(sys.argv[1])
