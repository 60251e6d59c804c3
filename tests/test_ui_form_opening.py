"""Who may open which form page, and how a bad request is refused (moved from test_ui_form_page.py)."""

from __future__ import annotations

import html

import pytest
from test_ui_form_page import TODAY, env, plain_faculty
from ui_answers import newest_year

from mentorforms.errors import AccessDenied
from mentorforms.ui.context import PageRequest, PageUnavailable, open_session
from mentorforms.ui.form_open import form_app, open_form_page


def test_faculty_cannot_open_another_faculty_members_form(demo_dir):
    first, second = plain_faculty(demo_dir)[:2]
    session = open_session(env(demo_dir, first.person_id), PageRequest())
    for form_id in ("conference_part1", "conference_part2", "network_map", "agreement"):
        with pytest.raises(AccessDenied, match="may not open"):
            open_form_page(session, PageRequest(form_id=form_id, person_id=second.person_id,
                                                mentor_id=second.mentors[0] if second.mentors else None), TODAY)


def test_form_app_refuses_plainly(demo_dir):
    def text(root):
        return html.unescape(" ".join(getattr(child, "value", "") for child in root.children))

    assert "does not know who you are" in text(form_app(env(demo_dir, QUERY_STRING="form=conference_part1")))
    assert "without a data folder" in text(form_app({"MENTORFORMS_AS": "F00001"}))
    person = plain_faculty(demo_dir)[0]
    other = plain_faculty(demo_dir)[1]
    refused = text(form_app(env(demo_dir, person.person_id,
                                QUERY_STRING=f"form=conference_part1&person={other.person_id}")))
    assert "You cannot open this page" in refused and "may not open" in refused
    assert "no form 'nonsense'" in text(form_app(env(demo_dir, person.person_id, QUERY_STRING="form=nonsense")))
    assert "not an academic year" in text(form_app(env(demo_dir, person.person_id,
                                                       QUERY_STRING="form=conference_part1&year=soon")))
    assert "not on the roster" in text(form_app(env(demo_dir, "NOBODY", QUERY_STRING="form=conference_part1")))


def test_demo_mode_offers_a_labelled_picker_and_links_keep_the_choice(demo_dir):
    year = newest_year(demo_dir).label
    root = form_app(env(demo_dir, MENTORFORMS_DEMO="1", QUERY_STRING=f"form=conference_part1&year={year}"))
    picker = root.children[1]
    assert "DEMO MODE" in picker.children[0].value
    person = plain_faculty(demo_dir)[0]
    select = picker.children[1].children[0]
    picker.children[1].children[1].click()  # Continue with nobody chosen says so (it used to do nothing)
    assert "Choose a person" in picker.children[2].value and root.children[1] is picker
    select.value = person.person_id
    picker.children[1].children[1].click()
    assert "DEMO MODE" in root.children[1].value and person.name in root.children[1].value
    assert isinstance(root.children[2], type(root)) or hasattr(root.children[2], "children")
    asked = form_app(env(demo_dir, MENTORFORMS_DEMO="1",
                         QUERY_STRING=f"form=conference_part1&as={person.person_id}&year={year}"))
    assert f"as={person.person_id}" in asked.children[1].value


def test_the_query_string_cannot_choose_identity_outside_demo_mode(demo_dir):
    person, other = plain_faculty(demo_dir)[:2]
    root = form_app(env(demo_dir, person.person_id, QUERY_STRING=f"form=conference_part1&as={other.person_id}"))
    assert person.name in root.children[1].value and other.name not in root.children[1].value


def test_a_bad_request_is_refused_in_words(demo_dir):
    session = open_session(env(demo_dir, plain_faculty(demo_dir)[0].person_id), PageRequest())
    with pytest.raises(PageUnavailable, match="No form was named"):
        open_form_page(session, PageRequest(), TODAY)
