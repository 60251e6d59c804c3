"""Checking the audit trail: the chain of entries, the head file, and every workbook it recorded.

:func:`verify` reports, each naming the log file and the entry (or the workbook) in plain words:

- an entry edited after it was written (its hash no longer matches its content);
- an entry removed, or entries reordered (the chain of ``prev`` hashes or the numbering breaks);
- entries removed from the end (the log stops before the entry ``head.json`` names);
- entries past the one ``head.json`` names (added without the app; one such entry may also be an
  append interrupted between the log and the head, and the words say so): the head pins the log;
- a line that holds no entry, such as a last line cut short, unless the entry right after it is
  the ``interrupted`` entry the next append wrote for it (recording the cut bytes' offset and
  SHA-256, and chained to the entry before the cut line): that is a note, not a problem;
- a workbook under ``records/`` whose bytes differ from the digest recorded when it was filed
  (bytes are compared, never times: a file edited in place with its old mtime put back is caught),
  or that has vanished;
- a version workbook under ``records/`` that no entry records (a copy dropped into the folder).

Files recorded outside ``records/`` (exports, downloads) are kept as evidence and not checked:
they leave the app's custody once written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import filelock

from mentorforms import messages
from mentorforms.errors import AuditError
from mentorforms.records import audit
from mentorforms.records.audit import GENESIS, Entry
from mentorforms.records.store import RECORDS, DataFolder


@dataclass(frozen=True)
class AuditProblem:
    """One thing wrong with the trail: the file it is about (the log, the head file or a workbook,
    as a path under the data folder), the entry number where one applies, and the reason."""

    file: Path
    reason: str
    seq: int | None = None

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


@dataclass(frozen=True)
class AuditReport:
    """What :func:`check` found: the problems, and how many entries and workbooks it looked at."""

    problems: list[AuditProblem] = field(default_factory=list)
    entries: int = 0
    workbooks: int = 0
    #: Worth knowing, not a fault: lines cut short by an interrupted append and closed by the next.
    notes: list[AuditProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """True when nothing is wrong (notes do not count)."""
        return not self.problems

    def summary(self) -> str:
        """The closing line of ``mentorforms audit verify``."""
        if self.intact:
            return messages.say(messages.AUDIT_INTACT, entries=self.entries, workbooks=self.workbooks)
        count = len(self.problems)
        return messages.say(messages.AUDIT_BROKEN, problems=count, s="s" if count != 1 else "",
                            entries=self.entries, workbooks=self.workbooks)


def verify(root: Path | str) -> list[AuditProblem]:
    """Every problem with the audit trail of the data folder ``root``; empty when it is intact."""
    return check(root).problems


def check(root: Path | str) -> AuditReport:
    """Verify the trail of ``root`` (see the module docstring) and count what was checked.

    Reads the log as a stream; appends may go on meanwhile (only the entries on disk when the
    check started are checked). Raises AuditError only if the log cannot be opened at all.
    """
    root = Path(root)
    log_file = audit.log_path(root)
    size, head, head_problem = _snapshot(root)
    chain = Chain(log_file)
    for line in audit.lines(root, limit=size):
        chain.take(line)
    chain.finish()
    problems = chain.problems
    if head_problem:
        problems.append(head_problem)
    else:
        problems.extend(_head_problems(root, head, chain))
    workbook_problems, workbooks = _workbook_problems(root, chain.recorded)
    problems.extend(workbook_problems)
    problems.extend(chain.refiled)
    return AuditReport(problems, chain.count, workbooks, chain.notes)


def _snapshot(root: Path) -> tuple[int, tuple[int, str] | None, AuditProblem | None]:
    """The log's size and the head, read together under the writers' lock (so they agree)."""
    log_file = audit.log_path(root)
    if not log_file.parent.is_dir():
        return 0, None, None
    try:
        with audit.lock(root):
            size = log_file.stat().st_size if log_file.exists() else 0
            try:
                return size, audit.read_head(root), None
            except AuditError as error:
                reason = messages.say(messages.AUDIT_HEAD_BROKEN, head_file=audit.HEAD, reason=error.reason)
                return size, None, AuditProblem(audit.head_path(root), reason)
    except filelock.Timeout as timeout:
        raise AuditError(log_file, messages.say(messages.AUDIT_LOCK_TIMEOUT,
                                                seconds=f"{audit.LOCK_TIMEOUT_S:g}")) from timeout


class Chain:
    """Walks the log's lines once, checking each entry against the one before it (verify, and
    adopt to learn what the trail records)."""

    def __init__(self, log_file: Path) -> None:
        self.log_file = log_file
        self.problems: list[AuditProblem] = []
        self.refiled: list[AuditProblem] = []
        self.count = 0
        self.last: Entry | None = None
        self.expected: tuple[int, str] | None = (1, GENESIS)  # None after a line that held no entry
        self.hash_of: dict[int, str] = {}
        self.recorded: dict[str, Entry] = {}  # workbook key -> the entry that last recorded it
        self.line_of: dict[int, int] = {}  # entry number -> the line it was found on
        self.breaks: list[tuple[int, Entry, int, Entry | None, int, int | None]] = []
        self.notes: list[AuditProblem] = []
        #: A line holding no entry, and what was expected before it, until the next line says
        #: whether it was an interrupted append closed by the app.
        self.cut: tuple[audit.Line, tuple[int, str] | None] | None = None

    def problem(self, reason: str, seq: int | None = None) -> None:
        """Note a problem with the log itself (entry ``seq`` where one applies)."""
        self.problems.append(AuditProblem(self.log_file, reason, seq))

    def take(self, line: audit.Line) -> None:
        """Check the next line of the log against what came before it."""
        entry = line.entry
        if entry is None:
            self._report_cut()
            self.cut = (line, self.expected)
            self.expected = None
            return
        if self.cut is not None:
            cut, before = self.cut
            self.cut = None
            if self._closes(entry, cut, before):
                self.expected = before  # the closing entry continues the chain from before the cut line
                self.notes.append(AuditProblem(self.log_file, messages.say(
                    messages.AUDIT_LINE_CUT_CLOSED, line=cut.number, seq=entry.seq, actor=entry.actor or "-",
                    at=entry.at), entry.seq))
            else:
                self._report(cut)
        self.count += 1
        if entry.computed_hash() != entry.hash:
            self.problem(messages.say(messages.AUDIT_ENTRY_CHANGED, seq=entry.seq, line=line.number), entry.seq)
        elif self.expected is not None and self.expected != (entry.seq, entry.prev):
            # Explained once the whole log is read: a "missing" entry may turn up further down.
            self.breaks.append((len(self.problems), entry, line.number, self.last, self.expected[0],
                                self.line_of.get(entry.seq)))
            self.problems.append(AuditProblem(self.log_file, "", entry.seq))
        self.line_of.setdefault(entry.seq, line.number)
        self.expected = (entry.seq + 1, entry.hash)
        self.hash_of[entry.seq] = entry.hash
        self.last = entry
        for key, digest in entry.files.items():
            if not _is_workbook_key(key):
                continue
            earlier = self.recorded.get(key)
            if earlier is not None and earlier.files[key] != digest:
                reason = messages.say(messages.AUDIT_WORKBOOK_REFILED, seq=earlier.seq, again=entry.seq)
                self.refiled.append(AuditProblem(self.log_file.parent.parent / key, reason, entry.seq))
            self.recorded[key] = entry

    @staticmethod
    def _closes(entry: Entry, cut: audit.Line, before: tuple[int, str] | None) -> bool:
        """Is ``entry`` the one an append wrote to close ``cut``, a line an interrupted append left?"""
        key = audit.CUT_LINE_KEY.format(offset=cut.offset)
        return (entry.action == "interrupted" and bool(cut.digest) and entry.files.get(key) == cut.digest
                and before == (entry.seq, entry.prev) and entry.computed_hash() == entry.hash)

    def _report(self, line: audit.Line) -> None:
        template = messages.AUDIT_LINE_UNREADABLE if line.complete else messages.AUDIT_LINE_CUT
        self.problem(messages.say(template, line=line.number, reason=line.problem))

    def _report_cut(self) -> None:
        if self.cut is not None:
            self._report(self.cut[0])
            self.cut = None

    def finish(self) -> None:
        """Word each break in the chain, knowing every entry the log holds."""
        self._report_cut()
        for position, entry, line, before, wanted, seen_on in self.breaks:
            where = (messages.AUDIT_BEFORE_START if before is None
                     else messages.say(messages.AUDIT_BEFORE_ENTRY, seq=before.seq))
            why = (messages.say(messages.AUDIT_WHY_TWICE, line=seen_on) if seen_on is not None
                   else self._why(entry, before, wanted))
            reason = messages.say(messages.AUDIT_ENTRY_MISPLACED, seq=entry.seq, line=line, before=where, why=why)
            self.problems[position] = AuditProblem(self.log_file, reason, entry.seq)

    def _why(self, entry: Entry, before: Entry | None, wanted: int) -> str:
        if entry.seq > wanted:
            elsewhere = [seq for seq in range(wanted, entry.seq) if seq in self.line_of]
            if elsewhere:
                return messages.say(messages.AUDIT_WHY_ELSEWHERE, seq=elsewhere[0], line=self.line_of[elsewhere[0]])
            if entry.seq == wanted + 1:
                return messages.say(messages.AUDIT_WHY_MISSING_ONE, first=wanted)
            return messages.say(messages.AUDIT_WHY_MISSING, first=wanted, last=entry.seq - 1)
        if entry.seq < wanted and before is not None:
            return messages.say(messages.AUDIT_WHY_EARLIER, seq=entry.seq, before=before.seq)
        return messages.AUDIT_WHY_UNCHAINED


def _head_problems(root: Path, head: tuple[int, str] | None, chain: Chain) -> list[AuditProblem]:
    head_file = audit.head_path(root)
    if head is None:
        if chain.last is None:
            return []
        return [AuditProblem(head_file, messages.say(messages.AUDIT_HEAD_MISSING, head_file=audit.HEAD))]
    seq, digest = head
    last = chain.last.seq if chain.last else 0
    if seq > max(chain.hash_of, default=0):
        reason = messages.say(messages.AUDIT_TAIL_REMOVED, last=last, head=seq, head_file=audit.HEAD)
        return [AuditProblem(audit.log_path(root), reason, seq)]
    if chain.hash_of.get(seq) != digest:
        return [AuditProblem(head_file, messages.say(messages.AUDIT_HEAD_DIFFERS, head_file=audit.HEAD, head=seq), seq)]
    past = sorted(number for number in chain.hash_of if number > seq)
    if not past:
        return []
    if len(past) == 1:
        reason = messages.say(messages.AUDIT_PAST_HEAD_ONE, first=past[0], line=chain.line_of.get(past[0]),
                              head=seq, head_file=audit.HEAD)
    else:
        reason = messages.say(messages.AUDIT_PAST_HEAD_MANY, count=len(past), first=past[0], last=past[-1],
                              head=seq, head_file=audit.HEAD)
    return [AuditProblem(audit.log_path(root), reason, past[0])]


def _is_workbook_key(key: str) -> bool:
    parts = PurePosixPath(key).parts
    return len(parts) > 1 and parts[0] == RECORDS and ".." not in parts and not PurePosixPath(key).is_absolute()


def _workbook_problems(root: Path, recorded: dict[str, Entry]) -> tuple[list[AuditProblem], int]:
    """Compare every recorded workbook's bytes with its digest; list version files nobody recorded."""
    problems: list[AuditProblem] = []
    checked = 0
    for key in sorted(recorded):
        entry = recorded[key]
        path = root / key
        details = {"seq": entry.seq, "action": entry.action, "actor": entry.actor or "-", "at": entry.at}
        checked += 1
        try:
            digest = audit.sha256_of(path)
        except FileNotFoundError:
            problems.append(AuditProblem(path, messages.say(messages.AUDIT_WORKBOOK_VANISHED, **details), entry.seq))
            continue
        except OSError as error:
            reason = messages.say(messages.AUDIT_WORKBOOK_UNREADABLE, reason=error.strerror or str(error))
            problems.append(AuditProblem(path, reason, entry.seq))
            continue
        if digest != entry.files[key]:
            problems.append(AuditProblem(path, messages.say(messages.AUDIT_WORKBOOK_CHANGED, **details), entry.seq))
    for path in DataFolder(root).iter_workbooks():
        if path.relative_to(root).as_posix() not in recorded:
            checked += 1
            problems.append(AuditProblem(path, messages.AUDIT_WORKBOOK_UNRECORDED))
    return problems, checked


__all__ = ["AuditProblem", "AuditReport", "Chain", "check", "verify"]
