"""The data folder: every save is a new, whole, readable version, whatever happens at the same time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from mentorforms.errors import UnsafeTextError
from mentorforms.records.store import DataFolder, safe_segment
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks.workbook import read_record

YEAR = AcademicYear(2025)


def _map(person: str = "F00001", department: str = "Pediatrics", goals: str = "PI of a lab", **extra) -> Record:
    return Record("network_map", 1, YEAR, person, department, Status.DRAFT, {"career_goals": goals, **extra})


def test_each_save_is_a_new_version_and_the_latest_is_the_last_saved(data_dir: Path) -> None:
    folder = DataFolder(data_dir)
    first = folder.save(_map(goals="first"))
    second = folder.save(_map(goals="second"))
    assert (first.version, second.version) == (1, 2)
    assert read_record(first.path).values["career_goals"] == "first"
    assert folder.latest("network_map", YEAR, "F00001").values["career_goals"] == "second"
    assert [stored.version for stored in folder.versions("network_map", YEAR, "F00001")] == [1, 2]


@pytest.mark.parametrize("typed", ["../../etc/passwd", "..", "/", "C:\\Windows", "a/b", "a-b", "A B", "", "\u202e",
                                   "x" * 300, "con", "émile"])
def test_typed_names_never_become_raw_path_parts(data_dir: Path, typed: str) -> None:
    folder = DataFolder(data_dir)
    stored = folder.save(_map(person=typed or "F1", department=typed))
    assert stored.path.resolve().is_relative_to(data_dir.resolve())
    segment = safe_segment(typed)
    assert segment.isascii() and "/" not in segment and "\\" not in segment and not segment.startswith(".")
    assert len(segment) <= 47


def test_different_names_never_share_a_folder() -> None:
    names = ["a/b", "a-b", "a b", "A B", "a_b", "a.b", "ab", "ä b"]
    assert len({safe_segment(name) for name in names}) == len(names)


def test_a_save_that_cannot_be_written_leaves_nothing_and_keeps_earlier_versions(data_dir: Path) -> None:
    folder = DataFolder(data_dir)
    good = folder.save(_map(goals="kept"))
    with pytest.raises(UnsafeTextError):
        folder.save(_map(goals="x" * 40_000))
    assert [path.name for path in good.path.parent.iterdir()] == ["v0001.xlsx"]
    assert read_record(good.path).values["career_goals"] == "kept"


def _save_many(root: str, worker: int, count: int) -> list[str]:
    folder = DataFolder(root)
    return [str(folder.save(_map(goals=f"worker {worker} save {index}")).path) for index in range(count)]


def test_fifty_saves_from_ten_processes_leave_fifty_readable_versions(data_dir: Path) -> None:
    with ProcessPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(_save_many, [str(data_dir)] * 10, range(10), [5] * 10))
    paths = [path for batch in results for path in batch]
    assert len(set(paths)) == 50
    versions = DataFolder(data_dir).versions("network_map", YEAR, "F00001")
    assert [stored.version for stored in versions] == list(range(1, 51))
    saved = sorted(read_record(stored.path).values["career_goals"] for stored in versions)
    assert saved == sorted(f"worker {worker} save {index}" for worker in range(10) for index in range(5))


_SLOW_SAVER = textwrap.dedent("""
    import os, sys, time
    from mentorforms.records.store import DataFolder
    from mentorforms.vocabulary.record import Record, Status
    from mentorforms.vocabulary.academic_year import AcademicYear

    real_link = os.link
    def slow_link(source, target):
        # The temporary file is written and flushed; stop here, as if the machine stalled.
        print("written", flush=True)
        time.sleep(60)
        return real_link(source, target)
    os.link = slow_link
    record = Record("network_map", 1, AcademicYear(2025), "F00001", "Pediatrics", Status.DRAFT,
                    {"career_goals": "the save that was killed"})
    DataFolder(sys.argv[1]).save(record)
""")


def test_a_process_killed_mid_save_leaves_the_last_good_version_readable(data_dir: Path) -> None:
    folder = DataFolder(data_dir)
    good = folder.save(_map(goals="last good"))
    child = subprocess.Popen([sys.executable, "-c", _SLOW_SAVER, str(data_dir)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "written"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert [stored.version for stored in folder.versions("network_map", YEAR, "F00001")] == [1]
    assert folder.latest("network_map", YEAR, "F00001").values["career_goals"] == "last good"
    assert list(folder.iter_workbooks()) == [good.path]
    # The next save carries on numbering; the stray temporary file does not get in the way.
    assert folder.save(_map(goals="after the crash")).version == 2


def test_killing_savers_at_random_moments_never_leaves_a_broken_version(data_dir: Path) -> None:
    script = textwrap.dedent("""
        import sys
        from mentorforms.records.store import DataFolder
        from mentorforms.vocabulary.record import Record, Status
        from mentorforms.vocabulary.academic_year import AcademicYear
        folder = DataFolder(sys.argv[1])
        for index in range(1000):
            folder.save(Record("conference_part1", 1, AcademicYear(2025), "F00001", "Pediatrics", Status.DRAFT,
                               {"challenges": f"save {index} " + "words " * 3000}))
            print("saved", flush=True)
    """)
    # Each saver is killed at a different moment after its first completed save, so kills land
    # at every stage of later saves (building, writing, linking) whatever the machine's speed.
    for delay in (0.0, 0.01, 0.03, 0.07, 0.11, 0.19):
        child = subprocess.Popen([sys.executable, "-c", script, str(data_dir)], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "saved"
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    folder = DataFolder(data_dir)
    versions = folder.versions("conference_part1", YEAR, "F00001")
    assert len(versions) >= 6
    assert [stored.version for stored in versions] == list(range(1, len(versions) + 1))
    for stored in versions:
        assert read_record(stored.path).values["challenges"].startswith("save ")
