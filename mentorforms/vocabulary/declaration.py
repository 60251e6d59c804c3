"""The vocabulary every form is declared in.

A form is data: a :class:`Form` holds :class:`Section` objects that hold :class:`Field`
objects. Widgets, validation, the workbook layout, reading back and report columns are all
derived from these objects, so a form changes by editing its declaration only.

All declaration objects are frozen dataclasses: a declaration can be shared between
threads, cached, and compared, and nobody can change a form by accident at run time.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from mentorforms.vocabulary.academic_year import AcademicYear

# Parties are declared in their own module; the vocabulary is used from here.
from mentorforms.vocabulary.declaration_parties import LISTS, PARTY_RULES, Party, Signing
from mentorforms.vocabulary.panels import is_panel_name
from mentorforms.vocabulary.report_takes import Reports


class Kind(str, enum.Enum):  # noqa: UP042 -- StrEnum would change str() of every kind
    """What kind of answer a field takes; each kind has one value type (see ``value_type``)."""

    SHORT_TEXT = "short_text"  # str
    LONG_TEXT = "long_text"  # str, wrapped on the printed form
    HOURS = "hours"  # float, not negative, at most Field.max_value
    WHOLE_NUMBER = "whole_number"  # int
    DATE = "date"  # datetime.date
    CHOICE = "choice"  # one Choice.id
    MULTI_CHOICE = "multi_choice"  # tuple of Choice.id, in declaration order
    CHECK = "check"  # bool
    CHECK_NOTE = "check_note"  # CheckNote(checked, note)
    RANK = "rank"  # dict Choice.id -> 1..n, a permutation
    TABLE = "table"  # tuple of rows, each a dict column id -> value
    SIGNATURE = "signature"  # Signature(name, date)


TEXT_KINDS = frozenset({Kind.SHORT_TEXT, Kind.LONG_TEXT})
#: Kinds a table column may have: one cell each.
CELL_KINDS = frozenset(
    {Kind.SHORT_TEXT, Kind.LONG_TEXT, Kind.HOURS, Kind.WHOLE_NUMBER, Kind.DATE, Kind.CHOICE, Kind.CHECK}
)


#: Where a new form's first answer may come from (``Field.prefill``): the roster's sources are
#: resolved by mentorforms.vocabulary.prefill (the page's prefill gives the same answers:
#: tests/test_blank_matches_page.py), the goals by mentorforms.ui.prefill. "subject" is the
#: person the form is about, "holder" the person filling it in for them (a chair holding the
#: conference), "mentor" the agreement's mentor, and
#: "goals_to_report" last year's Part I goals with the open agreement goals, as rows of a table
#: with the columns "goal" and "met"; "agreement_goals" the goals of the agreement with the
#: form's mentor, as rows with the columns "goal" and "status".
PREFILL_SOURCES = frozenset({
    "subject.name", "subject.person_id", "subject.department", "subject.division_department",
    "holder.name", "mentor.name", "mentor.person_id", "goals_to_report", "agreement_goals",
})


@dataclass(frozen=True)
class Choice:
    """One option of a choice, multiple-choice or rank field."""

    id: str
    label: str


@dataclass(frozen=True)
class Field:
    """One question of a form.

    ``id`` is stable across versions and years: it is the key in the workbook's machine sheet
    and the column name in reports. ``label`` is worded as the source document words it.
    """

    id: str
    label: str
    kind: Kind
    required: bool = False
    lcme: bool = False
    help: str = ""
    choices: tuple[Choice, ...] = ()
    columns: tuple[Field, ...] = ()  # TABLE only
    min_rows: int = 0  # TABLE only
    max_rows: int = 20  # TABLE only
    #: TABLE only: what to say when more than ``max_rows`` rows are entered (the source form's own
    #: words, such as "Please identify at most three goals."); "" for the catalogue's sentence.
    too_many_rows: str = ""
    min_value: float | None = None  # HOURS, WHOLE_NUMBER
    max_value: float | None = None  # HOURS, WHOLE_NUMBER
    max_length: int | None = None  # text; Excel's own limit applies regardless
    #: Required only when another field has one of these values: (field id, values).
    required_when: tuple[str, tuple[str, ...]] | None = None
    #: Free tag the reports use to find fields (for example "teaching_hours").
    group: str = ""
    #: Where a new form's first answer comes from (one of PREFILL_SOURCES); for a table, the
    #: prefills of its columns make its first row.
    prefill: str = ""
    #: TABLE only: (status column, date column) that record progress rather than what was agreed.
    #: Either party updates them after signing without voiding the signatures; a status change
    #: stamps the day into the date column.
    progress: tuple[str, str] | None = None
    #: DATE only: a date that should lie ahead (when to revisit a plan); a page says so next to
    #: the field when one carried into a new form has already passed.
    upcoming: bool = False
    #: A CHECK field of the same form: until it is ticked, the parties who do not write this field
    #: are not shown its answer (a meeting's agenda reaches the mentor once the mentee shares it).
    shown_when: str = ""
    #: DATE only: a CHECK field of the same form; the server writes the day it was first ticked
    #: here (never a page): when the agenda was shared.
    stamped_when: str = ""

    def __post_init__(self) -> None:
        if self.stamped_when and self.kind is not Kind.DATE:
            raise ValueError(f"field {self.id!r}: only a date is stamped")
        if self.prefill and self.prefill not in PREFILL_SOURCES:
            raise ValueError(f"field {self.id!r}: unknown prefill source {self.prefill!r}")
        if self.kind in (Kind.CHOICE, Kind.MULTI_CHOICE, Kind.RANK) and not self.choices:
            raise ValueError(f"field {self.id!r}: a {self.kind.value} field needs choices")
        if self.kind is Kind.TABLE:
            if not self.columns:
                raise ValueError(f"field {self.id!r}: a table needs columns")
            for column in self.columns:
                if column.kind not in CELL_KINDS:
                    raise ValueError(f"field {self.id!r}: column {column.id!r} cannot be {column.kind.value}")
            if not 0 <= self.min_rows <= self.max_rows:
                raise ValueError(f"field {self.id!r}: rows must satisfy 0 <= min_rows <= max_rows")
            if self.progress is not None:
                kinds = {column.id: column.kind for column in self.columns}
                status, day = self.progress
                if kinds.get(status) is not Kind.CHOICE or kinds.get(day) is not Kind.DATE:
                    raise ValueError(f"field {self.id!r}: progress needs a choice column and a date column")
        elif self.columns:
            raise ValueError(f"field {self.id!r}: only tables have columns")
        elif self.progress is not None:
            raise ValueError(f"field {self.id!r}: only tables record progress")

    def choice_label(self, choice_id: str) -> str:
        """The label of one of this field's choices, or the id itself if it is not declared."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice.label
        return choice_id

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(choice.id for choice in self.choices)

    @property
    def column_ids(self) -> tuple[str, ...]:
        return tuple(column.id for column in self.columns)

    def column(self, column_id: str) -> Field:
        """The table column with this id; KeyError if there is none."""
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)


