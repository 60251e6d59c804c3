"""The audit trail: every filed workbook and export is recorded, and tampering with the log or a
workbook is found and named."""

from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from mentorforms.commands.cli import main
from mentorforms.errors import AuditError, AuditNotRecorded
from mentorforms.records import audit
from mentorforms.records.audit_verify import check, verify
from mentorforms.records.store import DataFolder
from mentorforms.rules.offline import import_workbook, write_blank
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks.workbook import read_record

YEAR = AcademicYear(2025)


def _map(person: str = "F00001", goals: str = "PI of a lab", saved_by: str = "F00001") -> Record:
    return Record("network_map", 1, YEAR, person, "Pediatrics", Status.DRAFT, {"career_goals": goals},
                  saved_by=saved_by)


def _log_lines(root: Path) -> list[str]:
    return audit.log_path(root).read_text(encoding="ascii").splitlines(keepends=True)


def _write_lines(root: Path, lines: list[str]) -> None:
    audit.log_path(root).write_text("".join(lines), encoding="ascii")


def _signed_part2(root: Path) -> Path:
    for path in DataFolder(root).iter_workbooks():
        if "conference_part2" in path.parts[-2]:
            record = read_record(path)
            if record.status is Status.SIGNED:
                return path
    raise AssertionError("the demo has no signed Part II")


# --------------------------------------------------------------------------- appending and reading


def test_appended_entries_read_back_as_written_and_filter_by_person_and_form(data_dir: Path) -> None:
    workbook = data_dir / "records" / "x" / "v0003.xlsx"
    workbook.parent.mkdir(parents=True)
    workbook.write_bytes(b"signed agreement")
    first = audit.append(data_dir, "viewed", actor="F00007", form_id="conference_part1", person_id="F00001",
                         year="2025-2026", detail="a chair opened the form")
    second = audit.append(data_dir, "sign", actor="F00001", form_id="agreement", person_id="F00001",
                          year="2025-2026", instance="F00007", version=3,
                          files={workbook: audit.sha256_of(b"signed agreement")}, detail="mentee signed")
    third = audit.append(data_dir, "refused", actor="F00009", form_id="conference_part2", person_id="F00001",
                         detail="may not open another department's Part II")
    assert list(audit.entries(data_dir)) == [first, second, third]
    assert [entry.seq for entry in (first, second, third)] == [1, 2, 3]
    assert (first.prev, second.prev, third.prev) == (audit.GENESIS, first.hash, second.hash)
    assert second.files == {"records/x/v0003.xlsx": audit.sha256_of(workbook)}
    moment = first.moment
    assert moment.tzinfo is not None and moment.utcoffset() == dt.timedelta(0)
    assert "." in first.at and len(first.at.split(".")[1].split("+")[0]) == 6  # microseconds
    assert [entry.seq for entry in audit.entries(data_dir, form="agreement")] == [2]
    assert [entry.seq for entry in audit.entries(data_dir, person="F00009")] == [3]  # the actor counts
    assert [entry.seq for entry in audit.entries(data_dir, person="F00001")] == [1, 2, 3]
    assert verify(data_dir) == []


def test_an_unknown_action_or_a_bad_digest_is_refused_and_nothing_is_written(data_dir: Path) -> None:
    with pytest.raises(AuditError, match="not an action"):
        audit.append(data_dir, "deleted", actor="F00001")
    with pytest.raises(AuditError, match="not a SHA-256"):
        audit.append(data_dir, "save", actor="F00001", files={"records/a.xlsx": "not-a-digest"})
    assert list(audit.entries(data_dir)) == []


def test_a_save_records_the_workbook_digest_action_and_actor(data_dir: Path) -> None:
    folder = DataFolder(data_dir)
    plain = folder.save(_map())
    chosen = folder.save(_map(goals="again"), action="submit", actor="F00042", detail="submitted from the page")
    assert plain.sha256 == audit.sha256_of(plain.path) and chosen.sha256 == audit.sha256_of(chosen.path)
    first, second = audit.entries(data_dir)
    assert (first.action, first.actor, first.detail, first.version) == ("save", "F00001", "draft", 1)
    assert (second.action, second.actor, second.detail, second.version) == (
        "submit", "F00042", "submitted from the page", 2)
    assert second.files == {chosen.path.relative_to(data_dir).as_posix(): chosen.sha256}
    assert (second.form_id, second.person_id, second.year) == ("network_map", "F00001", "2025-2026")


def test_a_save_with_an_unknown_action_files_nothing(data_dir: Path) -> None:
    with pytest.raises(AuditError):
        DataFolder(data_dir).save(_map(), action="overwrite")
    assert list(DataFolder(data_dir).iter_workbooks()) == []


