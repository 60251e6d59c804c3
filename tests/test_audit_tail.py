"""The audit log's tail as the report index reads it: the files saves wrote since a position."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mentorforms.records import audit, audit_tail
from mentorforms.records.audit_tail import Position

DIGEST = "0" * 64


def _append(root: Path, *paths: str) -> None:
    audit.append(root, "save", actor="p1", files=dict.fromkeys(paths, DIGEST))


def test_the_files_appended_since_a_position_and_nothing_before_it(tmp_path: Path) -> None:
    _append(tmp_path, "records/2026-2027/d/p1/conference_part1/v0001.xlsx")
    start = audit_tail.position(tmp_path)
    assert start is not None and start.offset == audit.log_path(tmp_path).stat().st_size
    _append(tmp_path, "records/2026-2027/d/p2/conference_part1/v0001.xlsx")
    audit.append(tmp_path, "viewed", actor="p3")
    files, after = audit_tail.files_since(tmp_path, start)
    assert files == ["records/2026-2027/d/p2/conference_part1/v0001.xlsx"]
    assert after == audit_tail.position(tmp_path)
    assert audit_tail.files_since(tmp_path, after) == ([], after)


def test_a_line_still_being_written_is_left_for_next_time(tmp_path: Path) -> None:
    _append(tmp_path, "records/a/v0001.xlsx")
    start = audit_tail.position(tmp_path)
    _append(tmp_path, "records/b/v0001.xlsx")
    log = audit.log_path(tmp_path)
    whole = log.read_bytes()
    log.write_bytes(whole[:-20])  # the last entry cut short, as a reader could see it mid-write
    files, after = audit_tail.files_since(tmp_path, start)
    assert (files, after) == ([], start)
    assert audit_tail.position(tmp_path) == start
    log.write_bytes(whole)
    assert audit_tail.files_since(tmp_path, start)[0] == ["records/b/v0001.xlsx"]


def test_a_replaced_shortened_or_missing_log_cannot_say(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _append(tmp_path, "records/a/v0001.xlsx")
    _append(tmp_path, "records/b/v0001.xlsx")
    here = audit_tail.position(tmp_path)
    log = audit.log_path(tmp_path)
    found = os.stat(log)
    assert audit_tail.files_since(tmp_path, Position(found.st_dev, found.st_ino + 1, 0)) is None  # another file
    assert audit_tail.files_since(tmp_path, Position(here.device, here.inode, here.offset + 1)) is None  # shorter
    monkeypatch.setattr(audit_tail, "MAX_TAIL_BYTES", 10)
    assert audit_tail.files_since(tmp_path, Position(here.device, here.inode, 0)) is None  # too much to read
    log.unlink()
    assert audit_tail.files_since(tmp_path, here) is None and audit_tail.position(tmp_path) is None


def test_a_position_reads_back_and_nonsense_is_none() -> None:
    mark = Position(1, 2, 3)
    assert Position.decode(mark.encode()) == mark
    for text in (None, "", "1:2", "a:b:c", "1:2:-5", "1:2:3:4"):
        assert Position.decode(text) is None
