"""How long the reminders take on a larger data folder: finding who owes what and writing the messages.

    .venv/bin/python benchmarks/remind.py --faculty 1000

Builds (once, cached under benchmarks/out/ by faculty count and seed) a demo data folder made as of
2026-11-22, then, three weeks before that year's April 1:

* preview_cold_s: the index built from every workbook, every rule run, every message composed;
* preview_warm_s: the same with the index up to date (what a daily run costs);
* outstanding_s: only the list of what is owed (what a page showing it needs);
* items, messages: how many reasons were found and how many messages they make.

The last lines are ``name: value`` pairs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mentorforms.commands.demo import make_demo
from mentorforms.reminders import outstanding, preview
from mentorforms.reports.index import index_path
from mentorforms.vocabulary.academic_year import AcademicYear

TODAY = dt.date(2026, 11, 22)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faculty", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    folder = Path(__file__).resolve().parent / "out" / f"remind-{args.faculty}-{args.seed}"
    if not (folder / "roster.xlsx").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        make_demo(folder, faculty=args.faculty, seed=args.seed, years=3, today=TODAY)
        print(f"made {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    as_of = AcademicYear.containing(TODAY).conference_due - dt.timedelta(days=21)
    index_path(folder).unlink(missing_ok=True)

    started = time.perf_counter()
    preview(folder, as_of)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    plan = preview(folder, as_of)
    warm = time.perf_counter() - started
    started = time.perf_counter()
    owed = outstanding(folder, as_of)
    only_list = time.perf_counter() - started

    print(f"faculty: {args.faculty}")
    print(f"items: {len(owed)}")
    print(f"messages: {len(plan.reminders)}")
    print(f"preview_cold_s: {cold:.2f}")
    print(f"preview_warm_s: {warm:.2f}")
    print(f"outstanding_s: {only_list:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
