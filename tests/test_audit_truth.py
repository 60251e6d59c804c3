"""The head pins the log, and crashes and full disks leave the truth: entries past ``head.json``
fail verify (saying how many), an append cut short is closed and told apart, a version filed but
not recorded is recorded by the next save or ``check``, and no temporary file stays."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from ui_answers import newest_year

from mentorforms.commands.cli import main
from mentorforms.records import audit
from mentorforms.records.audit_verify import check
from mentorforms.records.store import DataFolder
from mentorforms.ui.context import PageRequest, open_session
from mentorforms.ui.form_open import open_form_page
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks.workbook import read_record

YEAR = AcademicYear(2025)


def _map(goals: str = "PI of a lab", saved_by: str = "F00001") -> Record:
    return Record("network_map", 1, YEAR, "F00001", "Pediatrics", Status.DRAFT, {"career_goals": goals},
                  saved_by=saved_by)


def _forge_after_head(root: Path, count: int) -> None:
    """Append ``count`` entries with a correct chain straight to the log, leaving head.json as it was."""
    head = audit.head_path(root).read_bytes()
    for number in range(count):
        audit.append(root, "viewed", actor="F00666", detail=f"added by hand {number}")
    audit.head_path(root).write_bytes(head)


# --------------------------------------------------------------------------- the head pins the log


@pytest.mark.parametrize("count", [1, 5, 50])
def test_entries_appended_past_the_head_fail_verify_saying_how_many(data_dir: Path, count: int,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for number in range(3):
        audit.append(data_dir, "viewed", actor="F00001", detail=f"view {number}")
    assert check(data_dir).intact
    _forge_after_head(data_dir, count)
    problems = [str(problem) for problem in check(data_dir).problems]
    log = audit.log_path(data_dir)
    if count == 1:
        assert problems == [f"{log}: entry 4 (line 4) is past entry 3, the last one head.json names: the last append "
                            "was interrupted before head.json was written (the next entry the app writes puts that "
                            "right), or it was added without the app"]
    else:
        assert problems == [f"{log}: the log holds {count} entries (4 to {3 + count}) past entry 3, the last one "
                            "head.json names: they were added without the app, or head.json could not be written "
                            "for them (a full disk or a read-only audit folder: the server log says so); an "
                            "interrupted append leaves at most one"]
    assert main(["audit", "verify", str(data_dir)]) == 1
    assert "NOT intact" in capsys.readouterr().err


def test_an_append_cut_short_is_closed_by_the_next_and_told_apart_from_a_line_removed(
        data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for number in range(3):
        audit.append(data_dir, "viewed", actor="F00001", detail=f"view {number}")
    log = audit.log_path(data_dir)
    with open(log, "ab") as handle:  # a process killed mid-line: head.json still names entry 3
        handle.write(b'{"action":"save","actor":"F00002","at":"2026-12-')
    assert [str(problem) for problem in check(data_dir).problems] == [
        f"{log}: the last line (4) was cut short (not JSON): the log was truncated or a write did not finish"]
    after = audit.append(data_dir, "viewed", actor="F00009", detail="after the crash")
    closing = list(audit.entries(data_dir))[-2]
    assert (closing.action, closing.actor, closing.seq, after.seq) == ("interrupted", "F00009", 4, 5)
    report = check(data_dir)
    assert report.intact, [str(problem) for problem in report.problems]
    assert [str(note) for note in report.notes] == [
        f"{log}: line 4 was cut short by an append that did not finish; entry 4 records it (by F00009, "
        f"{closing.at}) and nothing it held was recorded"]
    assert main(["audit", "verify", str(data_dir)]) == 0
    assert "note: " in capsys.readouterr().out

    # The closed line edited afterwards no longer matches what the closing entry recorded.
    lines = log.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"F00002", b"F00003")
    log.write_bytes(b"\n".join(lines))
    assert [str(problem) for problem in check(data_dir).problems] == [
        f"{log}: line 4 is not a readable entry (not JSON)"]


# --------------------------------------------------------------------------- crashes and full disks


def test_a_head_that_cannot_be_replaced_leaves_the_save_recorded_and_no_temporary_file(data_dir: Path) -> None:
    folder = DataFolder(data_dir)
    folder.save(_map("first"))
    head = audit.head_path(data_dir)
    head.unlink()
    (head / "blocked").mkdir(parents=True)  # head.json cannot be replaced: the entry is still written
    stored = folder.save(_map("second"))  # no AuditNotRecorded: the entry is on disk
    assert stored.version == 2
    assert [entry.version for entry in audit.entries(data_dir)] == [1, 2]
    assert list((data_dir / "audit").glob(".head.json.*")) == []
    (head / "blocked").rmdir()
    head.rmdir()
    folder.save(_map("third"))
    assert check(data_dir).intact


_KILLED_BEFORE_RECORDING = textwrap.dedent("""
    import os, signal, sys
    from mentorforms.records import audit
    from mentorforms.vocabulary.academic_year import AcademicYear
    from mentorforms.vocabulary.record import Record, Status
    from mentorforms.records.store import DataFolder

    def die(*args, **kwargs):  # the moment between filing and recording, made certain
        os.kill(os.getpid(), signal.SIGKILL)

    audit.append = die
    DataFolder(sys.argv[1]).save(Record("network_map", 1, AcademicYear(2025), "F00001", "Pediatrics", Status.DRAFT,
                                        {"career_goals": "filed, then killed"}, saved_by="F00001"))
