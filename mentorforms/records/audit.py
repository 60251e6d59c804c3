"""The audit trail: an append-only, hash-chained log of everything done with the records.

One JSON object per line in ``DATA_DIR/audit/log.jsonl``. Each entry says who did what, when (UTC,
ISO 8601 to the microsecond), to which form of which person in which year, and the SHA-256 of every
file it wrote (path relative to DATA_DIR for files in the folder). Each entry carries a sequence
number, the hash of the entry before it (``prev``; 64 zeros for the first) and its own hash: the
SHA-256 of its canonical JSON (sorted keys, no spaces, ASCII) without ``hash``. Editing, removing
or reordering an entry therefore breaks the chain, and :mod:`mentorforms.records.audit_verify` says where.

Appending takes an exclusive lock (``audit/log.lock``, the ``filelock`` library), reads only the
tail of the log to find the previous entry, writes the new line with one ``write`` on a file
opened for appending and flushes it to disk. Many processes may append at once; none loses or
interleaves an entry. ``audit/head.json`` repeats the last entry's number and hash, so removing
entries from the end is noticed too; the log itself stays the truth.

The chain shows tampering by anyone who edits the files without recomputing every later hash. It
cannot stop someone with write access who rewrites the whole log consistently: keep a copy of
``head.json`` elsewhere (a daily e-mail, a backup) to pin the chain down.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import filelock

from mentorforms import messages
from mentorforms.errors import AuditError

logger = logging.getLogger(__name__)

AUDIT = "audit"
LOG = "log.jsonl"
HEAD = "head.json"
LOCK = "log.lock"
GENESIS = "0" * 64
LOCK_TIMEOUT_S = 30.0
#: Longest line a reader accepts (an entry is a few hundred bytes; this bounds a crafted one).
MAX_LINE_BYTES = 1 << 20
MAX_DETAIL_CHARS = 10_000
MAX_FIELD_CHARS = 1_000

ACTIONS = (
    "save", "save_draft", "submit", "sign", "edit", "progress", "import", "demo", "refused", "viewed",
    "downloaded", "printed", "dashboard_viewed", "exported", "reminder_sent",
    "reopen",  # a signed yearly review that revises the plan opens the agreement again (follow_ups)
    "adopted",  # a workbook filed before the trail, recorded as found (mentorforms audit adopt)
    "recovered",  # a version filed whose own entry was never written (a crash, a full disk), found later
    "interrupted",  # the line before it was cut short by an append that did not finish (see append)
)
#: How an "interrupted" entry names the cut line it accounts for: the log's path, "@", its offset.
CUT_LINE_KEY = "audit/log.jsonl@{offset}"

_TEXT_FIELDS = ("at", "actor", "action", "detail", "prev", "hash")
_OPTIONAL_TEXT = ("form_id", "person_id", "year", "instance")
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Entry:
    """One line of the audit log, exactly as written."""

    seq: int
    at: str
    actor: str
    action: str
    form_id: str | None
    person_id: str | None
    year: str | None
    instance: str | None
    version: int | None
    files: Mapping[str, str] = field(default_factory=dict)
    detail: str = ""
    prev: str = GENESIS
    hash: str = ""

    def body(self) -> dict[str, Any]:
        """The entry as a plain dict without its own hash (what the hash is computed over)."""
        content = {name: getattr(self, name) for name in _FIELDS if name != "hash"}
        content["files"] = dict(self.files)
        return content

    def computed_hash(self) -> str:
        """The hash this entry's content gives now (equal to ``hash`` unless it was edited)."""
        return hashlib.sha256(canonical(self.body())).hexdigest()

    @property
    def moment(self) -> dt.datetime:
        """``at`` as an aware UTC datetime."""
        return dt.datetime.fromisoformat(self.at)


_FIELDS = tuple(item.name for item in fields(Entry))
_FIELD_SET = frozenset(_FIELDS)


