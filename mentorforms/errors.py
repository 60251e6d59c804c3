"""Typed errors. Each names what is wrong (a field, a file, a row) and why, in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class MentorformsError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True)
class FieldProblem:
    """One reason a field's answer cannot be accepted.

    ``row`` (1-based) and ``column`` are set for a cell of a table, ``item`` for one option of a
    rank or multiple-choice field. ``message`` is written for the person filling the form.
    """

    field_id: str
    label: str
    message: str
    row: int | None = None
    column: str | None = None
    item: str | None = None

    def __str__(self) -> str:
        where = self.label
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", {self.column}"
        return f"{where}: {self.message}"


class ValidationFailed(MentorformsError):
    """A submission (or a save) was refused; ``problems`` lists every reason, in form order."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))

    def for_field(self, field_id: str) -> list[FieldProblem]:
        return [problem for problem in self.problems if problem.field_id == field_id]


class UnsafeTextError(MentorformsError, ValueError):
    """Text that cannot be stored in a workbook cell as typed (too long, or characters Excel refuses)."""

    def __init__(self, reason: str, *, field_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        #: The field whose answer it is, when the writer knows it.
        self.field_id = field_id


class WorkbookError(MentorformsError):
    """A workbook that cannot be read as a mentorforms record: names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class AccessDenied(MentorformsError):
    """The person using the page may not do what they asked; the message says why."""


class AuditError(MentorformsError):
    """The audit trail could not be written or read: names the log file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class AuditNotRecorded(AuditError):
    """A version WAS filed (``filed`` is its path, ``version`` its number) but the audit trail could
    not record it; the message says both."""

    def __init__(self, log: Path | str, filed: Path | str, version: int, reason: str, sha256: str = "") -> None:
        from mentorforms import messages

        super().__init__(log, messages.say(messages.AUDIT_NOT_RECORDED, version=version, path=filed, reason=reason))
        self.filed = Path(filed)
        self.version = version
        #: The digest of the version filed, and why the trail could not record it (without the rest).
        self.sha256 = sha256
        self.why = reason
