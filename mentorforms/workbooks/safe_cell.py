"""The one way any text reaches a spreadsheet cell in this package.

openpyxl (and pandas ``to_excel``) store a string that starts with ``=`` as a formula. Every
writer here — submissions, blanks, rosters, report exports — goes through :func:`put` so that
user text is always stored as text, whatever it starts with, and text a workbook cannot hold is
refused with a reason instead of failing half way through a save, or (worse) being saved into a
file that will not open again.

What a workbook cannot hold, measured on openpyxl 3.1.5: C0 control characters other than tab,
newline and carriage return (openpyxl raises); lone surrogates and the XML non-characters
U+FFFE/U+FFFF (openpyxl saves them, and the file is then not well-formed XML and does not reopen);
text over 32,767 characters (cut silently on reading). The other Unicode non-characters
(U+FDD0..U+FDEF, U+nFFFE/U+nFFFF) are legal XML but no text means them; they are removed too.

:func:`clean` removes what can be removed without changing what a person meant (control and
non-characters) and says what it removed; :func:`unstorable` lists, in plain words, every reason
text cannot be stored as it is.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.utils.escape import unescape as _unescape

from mentorforms import messages
from mentorforms.errors import UnsafeTextError

#: Excel's limit on the characters in one cell; openpyxl cuts longer text silently on reading.
MAX_CELL_TEXT = 32_767
#: Control characters an .xlsx file cannot contain (openpyxl raises IllegalCharacterError on them).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NON_CHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
#: Characters :func:`clean` removes: control characters (not tab, newline, CR) and non-characters.
REMOVABLE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_NON_CHARACTERS}]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
#: Everything a workbook cannot hold, in one pattern (for a fast yes/no on text read back).
_UNSTORABLE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_NON_CHARACTERS}\ud800-\udfff]")
#: Excel stores characters XML cannot hold as ``_xHHHH_``, and readers (Excel, calamine) decode
#: that text on reading; openpyxl writes it as it is. So text that looks like such an escape has
#: its underscore escaped (``_x005F_``), or ``_x0007_`` typed in a goal would read back as a BEL.
_LOOKS_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
#: First characters a spreadsheet program may read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def code_point(character: str) -> str:
    """``U+FFFE`` for a character: how a character nobody can see is named in a message."""
    return f"U+{ord(character):04X}"


@dataclass(frozen=True)
class Cleaned:
    """Text as :func:`clean` left it, and the characters it removed (as ``U+XXXX``, in order)."""

    text: str
    removed: tuple[str, ...] = ()

    @property
    def notice(self) -> str | None:
        """"removed 1 character Excel cannot store (U+FFFE)", or None when nothing was removed."""
        if not self.removed:
            return None
        return messages.say(messages.REMOVED_CHARACTERS, count=len(self.removed),
                            s="" if len(self.removed) == 1 else "s", which=_listing(self.removed))


def _listing(points: tuple[str, ...] | list[str]) -> str:
    distinct = list(dict.fromkeys(points))
    shown = ", ".join(distinct[:5])
    return shown + (f" and {len(distinct) - 5} more" if len(distinct) > 5 else "")


def clean(text: str) -> Cleaned:
    """``text`` without the control and non-characters a workbook cannot hold (tabs and newlines
    are kept), and which characters were removed.

    Line ends become ``\\n``: XML turns a stored ``\\r`` into ``\\n`` on reading, so keeping them
    would change the text between saving and reading back. Lone surrogates and over-long text are
    not changed here (see :func:`unstorable`): removing half an emoji or cutting text would change
    what the person meant.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    removed = tuple(code_point(match.group()) for match in REMOVABLE.finditer(text))
    return Cleaned(REMOVABLE.sub("", text) if removed else text, removed)


def decode_escapes(text: str) -> str:
    """Text as Excel means it: its ``_xHHHH_`` escapes decoded (openpyxl leaves them as they are).
    Use on text read with openpyxl; calamine decodes them itself."""
    return _unescape(text) if "_x" in text else text


def clean_text(text: str) -> str:
    """:func:`clean`'s text alone."""
    return clean(text).text


