"""Per-form additions that the generic machinery calls: extra workbook content, extra print-view
HTML, first values, and a live panel beside the form on its page (the network map's measures and
picture).

A form needs nothing here. A form that has additions names them by a short registered name
(``Form.panel="network_map"``, see :mod:`mentorforms.vocabulary.panels`); the code that provides
them registers its parts under that name with :func:`register`: the network layer its workbook,
print and first-values additions (:mod:`mentorforms.network.extras`), the page layer the live
panels (:mod:`mentorforms.ui.panels`), a school's module its own. The generic code asks
:func:`extras_for` and never imports feature code.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mentorforms.vocabulary import panels
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
    panel: Callable[..., Any] | None = None
    start_values: Callable[[Any, Form, str], dict] | None = None


_NONE = FormExtras()
_REGISTERED: dict[str, FormExtras] = {}
#: The modules registering the built-in names' parts, imported the first time a form names one:
#: they sit in later layers (network, ui), which this one does not import. Importing them is cheap
#: (mentorforms.ui.panels imports a panel's widgets only when it is built).
_BUILT_IN_PROVIDERS: dict[str, tuple[str, ...]] = {
    "meetings": ("mentorforms.ui.panels",),
    "season": ("mentorforms.ui.panels",),
    "network_map": ("mentorforms.network.extras", "mentorforms.ui.panels"),
}
_loaded: set[str] = set()


def register(name: str, extras: FormExtras) -> None:
    """Register what ``name`` adds to the forms that name it; the parts given replace the ones
    registered before under that name, the others stay (the network layer registers the map's
    workbook additions and the page layer its panel). ValueError if ``name`` is not a panel name."""
    panels.add(name)
    before = _REGISTERED.get(name, _NONE)
    given = {part.name: getattr(extras, part.name) for part in dataclasses.fields(FormExtras)
             if getattr(extras, part.name) is not None}
    _REGISTERED[name] = dataclasses.replace(before, **given)


def extras_named(name: str) -> FormExtras:
    """What the panel name ``name`` adds (empty for "" or a name nobody registered: the catalogue
    refuses a school's form naming one when it is loaded)."""
    if not name:
        return _NONE
    if name not in _loaded:
        for module in _BUILT_IN_PROVIDERS.get(name, ()):
            importlib.import_module(module)
        _loaded.add(name)
    return _REGISTERED.get(name, _NONE)


def extras_for(form_id: str) -> FormExtras:
    """The extras of ``form_id``: what its declared panel name adds (empty if it names none or is
    not in the catalogue)."""
    import datetime as dt

    from mentorforms.forms import UnknownFormError, get_form
    from mentorforms.vocabulary.academic_year import AcademicYear

    try:
        name = get_form(form_id, AcademicYear.containing(dt.date.today())).panel
    except UnknownFormError:
        return _NONE
    return extras_named(name)
