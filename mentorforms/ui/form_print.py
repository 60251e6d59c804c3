"""The print view of a form page: the answers on the page as a clean printable page (jinja2,
templates/print_form.html.j2), shown in a frame with a link to save it. :class:`PrintView` is
mixed into :class:`mentorforms.ui.form_page.FormPage`."""

from __future__ import annotations

import dataclasses

from mentorforms.rules import trail
from mentorforms.rules.validation import normalise
from mentorforms.ui import form_parts
from mentorforms.ui.print_view import render_print
from mentorforms.vocabulary.record import Record, Status, utc_now


class PrintView:
    """Print view methods for a form page (uses its ``record``, ``inputs``, ``case`` and widgets)."""

    def show_print(self, visible: bool) -> None:
        """Show (or hide) the print view of the answers on the page."""
        if not visible:
            self.print_area.layout.display = "none"
            self.print_area.value = ""
            return
        trail.note(self.session.folder, "printed", self.case, version=self.stored.version if self.stored else None)
        self.print_area.value = form_parts.print_frame_html(self.print_html(),
                                                            self._file_name().replace(".xlsx", ".html"))
        self.print_area.layout.display = ""

    def print_record(self) -> Record:
        """The answers on the page as a record (for printing; not validated, not saved)."""
        base = self.record
        if base is not None and self.hidden:  # never an answer the viewer is not shown (an unshared agenda)
            return dataclasses.replace(base, values={key: value for key, value in base.values.items()
                                                     if key not in self.hidden})
        if base is not None and not self.dirty:
            return base  # as filed, signatures with who, when and what they mean
        return Record(self.form.id, self.form.version, self.form.academic_year, self.subject.person_id,
                      self.subject.department, Status.DRAFT, normalise(self.form, self._raw()),
                      saved_at=base.saved_at if base is not None else utc_now())

    def print_html(self) -> str:
        """The print view (a whole HTML page) of the answers on the page."""
        return render_print(self.print_record(), self.form, person_name=self.subject.name)
