"""What was appended to the audit log since a known place in it: the files that saves wrote.

Every save through the app is recorded in the audit trail (:mod:`mentorforms.records.audit`) with the
workbook it filed, so the log's tail is a list of what changed. The report index reads it to
refresh quickly (only the folders saves went into) instead of checking every folder. A
:class:`Position` is the log file (device and inode) and a byte offset just after a complete
line; anything that makes the tail untrustworthy (the log replaced, cut shorter, unreadable, or
far more appended than a quick look should read) gives None, and the caller checks every folder.

This reads the log as the report index's hint, not as evidence: lines are parsed with the
log's own reader (:func:`mentorforms.records.audit.parse_entry`), lines it refuses are skipped (``audit
verify`` reports them), and the chain of hashes is not checked here.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mentorforms.records.audit import MAX_LINE_BYTES, log_path, parse_entry

log = logging.getLogger(__name__)

#: Read at most this much of a tail: beyond it, checking every folder is as quick.
MAX_TAIL_BYTES = 4 << 20


@dataclass(frozen=True)
class Position:
    """A place in one audit log file: just after its last complete line when it was taken."""

    device: int
    inode: int
    offset: int

    def encode(self) -> str:
        """The position as text (``device:inode:offset``), as :meth:`decode` reads it back."""
        return f"{self.device}:{self.inode}:{self.offset}"

    @classmethod
    def decode(cls, text: str | None) -> Position | None:
        """The position :meth:`encode` wrote, or None for anything else."""
        try:
            device, inode, offset = (int(part) for part in (text or "").split(":"))
        except ValueError:
            return None
        return cls(device, inode, offset) if offset >= 0 else None


def _complete_end(handle: BinaryIO, size: int) -> int:
    """The offset just after the last newline before ``size`` (the start of a line longer than
    the log's limit, or 0, if there is none that near the end)."""
    end, block = size, 1 << 16
    while end > 0 and size - end <= MAX_LINE_BYTES:
        start = max(0, end - block)
        handle.seek(start)
        cut = handle.read(end - start).rfind(b"\n")
        if cut >= 0:
            return start + cut + 1
        end = start
    return end


def position(root: Path | str) -> Position | None:
    """Where the log of data folder ``root`` ends now (after its last complete line); None if
    there is no log or it cannot be read."""
    try:
        with open(log_path(root), "rb") as handle:
            found = os.fstat(handle.fileno())
            return Position(found.st_dev, found.st_ino, _complete_end(handle, found.st_size))
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("cannot read the audit log of %s: %s", root, error)
        return None


def files_since(root: Path | str, since: Position) -> tuple[list[str], Position] | None:
    """The files (relative to ``root``, as entries name them) that entries appended after
    ``since`` say were written, and the position after the last complete line read.

    None when the tail cannot stand for what changed: there is no log, it is another file than
    the one ``since`` was taken in, it is shorter than ``since``, more than MAX_TAIL_BYTES were
    appended, or it cannot be read.
    """
    try:
        with open(log_path(root), "rb") as handle:
            found = os.fstat(handle.fileno())
            if (found.st_dev, found.st_ino) != (since.device, since.inode) or found.st_size < since.offset:
                return None
            if found.st_size - since.offset > MAX_TAIL_BYTES:
                return None
            handle.seek(since.offset)
            tail = handle.read(found.st_size - since.offset)
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("cannot read the audit log of %s: %s", root, error)
        return None
    end = tail.rfind(b"\n") + 1  # a line still being written is read next time
    files: list[str] = []
    for raw in tail[:end].split(b"\n"):
        if not raw.strip() or b'"files":{}' in raw:
            continue
        try:
            files.extend(parse_entry(raw).files)
        except ValueError:
            continue
    return files, Position(since.device, since.inode, since.offset + end)
