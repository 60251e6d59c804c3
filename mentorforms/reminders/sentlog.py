"""The sent-log: which reminder keys went to whom, kept in the data folder.

``DATA_DIR/reminders/sent.jsonl`` holds one JSON object per line and sent message: when it was
sent, the day the reminders were for, the recipient, the keys of the reasons it carried and the
calendar invitation's UID, SEQUENCE and content fingerprint. It is a record in its own right
(not derived: it cannot be rebuilt from the workbooks), so it is only ever appended to.

Sending holds an exclusive lock (``sent.lock``, ``fcntl.flock``) from reading the log to the
last line written, so two runs at once cannot both send the same reminder. Reading passes one
boundary: a size limit and every line checked, a problem named by file and line.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mentorforms import messages
from mentorforms.errors import MentorformsError

FOLDER = "reminders"
LOG_NAME = "sent.jsonl"
LOCK_NAME = "sent.lock"
#: A line is a few hundred bytes: this is millions of messages, far more than any office sends.
MAX_LOG_BYTES = 256 * 1024 * 1024


class SentLogError(MentorformsError):
    """The sent-log cannot be read or written; names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Entry:
    """One sent message, as the log keeps it."""

    sent_at: str
    day: str
    person_id: str
    keys: tuple[str, ...]
    reasons: tuple[str, ...]
    uid: str = ""
    sequence: int = 0
    fingerprint: str = ""

    def line(self) -> str:
        return json.dumps({"sent_at": self.sent_at, "day": self.day, "person_id": self.person_id,
                           "keys": list(self.keys), "reasons": list(self.reasons), "uid": self.uid,
                           "sequence": self.sequence, "fingerprint": self.fingerprint}, ensure_ascii=False)


@dataclass
class SentLog:
    """What the log says has been sent: answers "was this key sent to this person?", "was this
    reason sent to them on this day?" and "what SEQUENCE comes next for this invitation?"."""

    path: Path
    entries: list[Entry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._keys = {(entry.person_id, key): entry.day for entry in self.entries for key in entry.keys}
        self._days = {(entry.person_id, reason, entry.day) for entry in self.entries for reason in entry.reasons}

    def sent_on(self, person_id: str, key: str) -> str | None:
        """The day ``key`` was sent to ``person_id``, or None if it never was."""
        return self._keys.get((person_id, key))

    def sent_that_day(self, person_id: str, reason: str, day: dt.date) -> bool:
        """Whether a reminder of ``reason`` went to ``person_id`` for ``day``."""
        return (person_id, reason, day.isoformat()) in self._days

    def sequence_for(self, uid: str, fingerprint: str) -> int:
        """The SEQUENCE an invitation ``uid`` with content ``fingerprint`` gets: the last one sent
        if nothing changed, one more if it did, 0 for the first."""
        last = next((entry for entry in reversed(self.entries) if entry.uid == uid), None)
        if last is None:
            return 0
        return last.sequence if last.fingerprint == fingerprint else last.sequence + 1

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.__post_init__()


def folder_of(data_dir: Path | str) -> Path:
    return Path(data_dir) / FOLDER


def _text(value: dict, name: str) -> str:
    item = value.get(name)
    if not isinstance(item, str) or not item:
        raise ValueError(f"has no {name}")
    return item


def _texts(value: dict, name: str) -> tuple[str, ...]:
    items = value.get(name)
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError(f"its {name} are not a list of text")
    return tuple(items)


def _entry(value: object) -> Entry:
    if not isinstance(value, dict):
        raise ValueError("is not a JSON object")
    sent_at, day, person_id = (_text(value, name) for name in ("sent_at", "day", "person_id"))
    dt.date.fromisoformat(day)
    keys, reasons = _texts(value, "keys"), _texts(value, "reasons")
    sequence = value.get("sequence", 0)
    if not isinstance(sequence, int) or sequence < 0:
        raise ValueError("its sequence is not a whole number")
    return Entry(sent_at, day, person_id, keys, reasons,
                 str(value.get("uid") or ""), sequence, str(value.get("fingerprint") or ""))


def read(data_dir: Path | str) -> SentLog:
    """The sent-log of ``data_dir`` (empty if nothing was ever sent). SentLogError names the file
    and the line of anything it cannot trust: sending stops rather than risk a duplicate. A last
    line without its newline (a run killed while writing it) is left out."""
    path = folder_of(data_dir) / LOG_NAME
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return SentLog(path)
    except OSError as error:
        raise SentLogError(path, f"cannot be opened ({error.strerror or error})") from error
    if size > MAX_LOG_BYTES:
        raise SentLogError(path, messages.say(messages.REMINDER_LOG_TOO_LARGE, size=size, limit=MAX_LOG_BYTES))
    try:
        content = path.read_bytes()
    except OSError as error:
        raise SentLogError(path, f"cannot be opened ({error.strerror or error})") from error
    lines = content.split(b"\n")
    if lines and lines[-1]:
        lines = lines[:-1]  # torn: written without its newline when the run stopped
    entries = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            entries.append(_entry(json.loads(raw.decode("utf-8"))))
        except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as error:
            raise SentLogError(path, messages.say(messages.REMINDER_LOG_UNREADABLE, line=number,
                                                  reason=str(error))) from error
    return SentLog(path, entries)


def append(data_dir: Path | str, entry: Entry) -> None:
    """Add ``entry`` as one line, flushed to disk before returning (call it under :func:`locked`)."""
    path = folder_of(data_dir) / LOG_NAME
    try:
        with open(path, "ab") as handle:
            if handle.tell() > 0:
                with open(path, "rb") as reader:
                    reader.seek(-1, os.SEEK_END)
                    if reader.read(1) != b"\n":
                        handle.write(b"\n")  # end a torn line so this entry stands on its own
            handle.write(entry.line().encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise SentLogError(path, f"cannot be written ({error.strerror or error})") from error


@contextmanager
def locked(data_dir: Path | str) -> Iterator[None]:
    """Hold the sent-log's exclusive lock (waiting for another run to finish)."""
    folder = folder_of(data_dir)
    lock_path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o666)
    except OSError as error:
        raise SentLogError(lock_path, f"cannot be created ({error.strerror or error})") from error
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)