def test_when_the_log_cannot_be_written_the_version_is_still_filed_and_the_error_says_so(
        data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    audit.log_path(data_dir).mkdir(parents=True)  # a directory where the log should be: writing fails
    with caplog.at_level(logging.ERROR, logger="mentorforms.records.version_claim"):
        with pytest.raises(AuditNotRecorded) as raised:
            DataFolder(data_dir).save(_map(goals="kept"))
    assert raised.value.filed.is_file() and raised.value.version == 1
    assert read_record(raised.value.filed).values["career_goals"] == "kept"
    assert "WAS filed" in str(raised.value) and str(raised.value.filed) in str(raised.value)
    assert any("not recorded in the audit trail" in record.getMessage() for record in caplog.records)


# --------------------------------------------------------------------------- the demo, import and export


def test_a_fresh_demo_folder_verifies_with_one_demo_entry_per_workbook(demo_dir: Path) -> None:
    report = check(demo_dir)
    workbooks = list(DataFolder(demo_dir).iter_workbooks())
    assert report.intact, [str(problem) for problem in report.problems]
    assert report.entries == len(workbooks) == report.workbooks
    assert {entry.action for entry in audit.entries(demo_dir)} == {"demo"}


def test_import_and_report_export_are_recorded(demo_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / "part1.xlsx"
    write_blank("network_map", YEAR, blank, person_id="F00001", data_dir=demo_dir)
    stored = import_workbook(blank, demo_dir, draft=True, saved_by="F00002")
    imported = list(audit.entries(demo_dir))[-1]
    assert (imported.action, imported.actor, imported.version) == ("import", "F00002", stored.version)
    assert "part1.xlsx" in imported.detail
    out = tmp_path / "summary.xlsx"
    assert main(["report", str(demo_dir), "--out", str(out), "--year", "2026-2027"]) == 0
    exported = list(audit.entries(demo_dir))[-1]
    assert exported.action == "exported" and exported.actor.startswith("cli:")
    assert exported.files == {out.absolute().as_posix(): audit.sha256_of(out)}
    out.unlink()  # an export leaves the app's custody: removing it is not a problem
    assert verify(demo_dir) == []


# --------------------------------------------------------------------------- tampering


def test_an_edited_entry_fails_verify_naming_it(demo_dir: Path) -> None:
    lines = _log_lines(demo_dir)
    content = json.loads(lines[4])
    content["actor"] = "F99999"  # someone else did it, says the edit; the hash stays the old one
    lines[4] = json.dumps(content) + "\n"
    _write_lines(demo_dir, lines)
    problems = verify(demo_dir)
    assert [(problem.file, problem.seq) for problem in problems] == [(audit.log_path(demo_dir), 5)]
    assert "entry 5 (line 5) was changed" in str(problems[0])


def test_a_removed_entry_fails_verify_naming_the_gap(demo_dir: Path) -> None:
    lines = _log_lines(demo_dir)
    del lines[9]
    _write_lines(demo_dir, lines)
    messages = [str(problem) for problem in verify(demo_dir)]
    assert any("entry 11 (line 10) does not follow entry 9" in text and "entry 10 is missing" in text
               for text in messages), messages
    # and the workbook that entry recorded is now one nobody recorded
    assert any("filed outside the app" in text for text in messages)


def test_swapped_entries_fail_verify_naming_them(demo_dir: Path) -> None:
    lines = _log_lines(demo_dir)
    lines[6], lines[7] = lines[7], lines[6]
    _write_lines(demo_dir, lines)
    problems = verify(demo_dir)
    assert problems and all(problem.file == audit.log_path(demo_dir) for problem in problems)
    assert {7, 8} <= {problem.seq for problem in problems}
    assert str(problems[0]).endswith("entry 8 (line 7) does not follow entry 6, the one before it in the log: "
                                     "the entries are out of order (entry 7 is on line 8)")
    assert "entry 7 belongs before entry 8" in str(problems[1])


def test_a_duplicated_entry_fails_verify_naming_it(demo_dir: Path) -> None:
    lines = _log_lines(demo_dir)
    lines.insert(5, lines[4])
    _write_lines(demo_dir, lines)
    assert [str(problem) for problem in verify(demo_dir)] == [
        f"{audit.log_path(demo_dir)}: entry 5 (line 6) does not follow entry 5, the one before it in the log: "
        "an entry with this number is already on line 5"]


def test_entries_removed_from_the_end_fail_verify(demo_dir: Path) -> None:
    lines = _log_lines(demo_dir)
    _write_lines(demo_dir, lines[:-2])
    messages = [str(problem) for problem in verify(demo_dir)]
    last = len(lines)
    assert any(f"ends at entry {last - 2}, but entry {last} was written" in text for text in messages), messages


def test_a_cut_last_line_is_reported_and_the_next_append_starts_a_clean_line(data_dir: Path) -> None:
    for number in range(3):
        audit.append(data_dir, "viewed", actor="F00001", detail=f"view {number}")
    log = audit.log_path(data_dir)
    log.write_bytes(log.read_bytes()[:-40])  # a write that never finished
    assert [str(problem) for problem in verify(data_dir)] == [
        f"{log}: the last line (3) was cut short (not JSON): the log was truncated or a write did not finish",
        f"{log}: the log ends at entry 2, but entry 3 was written (head.json says so): entries after 2 were removed",
    ]
    after = audit.append(data_dir, "viewed", actor="F00001", detail="after the crash")
    assert after.seq == 3 and after.prev == list(audit.entries(data_dir))[1].hash
    assert [str(problem) for problem in verify(data_dir)] == [
        f"{log}: line 3 is not a readable entry (not JSON)"]


def test_a_signed_part2_edited_in_place_with_its_mtime_restored_fails_verify(demo_dir: Path) -> None:
    path = _signed_part2(demo_dir)
    before = path.stat()
    book = openpyxl.load_workbook(path)
    sheet = book["record"]
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert cells
    cells[-1].value = cells[-1].value + " (amended)"
    book.save(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    problems = verify(demo_dir)
    assert [problem.file for problem in problems] == [path]
    assert "bytes differ from those recorded by entry" in str(problems[0])
    assert "changed after it was filed" in str(problems[0])


def test_a_vanished_workbook_and_a_copy_dropped_in_fail_verify(demo_dir: Path) -> None:
    paths = list(DataFolder(demo_dir).iter_workbooks())
    gone, copied = paths[0], paths[1]
    gone.unlink()
    dropped = copied.with_name("v0099.xlsx")
    shutil.copyfile(copied, dropped)
    found = {problem.file: str(problem) for problem in verify(demo_dir)}
    assert set(found) == {gone, dropped}
    assert "no longer in the data folder" in found[gone]
    assert "filed outside the app" in found[dropped]


# --------------------------------------------------------------------------- many writers


def _append_many(root: str, worker: int, count: int) -> None:
    for number in range(count):
        audit.append(root, "viewed", actor=f"W{worker:02d}", detail=f"{worker}:{number}")


def test_ten_processes_appending_at_once_lose_and_interleave_nothing(data_dir: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(str(data_dir), worker, 50)) for worker in range(10)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=240)
    assert [process.exitcode for process in workers] == [0] * 10
    found = list(audit.entries(data_dir))
    assert [entry.seq for entry in found] == list(range(1, 501))
    assert sorted(entry.detail for entry in found) == sorted(f"{w}:{n}" for w in range(10) for n in range(50))
    for worker in range(10):  # each process's entries in the order it wrote them
        mine = [int(entry.detail.split(":")[1]) for entry in found if entry.actor == f"W{worker:02d}"]
        assert mine == list(range(50))
    assert verify(data_dir) == []


# --------------------------------------------------------------------------- the command line


def test_cli_verify_says_intact_or_lists_each_problem_and_exits_non_zero(
        demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    count = len(_log_lines(demo_dir))
    assert main(["audit", "verify", str(demo_dir)]) == 0
    assert capsys.readouterr().out == f"audit trail intact: {count} entries, {count} workbooks checked\n"
    path = _signed_part2(demo_dir)
    path.write_bytes(path.read_bytes() + b"\0")
    assert main(["audit", "verify", str(demo_dir)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [line for line in captured.out.splitlines() if line.startswith(f"{path}: ")]
    assert len(captured.out.splitlines()) == 1
    assert captured.err == f"audit trail NOT intact: 1 problem in {count} entries, {count} workbooks checked\n"


def test_cli_show_lists_one_line_per_entry_and_escapes_control_characters(
        data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    DataFolder(data_dir).save(_map(), action="submit")
    audit.append(data_dir, "refused", actor="F00003", form_id="conference_part2", person_id="F00001",
                 year="2025-2026", detail="not their department\n\x1b[31mfake line")
    assert main(["audit", "show", str(data_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].split("  ")[1:] == ["F00001", "submit", "network_map", "F00001", "2025-2026", "v1", "draft"]
    assert "\x1b" not in lines[1] and "\\n\\x1b[31mfake line" in lines[1]
    assert main(["audit", "show", str(data_dir), "--person", "F00003"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert main(["audit", "show", str(data_dir), "--form", "agreement"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "no entries for form agreement\n"


def test_cli_errors_are_one_plain_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    assert main(["audit", "verify", str(missing)]) == 1
    assert capsys.readouterr().err == f"mentorforms audit: {missing}: no such data folder\n"
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "audit").mkdir()
    (folder / "audit" / "log.jsonl").mkdir()  # unreadable as a file
    assert main(["audit", "show", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"mentorforms audit: {folder / 'audit' / 'log.jsonl'}: ") and err.count("\n") == 1


def test_the_analyst_pages_downloads_are_recorded_before_they_are_offered(demo_dir: Path) -> None:
    import base64
    import re

    from mentorforms.ui.analyst import analyst_app

    root = analyst_app({"MENTORFORMS_DATA": str(demo_dir), "MENTORFORMS_AS": "A00001"}, background=False,
                       as_of=dt.date(2026, 11, 22))
    content = root.page.prepare_workbook()
    link = re.search(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', root.page.result.value)
    assert link and base64.b64decode(link.group(2)) == content
    entry = list(audit.entries(demo_dir))[-1]
    assert (entry.action, entry.actor) == ("exported", "A00001")
    assert entry.files == {link.group(1): audit.sha256_of(content)}
    assert verify(demo_dir) == []


def test_a_page_note_lands_in_the_trail_and_a_trail_that_cannot_be_written_does_not_stop_the_page(
        demo_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mentorforms.forms import get_form
    from mentorforms.records.roster import load_roster
    from mentorforms.rules import trail
    from mentorforms.rules.identity import Viewer
    from mentorforms.rules.parties import open_case

    folder = DataFolder(demo_dir)
    roster = load_roster(folder.roster_path)
    year = AcademicYear.containing(dt.date(2026, 11, 22))
    case = open_case(get_form("conference_part1", year), roster, Viewer(roster.get("F00001")), "F00001")
    trail.note(folder, "printed", case, version=2, detail="print view")
    entry = list(audit.entries(demo_dir))[-1]
    assert (entry.action, entry.actor, entry.form_id, entry.version) == ("printed", "F00001", "conference_part1", 2)
    audit.log_path(demo_dir).unlink()
    audit.log_path(demo_dir).mkdir()  # the log can no longer be written
    with caplog.at_level(logging.ERROR, logger="mentorforms.ui"):
        trail.note(folder, "viewed", case)
    assert any("could not be written" in record.getMessage() for record in caplog.records)


def test_a_giant_line_is_reported_and_appending_chains_past_it(data_dir: Path) -> None:
    good = audit.append(data_dir, "viewed", actor="F00001")
    with open(audit.log_path(data_dir), "ab") as log:
        log.write(b'{"seq": 2, "detail": "' + b"x" * (3 << 20) + b'"}\n')  # 3 MB: over the line limit
    after = audit.append(data_dir, "viewed", actor="F00001")
    assert (after.seq, after.prev) == (2, good.hash)
    assert [str(problem) for problem in verify(data_dir)] == [
        f"{audit.log_path(data_dir)}: line 2 is not a readable entry (longer than 1,048,576 bytes)"]


def test_adopt_records_a_folder_from_before_the_trail_once_and_leaves_broken_files_named(
        demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A folder kept before the audit trail: the workbooks are there, the log is not.
    shutil.rmtree(demo_dir / audit.AUDIT)
    paths = list(DataFolder(demo_dir).iter_workbooks())
    broken = paths[0].with_name("v0098.xlsx")
    broken.write_bytes(paths[0].read_bytes()[:500])  # a copy cut short
    before = verify(demo_dir)
    assert {problem.file for problem in before if "filed outside the app" in str(problem)} >= set(paths)

    assert main(["audit", "adopt", str(demo_dir)]) == 0
    out, err = capsys.readouterr()
    assert f"recorded {len(paths):,} workbook{'s' if len(paths) != 1 else ''} the audit" in out and "1 left out" in out
    assert str(broken) in err and "left out" in err
    entries = [entry for entry in audit.entries(demo_dir) if entry.action == "adopted"]
    assert len(entries) == len(paths) and all(entry.actor.startswith("cli:") for entry in entries)
    # Verify now checks every adopted workbook and names only the broken copy.
    assert [problem.file for problem in verify(demo_dir)] == [broken]

    # Adopting again records nothing new; an edit after adoption is caught.
    assert main(["audit", "adopt", str(demo_dir)]) == 0
    assert "recorded 0 workbooks" in capsys.readouterr().out
    signed = _signed_part2(demo_dir)
    signed.write_bytes(signed.read_bytes() + b"\0")
    assert signed in {problem.file for problem in verify(demo_dir)}
