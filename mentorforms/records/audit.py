"""The audit trail: an append-only, hash-chained log of everything done with the records.

One JSON object per line in ``DATA_DIR/audit/log.jsonl``. Each entry says who did what, when (UTC,
ISO 8601 to the microsecond), to which form of which person in which year, and the SHA-256 of every
file it wrote (path relative to DATA_DIR for files in the folder). Each entry carries a sequence
number, the hash of the entry before it (``prev``; 64 zeros for the first) and its own hash: the
SHA-256 of its canonical JSON (sorted keys, no spaces, ASCII) without ``hash``. Editing, removing
or reordering an entry therefore breaks the chain, and :mod:`mentorforms.records.audit_verify` says where.

Appending takes an exclusive lock (``audit/log.lock``), reads only the tail of the log to find the
previous entry, writes the new line in one ``write`` and flushes it to disk. Many processes may
append at once; none loses or interleaves an entry. ``audit/head.json`` repeats the last entry's
number and hash, so removing entries from the end is noticed too; the log itself stays the truth.

This module is the trail's one public face; the work is done by one module per job: the entry and
its chain (:mod:`~mentorforms.records.audit_entry`), the log's files, lock and reading
(:mod:`~mentorforms.records.audit_log`), the head (:mod:`~mentorforms.records.audit_head`) and
appending under the lock (:mod:`~mentorforms.records.audit_append`).

The chain shows tampering by anyone who edits the files without recomputing every later hash. It
cannot stop someone with write access who rewrites the whole log consistently: keep a copy of
``head.json`` elsewhere (a daily e-mail, a backup) to pin the chain down.
"""

from __future__ import annotations

from mentorforms.records.audit_append import append
from mentorforms.records.audit_entry import (
    ACTIONS,
    CUT_LINE_KEY,
    GENESIS,
    MAX_DETAIL_CHARS,
    MAX_FIELD_CHARS,
    MAX_LINE_BYTES,
    Entry,
    canonical,
    command_line_actor,
    parse_entry,
    relative_key,
    sha256_of,
)
from mentorforms.records.audit_head import read_head
from mentorforms.records.audit_log import (
    AUDIT,
    HEAD,
    LOCK,
    LOCK_TIMEOUT_S,
    LOG,
    Line,
    entries,
    head_path,
    lines,
    lock,
    log_path,
)

__all__ = [
    "ACTIONS",
    "AUDIT",
    "CUT_LINE_KEY",
    "GENESIS",
    "HEAD",
    "LOCK",
    "LOCK_TIMEOUT_S",
    "LOG",
    "MAX_DETAIL_CHARS",
    "MAX_FIELD_CHARS",
    "MAX_LINE_BYTES",
    "Entry",
    "Line",
    "append",
    "canonical",
    "command_line_actor",
    "entries",
    "head_path",
    "lines",
    "lock",
    "log_path",
    "parse_entry",
    "read_head",
    "relative_key",
    "sha256_of",
]
