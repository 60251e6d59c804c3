"""The map's picture in the saved workbook and in the print view; the new-year start values."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from network_examples import BOOKLET_EXAMPLE, person
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from PIL import Image

from mentorforms.forms import get_form
from mentorforms.network.extras import EXTRAS, SHEET_IMAGE_WIDTH
from mentorforms.records.store import DataFolder
from mentorforms.rules.validation import check_submission
from mentorforms.ui import panels
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks.form_extras import extras_for
from mentorforms.workbooks.workbook import read_record

YEAR = AcademicYear(2025)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _record(people=BOOKLET_EXAMPLE, year=YEAR) -> Record:
    form = get_form("network_map", year)
    values = check_submission(form, {"career_goals": "Academic advancement", "people": [dict(p) for p in people],
                                     "theme_size": "About right."})
    return Record("network_map", form.version, year, "F001", "Medicine", Status.SUBMITTED, values,
                  saved_at=dt.datetime(year.start + 1, 2, 1, tzinfo=dt.UTC))


def test_the_form_machinery_finds_the_network_extras_by_the_panel_name_the_form_declares():
    assert get_form("network_map", YEAR).panel == "network_map"
    extras = extras_for("network_map")
    # The network layer's additions and the page layer's panel, registered under the one name.
    assert (extras.decorate_workbook, extras.print_html, extras.start_values) == (
        EXTRAS.decorate_workbook, EXTRAS.print_html, EXTRAS.start_values)
    assert extras.decorate_workbook and extras.print_html and extras.start_values
    assert extras.panel is panels.BUILT_IN["network_map"]


def test_a_saved_map_has_its_picture_beside_the_people_table(data_dir):
    record = _record()
    stored = DataFolder(data_dir).save(record, person_name="Pat Lee")
    with zipfile.ZipFile(stored.path) as archive:
        media = [name for name in archive.namelist() if name.startswith("xl/media/")]
        assert len(media) == 1
        png = archive.read(media[0])
    assert png.startswith(PNG_MAGIC)
    assert Image.open(io.BytesIO(png)).width > 1000
    sheet = load_workbook(stored.path)["Form"]
    assert len(sheet._images) == 1
    anchor = sheet._images[0].anchor._from
    # Beside the table: its header row, one column clear of its last column ("Mentor or mentee").
    header_row = next(row for row in range(1, sheet.max_row + 1) if sheet.cell(row, 1).value == "Name or initials")
    last_column = next(column for column in range(1, 30) if sheet.cell(header_row, column).value == "Mentor or mentee")
    assert (anchor.row + 1, anchor.col + 1) == (header_row, last_column + 2)
    assert sheet.cell(header_row, last_column + 1).value is None
    assert sheet._images[0].anchor.ext.width == SHEET_IMAGE_WIDTH * 9525  # shown at this width (EMU)
    # The record reads back exactly as saved: the picture is beside it, not in it.
    assert read_record(stored.path) == record
    assert get_column_letter(anchor.col + 1) == "L"


def test_an_empty_map_still_saves_with_its_picture(data_dir):
    form = get_form("network_map", YEAR)
    record = Record("network_map", form.version, YEAR, "F002", "Medicine", Status.DRAFT, {"career_goals": "PI"})
    stored = DataFolder(data_dir).save(record)
    assert len(load_workbook(stored.path)["Form"]._images) == 1


def test_print_view_html_has_the_picture_and_escapes_user_text():
    record = _record([person("<b>Eve</b>", career="close", level="peer"), person("A", job_done="close"),
                      person("B", job_done="close")])
    html = EXTRAS.print_html(get_form("network_map", YEAR), record)
    assert '<img class="network-map-picture"' in html and 'src="data:image/png;base64,iVBORw0KGgo' in html
    assert "only &lt;b&gt;Eve&lt;/b&gt; helps advance your career" in html
    assert "<b>Eve</b>" not in html
    assert "No one gives personal support; only" in html


def test_a_new_years_map_starts_from_last_years_people(data_dir):
    folder = DataFolder(data_dir)
    folder.save(_record(year=AcademicYear(2024)))
    started = EXTRAS.start_values(folder, get_form("network_map", YEAR), "F001")
    assert started["career_goals"] == "Academic advancement"
    assert [row["name"] for row in started["people"]] == [row["name"] for row in BOOKLET_EXAMPLE]
    assert "theme_size" not in started
    assert EXTRAS.start_values(folder, get_form("network_map", YEAR), "nobody") == {}
