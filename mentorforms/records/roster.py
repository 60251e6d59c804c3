"""The faculty roster an office already keeps, as an .xlsx in the data folder.

One sheet, one row per person, with these column titles (case and spacing are forgiven):

=============  =================================================================
person_id      the roster id, unique (required)
name           as it should appear on forms (required)
email          optional
department     required
division       division or program, optional
rank           Instructor, Assistant Professor, ... optional
roles          any of faculty, mentor, chair, designee, analyst, separated by ";"
               (required); a designee holds conferences for the chair of their
               department: writes and signs Part II and sees the department's Part I
mentors        person ids of assigned mentors, separated by ";"
=============  =================================================================

Loading validates every row and reports each problem with its row number; nothing is loaded
from an invalid roster.
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from openpyxl import Workbook
from pydantic import BaseModel, ConfigDict, field_validator

from mentorforms import messages
from mentorforms.errors import MentorformsError, WorkbookError
from mentorforms.records.folder_names import ROSTER, mark_data_folder
from mentorforms.workbooks.safe_cell import put_at, text_problem
from mentorforms.workbooks.workbook import read_sheet_rows

ROLES = ("faculty", "mentor", "chair", "designee", "analyst")
COLUMNS = ("person_id", "name", "email", "department", "division", "rank", "roles", "mentors")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RosterProblem:
    """One problem in the roster file: spreadsheet row number (1 is the header), column, reason."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return messages.say(messages.ROSTER_PROBLEM, row=self.row, column=self.column, reason=self.message)


