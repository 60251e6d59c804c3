"""``mentorforms report DATA_DIR --out FILE.xlsx [--year Y] [--department D] [--html FILE.html]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mentorforms import messages
from mentorforms.commands.cli import command, out_path
from mentorforms.vocabulary.academic_year import AcademicYear


def _report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="the analyst workbook (.xlsx) to write")
    parser.add_argument("--year", default=None, help="academic year, such as 2025-2026 (default: the current one)")
    parser.add_argument("--department", action="append", default=None,
                        help="only this department (repeat for several; default: all)")
    parser.add_argument("--html", type=Path, default=None, help="also write a printable HTML report here")
    parser.add_argument("--jobs", type=int, default=None, help="processes reading workbooks on a cold index build")
    parser.add_argument("--published", action="store_true",
                        help="for circulation outside the office: no names, and counts of one to four people "
                             "hidden (with enough other cells that none can be worked out from the totals)")


class _Progress:
    """Prints how far a cold index build got, on one line of stderr."""

    def __init__(self) -> None:
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        if total < 200:
            return
        percent = done * 100 // total
        if percent >= self.shown + 5 or done == total:
            self.shown = percent
            end = "\n" if done == total else "\r"
            print(f"reading workbooks: {done:,} of {total:,} ({percent}%)", end=end, file=sys.stderr, flush=True)


@command("report", "write the analyst workbook (and optionally an HTML report) from a data folder")(_report_arguments)
def run_report(args: argparse.Namespace) -> int:
    import datetime as dt

    from mentorforms.errors import MentorformsError
    from mentorforms.reports.export import write_export
    from mentorforms.reports.html import write_report
    from mentorforms.reports.index import Index
    from mentorforms.reports.tables import build_tables
    from mentorforms.rules import trail
    from mentorforms.rules.year_window import check_year
    from mentorforms.vocabulary.academic_year import AcademicYear

    year = AcademicYear.parse(args.year) if args.year else AcademicYear.containing(dt.date.today())
    try:
        check_year(args.data_dir, year)  # a year the office does not keep: refused, nothing written
    except MentorformsError as error:
        trail.refused_by_command(args.data_dir, "mentorforms report", str(error), year=year.label)
        raise
    out_path(args.out, folder_made=True)  # the report makes the folders it writes into
    if args.html:
        out_path(args.html, (".html", ".htm"), folder_made=True)
    with Index(args.data_dir, jobs=args.jobs) as index:
        roster = index.roster()
        unknown = [name for name in args.department or () if name not in roster.departments]
        if unknown:
            print(f"mentorforms report: no department {', '.join(map(repr, unknown))} on the roster; the "
                  f"departments are: {', '.join(roster.departments)}", file=sys.stderr)
            return 2
        refreshed = index.refresh(_Progress())
        years = index.years()
        if year.start not in years:
            # An empty report looks like a report of nobody: say so, write nothing, exit non-zero.
            said = messages.say(messages.REPORT_YEAR_EMPTY, year=year.label,
                                years=", ".join(AcademicYear(start).label for start in years)
                                or messages.REPORT_NO_YEARS)
            print(said, file=sys.stderr)
            trail.refused_by_command(args.data_dir, "mentorforms report", said, year=year.label)
            return 1
        tables = build_tables(index, roster, years=[year.previous, year], departments=args.department)
        departments = args.department or list(tables.departments)
        write_export(args.out, tables, year, departments=departments, published=args.published)
        print(f"wrote {args.out} for {year.label}: {len(departments)} department"
              f"{'s' if len(departments) != 1 else ''}, {refreshed.files:,} workbooks indexed")
        if args.html:
            write_report(args.html, tables, year, departments=departments, published=args.published)
            print(f"wrote {args.html}")
    _record_export(args, year, departments)
    if len(tables.problems):
        print(f"{len(tables.problems)} workbook{'s' if len(tables.problems) != 1 else ''} could not be read "
              "(listed on the Problems sheet):", file=sys.stderr)
        for file, reason in tables.problems.itertuples(index=False, name=None):
            print(f"  {file}: {reason}", file=sys.stderr)
    return 0


def _record_export(args: argparse.Namespace, year: AcademicYear, departments: list[str]) -> None:
    """An "exported" audit entry with the digest of each file written."""
    from mentorforms.records import audit

    written = [args.out] + ([args.html] if args.html else [])
    audit.append(args.data_dir, "exported", actor=audit.command_line_actor(), year=year.label,
                 files={path.absolute(): audit.sha256_of(path) for path in written},
                 detail=f"mentorforms report: {', '.join(departments)}")
