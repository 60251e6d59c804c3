"""The command line under errors: one plain line on stderr, a non-zero exit, the traceback only
with --debug."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from mentorforms.commands.cli import main
from mentorforms.records.store import MARKER


def _one_line(capsys: pytest.CaptureFixture, status: int, expected_status: int) -> str:
    err = capsys.readouterr().err
    assert status == expected_status, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_an_unknown_form_id(tmp_path: Path, capsys) -> None:
    line = _one_line(capsys, main(["blank", "conference_part3", "--out", str(tmp_path / "x.xlsx")]), 2)
    assert line.startswith("mentorforms blank: there is no form 'conference_part3'; the forms are ")


def test_out_in_a_folder_that_does_not_exist_and_out_not_xlsx(tmp_path: Path, capsys) -> None:
    line = _one_line(capsys, main(["blank", "agreement", "--out", str(tmp_path / "nope" / "x.xlsx")]), 2)
    assert f"the folder {tmp_path / 'nope'} does not exist" in line
    line = _one_line(capsys, main(["blank", "agreement", "--out", str(tmp_path / "x.txt")]), 2)
    assert "does not end in .xlsx" in line
    assert os.listdir(tmp_path) == []


def test_report_and_check_on_a_missing_folder(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "gone"
    line = _one_line(capsys, main(["report", str(missing), "--out", str(tmp_path / "r.xlsx")]), 1)
    assert line == f"mentorforms report: the data folder {missing} does not exist"
    line = _one_line(capsys, main(["check", str(missing)]), 1)
    assert line == f"mentorforms check: the data folder {missing} does not exist"


def test_a_full_disk_on_import(demo_dir: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    import hostile_corpus

    from mentorforms.records.store import DataFolder

    stored, _ = hostile_corpus.good_record(DataFolder(demo_dir))
    before = sorted(os.listdir(stored.path.parent))

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    line = _one_line(capsys, main(["import", str(stored.path), str(demo_dir)]), 1)
    assert line.startswith("mentorforms import: the disk is full")
    assert sorted(os.listdir(stored.path.parent)) == before  # nothing filed, no temporary left


def test_an_os_error_in_report(demo_dir: Path, tmp_path: Path, capsys) -> None:
    from mentorforms.reports.index import Index

    with Index(demo_dir) as index:
        index.refresh()  # so the report prints no progress line
    out = tmp_path / "taken.xlsx"
    out.mkdir()  # a folder where the workbook should go
    line = _one_line(capsys, main(["report", str(demo_dir), "--out", str(out), "--year", "2025-2026"]), 1)
    assert line == f"mentorforms report: {out}: Is a directory"


def test_debug_shows_the_traceback(tmp_path: Path, capsys) -> None:
    assert main(["--debug", "blank", "conference_part3", "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.strip().splitlines()[-1].startswith("mentorforms blank: there is no form")
    assert main(["blank", "conference_part3", "--out", str(tmp_path / "x.xlsx"), "--debug"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_init_marks_a_folder_once(tmp_path: Path, capsys) -> None:
    root = tmp_path / "office"
    assert main(["init", str(root)]) == 0
    assert (root / MARKER).is_file()
    assert main(["init", str(root)]) == 0
    assert "already a mentorforms data folder" in capsys.readouterr().out
