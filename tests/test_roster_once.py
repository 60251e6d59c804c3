"""One read of the roster per answer (the hash kept is the hash of the bytes parsed), and names and
departments that differ only in Unicode form or look alike are named by ``check``."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

from mentorforms.commands.check import check_folder
from mentorforms.commands.cli import main
from mentorforms.records.roster import Person, load_roster, write_roster
from mentorforms.reports.index import Index

_REWRITER = textwrap.dedent("""
    import os, sys, shutil
    roster, first, second, stop = sys.argv[1:5]
    turn = 0
    while not os.path.exists(stop):
        source = (first, second)[turn % 2]
        shutil.copyfile(source, roster + ".next")
        os.replace(roster + ".next", roster)  # whole files only: each read sees one roster or the other
        turn += 1
""")

ROUNDS = 150


def test_the_roster_hash_kept_is_the_hash_of_the_roster_parsed_while_it_is_rewritten(demo_dir: Path) -> None:
    path = demo_dir / "roster.xlsx"
    people = list(load_roster(path))
    moved = people[0]
    before, after = demo_dir / "roster-before.xlsx", demo_dir / "roster-after.xlsx"
    shutil.copyfile(path, before)
    write_roster([Person(moved.person_id, moved.name, "Moved Department", moved.email, moved.division, moved.rank,
                         moved.roles, moved.mentors), *people[1:]], after)
    department_of = {hashlib.sha256(before.read_bytes()).hexdigest(): moved.department,
                     hashlib.sha256(after.read_bytes()).hexdigest(): "Moved Department"}
    stop = demo_dir / "stop"
    rewriter = subprocess.Popen([sys.executable, "-c", _REWRITER, str(path), str(before), str(after), str(stop)])
    try:
        with Index(demo_dir) as index:
            for _ in range(ROUNDS):
                index.connection().execute("DELETE FROM meta WHERE key = 'roster_sha'")  # parse it again
                roster = index.roster()
                assert roster.get(moved.person_id).department == department_of[index.roster_sha()]
    finally:
        stop.touch()
        rewriter.wait(timeout=60)


def _roster(root: Path, rows: list[tuple[str, str, str]]) -> None:
    write_roster([Person(person_id, name, department, "", "", "", frozenset({"faculty"}), ())
                  for person_id, name, department in rows], root / "roster.xlsx")


def test_check_names_names_and_departments_that_differ_only_in_unicode_form_or_look_alike(
        data_dir: Path, capsys) -> None:
    nfc, nfd = unicodedata.normalize("NFC", "José Pérez"), unicodedata.normalize("NFD", "José Pérez")
    department, decomposed = unicodedata.normalize("NFC", "Pédiatrie"), unicodedata.normalize("NFD", "Pédiatrie")
    _roster(data_dir, [("F1", nfc, department), ("F2", nfd, decomposed), ("F3", "Ann Lee", "Surgery"),
                       ("F4", "Ann Lee", "Surgery"),  # two people of one name: nothing to say
                       ("F5", "J\u043ehn Smith", "Surgery"), ("F6", "John Smith", "Surgery")])  # Cyrillic o
    assert nfc != nfd and len(load_roster(data_dir / "roster.xlsx")) == 6  # accepted as different people
    found = [problem for problem in check_folder(data_dir)[0] if problem.path.name == "roster.xlsx"]
    said = [(str(problem), problem.note) for problem in found]
    assert (f"{data_dir / 'roster.xlsx'}: Names {nfc!a} and {nfd!a} (rows 2, 3) differ only in Unicode "
            "form, case or width: they look the same on every page but count as different people", False) in said
    assert (f"{data_dir / 'roster.xlsx'}: Departments {department!a} and {decomposed!a} (rows 2, 3) differ "
            "only in Unicode form, case or width: they look the same on every page but count as different "
            "departments", False) in said
    assert any("look alike" in text and "'J\\u043ehn Smith'" in text and note for text, note in said), said
    assert not any("Ann Lee" in text for text, _ in said)
    assert main(["check", str(data_dir)]) == 1
    capsys.readouterr()
