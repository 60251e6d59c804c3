"""The head of the audit trail: ``audit/head.json`` repeats the last entry's number and hash, so
entries removed from the end of the log are noticed too (the log itself stays the truth).

Only writers holding the log's lock write it (:mod:`mentorforms.records.audit_append`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from mentorforms import messages
from mentorforms.errors import AuditError
from mentorforms.records.audit_entry import Entry, canonical
from mentorforms.records.audit_log import AUDIT, HEAD, head_path


def read_head(root: Path | str) -> tuple[int, str] | None:
    """The (number, hash) that ``head.json`` records, None if there is none; AuditError if unreadable."""
    path = head_path(root)
    try:
        raw = path.read_bytes()[:4096]
    except FileNotFoundError:
        return None
    except OSError as error:
        raise AuditError(path, error.strerror or str(error)) from error
    try:
        content = json.loads(raw)
        seq, digest = content["seq"], content["hash"]
        if type(seq) is not int or not isinstance(digest, str):
            raise TypeError
    except (ValueError, KeyError, TypeError) as error:
        raise AuditError(path, messages.AUDIT_HEAD_UNREADABLE) from error
    return seq, digest


def head_names(root: Path | str, last: Entry | None) -> bool:
    """Does ``head.json`` name ``last`` (no head and no entry: an empty log)? False when unreadable."""
    try:
        head = read_head(root)
    except AuditError:
        return False
    return head == ((last.seq, last.hash) if last else None)


def write_head(root: Path | str, entry: Entry) -> None:
    """Record ``entry``'s number and hash beside the log (replaced whole, never half-written; its
    temporary file never stays, whatever fails). OSError if it cannot be replaced."""
    target = head_path(root)
    temporary = target.with_name(f".{HEAD}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(canonical({"seq": entry.seq, "hash": entry.hash}) + b"\n")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def remove_head_temporaries(root: Path | str) -> None:
    """Remove head temporaries of other processes (only writers holding the lock make them, so
    under the lock any that exists belongs to a process that died mid-write)."""
    for stale in Path(root, AUDIT).glob(f".{HEAD}.*.tmp"):
        stale.unlink(missing_ok=True)
