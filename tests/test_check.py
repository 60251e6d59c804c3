"""`mentorforms check` passes on good data and names every broken or foreign file."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

from mentorforms.commands.cli import main
from mentorforms.records.store import DataFolder


def test_check_passes_on_demo_data(demo_dir: Path, capsys) -> None:
    assert main(["check", str(demo_dir)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "0 problems" in captured.err


def _drop_broken_files(folder: Path) -> dict[str, Path]:
    first = next(DataFolder(folder).iter_workbooks())
    target = first.parent
    truncated = target / "v9001.xlsx"
    truncated.write_bytes(first.read_bytes()[: len(first.read_bytes()) // 2])
    foreign = target / "v9002.xlsx"
    book = Workbook()
    book.active["A1"] = "Budget 2025"
    book.save(foreign)
    not_a_zip = target / "v9003.xlsx"
    not_a_zip.write_text("this is not a spreadsheet")
    bad_xml = target / "v9004.xlsx"
    with zipfile.ZipFile(first) as source, zipfile.ZipFile(bad_xml, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 3]
            copy.writestr(item, data)
    return {"truncated": truncated, "foreign": foreign, "not a zip": not_a_zip, "bad xml": bad_xml}


def test_check_fails_naming_each_broken_or_foreign_file(demo_dir: Path, capsys) -> None:
    broken = _drop_broken_files(demo_dir)
    assert main(["check", str(demo_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    for kind, path in broken.items():
        matching = [line for line in lines if line.startswith(f"{path}:")]
        assert len(matching) == 1, f"the {kind} file is reported once: {lines}"
    assert any("not a mentorforms workbook" in line for line in lines if str(broken["foreign"]) in line)


def test_check_reports_roster_rows(demo_dir: Path, capsys) -> None:
    roster = demo_dir / "roster.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["person_id", "name", "department", "roles", "mentors"])
    sheet.append(["F1", "Ana", "Pediatrics", "faculty", "F9"])
    sheet.append(["F1", "Ben", "Pediatrics", "faculty", ""])
    sheet.append(["F2", "", "Surgery", "wizard", ""])
    book.save(roster)
    assert main(["check", str(demo_dir)]) == 1
    out = capsys.readouterr().out
    assert "row 2, mentors: mentor 'F9' is not on the roster" in out
    assert "row 3, person_id: 'F1' is already used on row 2" in out
    assert "row 4, name: is required" in out
    assert "row 4, roles: unknown role wizard" in out


def test_the_console_script_runs(demo_dir: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mentorforms.commands.cli", "forms"], capture_output=True, text=True,
                            check=True)
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [
        "agreement", "conference_part1", "conference_part2", "network_map", "peer_group", "mentee_checklist",
        "meeting", "relationship_review"]
    assert [line.split()[1] for line in lines] == ["v1", "v1", "v1", "v1", "v2", "v1", "v1", "v1"]
    assert len({line.index(" v") for line in lines}) == 1  # the versions line up