""")


@pytest.mark.parametrize("found_by", ["the next save", "check", "check given a relative path"])
def test_a_version_filed_by_a_process_killed_before_recording_it_is_recorded_later(
        data_dir: Path, found_by: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    folder = DataFolder(data_dir)
    folder.save(_map("first"))
    child = subprocess.run([sys.executable, "-c", _KILLED_BEFORE_RECORDING, str(data_dir)], check=False)
    assert child.returncode == -signal.SIGKILL
    filed = folder.latest_version("network_map", YEAR, "F00001")
    assert filed.version == 2 and read_record(filed.path).values["career_goals"] == "filed, then killed"
    assert [str(problem.file) for problem in check(data_dir).problems] == [str(filed.path)]  # filed outside the app?

    if found_by == "the next save":
        folder.save(_map("third", saved_by="F00007"))
        actor = "F00007"
    elif found_by == "check":
        main(["check", str(data_dir)])  # exits 1 all the same: this folder has no roster
        said = capsys.readouterr().out
        assert f"{filed.path}: note: was filed but never recorded in the audit trail" in said
        actor = audit.command_line_actor()
    else:  # from the folder above, as an office's IT would type it
        monkeypatch.chdir(data_dir.parent)
        main(["check", data_dir.name])
        said = capsys.readouterr().out
        shown = Path(data_dir.name) / filed.path.relative_to(data_dir)
        assert f"{shown}: note: was filed but never recorded in the audit trail" in said
        actor = audit.command_line_actor()
    recovered = [entry for entry in audit.entries(data_dir) if entry.action == "recovered"]
    assert len(recovered) == 1 and recovered[0].actor == actor and recovered[0].version == 2
    assert recovered[0].files == {filed.path.relative_to(data_dir).as_posix(): audit.sha256_of(filed.path)}
    assert "was filed at" in recovered[0].detail and "never written" in recovered[0].detail
    report = check(data_dir)
    assert report.intact, [str(problem) for problem in report.problems]
    assert list(folder.temporaries()) == []
    folder.save(_map("fourth"))  # found once, recorded once
    assert len([entry for entry in audit.entries(data_dir) if entry.action == "recovered"]) == 1


def _fill_log(root: Path, size: int) -> None:
    while audit.log_path(root).stat().st_size < size:
        audit.append(root, "viewed", actor="F00001", detail="x" * 900)


_SAVE_WITH_SMALL_FILES = textwrap.dedent("""
    import resource, signal, sys
    from mentorforms.vocabulary.academic_year import AcademicYear
    from mentorforms.errors import AuditNotRecorded
    from mentorforms.vocabulary.record import Record, Status
    from mentorforms.records.store import DataFolder

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as on a full disk
    limit = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        DataFolder(sys.argv[1]).save(Record("network_map", 1, AcademicYear(2025), "F00001", "Pediatrics",
                                            Status.DRAFT, {"career_goals": "no room for the entry"},
                                            saved_by="F00001"))
    except AuditNotRecorded as error:
        print("NOT RECORDED", error.version, error.why)
