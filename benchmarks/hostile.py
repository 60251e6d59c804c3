"""How the readers hold against the hostile corpus: its size, the slowest case and the most memory.

    python benchmarks/hostile.py [--faculty 12]

Makes a small demo folder, one good submission and the corpus of tests/hostile_corpus.py (a
1 GiB zip bomb included), then runs each case that is not a bit flip through ``mentorforms
import`` and ``mentorforms check`` in a process of its own (wall time and peak resident memory
from os.wait4), and every case (the bit flips too) through each entry point of
tests/hostile_run.py in one process per entry point (time per case). Prints ``name: value`` lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile_corpus

from mentorforms.commands.demo import make_demo
from mentorforms.records.store import DataFolder
from mentorforms.workbooks.workbook import read_record

_CLI = "import sys; from mentorforms.commands.cli import main; sys.exit(main())"


def _measure(command: list[str]) -> tuple[int, float, float, float]:
    """Exit status, wall seconds, CPU seconds and peak resident MB of one command (CPU time, unlike
    wall time, does not grow when other work shares the machine)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return (process.returncode, time.perf_counter() - started, usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024)


def _alone(case: Path, roster: Path, scratch: Path) -> Path:
    """A data folder holding only the roster and ``case`` as a version."""
    folder = scratch / f"alone-{case.stem}"
    place = folder / "records" / "2025-2026" / "d" / "p" / "conference_part1"
    place.mkdir(parents=True)
    shutil.copyfile(roster, folder / "roster.xlsx")
    (folder / ".mentorforms-data").write_text("")
    shutil.copyfile(case, place / "v0001.xlsx")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faculty", type=int, default=12)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="mentorforms-hostile-"))
    try:
        root = scratch / "data"
        make_demo(root, faculty=args.faculty, seed=5, years=2, today=dt.date(2026, 11, 22))
        stored, _ = hostile_corpus.good_record(DataFolder(root))
        good = stored.path.read_bytes()
        started = time.perf_counter()
        cases = hostile_corpus.corpus(good)
        made = time.perf_counter() - started
        paths = hostile_corpus.write_corpus(cases, scratch / "corpus")
        print(f"hostile_corpus_cases: {len(cases)}")
        print(f"hostile_corpus_bit_flips: {sum(name.startswith('flip-') for name in cases)}")
        print(f"hostile_corpus_mb: {sum(len(data) for data in cases.values()) / 1e6:.1f}")
        print(f"hostile_corpus_make_s: {made:.1f}")

        for _ in range(20):
            read_record(good)
        started = time.process_time()
        for _ in range(200):
            read_record(good)
        print(f"read_record_good_file_cpu_ms: {(time.process_time() - started) / 200 * 1000:.2f}")

        baseline = {
            "import": _measure([sys.executable, "-c", _CLI, "import", str(stored.path), str(root)]),
            "check": _measure([sys.executable, "-c", _CLI, "check", str(_alone(stored.path, root / "roster.xlsx",
                                                                                scratch))]),
        }
        for entry, (_, seconds, cpu, peak) in baseline.items():
            print(f"{entry}_good_file_s: {seconds:.2f}")
            print(f"{entry}_good_file_cpu_s: {cpu:.2f}")
            print(f"{entry}_good_file_peak_mb: {peak:.0f}")

        slowest = (0.0, "", "")
        busiest = (0.0, "", "")
        heaviest = (0.0, "", "")
        for name, path in sorted(paths.items()):
            if name.startswith("flip-"):
                continue
            for entry in ("import", "check"):
                command = ([sys.executable, "-c", _CLI, "import", str(path), str(root)] if entry == "import" else
                           [sys.executable, "-c", _CLI, "check", str(_alone(path, root / "roster.xlsx", scratch))])
                status, seconds, cpu, peak = _measure(command)
                if status == 0:
                    print(f"NOT REFUSED: {entry} {name}")
                slowest = max(slowest, (seconds, entry, name))
                busiest = max(busiest, (cpu, entry, name))
                heaviest = max(heaviest, (peak, entry, name))
                if name == "zip-bomb":
                    print(f"zip_bomb_{entry}_s: {seconds:.2f}")
                    print(f"zip_bomb_{entry}_cpu_s: {cpu:.2f}")
                    print(f"zip_bomb_{entry}_peak_mb: {peak:.0f}")
        print(f"slowest_command_case_s: {slowest[0]:.2f} ({slowest[1]} {slowest[2]})")
        print(f"most_cpu_command_case_s: {busiest[0]:.2f} ({busiest[1]} {busiest[2]})")
        print(f"peak_command_case_mb: {heaviest[0]:.0f} ({heaviest[1]} {heaviest[2]})")

        for entry in ("import", "check", "index", "page", "carry"):
            done = subprocess.run([sys.executable, str(ROOT / "tests" / "hostile_run.py"), entry, str(root),
                                   str(scratch / "corpus"), str(stored.path)], capture_output=True, text=True)
            lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
            results, peak = lines[:-1], lines[-1]["peak_mb"]
            worst = max(results, key=lambda result: result["seconds"])
            refused = sum(result["outcome"] == "refused" for result in results)
            print(f"{entry}_slowest_case_s: {worst['seconds']:.3f} ({worst['case']})")
            print(f"{entry}_all_cases_peak_mb: {peak:.0f}")
            if entry != "carry":
                print(f"{entry}_refused: {refused} of {len(results)}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
