"""``mentorforms check``: every problem in a data folder, one line each, naming the file.

Besides the roster and every workbook, it names what the app would otherwise pass over: a folder
without the data-folder marker (saves are refused there until ``mentorforms init``), old .xls
workbooks and other files copied into the records folder, and a latest version that cannot be
read (pages then show the version before it, read-only), and a workbook that does not count
where it lies (not at a name the app writes, or holding another person's, form's, year's or
version's record: reports list it among their problems and no page shows it). A version filed
whose audit entry was never written (a crash or a full disk between the two) is recorded now, by
the account running check, with a note. Temporary files of saves that were killed more than an
hour ago are removed, each with a note.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from mentorforms import messages
from mentorforms.errors import AuditError, MentorformsError, ValidationFailed, WorkbookError
from mentorforms.forms import get_form
from mentorforms.records import audit
from mentorforms.records.roster import Roster, RosterInvalid, load_roster, look_alikes
from mentorforms.records.store import MARKER, STALE_TEMPORARY_SECONDS, DataFolder, linked_temporaries
from mentorforms.records.store import VERSION_FILE as _VERSION_FILE
from mentorforms.rules.validation import check_draft, check_submission
from mentorforms.vocabulary.record import Status
from mentorforms.workbooks.workbook import plain_line, read_record


class FolderMissing(MentorformsError):
    """The data folder named does not exist (or is not a folder)."""


@dataclass(frozen=True)
class FolderProblem:
    """A problem with one file of the data folder. A ``note`` is worth knowing but not an error
    (values kept from a field the form no longer has)."""

    path: Path
    reason: str
    note: bool = False

    def __str__(self) -> str:
        # One line whatever the file holds: its name and the reason may come from a hostile file.
        return plain_line(f"{self.path}: {'note: ' if self.note else ''}{self.reason}", 600)


def check_workbook(path: Path) -> list[FolderProblem]:
    """The problems of one workbook: unreadable, or answers its status does not allow."""
    return _check_one(path)[1]


def _check_one(path: Path, folder: DataFolder | None = None) -> tuple[bool, list[FolderProblem]]:
    """Whether the workbook could be read at all (and, in a data folder, counts in its place), and
    its problems."""
    try:
        record = folder.read(path) if folder is not None else read_record(path)
    except WorkbookError as error:
        return False, [FolderProblem(path, error.reason)]
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
    return True, problems


def _age(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:.0f} hours old" if hours < 48 else f"{hours / 24:.0f} days old"


def _recover_unrecorded(folder: DataFolder) -> list[FolderProblem]:
    """Record, by the account running check, each version filed whose audit entry was never
    written (marked by its save's temporary file); a problem for each that still cannot be."""
    found = []
    actor = audit.command_line_actor()
    for where in sorted({path.parent for path in folder.temporaries()}):
        try:
            for entry in folder.recover_unrecorded(where, actor):
                for key in entry.files:
                    found.append(FolderProblem(folder.root / key, messages.say(
                        messages.FOLDER_RECOVERED, seq=entry.seq, actor=actor), note=True))
        except AuditError as error:
            for _, version in linked_temporaries(where):
                found.append(FolderProblem(version.path, messages.say(messages.FOLDER_UNRECORDED,
                                                                      reason=error.reason)))
    return found


def _look_alikes(path: Path, roster: Roster) -> list[FolderProblem]:
    """Names and departments that differ only in Unicode form (a problem: they look the same
    everywhere but count apart) or look alike (a note)."""
    found = []
    for group in look_alikes(roster):
        template = messages.ROSTER_SAME_BUT_FORM if group.same_form else messages.ROSTER_LOOK_ALIKE
        names = " and ".join(ascii(text) for text in group.texts)  # escapes show what differs (e\u0301)
        found.append(FolderProblem(path, messages.say(
            template, what=group.what.capitalize(), names=names, rows=", ".join(map(str, group.rows)),
            plural="people" if group.what == "names" else "departments"), note=not group.same_form))
    return found


def _stale_temporaries(folder: DataFolder) -> list[FolderProblem]:
    notes = []
    now = time.time()
    for path in folder.temporaries():
        try:
            found = path.stat()
            age = now - found.st_mtime
            if age < STALE_TEMPORARY_SECONDS or found.st_nlink > 1:
                continue  # a save in progress, or the mark of a version not recorded yet (said above)
            path.unlink()
        except FileNotFoundError:
            continue
        notes.append(FolderProblem(path, messages.say(messages.FOLDER_STALE_TEMPORARY, age=_age(age)), note=True))
    return notes


def _stray(folder: DataFolder) -> list[FolderProblem]:
    found = []
    for path in folder.stray_files():
        if path.suffix.lower() == ".xls":
            found.append(FolderProblem(path, messages.FOLDER_OLD_XLS))
        else:
            found.append(FolderProblem(path, messages.FOLDER_STRAY_FILE, note=True))
    return found


def _latest_notice(path: Path, readable: dict[Path, set[int]]) -> str:
    """What the pages show when ``path``, which cannot be read, is its folder's newest version."""
    shown = max(readable.get(path.parent, set()), default=None)
    if shown is None:
        return messages.FOLDER_LATEST_UNREADABLE_NONE
    return messages.say(messages.FOLDER_LATEST_UNREADABLE, shown=shown)


def check_folder(root: Path | str) -> tuple[list[FolderProblem], int]:
    """Every problem and note in the folder (the folder itself, roster rows, then workbooks and
    other files) and how many workbooks were checked. FolderMissing if there is no such folder."""
    folder = DataFolder(root)
    if not folder.root.is_dir():
        raise FolderMissing(messages.say(messages.FOLDER_MISSING, root=folder.root))
    problems: list[FolderProblem] = []
    if not folder.is_marked():
        problems.append(FolderProblem(folder.root, messages.say(messages.FOLDER_OFFER_INIT, marker=MARKER,
                                                                root=folder.root)))
    if folder.roster_path.exists():
        try:
            roster = load_roster(folder.roster_path)
        except RosterInvalid as invalid:
            problems.extend(FolderProblem(folder.roster_path, str(problem)) for problem in invalid.problems)
        else:
            problems.extend(_look_alikes(folder.roster_path, roster))
    elif folder.roster_path.with_suffix(".xls").is_file():
        problems.append(FolderProblem(folder.roster_path.with_suffix(".xls"), messages.FOLDER_OLD_XLS_ROSTER))
    else:
        problems.append(FolderProblem(folder.roster_path, "there is no roster"))
    problems.extend(_recover_unrecorded(folder))
    problems.extend(_stale_temporaries(folder))
    checked = 0
    newest: dict[Path, int] = {}
    readable: dict[Path, set[int]] = {}
    unreadable: dict[Path, int] = {}
    found: list[tuple[Path, list[FolderProblem]]] = []
    for path in folder.iter_workbooks():
        checked += 1
        could_read, these = _check_one(path, folder)
        found.append((path, these))
        match = _VERSION_FILE.match(path.name)
        if match is None:
            continue
        number = int(match.group(1))
        newest[path.parent] = max(number, newest.get(path.parent, 0))
        if not could_read:
            unreadable[path] = number
        else:
            readable.setdefault(path.parent, set()).add(number)
    for path, these in found:
        if path in unreadable and unreadable[path] == newest.get(path.parent):
            first = these[0]
            these = [FolderProblem(path, f"{first.reason}; {_latest_notice(path, readable)}"), *these[1:]]
        problems.extend(these)
    problems.extend(_stray(folder))
    return problems, checked

