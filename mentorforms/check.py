"""``mentorforms check``: every problem in a data folder, one line each, naming the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mentorforms.errors import ValidationFailed, WorkbookError
from mentorforms.forms import get_form
from mentorforms.record import Status
from mentorforms.roster import RosterInvalid, load_roster
from mentorforms.store import DataFolder
from mentorforms.validation import check_draft, check_submission
from mentorforms.workbook import read_record


@dataclass(frozen=True)
class FolderProblem:
    """A problem with one file of the data folder. A ``note`` is worth knowing but not an error
    (values kept from a field the form no longer has)."""

    path: Path
    reason: str
    note: bool = False

    def __str__(self) -> str:
        return f"{self.path}: {'note: ' if self.note else ''}{self.reason}"


def check_workbook(path: Path) -> list[FolderProblem]:
    """The problems of one workbook: unreadable, or answers its status does not allow."""
    try:
        record = read_record(path)
    except WorkbookError as error:
        return [FolderProblem(path, error.reason)]
    form = get_form(record.form_id, record.academic_year)
    problems = []
    if record.form_version > form.version:
        problems.append(FolderProblem(path, f"written by a newer version ({record.form_version}) of {form.id} "
                                            f"than this program knows ({form.version})"))
    try:
        if record.status is Status.DRAFT:
            check_draft(form, record.values)
        else:
            check_submission(form, record.values)
    except ValidationFailed as failed:
        problems.extend(FolderProblem(path, f"{record.status.value} but {problem}") for problem in failed.problems)
    for field_id in record.unknown:
        problems.append(FolderProblem(path, f"keeps a value of {field_id!r}, a field {form.id} no longer has "
                                            f"(version {form.version})", note=True))
    return problems


def check_folder(root: Path | str) -> tuple[list[FolderProblem], int]:
    """Every problem and note in the folder (roster rows, then workbooks) and how many workbooks were checked."""
    folder = DataFolder(root)
    problems: list[FolderProblem] = []
    if folder.roster_path.exists():
        try:
            load_roster(folder.roster_path)
        except RosterInvalid as invalid:
            problems.extend(FolderProblem(folder.roster_path, str(problem)) for problem in invalid.problems)
    else:
        problems.append(FolderProblem(folder.roster_path, "there is no roster"))
    checked = 0
    for path in folder.iter_workbooks():
        checked += 1
        problems.extend(check_workbook(path))
    return problems, checked
