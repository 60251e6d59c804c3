"""Which folders of the records folder a refresh of the index lists again, and what it finds there.

A full look checks every folder the index knows with one ``stat`` and lists those whose time
changed (66,000 folders at 12,000 faculty: a quarter of a second). A quick look starts from the
audit trail instead: every save through the app is recorded there with the file it wrote
(:mod:`mentorforms.records.audit_tail`), so the folders named since the index last looked, and the
folders still "racy", are all that can hold a save. Files copied in or removed by hand are not in
the trail: the full look finds them (a dashboard follows its quick look with a full one).
Without a usable place in the trail (none stored yet, the log replaced, a long gap) the quick
look is a full one.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mentorforms.records import audit_tail
from mentorforms.records.audit_tail import Position
from mentorforms.records.store import RECORDS
from mentorforms.reports.load import is_workbook_name

#: A stored time this close to the moment it was checked may hide a later change in the same tick.
RACY_NS = 2_000_000_000
#: The meta key under which the index keeps its place in the audit log.
POSITION_KEY = "audit_position"

HandIn = Callable[[list[tuple[str, int, int, int]]], None]


def racy_flag(mtime_ns: int, now_ns: int) -> int:
    """1 if a time ``mtime_ns`` seen at ``now_ns`` is too recent to trust (see :data:`RACY_NS`), else 0."""
    return 1 if now_ns - mtime_ns < RACY_NS else 0


@dataclass
class Scan:
    """What one look at the records folder found: the folders listed (path -> (mtime_ns, racy)),
    the known folders gone, and (unless the files were handed in as found) the files seen."""

    dirs: dict[str, tuple[int, int]] = field(default_factory=dict)
    removed_dirs: list[str] = field(default_factory=list)
    found_files: set[str] = field(default_factory=set)


def stored_position(connection: sqlite3.Connection) -> Position | None:
    """Where in the audit log the last look stopped (:func:`remember_position`); None if unknown."""
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (POSITION_KEY,)).fetchone()
    return Position.decode(row[0]) if row else None


def remember_position(connection: sqlite3.Connection, mark: Position | None) -> None:
    """Keep ``mark`` as where the next quick look starts (inside the caller's transaction)."""
    if mark is not None:
        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (POSITION_KEY, mark.encode()))


def saved_folders(root: Path, stored: Position | None) -> tuple[set[str] | None, Position | None]:
    """The folders (relative to the records folder) that saves went into since the position
    ``stored`` (:func:`stored_position`), and the position after them; (None, where the log ends
    now) when the trail cannot say (see the module notes), so that every folder is checked."""
    tail = audit_tail.files_since(root, stored) if stored is not None else None
    if tail is None:
        return None, audit_tail.position(root)
    files, after = tail
    folders: set[str] = set()
    for key in files:
        parts = key.split("/")
        # Only a workbook inside the records folder, named without a way out of it.
        if (len(parts) < 3 or parts[0] != RECORDS or any(part in ("", ".", "..") for part in parts)
                or "\\" in key or "\0" in key or not is_workbook_name(parts[-1])):
            continue
        folders.add("/".join(parts[1:-1]))
    return folders, after


def candidates(connection: sqlite3.Connection, folders: set[str] | None
               ) -> tuple[dict[str, tuple[int, int]], list[str], Callable[[str], bool]]:
    """What to look at: (known folders to ``stat``, with their stored time and raciness; folders
    to list whatever their time; a test of whether a folder is known).

    ``folders`` None: every known folder (and, for an empty index, the records folder itself).
    """
    if folders is None:
        known = {path: (mtime, racy) for path, mtime, racy in connection.execute(
            "SELECT path, mtime_ns, racy FROM dirs")}
        return known, ([] if known else [""]), known.__contains__
    racy = {path: (mtime, flag) for path, mtime, flag in connection.execute(
        "SELECT path, mtime_ns, racy FROM dirs WHERE racy = 1")}

    def is_known(rel: str) -> bool:
        return rel in racy or connection.execute("SELECT 1 FROM dirs WHERE path = ?", (rel,)).fetchone() is not None

    return racy, sorted(folders), is_known


def scan(records_root: str, root_fd: int | None, check: dict[str, tuple[int, int]], listed: Iterable[str],
         is_known: Callable[[str], bool], hand_in: HandIn | None = None) -> Scan:
    """Folders to list again (``listed``, and those of ``check`` whose time changed or that are
    racy, and new folders below them), the files found in them, and known folders gone.

    With ``hand_in`` (a cold build) the files found are not kept: each folder's are passed to it
    at once as (path, size, mtime_ns, racy).
    """
    found_scan = Scan()
    if root_fd is None:
        found_scan.removed_dirs.extend(check)
        return found_scan
    pending: list[str] = list(listed)
    for rel, (mtime, racy) in check.items():
        try:
            found = os.stat(rel or ".", dir_fd=root_fd)
        except (FileNotFoundError, NotADirectoryError):
            found_scan.removed_dirs.append(rel)
            continue
        if racy or found.st_mtime_ns != mtime:
            pending.append(rel)
    seen: set[str] = set()
    while pending:
        rel = pending.pop()
        if rel in seen:
            continue
        seen.add(rel)
        full = os.path.join(records_root, rel) if rel else records_root
        try:
            listed_at = os.stat(full)  # before listing: a change after this shows as a newer time
            entries = list(os.scandir(full))
        except (FileNotFoundError, NotADirectoryError):
            if is_known(rel):
                found_scan.removed_dirs.append(rel)
            continue
        now = time.time_ns()
        found_scan.dirs[rel] = (listed_at.st_mtime_ns, racy_flag(listed_at.st_mtime_ns, now))
        files = []
        for entry in entries:
            child = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_dir(follow_symlinks=False):
                if child not in found_scan.dirs and child not in seen and not is_known(child):
                    pending.append(child)
            elif is_workbook_name(entry.name) and entry.is_file():
                if hand_in is None:
                    found_scan.found_files.add(child)
                    continue
                try:
                    stat = entry.stat()
                except FileNotFoundError:
                    continue
                files.append((child, stat.st_size, stat.st_mtime_ns, racy_flag(stat.st_mtime_ns, now)))
        if files and hand_in is not None:
            hand_in(files)
    return found_scan


def files_to_check(connection: sqlite3.Connection, scan: Scan, thorough: bool
                   ) -> Iterable[tuple[str, int, int, int]]:
    """(path, size, mtime_ns, racy) of the known files to check: all of them, or (quick) those
    in folders listed again or gone, and racy ones."""
    if thorough:
        return connection.execute("SELECT path, size, mtime_ns, racy FROM files")
    found: dict[str, tuple[str, int, int, int]] = {}
    # A removed folder's subfolders are each reported removed too, so its own files are enough.
    for folder in (*scan.dirs, *scan.removed_dirs):
        for row in connection.execute("SELECT path, size, mtime_ns, racy FROM files WHERE folder = ?", (folder,)):
            found[row[0]] = row
    for row in connection.execute("SELECT path, size, mtime_ns, racy FROM files WHERE racy = 1"):
        found[row[0]] = row
    return list(found.values())
