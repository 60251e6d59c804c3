"""What a form page shows, gathered from the data folder before any widget is drawn.

:func:`gather` reads everything a page of one :class:`~mentorforms.rules.parties.Case` shows: the
latest readable version (or, for a form nobody has saved, its prefilled starting answers and where
they came from), the form shown beside it (Part II shows the submitted Part I), and whose data a
form's live panel looks at. It returns one frozen :class:`FormView`; the layout only draws it.
Reloading a page gathers again with the same function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mentorforms import messages
from mentorforms.errors import FieldProblem, WorkbookError
from mentorforms.forms import get_form
from mentorforms.records.store import DataFolder, StoredVersion
from mentorforms.rules.parties import Case
from mentorforms.ui import form_parts, prefill
from mentorforms.ui.context import server_log
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record

log = server_log()
#: A form's latest readable version, its file, and why each newer one cannot be read.
Saved = tuple[Record | None, StoredVersion | None, list[WorkbookError]]


@dataclass(frozen=True)
class Reference:
    """Another form of the subject shown read-only beside this one (Part II shows Part I)."""

    form_id: str
    title: str
    #: Its newest submitted or signed version this year; None when there is none (or it cannot be read).
    record: Record | None


@dataclass(frozen=True)
class PanelContext:
    """Whose form and which year a form's live panel looks at (see ``FormExtras.panel``)."""

    folder: DataFolder
    person_id: str
    year: AcademicYear


@dataclass(frozen=True)
class FormView:
    """Everything a form page shows when it opens (or reloads), read from the data folder."""

    #: The version shown and its file; both None for a form nobody has saved yet.
    record: Record | None
    stored: StoredVersion | None
    #: Why the page is read-only whatever the viewer's part ("" when it is not).
    read_only: str
    #: A new form's starting answers (roster, earlier goals, an earlier year's answers); empty when a version is shown.
    start: Mapping[str, Any]
    #: Where any starting answers came from ("" when none did).
    note: str
    #: Carried-over dates declared upcoming that have passed, per field the viewer writes.
    passed_dates: Mapping[str, FieldProblem]
    reference: Reference | None
    panel: PanelContext


def reference(folder: DataFolder, form_id: str, year: AcademicYear, person_id: str) -> Reference:
    """The subject's newest submitted ``form_id`` of ``year``, to show beside another form."""
    try:
        record = prefill.latest_submitted(folder, form_id, year, person_id)
    except OSError:
        log.exception("%s of %s could not be read", form_id, person_id)
        record = None
    return Reference(form_id, get_form(form_id, year).title, record)


def gather(folder: DataFolder, case: Case, today: dt.date, *, instance: str | None = None,
           saved: Saved | None = None) -> FormView:
    """What the page of ``case`` shows now. ``instance``: the form's key when known (the case's
    unless the page learnt it since); ``saved``: what :meth:`DataFolder.latest_readable` gave, if
    the caller has read it already. Raises the first :class:`WorkbookError` when versions exist and
    none can be read."""
    form, subject = case.form, case.subject
    year = form.academic_year
    panel = PanelContext(folder, subject.person_id, year)
    if form.instance_field is None or instance:
        record, stored, unreadable = saved if saved is not None else folder.latest_readable(
            form.id, year, subject.person_id, instance)
        if unreadable and record is None:
            raise unreadable[0]  # nothing readable at all: the caller shows it plainly
        if record is not None and stored is not None:
            read_only = ""
            if unreadable:
                # The newest version is damaged: show the last good one, and change nothing.
                read_only = messages.say(messages.LATEST_UNREADABLE, name=unreadable[0].path.name,
                                         reason=unreadable[0].reason, version=stored.version)
                log.error("form page shows %s read-only: %s", stored.path, unreadable[0])
            return FormView(record, stored, read_only, {}, "", {}, _beside(folder, case), panel)
    values, note = prefill.new_form_values(form, folder, subject, case.viewer.person, case.instance_person)
    if form.instance_field and instance is not None:
        values[form.instance_field] = instance
    return FormView(None, None, "", values, note, form_parts.passed_dates(form, values, today, case.writes),
                    _beside(folder, case), panel)


def _beside(folder: DataFolder, case: Case) -> Reference | None:
    beside = case.form.shown_beside
    return None if beside is None else reference(folder, beside, case.form.academic_year, case.subject.person_id)
