"""Hostile files through every entry point: each refused with a reason naming the file (or read
exactly as the good file it was made from), each under a time and memory bound, and the good
files' totals unchanged. The corpus is made by tests/hostile_corpus.py."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from mentorforms.commands.check import check_folder
from mentorforms.errors import WorkbookError
from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.reports.index import Index
from mentorforms.reports.tables import build_tables
from mentorforms.workbooks import workbook

sys.path.insert(0, str(Path(__file__).parent))
import hostile_corpus

HERE = Path(__file__).parent
#: Safety nets, not speed targets (benchmarks/hostile.py prints the measured figures).
CASE_SECONDS = 10.0
CAP_MB = 2048
PEAK_MB = 1500
_CLI = "import sys; from mentorforms.commands.cli import main; sys.exit(main())"


@pytest.fixture(scope="module")
def hostile(demo_master: Path, tmp_path_factory: pytest.TempPathFactory):
    """(data folder, the good version, its record, corpus folder, cases by name)."""
    base_dir = tmp_path_factory.mktemp("hostile")
    root = base_dir / "data"
    shutil.copytree(demo_master, root)
    stored, record = hostile_corpus.good_record(DataFolder(root))
    cases = hostile_corpus.corpus(stored.path.read_bytes())
    paths = hostile_corpus.write_corpus(cases, base_dir / "corpus")
    return root, stored, record, base_dir / "corpus", paths


def _run(entry: str, root: Path, corpus: Path, base: Path) -> tuple[list[dict], float]:
    done = subprocess.run([sys.executable, str(HERE / "hostile_run.py"), entry, str(root), str(corpus), str(base),
                           str(CAP_MB)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return lines[:-1], lines[-1]["peak_mb"]


@pytest.mark.slow
@pytest.mark.parametrize("entry", ["import", "check", "index", "page", "carry"])
def test_every_entry_point_refuses_each_hostile_file_naming_it(hostile, entry: str) -> None:
    root, stored, _, corpus, paths = hostile
    results, peak = _run(entry, root, corpus, stored.path)
    assert sorted(result["case"] for result in results) == sorted(paths)
    for result in results:
        case = result["case"]
        assert result["outcome"] != "crashed", result
        assert result["seconds"] < CASE_SECONDS, result
        if entry == "carry":
            assert result["same"], f"{case}: carried forward something other than the good version"
        elif case.startswith("flip-"):
            # A flipped bit in a date or version field of a zip header changes nothing that is read.
            assert (result["outcome"] == "refused" and result["named"]) or result["same"], result
        else:
            assert result["outcome"] == "refused" and result["named"] and result["reason"], result
    assert peak < PEAK_MB
    flips = [result for result in results if result["case"].startswith("flip-")]
    if entry != "carry":
        refused = sum(result["outcome"] == "refused" for result in flips)
        assert refused >= len(flips) - 2, f"only {refused} of {len(flips)} bit flips were noticed"


#: Prepended to a ``-c`` program: at exit, the process writes its own peak resident memory. Not
#: wait4's ru_maxrss: Linux starts a child's at the parent's peak when it execs (the forked copy is
#: counted), so a child of a large pytest process would report pytest's memory, not its own.
_PEAK_HOOK = ("import atexit, os\n"
              "def _mf_peak():\n"
              "    with open('/proc/self/status') as status, open(os.environ['MF_PEAK_FILE'], 'w') as out:\n"
              "        out.write(next(line.split()[1] for line in status if line.startswith('VmHWM:')))\n"
              "atexit.register(_mf_peak)\n")


def _measured(command: list[str], scratch: Path) -> tuple[int, str, str, float, float]:
    """Exit status, stdout, stderr, CPU seconds and peak resident MB of a ``python -c`` command
    (CPU from os.wait4 on the child: CPU time, unlike wall time, does not grow when the machine is
    busy; the peak from the child's own VmHWM)."""
    assert command[1] == "-c"
    command = [command[0], "-c", _PEAK_HOOK + command[2], *command[3:]]
    out, err, peak_file = scratch / "out.txt", scratch / "err.txt", scratch / "peak.txt"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr,
                                   env={**os.environ, "MF_PEAK_FILE": str(peak_file)})
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    return (process.returncode, out.read_text(), err.read_text(), usage.ru_utime + usage.ru_stime,
            int(peak_file.read_text()) / 1024)