""")


def test_with_no_room_for_the_entry_the_save_says_exactly_what_was_filed_and_the_log_stays_whole(
        data_dir: Path) -> None:
    folder = DataFolder(data_dir)
    first = folder.save(_map("first"))
    _fill_log(data_dir, 4 * first.path.stat().st_size)
    before = audit.log_path(data_dir).read_bytes()
    limit = 2 * first.path.stat().st_size  # room for a workbook, not for one more line of the log
    child = subprocess.run([sys.executable, "-c", _SAVE_WITH_SMALL_FILES, str(data_dir), str(limit)],
                           capture_output=True, text=True, check=False)
    assert child.returncode == 0, child.stderr
    assert child.stdout.startswith("NOT RECORDED 2 "), child.stdout
    assert audit.log_path(data_dir).read_bytes() == before  # no half line left
    assert list((data_dir / "audit").glob(".head.json.*")) == []
    assert read_record(folder.latest_version("network_map", YEAR, "F00001").path).values["career_goals"] == \
        "no room for the entry"
    folder.save(_map("third"))  # room again: the next save records version 2, then itself
    assert [(entry.action, entry.version) for entry in audit.entries(data_dir)][-2:] == [("recovered", 2), ("save", 3)]
    assert check(data_dir).intact


def test_a_page_whose_save_was_filed_but_not_recorded_says_so_and_never_calls_it_a_conflict(demo_dir: Path) -> None:
    year = newest_year(demo_dir)
    session = open_session({"MENTORFORMS_DATA": str(demo_dir), "MENTORFORMS_AS": "F00001"}, PageRequest())
    page = open_form_page(session, PageRequest(form_id="network_map", year=year.label))
    log = audit.log_path(demo_dir)
    kept = log.with_name("log.kept")
    log.rename(kept)
    log.mkdir()  # the trail cannot be written now
    page.enter({"career_goals": "Filed while the trail was down"})
    stored = page.save_draft()
    assert stored is not None and page.stored.version == stored.version
    assert page.result_text.startswith(f"Saved as version {stored.version}: it is filed, but the audit trail "
                                       "could not record it")
    assert page.conflict is None
    page.enter({"career_goals": "Filed again while the trail was down"})
    again = page.save_draft()  # built on its own unrecorded save: no conflict, filed, said the same way
    assert again is not None and again.version == stored.version + 1 and page.conflict is None
    assert page.result_text.startswith(f"Saved as version {again.version}: it is filed, but")
    log.rmdir()
    kept.rename(log)
    page.enter({"career_goals": "The next save, with the trail back"})
    after = page.save_draft()
    assert after is not None and after.version == again.version + 1 and page.conflict is None
    assert page.result_text == f"Draft saved as version {after.version}."
    actions = [(entry.action, entry.version, entry.actor) for entry in audit.entries(demo_dir)][-3:]
    assert actions == [("recovered", stored.version, "F00001"), ("recovered", again.version, "F00001"),
                       ("save_draft", after.version, "F00001")]
    report = check(demo_dir)
    assert report.intact, [str(problem) for problem in report.problems]


_SAVER = textwrap.dedent("""
    import sys
    from mentorforms.vocabulary.academic_year import AcademicYear
    from mentorforms.vocabulary.record import Record, Status
    from mentorforms.records.store import DataFolder

    folder = DataFolder(sys.argv[1])
    for number in range(10_000):
        folder.save(Record("network_map", 1, AcademicYear(2025), "F00001", "Pediatrics", Status.DRAFT,
                           {"career_goals": f"save {number}"}, saved_by="F00001"))
""")

KILLS = 30


def test_savers_killed_at_random_moments_leave_a_trail_that_check_makes_whole(data_dir: Path) -> None:
    chance = random.Random(19)
    DataFolder(data_dir).save(_map("start"))
    for _ in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", _SAVER, str(data_dir)])
        before = len(DataFolder(data_dir).versions("network_map", YEAR, "F00001"))
        deadline = time.monotonic() + 120
        while len(DataFolder(data_dir).versions("network_map", YEAR, "F00001")) == before \
                and time.monotonic() < deadline:
            time.sleep(0.01)  # started saving: now kill it somewhere in its next saves
        time.sleep(chance.uniform(0, 0.15))
        child.kill()
        child.wait()
    main(["check", str(data_dir)])  # records whatever was filed and not recorded (exits 1: no roster here)
    # A kill between the log and head.json leaves one entry past the head, said in those words;
    # the next entry the app writes puts the head right.
    past = [str(problem) for problem in check(data_dir).problems]
    assert all("the last append was interrupted before head.json was written" in text for text in past), past
    DataFolder(data_dir).save(_map("after the kills"))
    report = check(data_dir)
    assert report.intact, [str(problem) for problem in report.problems]
    assert list((data_dir / "audit").glob(".head.json.*")) == []
    linked = [path for path in DataFolder(data_dir).temporaries() if path.stat().st_nlink > 1]
    assert linked == []
