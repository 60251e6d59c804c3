"""The academic years an office runs forms for: a page, an import and a report accept only these.

The window comes from the office's configuration, ``DATA_DIR/office.toml``::

    [years]
    first = "2024-2025"     # the earliest year a form may be opened, filed or reported for
    last = "2027-2028"      # the latest

Either bound may be left out. The default window runs from the earliest year on file (a year folder
under ``records/`` holding a workbook), or the current year when that is later or nothing is on
file, to the year after the current one. A year outside it is refused in plain words and nothing
is written (``year=2099-2100`` in a form's address would otherwise file ``records/2099-2100/``).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mentorforms import messages
from mentorforms.errors import MentorformsError
from mentorforms.vocabulary.academic_year import AcademicYear

SETTINGS = "office.toml"
RECORDS = "records"
#: Longest office.toml read (a few lines are expected).
MAX_SETTINGS_BYTES = 64 * 1024


class YearOutsideWindow(MentorformsError):
    """A year the office does not run forms for; the message says which years it does."""


class YearSettingsInvalid(MentorformsError):
    """``office.toml`` cannot be used; the message names the file and the reason."""


@dataclass(frozen=True)
class YearWindow:
    """The academic years from ``first`` to ``last``, both included."""

    first: AcademicYear
    last: AcademicYear

    def __contains__(self, year: object) -> bool:
        return isinstance(year, AcademicYear) and self.first <= year <= self.last

    @property
    def label(self) -> str:
        return self.first.label if self.first == self.last else f"{self.first.label} to {self.last.label}"

    def check(self, year: AcademicYear) -> AcademicYear:
        """``year`` if it is in the window; YearOutsideWindow in plain words otherwise."""
        if year not in self:
            raise YearOutsideWindow(messages.say(messages.YEAR_OUTSIDE_WINDOW, year=year.label, window=self.label))
        return year

    def years(self) -> list[AcademicYear]:
        return [AcademicYear(start) for start in range(self.first.start, self.last.start + 1)]


def earliest_on_file(root: Path | str) -> AcademicYear | None:
    """The earliest year whose folder under ``records/`` holds a workbook, None if none does."""
    found: list[AcademicYear] = []
    try:
        entries = list((Path(root) / RECORDS).iterdir())
    except OSError:
        return None
    for entry in entries:
        try:
            year = AcademicYear.parse(entry.name)
        except ValueError:
            continue  # not a year's folder
        if entry.is_dir() and next(entry.rglob("v*.xlsx"), None) is not None:
            found.append(year)
    return min(found, default=None)


def _configured(root: Path) -> dict[str, AcademicYear]:
    path = root / SETTINGS
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SETTINGS_BYTES + 1)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise YearSettingsInvalid(messages.say(messages.YEAR_SETTINGS_INVALID, path=path,
                                               reason=error.strerror or str(error))) from error
    try:
        if len(raw) > MAX_SETTINGS_BYTES:
            raise ValueError(f"longer than {MAX_SETTINGS_BYTES:,} bytes")
        years = tomllib.loads(raw.decode("utf-8")).get("years", {})
        if not isinstance(years, dict):
            raise ValueError("[years] is not a table")
        return {bound: AcademicYear.parse(years[bound]) for bound in ("first", "last") if bound in years}
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, TypeError) as error:
        raise YearSettingsInvalid(messages.say(messages.YEAR_SETTINGS_INVALID, path=path, reason=error)) from error


def window(root: Path | str, today: dt.date | None = None) -> YearWindow:
    """The years the data folder ``root`` accepts (see the module's description).
    YearSettingsInvalid if ``office.toml`` cannot be used."""
    root = Path(root)
    current = AcademicYear.containing(today or dt.date.today())
    bounds = _configured(root)
    first = bounds.get("first")
    if first is None:
        earliest = earliest_on_file(root)
        first = min(earliest, current) if earliest is not None else current
    last = bounds.get("last", current.next)
    if last < first:
        raise YearSettingsInvalid(messages.say(messages.YEAR_SETTINGS_INVALID, path=root / SETTINGS,
                                               reason=f"the last year {last.label} is before the first {first.label}"))
    return YearWindow(first, last)


def check_year(root: Path | str, year: AcademicYear, today: dt.date | None = None) -> AcademicYear:
    """``year`` if the data folder ``root`` accepts it; YearOutsideWindow (or YearSettingsInvalid) otherwise."""
    return window(root, today).check(year)