def canonical(content: Mapping[str, Any]) -> bytes:
    """The one byte form of a JSON object that hashes are computed over (and lines are written in)."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                      allow_nan=False).encode("ascii")


def sha256_of(path_or_bytes: Path | str | bytes | bytearray | memoryview) -> str:
    """The SHA-256 hex digest of the given bytes, or of a file's bytes (``str`` is a path)."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        return hashlib.sha256(path_or_bytes).hexdigest()
    digest = hashlib.sha256()
    with open(path_or_bytes, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def log_path(root: Path | str) -> Path:
    return Path(root) / AUDIT / LOG


def head_path(root: Path | str) -> Path:
    return Path(root) / AUDIT / HEAD


def command_line_actor() -> str:
    """Who runs a command-line job, for entries that have no signed-in person: ``cli:<account>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in this environment (a bare container)
        return f"cli:uid-{os.getuid()}" if hasattr(os, "getuid") else "cli:unknown"


def relative_key(root: Path | str, path: Path | str) -> str:
    """How a file is named in an entry: relative to DATA_DIR (POSIX slashes) when it is inside the
    folder or given relative, otherwise its absolute path."""
    path = Path(path)
    if not path.is_absolute():
        return path.as_posix()
    for base in (Path(root).absolute(), Path(root).resolve()):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()


# --------------------------------------------------------------------------- appending


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
        if len(digest) != 64 or not set(digest) <= _HEX:
            raise AuditError(log_path(root), messages.say(messages.AUDIT_BAD_DIGEST, path=path))
        recorded[relative_key(root, path)] = digest
    log = log_path(root)
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with lock(root):
            last, cut = _tail(log)
            data = b""
            if cut is not None:
                # A line cut short by a crash is closed first, so the new entry starts on its own line.
                data = b"\n"
                if _head_is(root, last):
                    found = _entry(last, actor=actor, action="interrupted", files={
                        CUT_LINE_KEY.format(offset=cut[0]): cut[1]},
                        detail=messages.say(messages.AUDIT_INTERRUPTED_DETAIL, size=cut[2],
                                            after=last.seq if last else 0))
                    data += _line(found)
                    last = found
            entry = _entry(last, actor=actor, action=action, form_id=form_id, person_id=person_id, year=year,
                           instance=instance, version=version, files=recorded, detail=detail)
            _write_all(log, data + _line(entry))
            _remove_head_temporaries(root)  # left by a process killed while writing the head
            try:
                _write_head(root, entry)
            except OSError as error:
                # The entry is on disk, so it is recorded; only the pin lags (verify says so).
                logger.warning("audit entry %s was written but %s could not be replaced: %s", entry.seq,
                               head_path(root), error.strerror or error)
    except filelock.Timeout as error:
        raise AuditError(log, messages.say(messages.AUDIT_LOCK_TIMEOUT, seconds=f"{LOCK_TIMEOUT_S:g}")) from error
    except OSError as error:
        raise AuditError(log, messages.say(messages.AUDIT_WRITE_FAILED, reason=error.strerror or str(error))) from error
    return entry


def lock(root: Path | str) -> filelock.FileLock:
    """The writers' lock of the audit log of ``root`` (``audit/log.lock``): one object per process
    and path, re-entrant within a thread, so a caller holding it (a save claiming its version and
    recording it in one step) may append under it."""
    return filelock.FileLock(Path(root) / AUDIT / LOCK, timeout=LOCK_TIMEOUT_S, is_singleton=True)


def _entry(last: Entry | None, *, actor: str, action: str, form_id: str | None = None, person_id: str | None = None,
           year: str | None = None, instance: str | None = None, version: int | None = None,
           files: Mapping[str, str] | None = None, detail: str = "") -> Entry:
    """The entry after ``last``, with its hash."""
    entry = Entry(
        seq=last.seq + 1 if last else 1,
        at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        actor=_clip(actor, MAX_FIELD_CHARS), action=action,
        form_id=_clip_optional(form_id), person_id=_clip_optional(person_id),
        year=_clip_optional(year), instance=_clip_optional(instance),
        version=int(version) if version is not None else None,
        files=dict(files or {}), detail=_clip(detail, MAX_DETAIL_CHARS),
        prev=last.hash if last else GENESIS,
    )
    return Entry(**{**entry.body(), "hash": entry.computed_hash()})


def _line(entry: Entry) -> bytes:
    return canonical({**entry.body(), "hash": entry.hash}) + b"\n"


def _head_is(root: Path | str, last: Entry | None) -> bool:
    """Does ``head.json`` name ``last`` (no head and no entry: an empty log)?"""
    try:
        head = read_head(root)
    except AuditError:
        return False
    return head == ((last.seq, last.hash) if last else None)


def _clip(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clip_optional(text: str | None) -> str | None:
    return None if text is None else _clip(text, MAX_FIELD_CHARS)


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


def _write_head(root: Path | str, entry: Entry) -> None:
    """Record the last entry's number and hash beside the log (replaced whole, never half-written;
    its temporary file never stays, whatever fails)."""
    target = head_path(root)
    temporary = target.with_name(f".{HEAD}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(canonical({"seq": entry.seq, "hash": entry.hash}) + b"\n")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _remove_head_temporaries(root: Path | str) -> None:
    """Remove head temporaries of other processes (only writers holding the lock make them, so
    under the lock any that exists belongs to a process that died mid-write)."""
    for stale in Path(root, AUDIT).glob(f".{HEAD}.*.tmp"):
        stale.unlink(missing_ok=True)


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


# --------------------------------------------------------------------------- reading


def parse_entry(raw: bytes) -> Entry:
    """The entry one line holds; ValueError with the reason if it is not a well-formed entry."""
    if len(raw) > MAX_LINE_BYTES:
        raise ValueError(messages.say(messages.AUDIT_LINE_TOO_LONG, limit=MAX_LINE_BYTES))
    try:
        content = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(messages.AUDIT_NOT_JSON) from error
    expected = _FIELD_SET
    if not isinstance(content, dict) or set(content) != expected:
        raise ValueError(messages.AUDIT_WRONG_FIELDS)
    if type(content["seq"]) is not int or not (content["version"] is None or type(content["version"]) is int):
        raise ValueError(messages.AUDIT_WRONG_FIELDS)
    if not all(isinstance(content[name], str) for name in _TEXT_FIELDS):
        raise ValueError(messages.AUDIT_WRONG_FIELDS)
    if not all(content[name] is None or isinstance(content[name], str) for name in _OPTIONAL_TEXT):
        raise ValueError(messages.AUDIT_WRONG_FIELDS)
    files = content["files"]
    if not isinstance(files, dict) or not all(isinstance(value, str) for value in files.values()):
        raise ValueError(messages.AUDIT_WRONG_FIELDS)
    return Entry(**content)


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
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return
    except OSError as error:
        raise AuditError(path, error.strerror or str(error)) from error
    with handle:
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


def _skip_line(handle: Any) -> int:
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


def _tail(path: Path) -> tuple[Entry | None, tuple[int, str, int] | None]:
    """The last well-formed entry of the log (reading backwards from the end, usually one block)
    and, when the file does not end with a newline, its last line: (offset, SHA-256, size)."""
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return None, None
    with handle:
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


def _line_start(handle: Any, end: int, block: int = 1 << 16) -> int:
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


def _lines_backwards(handle: Any, end: int, block: int = 1 << 16) -> Iterator[bytes]:
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


__all__ = [
    "ACTIONS",
    "CUT_LINE_KEY",
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
