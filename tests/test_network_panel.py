"""The live panel beside the network map form, driven as the form page drives it (no browser)."""

from __future__ import annotations

import datetime as dt
import logging

from network_examples import BOOKLET_EXAMPLE, person

from mentorforms.records.store import DataFolder
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks.form_extras import extras_for


class Page:
    """Stands in for the form page: holds the values the panel reads."""

    def __init__(self, values):
        self.values = values

    def current_values(self):
        return self.values


def test_measures_follow_the_rows_and_sit_beside_the_reflections():
    page = Page({"people": (person("DR", career="close", relationship="mentor"),),
                 "theme_balance": "Too many <mentors>?"})
    panel = extras_for("network_map").panel(page.current_values)
    assert panel.measures.size == 1
    assert "A small network of 1 person" in panel.measures_html.value
    assert "Too many &lt;mentors&gt;?" in panel.measures_html.value  # the reflection, escaped
    assert "No reflection written yet." in panel.measures_html.value  # the other themes
    page.values = {**page.values, "people": (*page.values["people"], person("LG", personal="close"))}
    panel.refresh()
    assert panel.measures.size == 2
    assert "2 people" in panel.measures_html.value
    page.values = {**page.values, "people": ()}
    panel.refresh()
    assert panel.measures.size == 0
    assert "No one yet: add the people who help you." in panel.measures_html.value


def test_the_picture_is_redrawn_only_when_the_people_or_goals_change():
    page = Page({"people": BOOKLET_EXAMPLE, "career_goals": "PI"})
    panel = extras_for("network_map").panel(page.current_values)
    first = bytes(panel.picture.value)
    assert first.startswith(b"\x89PNG") and panel.redraws == 1
    page.values = {**page.values, "theme_size": "About right"}
    panel.refresh()
    assert panel.redraws == 1 and bytes(panel.picture.value) == first
    page.values = {**page.values, "people": BOOKLET_EXAMPLE[:-1]}
    panel.refresh()
    assert panel.redraws == 2 and bytes(panel.picture.value) != first
    page.values = {**page.values, "career_goals": "Clinical leader"}
    panel.refresh()
    assert panel.redraws == 3


def test_changes_since_the_previous_map_from_the_data_folder(data_dir):
    folder = DataFolder(data_dir)
    folder.save(Record("network_map", 1, AcademicYear(2024), "F001", "Medicine", Status.SUBMITTED,
                       {"people": BOOKLET_EXAMPLE}, saved_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC)))
    this_year = [dict(row) for row in BOOKLET_EXAMPLE if row["name"] != "LG"]
    this_year[0] = {**this_year[0], "job_done": "distant"}
    this_year.append(person("New", career="close"))
    page = Page({"people": tuple(this_year)})
    panel = extras_for("network_map").panel(page.current_values)
    assert "No earlier map to compare with." in panel.changes_html.value
    panel.set_context(folder=folder, person_id="F001", year=AcademicYear(2025))  # as the form page does
    assert panel.changes.since == "2024-2025"
    assert panel.changes.added == ("New",) and panel.changes.dropped == ("LG",)
    html = panel.changes_html.value
    assert "Added: New" in html and "Dropped: LG" in html and "NS: getting the job done close → distant" in html
    # Without an earlier map, the panel says so.
    alone = extras_for("network_map").panel(page.current_values, folder=folder, person_id="F999",
                                            year=AcademicYear(2025))
    assert "No earlier map to compare with." in alone.changes_html.value


def test_rows_it_cannot_read_are_named_on_the_panel():
    page = Page({"people": ({"name": "Q", "personal": "very close"},)})
    panel = extras_for("network_map").panel(page.current_values)
    assert "row 1: &#x27;very close&#x27; is not a closeness for personal support" in panel.message.value


def test_a_failure_is_logged_and_shown_not_raised(caplog):
    calls = {"n": 0}

    def values():
        calls["n"] += 1
        if calls["n"] > 1:
            raise RuntimeError("boom")
        return {}

    panel = extras_for("network_map").panel(values)
    with caplog.at_level(logging.ERROR, logger="mentorforms.ui.network_panel"):
        panel.refresh()
    assert "could not be updated (RuntimeError)" in panel.message.value
    assert any("network panel refresh failed" in record.message for record in caplog.records)
