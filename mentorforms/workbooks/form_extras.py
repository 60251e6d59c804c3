"""Per-form additions that the generic machinery calls: extra workbook content, extra print-view
HTML, and a live panel beside the form on its page (the network map's measures and picture).

A form needs nothing here; a feature that adds to one form is named by the form's declaration
(``Form.extras``: the module that provides its :class:`FormExtras`), so the generic code never
imports feature code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record


@dataclass(frozen=True)
class FormExtras:
    """What a feature adds to one form. Every part is optional.

    ``decorate_workbook(book, form, record)`` adds to a workbook after the form and machine sheets
    are written (for example a picture beside the table). ``print_html(form, record)`` returns
    trusted HTML appended to the print view. ``panel(values_getter)`` returns a widget for the form
    page; it is given a function returning the current (unvalidated) values and must offer a
    ``refresh()`` method the page calls when values change (and after it loads answers). A panel
    may also offer ``set_context(folder=, person_id=, year=)`` (the DataFolder, whose form it is,
    the form's academic year), which the page calls once after building it, so the panel can
    compare with earlier years; a panel must work without it. ``start_values(folder, form,
    person_id)`` gives the values a person's first record of ``form`` in ``form.academic_year``
    starts from (the network map starts from last year's people); the page's prefill uses them
    when there is no saved version yet.
    """

    decorate_workbook: Callable[[Any, Form, Record], None] | None = None
    print_html: Callable[[Form, Record], str] | None = None
    panel: Callable[[Callable[[], dict]], Any] | None = None
    start_values: Callable[[Any, Form, str], dict] | None = None


_NONE = FormExtras()


def extras_for(form_id: str) -> FormExtras:
    """The extras of ``form_id`` (empty if it has none or its provider is not installed yet)."""
    import datetime as dt

    from mentorforms.forms import UnknownFormError, get_form
    from mentorforms.vocabulary.academic_year import AcademicYear

    try:
        module_name = get_form(form_id, AcademicYear.containing(dt.date.today())).extras
    except UnknownFormError:
        return _NONE
    if not module_name:
        return _NONE
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return _NONE
        raise
    return getattr(module, "EXTRAS", _NONE)
