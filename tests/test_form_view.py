"""What a form page shows, gathered from a data folder without any widget (ui/form_view.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from test_ui_form_page import chair_of, env, fresh_person, open_page, roster
from ui_answers import complete_answers, newest_year

from mentorforms.forms import get_form
from mentorforms.records.store import DataFolder
from mentorforms.rules.parties import Case, open_case
from mentorforms.ui.context import PageRequest, open_session
from mentorforms.ui.form_view import FormView, gather
from mentorforms.ui.prefill import COMING_YEAR_GOALS

TODAY = dt.date.today()


def _case(root: Path, viewer: str, form_id: str, subject_id: str) -> Case:
    session = open_session(env(root, viewer), PageRequest())
    form = get_form(form_id, newest_year(root))
    return open_case(form, session.roster, session.viewer, subject_id)


def _view(root: Path, viewer: str, form_id: str, subject_id: str | None = None) -> FormView:
    return gather(DataFolder(root), _case(root, viewer, form_id, subject_id or viewer), TODAY)


def test_a_new_part1_starts_from_the_roster_and_last_years_goals(demo_dir):
    year = newest_year(demo_dir)
    folder = DataFolder(demo_dir)
    earlier = get_form("conference_part1", year.previous)
    goal_fields = [item.id for item in earlier.fields() if item.group == COMING_YEAR_GOALS]
    person, last = next(
        (person, record) for person in roster(demo_dir)
        if not folder.versions("conference_part1", year, person.person_id)
        and (record := folder.latest("conference_part1", year.previous, person.person_id)) is not None
        and any(isinstance(record.values.get(field_id), str) and record.values[field_id].strip()
                for field_id in goal_fields))
    view = _view(demo_dir, person.person_id, "conference_part1")
    assert view.record is None and view.stored is None and not view.read_only
    assert view.start["faculty_name"] == person.name
    written = next(line.strip(" -•\t") for field_id in goal_fields
                   for line in str(last.values.get(field_id) or "").splitlines() if line.strip(" -•\t"))
    assert written in [row["goal"] for row in view.start["past_goals"]]
    assert "last year's goals" in view.note
    assert view.reference is None  # Part I shows nothing beside it
    assert view.panel.person_id == person.person_id and view.panel.year == year


def test_part2_gathers_the_submitted_part1_to_show_beside_it(demo_dir):
    person = fresh_person(demo_dir, "conference_part1")
    chair_id = chair_of(demo_dir, person)
    before = _view(demo_dir, chair_id, "conference_part2", person.person_id)
    assert before.reference is not None and before.reference.record is None
    own = open_page(demo_dir, person.person_id, "conference_part1")
    own.enter(complete_answers(own.form) | {"challenges": "Visible to the chair"})
    assert own.submit() is not None
    view = _view(demo_dir, chair_id, "conference_part2", person.person_id)
    assert view.reference is not None and view.reference.form_id == "conference_part1"
    assert view.reference.title == get_form("conference_part1", newest_year(demo_dir)).title
    assert view.reference.record is not None and view.reference.record.values["challenges"] == "Visible to the chair"


def test_a_saved_draft_is_gathered_as_saved_with_no_prefill(demo_dir):
    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    page.enter({"challenges": "Only this so far."})
    stored = page.save_draft()
    assert stored is not None
    view = _view(demo_dir, person.person_id, "conference_part1")
    assert view.stored is not None and (view.stored.path, view.stored.version) == (stored.path, stored.version)
    assert view.record is not None
    assert view.record.values["challenges"] == "Only this so far."
    assert view.start == {} and view.note == "" and view.passed_dates == {}