@dataclass(frozen=True)
class Section:
    """A titled part of a form, in the order the document gives it. ``writers`` names the parties
    who write its answers (empty: the form's own ``writers``)."""

    id: str
    title: str
    fields: tuple[Field, ...]
    intro: str = ""
    writers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    """A whole form as declared for one academic year.

    ``version`` changes whenever fields are added, removed or change kind; workbooks record the
    version they were written under so older ones still read.
    """

    id: str
    title: str
    version: int
    academic_year: AcademicYear
    sections: tuple[Section, ...]
    intro: str = ""
    #: Everyone with a part in the form; the first is always the subject (rule "subject").
    parties: tuple[Party, ...] = ()
    #: The parties who write the answers of every section that names no writers of its own.
    writers: tuple[str, ...] = ("subject",)
    #: Every signature: who signs it and what it means. All of them make the form "signed".
    signings: tuple[Signing, ...] = ()
    #: Names the source document this form comes from (shown on the printed form).
    source: str = ""
    #: Each entry: (message, field ids) — at least one of the fields must be answered to submit.
    require_any: tuple[tuple[str, tuple[str, ...]], ...] = ()
    footnote: str = ""
    #: A person may keep several of this form in one year, one per value of this field (an
    #: agreement per mentor, say); None means one per person and year.
    instance_field: str | None = None
    #: The party whose roster id is the key (``instance_field``), so the key always comes from the
    #: roster; None: the key is typed when the form is first saved and fixed from then on.
    instance_party: str | None = None
    #: The registered name of the form's panel and its workbook and print additions
    #: (mentorforms.vocabulary.panels), "" for none.
    panel: str = ""
    #: A new year's form starts from the newest earlier one with the same key (an agreement
    #: carries on until revised), without its signatures.
    carried_forward: bool = False
    #: What the reports take from this form (goals, people, conference, promotion, relationship).
    reports: Reports = dataclass_field(default_factory=Reports)
    #: Another form of the same person and year shown read-only beside this one while it is
    #: filled in (the chair writing Part II reads the faculty member's Part I).
    shown_beside: str | None = None
    #: Several records per key party (one per meeting): the key is "<roster id>/<number>", the
    #: roster id naming the key's party. Needs ``instance_party``.
    instance_serial: bool = False
    #: (field id, choice id, form id): filing this form with that answer opens a new draft version
    #: of the same relationship's ``form id`` (same subject and key), its signatures cleared.
    reopens: tuple[str, str, str] | None = None
    #: (field id, choice id): filing this form with that answer ends the relationship it is kept
    #: for (the same subject and key): its forms leave the landing pages; reports count it ended.
    ends: tuple[str, str] | None = None
    # Filled in __post_init__: field id -> Field, for fast lookup.
    _by_id: dict[str, Field] = dataclass_field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        seen: dict[str, Field] = {}
        for section in self.sections:
            for item in section.fields:
                if item.id in seen:
                    raise ValueError(f"form {self.id!r}: field id {item.id!r} is declared twice")
                seen[item.id] = item
        party_ids = [party.id for party in self.parties]
        if not self.parties or self.parties[0].rule != "subject" or len(set(party_ids)) != len(party_ids):
            raise ValueError(f"form {self.id!r}: parties must be distinct and start with the subject")
        writers = set(self.writers) | {name for section in self.sections for name in section.writers}
        for name in writers - set(party_ids):
            raise ValueError(f"form {self.id!r}: writer {name!r} is not one of its parties")
        for signing in self.signings:
            if signing.field not in seen or seen[signing.field].kind is not Kind.SIGNATURE:
                raise ValueError(f"form {self.id!r}: signature {signing.field!r} is not a signature field")
            if signing.party not in party_ids:
                raise ValueError(f"form {self.id!r}: signer {signing.party!r} is not one of its parties")
        unsigned = [item.id for item in seen.values()
                    if item.kind is Kind.SIGNATURE and item.id not in {s.field for s in self.signings}]
        if unsigned:
            raise ValueError(f"form {self.id!r}: nobody is declared to sign {', '.join(unsigned)}")
        if self.instance_party is not None and (self.instance_field is None or self.instance_party not in party_ids):
            raise ValueError(f"form {self.id!r}: the key's party needs a key field and must be a party")
        for _, ids in self.require_any:
            for field_id in ids:
                if field_id not in seen:
                    raise ValueError(f"form {self.id!r}: require_any names unknown field {field_id!r}")
        if self.instance_field is not None and self.instance_field not in seen:
            raise ValueError(f"form {self.id!r}: instance field {self.instance_field!r} is not declared")
        if self.instance_serial and self.instance_party is None:
            raise ValueError(f"form {self.id!r}: a serial key needs the party it belongs to")
        for option, rule in (("reopens", self.reopens), ("ends", self.ends)):
            if rule is None:
                continue
            target = seen.get(rule[0])
            if target is None or target.kind is not Kind.CHOICE or rule[1] not in target.choice_ids:
                raise ValueError(f"form {self.id!r}: {option} needs a choice field and one of its choices")
            if self.instance_party is None:
                raise ValueError(f"form {self.id!r}: {option} needs a form kept per relationship")
        for item in seen.values():
            for gate in (item.shown_when, item.stamped_when):
                if gate and (gate not in seen or seen[gate].kind is not Kind.CHECK):
                    raise ValueError(f"field {item.id!r}: shown_when and stamped_when name a check field of the form")
        if self.panel and not is_panel_name(self.panel):
            raise ValueError(f"form {self.id!r}: panel {self.panel!r} is not a panel name (lower case, digits, _)")
        object.__setattr__(self, "_by_id", seen)
        self.reports.check(self)

    @property
    def signers(self) -> tuple[str, ...]:
        """The signature field ids, in declaration order: all of them make the form "signed"."""
        return tuple(signing.field for signing in self.signings)

    def party(self, party_id: str) -> Party:
        """The party with this id; KeyError if the form has none."""
        for party in self.parties:
            if party.id == party_id:
                return party
        raise KeyError(party_id)

    def signing(self, field_id: str) -> Signing:
        """Who signs signature field ``field_id`` and what it means; KeyError if it is not one."""
        for signing in self.signings:
            if signing.field == field_id:
                return signing
        raise KeyError(field_id)

    def writers_of(self, field_id: str) -> tuple[str, ...]:
        """The parties who may write the answer to ``field_id`` (none for a signature, a stamped
        date, or the key when the roster gives it: those are never written from a page)."""
        item = self.field(field_id)
        keyed = field_id == self.instance_field and self.instance_party
        if item.kind is Kind.SIGNATURE or item.stamped_when or keyed:
            return ()
        return self.section_of(field_id).writers or self.writers

    def fields(self) -> Iterator[Field]:
        """Every field, in document order."""
        for section in self.sections:
            yield from section.fields

    def field(self, field_id: str) -> Field:
        """The field with this id; KeyError if the form has none."""
        return self._by_id[field_id]

    def has_field(self, field_id: str) -> bool:
        return field_id in self._by_id

    @property
    def field_ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def section_of(self, field_id: str) -> Section:
        for section in self.sections:
            if any(item.id == field_id for item in section.fields):
                return section
        raise KeyError(field_id)


