"""What the network map adds to the generic form machinery (see :mod:`mentorforms.workbooks.form_extras`),
registered under its panel name ``network_map``: the picture in the saved workbook beside the
people table, the picture and measures in the print view, and a new year's first values. Its live
panel on the form page is the page layer's (:mod:`mentorforms.ui.panels`).
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any

from openpyxl.drawing.image import Image
from openpyxl.utils import get_column_letter

from mentorforms.network import compare
from mentorforms.network.measures import measure
from mentorforms.network.picture import render_png
from mentorforms.vocabulary.declaration import Form, Kind
from mentorforms.vocabulary.record import Record
from mentorforms.workbooks import form_extras, form_sheet

#: Width of the picture on the sheet, in pixels (Excel shows it at this size, scaled evenly).
SHEET_IMAGE_WIDTH = 1100
#: The anchor cell's column is this many columns right of the table's last column.
GAP_COLUMNS = 1


def _png(record: Record) -> bytes:
    return render_png(record.values.get("people"), career_goals=str(record.values.get("career_goals") or ""))


def picture_anchor(form: Form, record: Record) -> str:
    """The cell the picture's top-left corner sits on: one column right of the people table, on its
    header row (the table's place comes from the same plan the form sheet is written with)."""
    table_rows = {item.id: len(record.values.get(item.id) or ()) for item in form.fields() if item.kind is Kind.TABLE}
    header, _, _ = form_sheet.plan(form, table_rows).tables["people"]
    last_column = len(form.field("people").columns)
    return f"{get_column_letter(last_column + 1 + GAP_COLUMNS)}{header}"


def decorate_workbook(book: Any, form: Form, record: Record) -> None:
    """Add the map picture to the "Form" sheet beside the people table."""
    png = _png(record)
    image = Image(io.BytesIO(png))
    scale = SHEET_IMAGE_WIDTH / image.width
    image.width, image.height = SHEET_IMAGE_WIDTH, round(image.height * scale)
    book[form_sheet.SHEET].add_image(image, picture_anchor(form, record))


def print_html(form: Form, record: Record) -> str:
    """The picture (a base64 PNG) and the measured themes with their readings, as trusted HTML
    for the print view; every piece of user text in it is escaped."""
    png = base64.b64encode(_png(record)).decode("ascii")
    measures = measure(record.values.get("people"))
    rows = "".join(
        f"<tr><th>{html.escape(reading.theme)}</th><td>{html.escape(reading.figure)}</td>"
        f"<td>{html.escape(reading.reading)}</td></tr>"
        for reading in measures.readings
    )
    return (
        '<section class="network-map-extras">'
        '<h2>Your developmental network map</h2>'
        f'<img class="network-map-picture" alt="Developmental network map: {measures.size} people" '
        f'style="max-width:100%" src="data:image/png;base64,{png}">'
        '<h3>The themes, measured from the table</h3>'
        f'<table class="network-map-measures">{rows}</table>'
        '</section>'
    )


def start_values(folder: Any, form: Form, person_id: str) -> dict:
    """A new year's map starts from the person's previous map: its career goals and people.

    Empty when there is no earlier map; WorkbookError if the earlier workbook cannot be read.
    """
    return compare.start_values(compare.previous_map(folder, person_id, form.academic_year))


#: The panel name the network map form declares.
PANEL = "network_map"
EXTRAS = form_extras.FormExtras(decorate_workbook=decorate_workbook, print_html=print_html,
                                start_values=start_values)
form_extras.register(PANEL, EXTRAS)
