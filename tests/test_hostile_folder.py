"""The data folder against things going wrong around it: a folder that is not one, a folder that
vanished, a flush that fails after the version was filed, killed saves, unreadable newest versions,
and writers racing for one file."""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pytest

from mentorforms.commands.check import check_folder
from mentorforms.forms import get_form
from mentorforms.records.roster import Person, load_roster, write_roster
from mentorforms.records.store import MARKER, DataFolder, SaveError
from mentorforms.reports.index import Index
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status

YEAR = AcademicYear(2025)


def _record(note: str = "first") -> Record:
    form = get_form("conference_part1", YEAR)
    return Record(form.id, form.version, YEAR, "F1", "Pediatrics", Status.DRAFT, {"challenges": note})


def test_a_save_into_a_folder_without_the_marker_is_refused(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path)
    with pytest.raises(SaveError) as refused:
        folder.save(_record())
    assert f"run 'mentorforms init {tmp_path}'" in str(refused.value)
    assert not (tmp_path / "records").exists()
    found, _ = check_folder(tmp_path)
    assert any(problem.path == tmp_path and "mentorforms init" in problem.reason for problem in found)


def test_the_first_roster_write_marks_the_folder(tmp_path: Path) -> None:
    write_roster([Person("F1", "Ana", "Pediatrics")], tmp_path / "roster.xlsx")
    assert (tmp_path / MARKER).is_file()
    assert DataFolder(tmp_path).save(_record()).version == 1


def test_a_save_after_the_data_folder_vanished_is_refused_and_does_not_recreate_it(data_dir: Path) -> None:
    folder = DataFolder(data_dir)
    folder.save(_record())
    shutil.rmtree(data_dir)
    with pytest.raises(SaveError) as refused:
        folder.save(_record("second"))
    assert "is not there any more" in str(refused.value)
    assert not data_dir.exists()
    data_dir.mkdir()  # an empty mount point where the share was
    with pytest.raises(SaveError):
        folder.save(_record("third"))
    assert os.listdir(data_dir) == []


def test_a_failed_folder_flush_after_the_link_still_reports_the_version_filed(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from mentorforms.records import version_claim

    def broken(folder: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(version_claim, "_fsync_folder", broken)
    with caplog.at_level(logging.WARNING, logger="mentorforms.records.version_claim"):
        stored = DataFolder(data_dir).save(_record())
    assert stored.version == 1 and stored.path.is_file()
    assert "version 1 was filed" in caplog.text and "Input/output error" in caplog.text


def test_temporaries_of_killed_saves_go_with_the_next_save(data_dir: Path) -> None:
    folder = DataFolder(data_dir)
    first = folder.save(_record())
    old = first.path.parent / ".saving-killed.xlsx"
    fresh = first.path.parent / ".saving-in-progress.xlsx"
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    folder.save(_record("second"))
    assert not old.exists() and fresh.exists()


def test_latest_readable_skips_unreadable_newer_versions_naming_them(data_dir: Path) -> None:
    folder = DataFolder(data_dir)
    assert folder.latest_readable("conference_part1", YEAR, "F1") == (None, None, [])
    good = folder.save(_record("good"))
    for number in (2, 3):
        (good.path.parent / f"v{number:04d}.xlsx").write_bytes(good.path.read_bytes()[:300])
    record, stored, errors = folder.latest_readable("conference_part1", YEAR, "F1")
    assert (stored.path, stored.version) == (good.path, 1) and record.values["challenges"] == "good"
    assert [error.path.name for error in errors] == ["v0003.xlsx", "v0002.xlsx"]
    assert all("damaged or incomplete" in error.reason for error in errors)
    good.path.write_bytes(b"")
    assert folder.latest_readable("conference_part1", YEAR, "F1")[:2] == (None, None)


def _open_new_index(root: str) -> str | None:
    try:
        with Index(root, jobs=1) as index:
            index.query("SELECT count(*) FROM f_agreement")
        return None
    except Exception as error:  # noqa: BLE001 - what a racing process saw is the result
        return repr(error)


def test_ten_processes_opening_a_new_index_at_once_never_see_half_a_schema(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    failures = []
    for trial in range(8):
        root = tmp_path / f"trial{trial}"
        root.mkdir()
        with context.Pool(10) as pool:
            failures += [error for error in pool.map(_open_new_index, [str(root)] * 10) if error]
    assert failures == []


def _write(arguments: tuple[str, int]) -> None:
    path, number = arguments
    write_roster([Person(f"F{index}", f"Person {index}", "Pediatrics") for index in range(number * 20)], path)


def test_concurrent_roster_writes_leave_one_whole_roster_and_no_temporaries(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    path = tmp_path / "roster.xlsx"
    for _ in range(4):
        with context.Pool(10) as pool:
            pool.map(_write, [(str(path), number) for number in range(1, 11)])
        assert len(load_roster(path)) % 20 == 0  # one writer's roster, whole
        assert sorted(os.listdir(tmp_path)) == [MARKER, "roster.xlsx"]


def _export(arguments: tuple[str, str]) -> str | None:
    from mentorforms.commands.cli import main

    root, out = arguments
    return None if main(["report", root, "--out", out, "--year", "2025-2026"]) == 0 else "failed"


@pytest.mark.slow
def test_concurrent_exports_to_one_file_all_succeed(demo_dir: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "same.xlsx"
    with Index(demo_dir) as index:
        index.refresh()  # built once: the racing reports only read it
    context = multiprocessing.get_context("fork")
    with context.Pool(8) as pool:
        results = pool.map(_export, [(str(demo_dir), str(out))] * 8)
    assert results == [None] * 8
    load_workbook(out)
    assert os.listdir(out.parent) == ["same.xlsx"]


def test_check_names_an_old_xls_roster(data_dir: Path) -> None:
    (data_dir / "roster.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    found, _ = check_folder(data_dir)
    assert [str(problem) for problem in found] == [
        f"{data_dir / 'roster.xls'}: the roster is an old .xls workbook; save it as roster.xlsx (there is no roster "
        "until then)"]
