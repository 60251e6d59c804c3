"""Appending to the audit trail, under its lock.

Appending takes the exclusive lock (``audit/log.lock``, the ``filelock`` library), reads only the
tail of the log to find the previous entry, writes the new line with one ``write`` on a file
opened for appending, flushes it to disk, then replaces ``head.json``. Many processes may append
at once; none loses or interleaves an entry.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

import filelock

from mentorforms import messages
from mentorforms.errors import AuditError
from mentorforms.records.audit_entry import ACTIONS, CUT_LINE_KEY, Entry, is_digest, next_entry, relative_key
from mentorforms.records.audit_head import head_names, remove_head_temporaries, write_head
from mentorforms.records.audit_log import LOCK_TIMEOUT_S, head_path, lock, log_path, tail

logger = logging.getLogger(__name__)


def append(root: Path | str, action: str, *, actor: str, form_id: str | None = None,
           person_id: str | None = None, year: str | None = None, instance: str | None = None,
           version: int | None = None, files: Mapping[Path | str, str] | None = None,
           detail: str = "") -> Entry:
    """Add one entry to the audit log of the data folder ``root`` and return it, once it is on disk.

    Safe to call from many processes and threads at once: entries get consecutive numbers and each
    chains to the one before. Raises AuditError (naming the log and the reason) if the entry could
    not be written; a line half-written (a full disk) is cut off again, under the lock, so nothing
    is left that a later append would chain onto. Once the line is on disk the entry counts: a
    ``head.json`` that cannot be replaced then (a full disk, a read-only folder) is logged, its
    temporary file removed, and the entry returned (``audit verify`` names the entries past the
    head until the next append writes it).

    A log whose last line was cut short by an append that did not finish (a process killed
    mid-write; ``head.json`` still names the entry before it) is closed with an ``interrupted``
    entry by ``actor`` that records the cut bytes' offset and SHA-256, so verify can tell it from
    a line removed or damaged by hand. When ``head.json`` names a later entry than the last whole
    one, entries were removed: the line is closed without any such entry, and verify keeps saying so.
    """
    if action not in ACTIONS:
        raise AuditError(log_path(root), messages.say(messages.AUDIT_UNKNOWN_ACTION, action=action))
    recorded: dict[str, str] = {}
    for path, digest in (files or {}).items():
        if not is_digest(digest):
            raise AuditError(log_path(root), messages.say(messages.AUDIT_BAD_DIGEST, path=path))
        recorded[relative_key(root, path)] = digest
    log = log_path(root)
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with lock(root):
            last, cut = tail(log)
            data = b""
            if cut is not None:
                # A line cut short by a crash is closed first, so the new entry starts on its own line.
                data = b"\n"
                if head_names(root, last):
                    found = next_entry(last, actor=actor, action="interrupted", files={
                        CUT_LINE_KEY.format(offset=cut[0]): cut[1]},
                        detail=messages.say(messages.AUDIT_INTERRUPTED_DETAIL, size=cut[2],
                                            after=last.seq if last else 0))
                    data += found.line()
                    last = found
            entry = next_entry(last, actor=actor, action=action, form_id=form_id, person_id=person_id, year=year,
                               instance=instance, version=version, files=recorded, detail=detail)
            _write_all(log, data + entry.line())
            remove_head_temporaries(root)  # left by a process killed while writing the head
            try:
                write_head(root, entry)
            except OSError as error:
                # The entry is on disk, so it is recorded; only the pin lags (verify says so).
                logger.warning("audit entry %s was written but %s could not be replaced: %s", entry.seq,
                               head_path(root), error.strerror or error)
    except filelock.Timeout as error:
        raise AuditError(log, messages.say(messages.AUDIT_LOCK_TIMEOUT, seconds=f"{LOCK_TIMEOUT_S:g}")) from error
    except OSError as error:
        raise AuditError(log, messages.say(messages.AUDIT_WRITE_FAILED, reason=error.strerror or str(error))) from error
    return entry


def _write_all(path: Path, data: bytes) -> None:
    """Append ``data`` and flush it; on failure (a full disk) cut the log back to its size before,
    so no half line stays (the caller holds the lock: nobody else wrote meanwhile)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        before = os.fstat(descriptor).st_size
        try:
            view = memoryview(data)
            while view:
                written = os.write(descriptor, view)
                view = view[written:]
            os.fsync(descriptor)
        except OSError:
            try:
                os.ftruncate(descriptor, before)
            except OSError:
                logger.exception("the audit log %s could not be cut back after a failed write", path)
            raise
    finally:
        os.close(descriptor)
