"""The derived index: incremental refresh, rebuild equality, and the per-file boundary."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from reports_known import AS_OF, YEAR, Known, _save, build_known, hours, part1

from mentorforms.records import audit
from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.reports import index as index_module
from mentorforms.reports import index_read, index_scan
from mentorforms.reports.index import Index, index_path
from mentorforms.reports.load import load_record
from mentorforms.reports.tables import build_tables
from mentorforms.vocabulary.record import Status


@pytest.fixture(scope="module")
def known_master(tmp_path_factory: pytest.TempPathFactory) -> Known:
    return build_known(tmp_path_factory.mktemp("known-index") / "data")


@pytest.fixture
def known(known_master: Known, tmp_path: Path) -> Known:
    """A private copy (tests here change the folder)."""
    root = tmp_path / "data"
    shutil.copytree(known_master.root, root)
    (root / index_module.INDEX_NAME).unlink(missing_ok=True)
    copy = Known(root, **{key: value for key, value in vars(known_master).items() if key != "root"})
    copy.truncated = root / known_master.truncated.relative_to(known_master.root)
    copy.foreign = root / known_master.foreign.relative_to(known_master.root)
    return copy


def _tables(root: Path, index: Index | None = None):
    own = index is None
    index = index or Index(root)
    try:
        index.refresh()
        return build_tables(index, load_roster(root / "roster.xlsx"), as_of=AS_OF)
    finally:
        if own:
            index.close()


def _same(first, second) -> None:
    for name, frame in first.frames().items():
        pd.testing.assert_frame_equal(frame, second.frames()[name], check_dtype=False, obj=name)


def _age(path: Path, seconds: int = 60) -> None:
    """Make a file look written a while ago (the index re-checks anything written in the last seconds)."""
    moment = path.stat().st_mtime - seconds
    os.utime(path, (moment, moment))


def _age_tree(root: Path) -> None:
    for folder, _, files in os.walk(root):
        for name in files:
            _age(Path(folder) / name)
        _age(Path(folder))


def test_a_second_refresh_reads_nothing(known: Known) -> None:
    _age_tree(known.root / "records")
    with Index(known.root) as index:
        cold = index.refresh()
        assert cold.cold and cold.read == cold.files == len(list(DataFolder(known.root).iter_workbooks()))
        warm = index.refresh()
    assert (warm.read, warm.added, warm.changed, warm.removed) == (0, 0, 0, 0)
    assert warm.unchanged == cold.files


def test_the_index_lives_in_the_data_folder_and_can_be_deleted(known: Known) -> None:
    before = _tables(known.root)
    assert index_path(known.root).is_file()
    index_path(known.root).unlink()
    _same(before, _tables(known.root))


def test_a_rebuild_from_scratch_gives_the_same_tables_as_incremental_updates(known: Known) -> None:
    folder = DataFolder(known.root)
    with Index(known.root) as index:
        _tables(known.root, index)
        # Change the folder in every way a refresh must notice.
        _save(folder, "conference_part1", YEAR, "P5", part1("P5", hours(7, 7, 7, 7, 7, 7, 7, 7), dt.date(2026, 3, 3)),
              Status.SIGNED, dt.date(2026, 3, 3))
        next(path for path in folder.iter_workbooks() if "/agreement" in path.as_posix()).unlink()
        known.foreign.unlink()
        incremental = _tables(known.root, index)
        index.delete()
        rebuilt = _tables(known.root, index)
    _same(incremental, rebuilt)
    assert "P5" in set(incremental.teaching["person_id"])
    assert str(known.foreign) not in set(incremental.problems["file"])


def test_a_new_version_is_picked_up_and_replaces_the_old_one(known: Known) -> None:
    folder = DataFolder(known.root)
    with Index(known.root) as index:
        first = _tables(known.root, index)
        assert first.teaching.loc[first.teaching["person_id"] == "S1", "hours"].sum() == 32
        _save(folder, "conference_part1", YEAR, "S1", part1("S1", hours(1, 1, 1, 1, 1, 1, 1, 1), dt.date(2026, 2, 2)),
              Status.SIGNED, dt.date(2026, 2, 2))
        summary = index.refresh()
        second = build_tables(index, load_roster(known.root / "roster.xlsx"), as_of=AS_OF)
    assert (summary.added, summary.changed) == (1, 0)
    assert second.teaching.loc[second.teaching["person_id"] == "S1", "hours"].sum() == 8


def test_a_touched_file_is_hashed_not_parsed_again_and_an_edited_one_is(known: Known) -> None:
    folder = DataFolder(known.root)
    s1 = next(path for path in folder.iter_workbooks() if "conference_part1" in path.as_posix()
              and "/s1-" in path.as_posix())
    _age_tree(known.root / "records")
    with Index(known.root) as index:
        index.refresh()
        os.utime(s1)  # same bytes, new time
        touched = index.refresh()
        assert (touched.read, touched.changed) == (1, 0)
        # Overwrite in place with another person's workbook: same path, new content.
        p6 = next(path for path in folder.iter_workbooks() if "conference_part1" in path.as_posix()
                  and "/p6-" in path.as_posix())
        s1.write_bytes(p6.read_bytes())
        edited = index.refresh()
        tables = build_tables(index, load_roster(known.root / "roster.xlsx"), as_of=AS_OF)
    assert edited.changed == 1
    assert "S1" not in set(tables.teaching["person_id"])


def test_a_removed_person_folder_leaves_the_tables(known: Known) -> None:
    with Index(known.root) as index:
        _tables(known.root, index)
        for folder in (known.root / "records").glob("*/*/p6-*"):
            shutil.rmtree(folder)
        summary = index.refresh()
        tables = build_tables(index, load_roster(known.root / "roster.xlsx"), as_of=AS_OF)
    assert summary.removed == 2
    assert "P6" not in set(tables.teaching["person_id"])


def _counting_stats(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path the index and its folder scan ``stat`` from now on."""
    checked: list[str] = []
    real_stat = os.stat

    def counting_stat(path, *args, **kwargs):
        checked.append(str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(index_module.os, "stat", counting_stat)
    monkeypatch.setattr(index_scan.os, "stat", counting_stat)
    return checked


def test_a_quick_refresh_sees_every_save_from_the_audit_trail_and_looks_nowhere_else(
        known: Known, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = DataFolder(known.root)
    _age_tree(known.root / "records")
    with Index(known.root) as index:
        _tables(known.root, index)
        nothing = index.refresh(thorough=False)
        assert (nothing.read, nothing.added, nothing.changed, nothing.removed) == (0, 0, 0, 0)
        assert nothing.files == nothing.unchanged == len(list(folder.iter_workbooks()))

        # A save through the app, a workbook copied in by hand, a person folder removed by hand.
        _save(folder, "conference_part1", YEAR, "S1", part1("S1", hours(1, 1, 1, 1, 1, 1, 1, 1), dt.date(2026, 2, 2)),
              Status.SIGNED, dt.date(2026, 2, 2))
        p6 = next(path for path in folder.iter_workbooks() if "/p6-" in path.as_posix())
        p2_part1 = next(path for path in folder.iter_workbooks() if "/p2-" in path.as_posix()
                        and "conference_part1" in path.as_posix())
        shutil.copy(p2_part1, p2_part1.parent / "v0099.xlsx")
        for person in (known.root / "records").glob("*/*/p6-*"):
            shutil.rmtree(person)
        checked = _counting_stats(monkeypatch)
        quick = index.refresh(thorough=False)
        monkeypatch.undo()
        quick_tables = build_tables(index, load_roster(known.root / "roster.xlsx"), as_of=AS_OF)
        # The save is there at once; only the folder it went into was looked at.
        assert (quick.added, quick.changed, quick.removed) == (1, 0, 0)
        assert quick_tables.teaching.loc[quick_tables.teaching["person_id"] == "S1", "hours"].sum() == 8
        records = str(known.root / "records")
        looked_at = [path.removeprefix(records).lstrip("/") for path in checked]
        assert looked_at and all("/s1-" in path for path in looked_at), looked_at

        # The thorough refresh that follows (as the dashboard's) finds what was done by hand.
        thorough = index.refresh()
        tables = build_tables(index, load_roster(known.root / "roster.xlsx"), as_of=AS_OF)
    assert (thorough.added, thorough.removed) == (1, 2) and str(p6) not in tables.latest["path"].tolist()
    index_path(known.root).unlink()
    _same(tables, _tables(known.root))


def test_a_quick_refresh_looks_everywhere_when_the_audit_trail_cannot_say(
        known: Known, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = DataFolder(known.root)
    _age_tree(known.root / "records")
    log = known.root / "audit" / "log.jsonl"
    p2_part1 = next(path for path in folder.iter_workbooks() if "/p2-" in path.as_posix()
                    and "conference_part1" in path.as_posix())
    with Index(known.root) as index:
        index.refresh()
        # A copy by hand, then the log replaced by a shorter one: the place kept in it means nothing now.
        copy = p2_part1.parent / "v0099.xlsx"
        shutil.copy(p2_part1, copy)
        _age(copy)
        log.write_bytes(log.read_bytes().split(b"\n", 1)[0] + b"\n")
        assert index.refresh(thorough=False).added == 1
        # An entry naming a path out of the records folder is not followed.
        audit.append(known.root, "import", actor="cli:test", files={"records/../../x/v0001.xlsx": "0" * 64})
        checked = _counting_stats(monkeypatch)
        assert index.refresh(thorough=False).read == 0
    assert not [path for path in checked if ".." in path]


def test_a_workbook_overwritten_in_place_is_found_by_the_thorough_refresh(known: Known) -> None:
    folder = DataFolder(known.root)
    s1 = next(path for path in folder.iter_workbooks() if "conference_part1" in path.as_posix()
              and "/s1-" in path.as_posix())
    p6 = next(path for path in folder.iter_workbooks() if "conference_part1" in path.as_posix()
              and "/p6-" in path.as_posix())
    _age_tree(known.root / "records")
    with Index(known.root) as index:
        index.refresh()
        s1.write_bytes(p6.read_bytes())  # same name, new content: the folder's time does not change
        _age(s1)
        assert index.refresh(thorough=False).changed == 0  # the quick check's documented blind spot
        assert index.refresh().changed == 1
        tables = build_tables(index, load_roster(known.root / "roster.xlsx"), as_of=AS_OF)
    assert "S1" not in set(tables.teaching["person_id"])


def test_a_damaged_index_is_rebuilt(known: Known) -> None:
    before = _tables(known.root)
    index_path(known.root).write_bytes(b"this is not a database" * 100)
    _same(before, _tables(known.root))


def test_parallel_and_serial_reading_give_the_same_tables(known: Known, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _tables(known.root, Index(known.root, jobs=1))
    index_path(known.root).unlink()
    monkeypatch.setattr(index_read, "PARALLEL_THRESHOLD", 2)  # the reader decides when to start workers
    seen = []
    with Index(known.root, jobs=2) as index:
        index.refresh(lambda done, total: seen.append((done, total)))
        parallel = build_tables(index, load_roster(known.root / "roster.xlsx"), as_of=AS_OF)
    _same(serial, parallel)
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1] > 0


# --------------------------------------------------------------------------- the per-file boundary


def _rewrite(source: Path, target: Path, change) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            copy.writestr(name, change(name, original.read(name)))
    target.write_bytes(buffer.getvalue())
    return target


def _record_sheet(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and b"mentorforms record" in book.read(name):
                return name
    raise AssertionError("no record sheet")


def test_an_xml_bomb_and_a_zip_bomb_are_refused_quickly(known: Known, tmp_path: Path) -> None:
    source = next(DataFolder(known.root).iter_workbooks())
    sheet = _record_sheet(source)
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + level)} "{("&" + chr(97 + level) + ";") * 10}">' for level in range(8))
    bomb = _rewrite(source, tmp_path / "bomb.xlsx", lambda name, data: data if name != sheet else (
        data.decode().replace("<worksheet", f"<!DOCTYPE w [{entities}]><worksheet", 1)
        .replace("<t>mentorforms record</t>", "<t>&i;</t>", 1).encode()))
    result = load_record(bomb)
    assert "cannot be opened" in result.reason
    huge = _rewrite(source, tmp_path / "huge.xlsx", lambda name, data: data if name != sheet else data.replace(
        b"<t>mentorforms record</t>", b"<t>" + b"A" * 200_000_000 + b"</t>", 1))
    assert huge.stat().st_size < 1_000_000
    result = load_record(huge)
    assert "would unpack to" in result.reason


def test_a_file_that_vanishes_or_is_not_a_zip_is_listed(tmp_path: Path) -> None:
    assert "cannot be opened" in load_record(tmp_path / "gone.xlsx").reason
    text = tmp_path / "notes.xlsx"
    text.write_text("just some text")
    assert "cannot be opened as an Excel workbook" in load_record(text).reason


def test_the_roster_is_validated_once_and_again_when_it_changes(known: Known) -> None:
    from mentorforms.records.roster import RosterInvalid, write_roster

    with Index(known.root) as index:
        first = index.roster()
        assert first == load_roster(known.root / "roster.xlsx")
        people = [person if person.person_id != "P5" else type(person)(**{**person.__dict__, "name": "Ed Renamed"})
                  for person in first]
        write_roster(people, known.root / "roster.xlsx")
        assert index.roster().get("P5").name == "Ed Renamed"
        assert index.roster() == load_roster(known.root / "roster.xlsx")
        broken = [type(person)(**{**person.__dict__, "mentors": ("NOBODY",)}) if person.person_id == "P5" else person
                  for person in people]
        write_roster(broken, known.root / "roster.xlsx")
        with pytest.raises(RosterInvalid):
            index.roster()


def test_the_index_roster_read_in_place_gives_the_same_tables_as_a_roster_read_apart(known: Known) -> None:
    with Index(known.root) as index:
        index.refresh()
        kept = build_tables(index, index.roster(), as_of=AS_OF)
        # The index's own roster is joined from its roster_cache table, not copied.
        assert index.query("SELECT type FROM temp.sqlite_master WHERE name = 'people'") == [("view",)]
        apart = build_tables(index, load_roster(known.root / "roster.xlsx"), as_of=AS_OF)
        assert index.query("SELECT type FROM temp.sqlite_master WHERE name = 'people'") == [("table",)]
    assert len(kept.teaching) and len(kept.latest)
    _same(kept, apart)