# Short constructors used by the declarations in mentorforms/forms/: they keep each form
# readable as a list of questions.


def choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    """Choices from (id, label) pairs."""
    return tuple(Choice(choice_id, label) for choice_id, label in pairs)


def short_text(id: str, label: str, **options) -> Field:
    return Field(id, label, Kind.SHORT_TEXT, **options)


def long_text(id: str, label: str, **options) -> Field:
    return Field(id, label, Kind.LONG_TEXT, **options)


def hours(id: str, label: str, *, max_value: float = 2000, **options) -> Field:
    return Field(id, label, Kind.HOURS, min_value=0, max_value=max_value, **options)


def whole_number(id: str, label: str, **options) -> Field:
    return Field(id, label, Kind.WHOLE_NUMBER, **options)


def date(id: str, label: str, **options) -> Field:
    return Field(id, label, Kind.DATE, **options)


def choice(id: str, label: str, options_: tuple[Choice, ...], **options) -> Field:
    return Field(id, label, Kind.CHOICE, choices=options_, **options)


def multi_choice(id: str, label: str, options_: tuple[Choice, ...], **options) -> Field:
    return Field(id, label, Kind.MULTI_CHOICE, choices=options_, **options)


def check(id: str, label: str, **options) -> Field:
    return Field(id, label, Kind.CHECK, **options)


def check_note(id: str, label: str, **options) -> Field:
    return Field(id, label, Kind.CHECK_NOTE, **options)


def rank(id: str, label: str, options_: tuple[Choice, ...], **options) -> Field:
    return Field(id, label, Kind.RANK, choices=options_, **options)


def table(id: str, label: str, columns: tuple[Field, ...], **options) -> Field:
    return Field(id, label, Kind.TABLE, columns=columns, **options)


def signature(id: str, label: str, **options) -> Field:
    return Field(id, label, Kind.SIGNATURE, **options)


#: Re-exported: forms and the code reading them take the whole vocabulary from this module.
__all__ = [
    "CELL_KINDS", "LISTS", "PARTY_RULES", "PREFILL_SOURCES", "TEXT_KINDS", "Choice", "Field", "Form", "Kind", "Party",
    "Section", "Signing", "check", "check_note", "choice", "choices", "date", "hours", "long_text", "multi_choice",
    "rank", "short_text", "signature", "table", "whole_number",
]
