"""The print view of a form page: the answers on the page as a clean printable page (jinja2,
templates/print_form.html.j2), shown in a frame with a link to save it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from mentorforms.records.roster import Person
from mentorforms.rules.validation import normalise
from mentorforms.ui import form_parts
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record, Status, utc_now


class PrintArea:
    """The frame below the form that shows the print view (hidden until asked for)."""

    def __init__(self) -> None:
        self.widget = widgets.HTML(layout=widgets.Layout(display="none"))
        self.widget.add_class("mf-print")

    def show(self, page: str, name: str) -> None:
        """Show ``page`` (a whole HTML page), with a link saving it as ``name``."""
        self.widget.value = form_parts.print_frame_html(page, name)
        self.widget.layout.display = ""

    def hide(self) -> None:
        """Hide the print view (and drop it: it is made again from the page when shown)."""
        self.widget.layout.display = "none"
        self.widget.value = ""


def print_record(form: Form, subject: Person, filed: Record | None, raw: Mapping[str, Any], *,
                 hidden: frozenset[str], dirty: bool) -> Record:
    """The answers on a page as a record (for printing; not validated, not saved): ``filed`` (the
    version shown) as it is when nothing was changed, else the answers ``raw`` on the page."""
    if filed is not None and hidden:  # never an answer the viewer is not shown (an unshared agenda)
        return dataclasses.replace(filed, values={key: value for key, value in filed.values.items()
                                                  if key not in hidden})
    if filed is not None and not dirty:
        return filed  # as filed, signatures with who, when and what they mean
    return Record(form.id, form.version, form.academic_year, subject.person_id, subject.department, Status.DRAFT,
                  normalise(form, raw), saved_at=filed.saved_at if filed is not None else utc_now())
