"""The roster as the index keeps it: validated once per content, so an unchanged roster of
thousands of people is read back from the index instead of being validated again."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from mentorforms.errors import WorkbookError
from mentorforms.records.roster import Person, Roster, load_roster
from mentorforms.reports.load import content_hash
from mentorforms.workbooks.workbook import read_bounded


def cached_roster(connect: Callable[[], sqlite3.Connection], scratch: dict[str, object], path: Path) -> Roster:
    """The data folder's roster, validated once per content: the index keeps the validated rows
    with the file's hash, so an unchanged roster of thousands is not validated again. The roster
    and its hash are left in ``scratch`` (the index's) as ``roster_cache``, for the tables to read.
    ``connect`` gives the index's connection; it is asked for once the roster file is read.

    RosterInvalid (from :func:`mentorforms.records.roster.load_roster`) when it cannot be used.
    """
    try:
        # Read once: the hash kept is the hash of the very bytes parsed below (a roster rewritten
        # meanwhile is never parsed under the other's hash).
        content = read_bounded(path)
    except WorkbookError:
        return load_roster(path)  # raises RosterInvalid naming the file (missing, too big, unreadable)
    digest = content_hash(content)
    connection = connect()
    row = connection.execute("SELECT value FROM meta WHERE key = 'roster_sha'").fetchone()
    if row is not None and row[0] == digest:
        people = {}
        role_sets: dict[str, frozenset[str]] = {}  # a few distinct role lists, shared
        for person_id, name, department, email, division, rank, roles, mentors in connection.execute(
                "SELECT person_id, name, department, email, division, rank, roles, mentors FROM roster_cache "
                "ORDER BY position"):
            if roles not in role_sets:
                role_sets[roles] = frozenset(roles.split(";")) if roles else frozenset()
            people[person_id] = Person(person_id, name, department, email, division, rank, role_sets[roles],
                                       tuple(mentors.split(";")) if mentors else ())
        roster = Roster(people)
        scratch["roster_cache"] = (roster, digest)  # the tables may read it from roster_cache
        return roster
    roster = load_roster(path, content)
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute("DELETE FROM roster_cache")
        connection.executemany("INSERT INTO roster_cache VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (position, person.person_id, person.name, person.department, person.email, person.division,
             person.rank, ";".join(sorted(person.roles)), ";".join(person.mentors))
            for position, person in enumerate(roster)])
        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('roster_sha', ?)", (digest,))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    scratch["roster_cache"] = (roster, digest)
    return roster
