"""One entry of the audit trail and its place in the chain.

An entry says who did what, when (UTC, ISO 8601 to the microsecond), to which form of which
person in which year, and the SHA-256 of every file it wrote. It carries a sequence number, the
hash of the entry before it (``prev``; :data:`GENESIS` for the first) and its own hash: the SHA-256
of its canonical JSON (:func:`canonical`) without ``hash``. Editing, removing or reordering an
entry therefore breaks the chain.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from mentorforms import messages

GENESIS = "0" * 64
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

    def line(self) -> bytes:
        """The entry as one line of the log, newline included."""
        return canonical({**self.body(), "hash": self.hash}) + b"\n"

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


def is_digest(text: str) -> bool:
    """True if ``text`` is a SHA-256 hex digest as entries record them (64 lower-case hex digits)."""
    return len(text) == 64 and set(text) <= _HEX


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


def next_entry(last: Entry | None, *, actor: str, action: str, form_id: str | None = None,
               person_id: str | None = None, year: str | None = None, instance: str | None = None,
               version: int | None = None, files: Mapping[str, str] | None = None, detail: str = "") -> Entry:
    """The entry after ``last`` (None: the first), stamped now, its text clipped, with its hash."""
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


def parse_entry(raw: bytes) -> Entry:
    """The entry one line holds; ValueError with the reason if it is not a well-formed entry."""
    if len(raw) > MAX_LINE_BYTES:
        raise ValueError(messages.say(messages.AUDIT_LINE_TOO_LONG, limit=MAX_LINE_BYTES))
    try:
        content = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(messages.AUDIT_NOT_JSON) from error
    if not isinstance(content, dict) or set(content) != _FIELD_SET:
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


def _clip(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clip_optional(text: str | None) -> str | None:
    return None if text is None else _clip(text, MAX_FIELD_CHARS)
