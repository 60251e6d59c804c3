"""The measured themes of the developmental network map, on small networks with known answers."""

from __future__ import annotations

import dataclasses

import pytest
from network_examples import BOOKLET_EXAMPLE, person

from mentorforms.forms import get_form
from mentorforms.forms.network_map import THEMES
from mentorforms.network.measures import measure, read_people
from mentorforms.rules.validation import check_submission
from mentorforms.vocabulary.academic_year import AcademicYear


def test_an_empty_map_has_nothing_and_says_so():
    for rows in (None, (), [], [person("")], [{}]):
        m = measure(rows)
        assert m.size == 0
        assert [count.people for count in m.per_kind] == [0, 0, 0]
        assert m.kinds_with_nobody == ("job_done", "career", "personal")
        assert m.kinds_with_one == () and m.every_kind == () and m.multi_kind == 0
        assert m.share_outside is None
        assert m.reading("theme_size").reading == "No one yet: add the people who help you."
        assert m.reading("theme_size").concern
        assert m.reading("theme_redundancy").reading == "No one on the map yet."


def test_one_person_in_all_three_bands_serves_every_function_alone():
    m = measure([person("DR", job_done="close", career="moderate", personal="distant", level="superior",
                        organisation="inside", relationship="mentor", sponsor=True)])
    assert m.size == 1
    assert [(count.kind, count.people, count.close, count.moderate, count.distant) for count in m.per_kind] == [
        ("job_done", 1, 1, 0, 0), ("career", 1, 0, 1, 0), ("personal", 1, 0, 0, 1)]
    assert m.kinds_with_nobody == ()
    assert m.kinds_with_one == ("job_done", "career", "personal")
    assert m.every_kind == ("DR",)
    assert m.multi_kind == 1
    assert (m.closest_close, m.closest_moderate, m.closest_distant) == (1, 0, 0)  # closest of the three
    assert (m.mentors, m.mentees, m.sponsors, m.influential) == (1, 0, 1, 1)
    assert m.reading("theme_redundancy").reading == "DR alone serves every function."
    assert m.reading("theme_redundancy").concern
    assert m.reading("theme_size").reading == "A small network of 1 person: does it fit your goals?"
    assert m.reading("theme_balance").reading == "Mentors but no mentees: is the network in danger of tipping?"


def test_the_booklets_example_map():
    m = measure(BOOKLET_EXAMPLE)
    assert m.size == 8
    assert {count.kind: count.people for count in m.per_kind} == {"job_done": 3, "career": 4, "personal": 3}
    assert m.kind("career").names == ("JD", "DR", "SW", "AB")
    assert m.kinds_with_nobody == () and m.kinds_with_one == () and m.every_kind == ()
    assert m.multi_kind == 2  # JD (job, career) and DR (career, personal)
    assert (m.closest_close, m.closest_moderate, m.closest_distant) == (3, 2, 3)  # NS DR LG / JD FW / CJ SW AB
    assert (m.mentors, m.mentees) == (1, 1)
    assert (m.sponsors, m.well_connected, m.influential) == (1, 1, 2)
    assert (m.inside, m.outside, m.share_outside) == (6, 2, 0.25)
    assert (m.superiors, m.peers, m.juniors) == (3, 4, 1)
    assert m.levels_present == ("superior", "peer", "junior")
    readings = {reading.field_id: reading.reading for reading in m.readings}
    assert readings["theme_balance"] == "Both mentors and mentees."
    assert readings["theme_power"] == "2 people you see as influential, 1 of them a sponsor."
    assert readings["theme_diversity"] == ("25% of the people are outside your organisation; they span superiors, "
                                           "peers and juniors.")
    assert readings["theme_strength"] == "A spread of close and more distant relationships."
    assert readings["theme_size"] == "8 people: does the size fit your goals?"
    assert readings["theme_interconnectivity"].startswith("2 people give more than one kind of help")
    assert not any(reading.concern for reading in m.readings)


def test_every_theme_has_a_reading_beside_its_reflective_answer_in_declaration_order():
    m = measure(BOOKLET_EXAMPLE)
    assert [reading.field_id for reading in m.readings] == [field_id for field_id, _, _ in THEMES]
    assert [reading.theme for reading in m.readings] == [theme for _, theme, _ in THEMES]
    assert all(reading.figure and reading.reading.endswith((".", "?")) for reading in m.readings)


