"""Year over year: a new map starts from last year's people; the page lists what changed."""

from __future__ import annotations

import datetime as dt

from network_examples import BOOKLET_EXAMPLE, person

from mentorforms.network.compare import Move, compare, name_key, previous_map, start_values
from mentorforms.records.store import DataFolder
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status


def test_added_dropped_closer_and_further():
    last = [person("DR", career="moderate", personal="close"), person("LG", personal="close"),
            person("JD", job_done="close")]
    this = [person("d.r.", career="close", personal="close"),  # the same DR, typed differently
            person("JD", job_done="distant", career="moderate"), person("AB", career="distant")]
    changes = compare(last, this, since="2024-2025")
    assert changes.added == ("AB",)
    assert changes.dropped == ("LG",)
    assert changes.moves == (
        Move("d.r.", "career", "moderate", "close"),
        Move("JD", "job_done", "close", "distant"),
        Move("JD", "career", None, "moderate"),
    )
    assert [move.direction for move in changes.moves] == ["closer", "further", "started"]
    assert changes.lines() == [
        "Added: AB",
        "Dropped: LG",
        "Closer: d.r.: advancing your career moderate → close; JD: now helps advance your career (moderate)",
        "Further: JD: getting the job done close → distant",
    ]


def test_no_change_and_no_previous_map():
    changes = compare(BOOKLET_EXAMPLE, [dict(row) for row in BOOKLET_EXAMPLE], since="2024-2025")
    assert changes.unchanged
    assert changes.lines() == ["No change since your 2024-2025 map."]
    assert compare(None, BOOKLET_EXAMPLE).added == tuple(row["name"] for row in BOOKLET_EXAMPLE)


def test_other_changes_of_a_person_kept_on_the_map():
    last = [person("SW", career="distant", level="superior", organisation="inside")]
    this = [person("SW", career="distant", level="peer", organisation="outside", sponsor=True,
                   relationship="mentor")]
    changes = compare(last, this)
    assert changes.moves == ()
    assert changes.other == ("SW is now a peer (was superior)", "SW is now outside your organisation",
                             "SW is now a sponsor", "SW is now your mentor")
    stopped = compare([person("X", personal="close", relationship="mentee")], [person("X", job_done="close")])
    assert [str(move) for move in stopped.further] == ["X: no longer gives personal support (was close)"]
    assert stopped.other == ("X is no longer your mentee",)


def test_a_name_used_twice_is_matched_in_table_order():
    last = [person("JD", job_done="close"), person("JD", personal="distant")]
    this = [person("JD", job_done="close")]
    changes = compare(last, this)
    assert changes.dropped == ("JD",) and changes.moves == ()


def test_name_matching_forgives_case_spacing_and_full_stops():
    assert name_key(" J. D. ") == name_key("jd") == name_key("J.D.")
    assert name_key("JD") != name_key("JS")


def _record(year: int, people, *, person_id="p1", values=None) -> Record:
    return Record("network_map", 1, AcademicYear(year), person_id, "Medicine", Status.SUBMITTED,
                  {"career_goals": "PI of a lab", "people": tuple(people), "theme_size": "Too small",
                   **(values or {})},
                  saved_at=dt.datetime(year + 1, 1, 5, tzinfo=dt.UTC))


def test_a_new_year_starts_from_last_years_people_and_goals_not_its_reflections():
    started = start_values(_record(2024, BOOKLET_EXAMPLE))
    assert set(started) == {"career_goals", "people"}
    assert started["people"] == tuple(BOOKLET_EXAMPLE)
    assert start_values(None) == {}


def test_previous_map_is_the_latest_from_the_most_recent_earlier_year(data_dir):
    folder = DataFolder(data_dir)
    folder.save(_record(2022, BOOKLET_EXAMPLE[:2]))
    assert previous_map(folder, "p1", AcademicYear(2025)).academic_year == AcademicYear(2022)  # a year skipped
    folder.save(_record(2024, BOOKLET_EXAMPLE[:3]))
    newest = _record(2024, BOOKLET_EXAMPLE[:4]).replace(saved_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    folder.save(newest)
    found = previous_map(folder, "p1", AcademicYear(2025))
    assert found.academic_year == AcademicYear(2024)
    assert len(found.values["people"]) == 4
    assert previous_map(folder, "p1", AcademicYear(2022)) is None
    assert previous_map(folder, "someone-else", AcademicYear(2025)) is None
