"""Who the server says the user is, and what each role may open, edit, sign and see."""

from __future__ import annotations

import pytest

from mentorforms.errors import AccessDenied
from mentorforms.records.roster import Person, Roster
from mentorforms.rules.access import can_edit, can_sign, can_view, visible_departments
from mentorforms.rules.identity import identify


@pytest.fixture
def roster() -> Roster:
    people = [
        Person("F1", "Ana Faculty", "Pediatrics", "ana@example.org", roles=frozenset({"faculty"}), mentors=("M1",)),
        Person("F2", "Ben Faculty", "Pediatrics", "ben@example.org", roles=frozenset({"faculty"})),
        Person("M1", "Maya Mentor", "Pediatrics", roles=frozenset({"faculty", "mentor"})),
        Person("C1", "Cy Chair", "Pediatrics", roles=frozenset({"faculty", "chair", "mentor"})),
        Person("C2", "Dee Chair", "Surgery", roles=frozenset({"faculty", "chair"})),
        Person("S1", "Sam Surgeon", "Surgery", roles=frozenset({"faculty"})),
        Person("D1", "Dot Designee", "Pediatrics", roles=frozenset({"faculty", "mentor", "designee"})),
        Person("A1", "Alex Analyst", "Faculty Affairs", roles=frozenset({"analyst"})),
    ]
    return Roster({person.person_id: person for person in people})


def test_the_server_names_the_user(roster: Roster) -> None:
    assert identify(roster, {"MENTORFORMS_AS": "F1"}).person_id == "F1"
    # JUPYTERHUB_USER names a server's owner, not its visitor: it never identifies anyone
    # (tests/test_identity_hub.py: the visitor comes from the Hub's proxy on each request).
    assert identify(roster, {"JUPYTERHUB_USER": "C1", "MENTORFORMS_AS": "F1"}).person_id == "F1"
    with pytest.raises(AccessDenied, match="does not know who you are"):
        identify(roster, {"JUPYTERHUB_USER": "C1"})


def test_the_page_cannot_choose_an_identity_outside_demo_mode(roster: Roster) -> None:
    with pytest.raises(AccessDenied, match="does not know who you are"):
        identify(roster, {}, demo_choice="C1")
    assert identify(roster, {"MENTORFORMS_AS": "F1"}, demo_choice="C1").person_id == "F1"
    picked = identify(roster, {"MENTORFORMS_DEMO": "1"}, demo_choice="C1")
    assert picked.person_id == "C1" and picked.chosen_in_demo


def test_someone_not_on_the_roster_is_told_so(roster: Roster) -> None:
    with pytest.raises(AccessDenied, match="'zed' is not on the roster"):
        identify(roster, {"MENTORFORMS_AS": "zed"})


def test_faculty_open_only_their_own_forms(roster: Roster) -> None:
    ana = identify(roster, {"MENTORFORMS_AS": "F1"})
    assert can_view(ana, roster, "conference_part1", "F1")
    assert not can_view(ana, roster, "conference_part1", "F2")
    assert can_edit(ana, roster, "conference_part1", "F1")
    assert can_view(ana, roster, "conference_part2", "F1") and not can_edit(ana, roster, "conference_part2", "F1")
    assert can_sign(ana, roster, "conference_part2", "faculty_signature", "F1")
    assert not can_sign(ana, roster, "conference_part2", "chair_signature", "F1")


def test_a_mentor_opens_the_agreements_they_are_party_to(roster: Roster) -> None:
    maya = identify(roster, {"MENTORFORMS_AS": "M1"})
    assert can_view(maya, roster, "agreement", "F1") and can_edit(maya, roster, "agreement", "F1")
    assert can_sign(maya, roster, "agreement", "mentor_signature", "F1")
    assert not can_sign(maya, roster, "agreement", "mentee_signature", "F1")
    assert not can_view(maya, roster, "agreement", "F2")
    assert not can_view(maya, roster, "conference_part1", "F1")


def test_a_chair_writes_part2_for_their_department_only(roster: Roster) -> None:
    cy = identify(roster, {"MENTORFORMS_AS": "C1"})
    assert can_edit(cy, roster, "conference_part2", "F1")
    assert can_view(cy, roster, "conference_part1", "F1") and not can_edit(cy, roster, "conference_part1", "F1")
    assert can_sign(cy, roster, "conference_part2", "chair_signature", "F1")
    assert not can_view(cy, roster, "conference_part2", "S1")
    assert visible_departments(cy, roster) == ("Pediatrics",)


def test_a_designee_holds_conferences_for_the_chair_of_their_department(roster: Roster) -> None:
    dot = identify(roster, {"MENTORFORMS_AS": "D1"})
    assert can_edit(dot, roster, "conference_part2", "F1") and can_sign(dot, roster, "conference_part2", "chair_signature", "F1")
    assert can_view(dot, roster, "conference_part1", "F1") and not can_edit(dot, roster, "conference_part1", "F1")
    assert not can_view(dot, roster, "conference_part2", "S1")
    assert not can_edit(dot, roster, "conference_part2", "C1")  # acts for the chair, not on the chair's forms
    assert visible_departments(dot, roster) == ()  # the reports stay with the chair


def test_nobody_holds_their_own_conference(roster: Roster) -> None:
    for person_id in ("C1", "D1"):
        viewer = identify(roster, {"MENTORFORMS_AS": person_id})
        assert can_view(viewer, roster, "conference_part2", person_id)  # their own, to read and sign
        assert not can_edit(viewer, roster, "conference_part2", person_id)
        assert not can_sign(viewer, roster, "conference_part2", "chair_signature", person_id)
        assert can_sign(viewer, roster, "conference_part2", "faculty_signature", person_id)


def test_analysts_see_every_department_and_faculty_none(roster: Roster) -> None:
    assert visible_departments(identify(roster, {"MENTORFORMS_AS": "A1"}), roster) == (
        "Pediatrics", "Surgery")
    assert visible_departments(identify(roster, {"MENTORFORMS_AS": "F1"}), roster) == ()