def test_many_helping_with_the_work_but_no_one_for_personal_support():
    rows = [person(name, job_done="close", level="peer", organisation="inside") for name in ("A", "B", "C")]
    m = measure(rows)
    assert m.kinds_with_nobody == ("career", "personal")
    assert m.nobody_personal
    assert m.reading("theme_redundancy").reading == (
        "No one helps advance your career or gives personal support.")
    assert m.reading("theme_diversity").reading == "Everyone is inside your organisation; all are peers."
    assert m.reading("theme_strength").reading == "All relationships are close; none more distant."
    assert m.reading("theme_power").reading == "No sponsor and no one very well connected."
    assert m.reading("theme_balance").reading == "No one is marked as a mentor or a mentee."


def test_only_one_person_for_a_kind_is_named():
    rows = [person("A", job_done="close", personal="close"), person("B", job_done="distant", career="distant"),
            person("C", personal="moderate")]
    m = measure(rows)
    assert m.kinds_with_one == ("career",)
    assert m.reading("theme_redundancy").reading == "Only B helps advance your career."


def test_a_network_tipping_towards_mentees_and_distant_ties():
    rows = [person(f"M{i}", career="distant", relationship="mentee", level="junior") for i in range(4)]
    rows.append(person("W", career="moderate", well_connected=True, level="superior"))
    m = measure(rows)
    assert (m.mentors, m.mentees) == (0, 4)
    assert m.reading("theme_balance").reading == "Mentees but no mentors: who is mentoring you?"
    assert m.reading("theme_strength").reading == ("No close relationships: no one you trust with a high degree "
                                                   "of mutual commitment.")
    assert m.reading("theme_power").reading == "No sponsor; 1 person very well connected."
    assert m.reading("theme_size").reading == "5 people: does the size fit your goals?"


def test_diversity_speaks_only_of_what_is_marked():
    rows = [person("A", job_done="close", level="peer", organisation="inside"), person("B", job_done="close"),
            person("C", career="close", level="junior")]
    m = measure(rows)
    assert (m.inside, m.outside, m.share_outside) == (1, 0, 0.0)
    assert m.reading("theme_diversity").reading == "No one is marked outside your organisation; no superiors."


def test_a_person_with_no_kind_of_help_counts_but_is_named_as_such():
    m = measure([person("A", personal="close"), person("Z", level="peer")])
    assert m.size == 2
    assert m.no_kind == ("Z",)
    assert "Z gives no kind of help yet" in m.reading("theme_redundancy").reading


def test_live_rows_may_hold_labels_blank_rows_and_values_it_cannot_read():
    rows = [
        {"name": "  DR ", "job_done": "Close", "career": "MODERATE", "level": "Superior",
         "organisation": "Outside my organisation", "sponsor": "X", "relationship": "Mentor"},
        {"name": "", "job_done": None},  # a row just added on the page
        {"name": "Q", "personal": "very close", "level": "boss", "sponsor": "maybe"},
        "not a row",
    ]
    network = read_people(rows)
    assert [p.name for p in network.people] == ["DR", "Q"]
    dr = network.people[0]
    assert (dr.help, dr.level, dr.organisation, dr.sponsor, dr.relationship) == (
        (("job_done", "close"), ("career", "moderate")), "superior", "outside", True, "mentor")
    assert network.problems == (
        "row 3: 'very close' is not a closeness for personal support; it is left out of the measures",
        "row 3: 'boss' is not a level; it is left out of the measures",
        "row 3: 'maybe' is not a tick for sponsor; it is left out of the measures",
        "row 4: is not a row of the table; it is left out of the measures",
    )
    m = measure(rows)
    assert m.size == 2 and m.problems == network.problems


def test_canonical_record_rows_measure_the_same_as_hand_rows():
    form = get_form("network_map", AcademicYear(2025))
    values = check_submission(form, {"career_goals": "PI of a lab", "people": [dict(row) for row in BOOKLET_EXAMPLE]})
    assert measure(values["people"]) == measure(BOOKLET_EXAMPLE)


def test_measures_are_immutable():
    m = measure(BOOKLET_EXAMPLE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.size = 3  # type: ignore[misc]
    assert isinstance(m.per_kind, tuple) and isinstance(m.readings, tuple)
