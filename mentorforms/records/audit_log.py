"""The audit log on disk: where its files are, its writers' lock, and reading it line by line,
forwards from the start (any size, as a stream) or backwards from the end (the last entry).

One JSON object per line in ``DATA_DIR/audit/log.jsonl`` (:mod:`mentorforms.records.audit_entry`);
``audit/head.json`` repeats the last entry's number and hash (:mod:`mentorforms.records.audit_head`);
``audit/log.lock`` is the writers' lock.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import filelock

from mentorforms import messages
from mentorforms.errors import AuditError
from mentorforms.records.audit_entry import MAX_LINE_BYTES, Entry, parse_entry

AUDIT = "audit"
LOG = "log.jsonl"
HEAD = "head.json"
LOCK = "log.lock"
LOCK_TIMEOUT_S = 30.0


def log_path(root: Path | str) -> Path:
    """The audit log of the data folder ``root``."""
    return Path(root) / AUDIT / LOG


def head_path(root: Path | str) -> Path:
    """The head file of the data folder ``root`` (the last entry's number and hash)."""
    return Path(root) / AUDIT / HEAD


def lock(root: Path | str) -> filelock.FileLock:
    """The writers' lock of the audit log of ``root`` (``audit/log.lock``): one object per process
    and path, re-entrant within a thread, so a caller holding it (a save claiming its version and
    recording it in one step) may append under it."""
    return filelock.FileLock(Path(root) / AUDIT / LOCK, timeout=LOCK_TIMEOUT_S, is_singleton=True)


# --------------------------------------------------------------------------- forwards


@dataclass(frozen=True)
class Line:
    """One line of the log: its number (from 1), the entry it holds or why it holds none, and
    whether it ended with a newline (only the last line may not)."""

    number: int
    entry: Entry | None
    problem: str = ""
    complete: bool = True
    #: Where the line starts in the file, and (for a line that holds no entry) the SHA-256 of its
    #: bytes without the newline: what an ``interrupted`` entry records of a cut line.
    offset: int = 0
    digest: str = ""


def lines(root: Path | str, *, limit: int | None = None) -> Iterator[Line]:
    """Every line of the log in order, read as a stream (any log size); only its first ``limit``
    bytes if given. Nothing if there is no log."""
    path = log_path(root)
    with ExitStack() as stack:
        try:
            handle = stack.enter_context(open(path, "rb"))
        except FileNotFoundError:
            return
        except OSError as error:
            raise AuditError(path, error.strerror or str(error)) from error
        remaining = float("inf") if limit is None else limit
        number = offset = 0
        while remaining > 0:
            raw = handle.readline(int(min(remaining, MAX_LINE_BYTES + 1)))
            if not raw:
                break
            start, offset = offset, offset + len(raw)
            remaining -= len(raw)
            number += 1
            complete = raw.endswith(b"\n")
            if not complete and len(raw) > MAX_LINE_BYTES:
                skipped = _skip_line(handle)  # a crafted giant line: read past it, never hold it
                remaining -= skipped
                offset += skipped
                complete = True
                yield Line(number, None, messages.say(messages.AUDIT_LINE_TOO_LONG, limit=MAX_LINE_BYTES), complete,
                           start)
                continue
            try:
                yield Line(number, parse_entry(raw), complete=complete, offset=start)
            except ValueError as error:
                body = raw[:-1] if complete else raw
                yield Line(number, None, str(error), complete, start, hashlib.sha256(body).hexdigest())


def _skip_line(handle: BinaryIO) -> int:
    skipped = 0
    while True:
        chunk = handle.readline(1 << 16)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def entries(root: Path | str, *, person: str | None = None, form: str | None = None,
            year: str | None = None, on_problem: Callable[[Line], None] | None = None) -> Iterator[Entry]:
    """The entries of the log in order, optionally only those about ``person`` (as the subject or
    the actor), ``form`` or ``year``. Lines that hold no entry are passed to ``on_problem`` (see
    :func:`mentorforms.records.audit_verify.verify` for what is wrong with the log)."""
    for line in lines(root):
        entry = line.entry
        if entry is None:
            if on_problem is not None:
                on_problem(line)
            continue
        if person is not None and person not in (entry.person_id, entry.actor):
            continue
        if form is not None and entry.form_id != form:
            continue
        if year is not None and entry.year != year:
            continue
        yield entry


# --------------------------------------------------------------------------- backwards


def tail(path: Path) -> tuple[Entry | None, tuple[int, str, int] | None]:
    """The last well-formed entry of the log at ``path`` (reading backwards from the end, usually
    one block) and, when the file does not end with a newline, its last line: (offset, SHA-256, size)."""
    with ExitStack() as stack:
        try:
            handle = stack.enter_context(open(path, "rb"))
        except FileNotFoundError:
            return None, None
        end = handle.seek(0, os.SEEK_END)
        if end == 0:
            return None, None
        handle.seek(end - 1)
        cut = None
        if handle.read(1) != b"\n":
            start = _line_start(handle, end)
            handle.seek(start)
            raw = handle.read(min(end - start, MAX_LINE_BYTES + 1))
            cut = (start, hashlib.sha256(raw).hexdigest() if end - start <= MAX_LINE_BYTES else "", end - start)
        for raw in _lines_backwards(handle, end):
            try:
                return parse_entry(raw), cut
            except ValueError:
                continue  # a cut or damaged line: chain to the last good entry before it
    return None, cut


def _line_start(handle: BinaryIO, end: int, block: int = 1 << 16) -> int:
    """Where the line that ends at ``end`` (without a newline) starts."""
    position = end
    while position > 0:
        step = min(block, position)
        handle.seek(position - step)
        chunk = handle.read(step)
        found = chunk.rfind(b"\n")
        if found >= 0:
            return position - step + found + 1
        position -= step
    return 0


def _lines_backwards(handle: BinaryIO, end: int, block: int = 1 << 16) -> Iterator[bytes]:
    """The file's non-blank lines from the last to the first; a line longer than MAX_LINE_BYTES is
    skipped without being held in memory."""
    position, pending, overlong = end, b"", False
    while position > 0:
        step = min(block, position)
        position -= step
        handle.seek(position)
        parts = (handle.read(step) + pending).split(b"\n")
        if overlong:
            if len(parts) == 1:
                pending = b""
                continue
            parts, overlong = parts[:-1], False  # what follows the newline is the overlong line's start
        pending = parts[0]
        for part in reversed(parts[1:]):
            if part.strip():
                yield part
        if len(pending) > MAX_LINE_BYTES:
            pending, overlong = b"", True
    if pending.strip() and not overlong:
        yield pending