def unstorable(text: str) -> list[str]:
    """Every reason ``text`` cannot be stored in a cell exactly as it is, in plain words (empty
    when it can). Each reason completes "This answer ..."."""
    problems = []
    if len(text) > MAX_CELL_TEXT:
        problems.append(messages.say(messages.TEXT_TOO_LONG, length=len(text), limit=MAX_CELL_TEXT))
    if _UNSTORABLE.search(text) is None:
        return problems
    removable = [code_point(match.group()) for match in REMOVABLE.finditer(text)]
    if removable:
        problems.append(messages.say(messages.TEXT_UNSTORABLE_CHARACTERS, count=len(removable),
                                     s="" if len(removable) == 1 else "s", which=_listing(removable)))
    if _SURROGATES.search(text):
        problems.append(messages.TEXT_BROKEN_CHARACTER)
    return problems


#: What is quick to look for (a small class); non-characters are U+FDD0 and above, so text whose
#: largest character is below that needs no slower search (a class with astral ranges is slow).
_CONTROL_OR_SURROGATE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _no_unstorable_character(text: str) -> bool:
    if _CONTROL_OR_SURROGATE.search(text) is not None:
        return False
    return not text or max(text) < "\ufdd0" or _UNSTORABLE.search(text) is None


def storable(text: str) -> bool:
    """True if ``text`` can be stored in a cell exactly as it is."""
    return len(text) <= MAX_CELL_TEXT and _no_unstorable_character(text)


def storable_join(texts: list[str]) -> bool:
    """True if no text in ``texts`` holds a character a workbook cannot store (lengths unchecked)."""
    return _no_unstorable_character("\n".join(texts))


def storable_many(texts: Sequence[str]) -> bool:
    """True if every text in ``texts`` can be stored exactly as it is (one search over them all:
    a writer checks a whole table at once, and each cell only when this says no)."""
    return max(map(len, texts), default=0) <= MAX_CELL_TEXT and storable_join(list(texts))


def text_problem(text: str) -> str | None:
    """The first reason of :func:`unstorable`, or None if the text can be stored."""
    if storable(text):
        return None
    return unstorable(text)[0]


def constant(value: Any) -> tuple[Any, bool, str | None]:
    """``value`` checked for a cell, with how to store it: ``(value, quote_prefix, number_format)``.

    The one check every writer applies (openpyxl through :func:`put`; the report export's
    XlsxWriter backend directly): a string is text, never a formula, and ``quote_prefix`` says
    it must carry Excel's quote prefix because it looks like one; dates and times get a default
    ``number_format`` so they show as dates. Raises :class:`UnsafeTextError` for text a workbook
    cannot hold and ValueError for NaN, infinity and timezone-aware times, which do not survive a
    save; TypeError for a value no cell can take.
    """
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise UnsafeTextError(f"text {problem}")
        return value, value.startswith(FORMULA_STARTS), None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be stored in a spreadsheet")
    if isinstance(value, (dt.datetime, dt.time)) and value.tzinfo is not None:
        raise ValueError("times must be stored without a time zone (convert to UTC text first)")
    if value is not None and not isinstance(value, (bool, int, float, dt.date, dt.datetime, dt.time)):
        raise TypeError(f"cannot store a {type(value).__name__} in a cell")
    if isinstance(value, dt.datetime):
        return value, False, "yyyy-mm-dd hh:mm"
    if isinstance(value, dt.date):
        return value, False, "yyyy-mm-dd"
    return value, False, None


def put(cell: Cell, value: Any) -> Cell:
    """Store ``value`` in ``cell`` as a constant, never as a formula, and return the cell.

    Strings are stored as text (with Excel's quote prefix when they look like a formula, so Excel
    shows them as typed). Raises as :func:`constant` does.
    """
    value, quote_prefix, number_format = constant(value)
    if isinstance(value, str):
        # openpyxl writes "_x0007_" as it is and readers decode it: escape it so it reads back as typed
        # (XlsxWriter escapes such text itself, so constant() leaves it alone).
        cell.value = _LOOKS_ESCAPED.sub("_x005F_", value) if "_x" in value else value
        cell.data_type = "s"
        if quote_prefix:
            cell.quotePrefix = True
    else:
        cell.value = value
        if number_format:
            cell.number_format = number_format
    return cell


def put_at(sheet, row: int, column: int, value: Any) -> Cell:
    """:func:`put` into the cell of ``sheet`` at (row, column), 1-based."""
    return put(sheet.cell(row=row, column=column), value)