class RosterInvalid(MentorformsError):
    """The roster cannot be used; ``problems`` lists every reason with its row."""

    def __init__(self, path: Path | str, problems: list[RosterProblem]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class Person:
    """One person on the roster."""

    person_id: str
    name: str
    department: str
    email: str = ""
    division: str = ""
    rank: str = ""
    roles: frozenset[str] = frozenset({"faculty"})
    mentors: tuple[str, ...] = ()

    def has_role(self, role: str) -> bool:
        """True if the roster gives this person ``role`` (one of :data:`ROLES`)."""
        return role in self.roles


class _Row(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    person_id: str
    name: str
    email: str = ""
    department: str
    division: str = ""
    rank: str = ""
    roles: tuple[str, ...]
    mentors: tuple[str, ...] = ()

    @field_validator("person_id", "name", "department")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value:
            raise ValueError(messages.ROSTER_REQUIRED)
        problem = text_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and not _EMAIL.match(value):
            raise ValueError(messages.say(messages.ROSTER_NOT_EMAIL, value=value))
        return value

    @field_validator("roles", "mentors", mode="before")
    @classmethod
    def _split(cls, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, (list, tuple)):
            return tuple(str(part).strip() for part in value if str(part).strip())
        return tuple(part.strip() for part in re.split(r"[;,]", str(value)) if part.strip())

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        lowered = tuple(role.lower() for role in value)
        unknown = [role for role in lowered if role not in ROLES]
        if unknown:
            raise ValueError(messages.say(messages.ROSTER_UNKNOWN_ROLE, unknown=", ".join(unknown),
                                          roles=", ".join(ROLES)))
        if not lowered:
            raise ValueError(messages.ROSTER_REQUIRED)
        return lowered


@dataclass(frozen=True)
class Roster:
    """Everyone on the roster, by id, with the questions forms and reports ask of it."""

    people: Mapping[str, Person] = field(default_factory=dict)

    def get(self, person_id: str) -> Person | None:
        """The person with roster id ``person_id``, None if there is none."""
        return self.people.get(person_id)

    def __contains__(self, person_id: object) -> bool:
        return person_id in self.people

    def __iter__(self) -> Iterator[Person]:
        return iter(self.people.values())

    def __len__(self) -> int:
        return len(self.people)

    @property
    def departments(self) -> tuple[str, ...]:
        """Every department someone on the roster is in, sorted."""
        return tuple(sorted({person.department for person in self.people.values()}))

    def in_department(self, department: str) -> list[Person]:
        """Everyone in ``department``, in roster order."""
        return [person for person in self.people.values() if person.department == department]

    def faculty(self) -> list[Person]:
        """Everyone with the faculty role, in roster order."""
        return [person for person in self.people.values() if person.has_role("faculty")]

    def mentees_of(self, mentor_id: str) -> list[Person]:
        """Everyone whose assigned mentors include ``mentor_id``."""
        return [person for person in self.people.values() if mentor_id in person.mentors]

    def chairs_of(self, department: str) -> list[Person]:
        """The chairs of ``department`` (usually one)."""
        return [person for person in self.in_department(department) if person.has_role("chair")]


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else value


def parse_roster(rows: Iterable[Iterable[Any]], source: Path | str = "roster") -> Roster:
    """Build a roster from rows (the first is the header); RosterInvalid lists every bad row."""
    table = [list(row) for row in rows]
    if not table:
        raise RosterInvalid(source, [RosterProblem(1, "header", messages.ROSTER_EMPTY)])
    header = [re.sub(r"[\s-]+", "_", str(title or "").strip().lower()) for title in table[0]]
    problems = [RosterProblem(1, column, messages.ROSTER_COLUMN_MISSING)
                for column in ("person_id", "name", "department", "roles") if column not in header]
    if problems:
        raise RosterInvalid(source, problems)
    people: dict[str, Person] = {}
    first_row: dict[str, int] = {}
    for number, raw in enumerate(table[1:], start=2):
        data = {title: _cell(raw[index]) if index < len(raw) else "" for index, title in enumerate(header) if title}
        if not any(str(value).strip() for value in data.values()):
            continue
        try:
            row = _Row.model_validate({key: str(value) if not isinstance(value, str) else value
                                       for key, value in data.items()})
        except pydantic.ValidationError as error:
            for item in error.errors():
                column = str(item["loc"][0]) if item["loc"] else "row"
                message = item["msg"].removeprefix("Value error, ")
                if item["type"] == "missing":
                    message = messages.ROSTER_REQUIRED
                problems.append(RosterProblem(number, column, message))
            continue
        if row.person_id in people:
            problems.append(RosterProblem(number, "person_id", messages.say(
                messages.ROSTER_ID_USED, person_id=row.person_id, row=first_row[row.person_id])))
            continue
        first_row[row.person_id] = number
        people[row.person_id] = Person(row.person_id, row.name, row.department, row.email, row.division, row.rank,
                                       frozenset(row.roles), row.mentors)
    for person in people.values():
        for mentor in person.mentors:
            if mentor not in people:
                problems.append(RosterProblem(first_row[person.person_id], "mentors",
                                              messages.say(messages.ROSTER_MENTOR_UNKNOWN, mentor=mentor)))
            elif mentor == person.person_id:
                problems.append(RosterProblem(first_row[person.person_id], "mentors", messages.ROSTER_SELF_MENTOR))
    if problems:
        raise RosterInvalid(source, sorted(problems, key=lambda problem: problem.row))
    return Roster(people)


def load_roster(path: Path | str, content: bytes | None = None) -> Roster:
    """The roster in the .xlsx at ``path`` (first sheet), or in ``content``, that file's bytes as
    the caller read them once (to hash exactly what is parsed). RosterInvalid if it is missing or
    has bad rows."""
    path = Path(path)
    if content is None and not path.is_file():
        raise RosterInvalid(path, [RosterProblem(0, "file", messages.ROSTER_NO_FILE)])
    try:
        # An office's roster may compute a column with a formula: its values are what count.
        rows = read_sheet_rows(path if content is None else content, 0, path, formulas=True)
    except WorkbookError as error:
        raise RosterInvalid(path, [RosterProblem(0, "file", error.reason)]) from error
    return parse_roster(rows, path)


_LOOK_ALIKE = str.maketrans({
    # Cyrillic and Greek letters drawn like Latin ones (the common confusables of names).
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ӏ": "l", "α": "a", "β": "b", "ε": "e",
    "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ℓ": "l", "ı": "i",
})


def _same_form(text: str) -> str:
    """``text`` as every page shows it: Unicode-normalised (NFKC), case folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _skeleton(text: str) -> str:
    """What ``text`` looks like: accents dropped, look-alike letters of other scripts read as Latin."""
    bare = "".join(char for char in unicodedata.normalize("NFKD", _same_form(text))
                   if not unicodedata.combining(char))
    return bare.translate(_LOOK_ALIKE)


@dataclass(frozen=True)
class LookAlike:
    """Texts of one roster column (``what``: names or departments) that are different strings but
    read the same: ``same_form`` when they differ only in Unicode form, case or width (NFC/NFD,
    full-width letters), otherwise they look alike (accents, letters of other scripts)."""

    what: str
    texts: tuple[str, ...]
    rows: tuple[int, ...]
    same_form: bool


def look_alikes(roster: Roster) -> list[LookAlike]:
    """Names and departments that differ as text but not, or hardly, to the eye: each a separate
    person or department to the app, one to a reader. Rows are the spreadsheet's (header is 1),
    counted in roster order."""
    found: list[LookAlike] = []
    for what, value in (("names", lambda person: person.name), ("departments", lambda person: person.department)):
        rows: dict[str, list[int]] = {}
        for number, person in enumerate(roster, start=2):
            rows.setdefault(value(person), []).append(number)
        for level, key in ((True, _same_form), (False, _skeleton)):
            groups: dict[str, list[str]] = {}
            for text in rows:
                groups.setdefault(key(text), []).append(text)
            for texts in groups.values():
                if len(texts) < 2:
                    continue
                if not level and len({_same_form(text) for text in texts}) < 2:
                    continue  # already said at the stricter level
                first_rows = tuple(sorted(rows[text][0] for text in texts))
                found.append(LookAlike(what, tuple(texts), first_rows, level))
    return found


def write_roster(roster: Iterable[Person], path: Path | str) -> None:
    """Write people to ``path`` as a roster workbook with a header row and filters."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Roster"
    for column, title in enumerate(COLUMNS, start=1):
        put_at(sheet, 1, column, title)
    for number, person in enumerate(roster, start=2):
        values = (person.person_id, person.name, person.email, person.department, person.division, person.rank,
                  "; ".join(sorted(person.roles)), "; ".join(person.mentors))
        for column, value in enumerate(values, start=1):
            put_at(sheet, number, column, value or None)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for letter, width in zip("ABCDEFGH", (12, 26, 30, 18, 22, 22, 18, 18)):
        sheet.column_dimensions[letter].width = width
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(path, book.save)
    if path.name == ROSTER:
        mark_data_folder(path.parent)  # the folder an office's roster is written into is a data folder


def replace_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Replace ``path`` with what ``write(temporary)`` writes, through a temporary file of a name no
    other writer uses, so concurrent writers never write into one file: the last one wins whole."""
    # Not mkstemp: its files are private to their owner, and a roster or export on a shared
    # drive must keep the permissions an ordinary new file gets.
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
