"""A filled form: the values of its fields plus who, what, when. The workbook stores exactly this.

Values by field kind (empty answers are absent from ``Record.values``):

================  ==============================================================
short/long text   ``str`` (never empty)
hours             ``float``
whole number      ``int``
date              ``datetime.date``
choice            choice id, ``str``
multi choice      ``tuple[str, ...]`` of choice ids, in declaration order
check             ``bool``
check with note   :class:`CheckNote`
rank              ``dict[str, int]``: choice id -> rank 1..n
table             ``tuple[dict[str, value | None], ...]``: one dict per row, every column present
signature         :class:`Signature`
================  ==============================================================
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from mentorforms.vocabulary.academic_year import AcademicYear


class Status(str, enum.Enum):  # noqa: UP042 -- StrEnum would change str() of every status
    """Where a submission is in its life: a draft may be invalid; submitted and signed are valid."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    SIGNED = "signed"


@dataclass(frozen=True)
class CheckNote:
    """A ticked (or unticked) box with a note beside it."""

    checked: bool
    note: str | None = None


@dataclass(frozen=True)
class Signature:
    """A typed name and the date it was typed, attesting the form's content.

    A signature given in the app also records who signed (``signer_id``, the signed-in person,
    never the typed text), when (``signed_at``, UTC), what the signature means (``meaning``, from
    the declaration) and the SHA-256 of the answers it attests (``digest``), as 21 CFR 11.50 asks
    of a signed record. Signatures typed into a workbook offline carry only name and date.
    """

    name: str | None
    date: dt.date | None
    signer_id: str = ""
    signed_at: dt.datetime | None = None
    meaning: str = ""
    digest: str = ""

    @property
    def typed(self) -> tuple[str | None, dt.date | None]:
        """What a person typed (name and date), for comparing with what a page shows."""
        return self.name, self.date


def utc_now() -> dt.datetime:
    """The current time in UTC, to the microsecond; records store times in UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Record:
    """One submission of one form, by one person, for one academic year.

    ``unknown`` holds values of fields the current declaration no longer has (read from an older
    workbook): they are kept and reported, never dropped. ``version`` is the version number the
    workbook was filed as (written inside it since saves claim their number before writing; None
    for a record not filed yet, or read from a workbook filed before that). It is not part of
    equality: the same answers filed as v3 are the same record.
    """

    form_id: str
    form_version: int
    academic_year: AcademicYear
    person_id: str
    department: str
    status: Status = Status.DRAFT
    values: Mapping[str, Any] = field(default_factory=dict)
    created_at: dt.datetime = field(default_factory=utc_now)
    saved_at: dt.datetime = field(default_factory=utc_now)
    saved_by: str = ""
    unknown: Mapping[str, Any] = field(default_factory=dict)
    version: int | None = field(default=None, compare=False)

    def get(self, field_id: str, default: Any = None) -> Any:
        """The answer to ``field_id``, or ``default`` if it was left empty."""
        return self.values.get(field_id, default)

    def with_values(self, values: Mapping[str, Any], **changes: Any) -> Record:
        """A copy with new values (and any other attribute changed)."""
        return replace(self, values=dict(values), **changes)

    def replace(self, **changes: Any) -> Record:
        return replace(self, **changes)
