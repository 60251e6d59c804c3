"""The network map on its form page (no browser): a new year's map starts from last year's people,
and the panel beside it says what changed as rows are removed and added."""

from __future__ import annotations

import datetime as dt

from network_examples import BOOKLET_EXAMPLE

from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.ui.context import PageRequest, open_session
from mentorforms.ui.form_open import open_form_page
from mentorforms.ui.form_page import FormPage
from mentorforms.ui.network_panel import NetworkPanel
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status

LAST_YEAR = AcademicYear(2031)  # years the demo data never reaches
THIS_YEAR = AcademicYear(2032)


def _open(root, person_id: str) -> FormPage:
    session = open_session({"MENTORFORMS_DATA": str(root), "MENTORFORMS_AS": person_id}, PageRequest())
    page = open_form_page(session, PageRequest(form_id="network_map", year=THIS_YEAR.label),
                          today=dt.date(2032, 10, 1))
    assert isinstance(page, FormPage), page
    return page


def test_a_new_years_map_starts_from_last_years_people_and_shows_what_changed(demo_dir):
    person = next(p for p in load_roster(demo_dir / "roster.xlsx") if p.has_role("faculty"))
    DataFolder(demo_dir).save(Record(
        "network_map", 1, LAST_YEAR, person.person_id, person.department, Status.SUBMITTED,
        {"career_goals": "PI of a lab", "people": BOOKLET_EXAMPLE, "theme_size": "About right."},
        saved_at=dt.datetime(2032, 3, 1, tzinfo=dt.UTC)))

    page = _open(demo_dir, person.person_id)
    values = page.current_values()
    assert [row["name"] for row in values["people"]] == [row["name"] for row in BOOKLET_EXAMPLE]
    assert values["career_goals"] == "PI of a lab" and "theme_size" not in values
    assert "starts from what you filed in an earlier year" in page.lines.notice.value
    panel = page.panel
    assert isinstance(panel, NetworkPanel)
    assert panel.changes.since == "2031-2032"
    assert "No change since your 2031-2032 map." in panel.changes_html.value
    assert panel.measures.size == 8

    table = page.inputs["people"]
    lg = next(row for row in table.rows if row.cells["name"].value == "LG")
    table.remove_row(lg)
    assert panel.measures.size == 7
    assert "Dropped: LG" in panel.changes_html.value
    new_row = table.add_row()
    new_row.cells["name"].value = "New"
    new_row.cells["personal"].value = "close"
    assert panel.measures.size == 8
    assert "Added: New" in panel.changes_html.value