@pytest.mark.slow
def test_a_zip_bomb_is_refused_by_import_and_check_in_seconds_and_little_memory(hostile, tmp_path: Path) -> None:
    root, _, _, _, paths = hostile
    bomb = paths["zip-bomb"]
    assert bomb.stat().st_size < 4_000_000  # declares 1 GiB
    status, _, err, cpu, peak = _measured([sys.executable, "-c", _CLI, "import", str(bomb), str(root)], tmp_path)
    assert status == 1
    assert f"{bomb}: nothing was filed" in err and "Traceback" not in err
    assert cpu < 5.0 and peak < 300, (cpu, peak)

    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(root / "roster.xlsx", folder / "roster.xlsx")
    (folder / ".mentorforms-data").write_text("")
    place = folder / "records" / "2025-2026" / "x" / "p" / "conference_part1"
    place.mkdir(parents=True)
    shutil.copyfile(bomb, place / "v0001.xlsx")
    status, out, err, cpu, peak = _measured([sys.executable, "-c", _CLI, "check", str(folder)], tmp_path)
    assert status == 1 and "Traceback" not in err
    assert cpu < 5.0 and peak < 300, (cpu, peak)
    lines = out.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{place / 'v0001.xlsx'}: ")
    assert "would unpack to" in lines[0] and len(lines[0]) < 400


def _totals(root: Path) -> dict[str, object]:
    with Index(root, jobs=1) as index:
        index.refresh()
        tables = build_tables(index, load_roster(root / "roster.xlsx"), as_of=dt.date(2026, 11, 22))
        return {
            "teaching_hours": round(float(tables.teaching["hours"].sum()), 2),
            "goals": len(tables.goals), "promotion": len(tables.promotion), "people": len(tables.people),
            "mentoring": len(tables.mentoring), "support": len(tables.support),
            "problems": set(tables.problems["file"]),
        }


@pytest.mark.slow
def test_check_and_the_reports_name_each_hostile_file_once_and_the_good_totals_hold(hostile, tmp_path: Path) -> None:
    source, stored, _, _, paths = hostile
    root = tmp_path / "data"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(".mentorforms-index.sqlite*"))
    before = _totals(root)
    assert before["problems"] == set()
    folder = stored.path.parent.relative_to(source)
    placed = {}
    # The hostile files become the good person's newer versions; the bomb is the newest of all.
    for number, name in enumerate(sorted(paths, key=lambda name: name == "zip-bomb"), start=100):
        target = root / folder / f"v{number:04d}.xlsx"
        shutil.copyfile(paths[name], target)
        placed[name] = target
    old_xls = root / folder.parent / "old-copy.xls"
    old_xls.write_bytes(paths["old-xls"].read_bytes())
    stale = root / folder / ".saving-killed.xlsx"
    stale.write_bytes(b"half a save")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))

    found, checked = check_folder(root)
    lines = [str(problem) for problem in found]
    assert all("\n" not in line and len(line) < 700 for line in lines)
    for name, path in placed.items():
        mine = [line for line in lines if line.startswith(f"{path}:")]
        if name.startswith("flip-") and not mine:
            continue  # a harmless flip: it reads exactly as the good file
        assert len(mine) == 1, (name, mine)
    newest = [line for line in lines if line.startswith(f"{placed['zip-bomb']}:")][0]
    assert "is the latest version and cannot be read; pages show version" in newest
    assert any(line.startswith(f"{old_xls}:") and "old .xls workbook" in line for line in lines)
    assert any(line.startswith(f"{stale}: note: removed a temporary file") for line in lines)
    assert not stale.exists()

    after = _totals(root)
    named = after.pop("problems")
    before.pop("problems")
    assert after == before
    refused = {str(path) for name, path in placed.items() if not name.startswith("flip-")}
    assert refused | {str(old_xls)} <= named


def test_a_part_already_checked_in_a_good_workbook_does_not_let_a_damaged_copy_through(demo_master: Path) -> None:
    """The reading boundary remembers parts it has checked (the same theme and styles are in every
    workbook); a copy whose part differs in one byte, or whose directory declares another CRC or
    size for it, is still unpacked and refused."""
    good_path = next(DataFolder(demo_master).iter_workbooks())
    good = good_path.read_bytes()
    workbook.read_record(good, "good")  # every part of it is now remembered as checked
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        members = [member for member in archive.infolist() if member.compress_size > 0]
    refused = []
    for member in members:
        start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
        packed = bytearray(good)
        packed[start + member.compress_size // 2] ^= 0x04
        for name, damaged in ((f"{member.filename} packed", bytes(packed)),
                              (f"{member.filename} crc", _with_directory_field(good, member, 16, member.CRC ^ 1)),
                              (f"{member.filename} size", _with_directory_field(good, member, 24,
                                                                               member.file_size + 1))):
            try:
                workbook.read_record(damaged, name)
            except WorkbookError:
                refused.append(name)
    assert refused == [name for member in members for name in
                       (f"{member.filename} packed", f"{member.filename} crc", f"{member.filename} size")]


def _with_directory_field(content: bytes, member, offset: int, value: int) -> bytes:
    """``content`` with one 4-byte field of ``member``'s central directory entry set to ``value``."""
    at = content.find(b"PK\x01\x02")
    name = member.filename.encode()
    while at >= 0:
        length = struct.unpack_from("<H", content, at + 28)[0]
        if content[at + 46:at + 46 + length] == name:
            changed = bytearray(content)
            struct.pack_into("<I", changed, at + offset, value & 0xFFFFFFFF)
            return bytes(changed)
        at = content.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"no directory entry for {member.filename}")
