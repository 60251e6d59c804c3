"""The names in a data folder: where each version of each record goes, and the data-folder marker.

Layout (every part below ``records`` is a :func:`safe_segment` of what it names)::

    DATA_DIR/
      .mentorforms-data                the marker (MARKER)
      roster.xlsx                      the office's roster (see mentorforms.records.roster)
      records/
        2025-2026/                     academic year
          pediatrics-1a2b3c/           department
            p0001-4d5e6f/              person (roster id)
              conference_part1/        form id (and, for forms kept per instance, its key)
                v0001.xlsx             one file per save, numbered from 1
                v0002.xlsx

A data folder is recognised by its marker file, written by ``mentorforms init``, ``mentorforms
demo`` and the first roster written into the folder. A folder made before markers existed is
refused until someone runs ``mentorforms init`` on it (``check`` says so): guessing from its
contents would accept the wrong folder as readily as the right one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from mentorforms import messages
from mentorforms.forms import get_form
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record

RECORDS = "records"
ROSTER = "roster.xlsx"
#: The file that says "this folder is a mentorforms data folder".
MARKER = ".mentorforms-data"
#: The name of a version file; its group is the version number.
VERSION_FILE = re.compile(r"^v(\d{4,})\.xlsx$")
#: How the temporary file of a save in progress (or of a save that was killed) starts.
TEMP_PREFIX = ".saving-"


def safe_segment(text: str) -> str:
    """A folder name for user-typed ``text``: lower-case ASCII letters, digits and hyphens, then a
    short hash of the exact text, so different texts never share a folder and no text can name a
    path outside its parent (``..``, ``/``, drive letters and control characters all vanish)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    readable = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40].strip("-") or "x"
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return f"{readable}-{digest}"


def version_name(number: int) -> str:
    """The file name of version ``number`` (``v0001.xlsx``)."""
    return f"v{number:04d}.xlsx"


def mark_data_folder(root: Path | str) -> bool:
    """Make ``root`` (which must exist) a data folder by writing its marker; False if it had one."""
    marker = Path(root) / MARKER
    try:
        with open(marker, "x", encoding="utf-8") as handle:
            handle.write("This folder is a mentorforms data folder. Do not delete this file: without it the "
                         "app refuses to save here.\n")
    except FileExistsError:
        return False
    return True


def instance_key(form: Form, record: Record) -> str | None:
    """The value that tells apart several records of ``form`` by one person in one year, if any."""
    if form.instance_field is None:
        return None
    value = record.values.get(form.instance_field)
    return str(value) if value else None


def form_parts(form: Form, key: str | None, year: AcademicYear, department: str,
               person_id: str) -> tuple[str, str, str, str]:
    """The four folder names below ``records/`` that hold every version of one person's form (one
    instance of it, ``key``) in one year: year, department, person, form."""
    name = form.id if not key else f"{form.id}--{safe_segment(key)}"
    return year.label, safe_segment(department or "no-department"), safe_segment(person_id), name


def record_parts(record: Record, form: Form | None = None) -> tuple[str, str, str, str]:
    """The folder names below ``records/`` that the versions of ``record`` go to (see :func:`form_parts`)."""
    form = form or get_form(record.form_id, record.academic_year)
    return form_parts(form, instance_key(form, record), record.academic_year, record.department,
                      record.person_id)


def form_folder_matches(name: str, form_id: str, instance: str | None) -> bool:
    """Is ``name`` the folder of form ``form_id`` (of its ``instance``; None: of any instance)?"""
    if instance is not None:
        return name == f"{form_id}--{safe_segment(instance)}"
    return name == form_id or name.startswith(f"{form_id}--")


def misplaced(relative: tuple[str, ...], record: Record) -> str:
    """Why a workbook at ``relative`` (the parts of its path below ``records/``) holding ``record``
    does not count, or "" when it does: it must be at a name the app writes,
    ``YEAR/DEPARTMENT/PERSON/FORM[--INSTANCE]/vNNNN.xlsx``, and that name must be the one the app
    would give this record (its year, department, person, form, instance and, when the workbook
    says it, version)."""
    name = relative[-1] if relative else ""
    match = VERSION_FILE.match(name)
    if len(relative) != 5 or match is None or name != version_name(int(match.group(1))):
        return messages.WORKBOOK_NOT_AT_APP_NAME
    form = get_form(record.form_id, record.academic_year)
    key = instance_key(form, record)
    expected = record_parts(record, form)
    number = int(match.group(1))
    if tuple(relative[:4]) == expected and record.version in (None, number):
        return ""
    what = f"{form.id}{f' ({key})' if key else ''} of {record.person_id} ({record.department}) for " \
           f"{record.academic_year.label}" + (f", version {record.version}" if record.version is not None else "")
    return messages.say(messages.WORKBOOK_MISPLACED, what=what, place="/".join(relative),
                        expected="/".join((*expected, version_name(record.version or number))))
