"""What the audit trail costs: one append with a large log, and verifying that log.

Usage: .venv/bin/python benchmarks/audit.py [--entries 100000] [--workbooks 1000] [--appends 200]

Writes a chained log of ``--entries`` entries into a scratch data folder (built in one pass with the
same hashing as ``audit.append``, since 100,000 separate flushed appends would only measure the
disk), of which the first ``--workbooks`` record real workbook files under ``records/``; the rest
are views, prints and downloads. Then times ``--appends`` appends through ``audit.append`` (lock,
tail read, write, fsync, head file) on an empty log and on the large one, and one full
``verify`` (chain, head, every recorded workbook's bytes, the folder walk for unrecorded files).
Appending should not depend on the log's size. Its last lines are ``name: value`` pairs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import tempfile
import time
from pathlib import Path

from mentorforms.records import audit
from mentorforms.records.audit_verify import check
from mentorforms.records.store import DataFolder
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status

ACTIONS = ("viewed", "printed", "downloaded", "dashboard_viewed", "refused")


def build_log(root: Path, entries: int, workbooks: int) -> None:
    """A valid log of ``entries`` entries whose first ``workbooks`` record copies of one real workbook."""
    sample = DataFolder(root / "sample").save(
        Record("network_map", 1, AcademicYear(2025), "F00001", "Pediatrics", Status.DRAFT,
               {"career_goals": "PI of a lab"}, saved_by="F00001"))
    content = sample.path.read_bytes()
    digest = audit.sha256_of(content)
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    previous = audit.GENESIS
    with open(audit.log_path(root), "wb") as log:
        for seq in range(1, entries + 1):
            person = f"F{seq % 12000:05d}"
            files: dict[str, str] = {}
            if seq <= workbooks:
                key = f"records/2025-2026/dept-{seq % 20:02d}/{person.lower()}/network_map/v{seq:04d}.xlsx"
                path = root / key
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                files[key] = digest
            entry = audit.Entry(seq=seq, at=(moment + dt.timedelta(seconds=seq)).isoformat(timespec="microseconds"),
                                actor=person, action="save" if files else ACTIONS[seq % len(ACTIONS)],
                                form_id="network_map", person_id=person, year="2025-2026", instance=None,
                                version=seq if files else None, files=files, detail="benchmark entry",
                                prev=previous)
            body = entry.body()
            previous = entry.computed_hash()
            log.write(audit.canonical({**body, "hash": previous}) + b"\n")
    audit.head_path(root).write_bytes(audit.canonical({"seq": entries, "hash": previous}) + b"\n")


def time_appends(root: Path, count: int) -> list[float]:
    times = []
    for number in range(count):
        start = time.perf_counter()
        audit.append(root, "viewed", actor="F00001", form_id="conference_part1", person_id="F00002",
                     year="2025-2026", detail=f"benchmark append {number}")
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--workbooks", type=int, default=1_000)
    parser.add_argument("--appends", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="audit-bench-") as scratch:
        empty = Path(scratch) / "empty"
        empty.mkdir()
        small = time_appends(empty, args.appends)
        root = Path(scratch) / "data"
        (root / audit.AUDIT).mkdir(parents=True)
        start = time.perf_counter()
        build_log(root, args.entries, args.workbooks)
        print(f"built a log of {args.entries:,} entries in {time.perf_counter() - start:.1f} s "
              f"({audit.log_path(root).stat().st_size / 1e6:.1f} MB)")
        large = time_appends(root, args.appends)
        start = time.perf_counter()
        report = check(root)
        verify_s = time.perf_counter() - start
        if not report.intact:
            raise SystemExit(f"the benchmark log does not verify: {report.problems[0]}")
        print(report.summary())
    quantile = lambda values, q: statistics.quantiles(values, n=100)[q - 1]  # noqa: E731
    print(f"append_ms_median_empty_log: {statistics.median(small):.2f}")
    print(f"append_ms_median_{args.entries}_entries: {statistics.median(large):.2f}")
    print(f"append_ms_p95_{args.entries}_entries: {quantile(large, 95):.2f}")
    print(f"verify_s_{report.entries}_entries_{report.workbooks}_workbooks: {verify_s:.2f}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
