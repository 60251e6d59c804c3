"""The forms a school adds without editing the package: modules its office names in the data
folder's ``office.toml``::

    [forms]
    modules = ["myschool_forms.sabbatical"]

Each module is imported by name (it must be importable where the app runs: installed, or on
``PYTHONPATH``) and, like the built-in forms' modules, has ``FORM_ID`` and
``declare(year) -> Form``. The catalogue in force is then the built-in forms followed by the
school's, in the order named. A module that cannot be imported, a form id that is already taken
(a built-in one or another named module's), a declaration that is not a valid form, or one naming
a panel nobody registered (:mod:`mentorforms.vocabulary.panels`) is refused
with :class:`OfficeFormRefused` and a plain message naming the file and the module: nothing is
guessed and no form is skipped silently.

Finding the catalogue is cheap (one small file read once per data folder and process, then the
named modules imported), so a page kernel pays nothing for it. A change to ``[forms]`` takes
effect in processes started afterwards: restart the server after editing it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import tomllib
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from mentorforms import messages
from mentorforms.errors import MentorformsError
from mentorforms.forms.catalogue import Catalogue, Declare
from mentorforms.vocabulary import panels
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form

#: The environment variable naming the data folder in use (also mentorforms.rules.identity.ENV_DATA).
ENV_DATA = "MENTORFORMS_DATA"
SETTINGS = "office.toml"
#: Longest office.toml read (a few lines are expected).
MAX_SETTINGS_BYTES = 64 * 1024


class OfficeFormRefused(MentorformsError):
    """A form the office names cannot be used: ``module`` names it (empty when office.toml itself
    cannot be read) and ``reason`` says why, in plain words; the message says both."""

    def __init__(self, message: str, *, module: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.module = module
        self.reason = reason


class FormsSettingInvalid(OfficeFormRefused):
    """``office.toml`` cannot be read, or its ``[forms] modules`` is not a list of module names."""


class FormModuleUnavailable(OfficeFormRefused):
    """A named module cannot be imported."""


class FormIdClash(OfficeFormRefused):
    """A named module declares a form id a built-in form or another named module already has."""


class FormDeclarationInvalid(OfficeFormRefused):
    """A named module has no ``FORM_ID`` and ``declare``, or what it declares is not a valid form."""


class FormPanelUnknown(FormDeclarationInvalid):
    """A named module's form names a panel (``Form.panel``) that nobody registered: ``form_id``
    and ``panel`` say which."""

    def __init__(self, message: str, *, module: str, form_id: str, panel: str) -> None:
        super().__init__(message, module=module, reason=f"no panel is registered as {panel!r}")
        self.form_id = form_id
        self.panel = panel


def named_modules(root: Path) -> tuple[str, ...]:
    """The module names ``root/office.toml`` lists under ``[forms] modules`` (none without the
    file or the table); FormsSettingInvalid if they cannot be read."""
    path = root / SETTINGS
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SETTINGS_BYTES + 1)
    except FileNotFoundError:
        return ()
    except OSError as error:
        reason = error.strerror or str(error)
        raise FormsSettingInvalid(messages.say(messages.OFFICE_FORMS_SETTING_INVALID, path=path, reason=reason),
                                  reason=reason) from error
    try:
        if len(raw) > MAX_SETTINGS_BYTES:
            raise ValueError(f"longer than {MAX_SETTINGS_BYTES:,} bytes")
        forms = tomllib.loads(raw.decode("utf-8")).get("forms", {})
        if not isinstance(forms, dict):
            raise ValueError("[forms] is not a table")
        modules = forms.get("modules", [])
        if not isinstance(modules, list) or not all(isinstance(name, str) and name.strip() for name in modules):
            raise ValueError("modules is not a list of module names")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as error:
        raise FormsSettingInvalid(messages.say(messages.OFFICE_FORMS_SETTING_INVALID, path=path, reason=error),
                                  reason=str(error)) from error
    return tuple(name.strip() for name in modules)


def _import(path: Path, name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except (ImportError, SyntaxError) as error:
        reason = f"{type(error).__name__}: {error}"
        raise FormModuleUnavailable(messages.say(messages.OFFICE_FORM_UNAVAILABLE, path=path, module=name,
                                                 reason=reason), module=name, reason=reason) from error


def _declared(path: Path, name: str, module: ModuleType, base: Catalogue) -> tuple[str, Declare]:
    """The module's form id and declaring function, once its declaration for this year is checked."""
    def invalid(reason: str) -> FormDeclarationInvalid:
        return FormDeclarationInvalid(messages.say(messages.OFFICE_FORM_INVALID, path=path, module=name,
                                                   reason=reason), module=name, reason=reason)

    form_id, declare = getattr(module, "FORM_ID", None), getattr(module, "declare", None)
    if not isinstance(form_id, str) or not form_id or not callable(declare):
        raise invalid("it needs FORM_ID, a text, and declare(year), a function")
    year = AcademicYear.containing(dt.date.today())
    try:
        form = declare(year)
    except (ValueError, TypeError, KeyError) as error:
        raise invalid(str(error)) from error
    if not isinstance(form, Form):
        raise invalid(f"declare(year) returned {type(form).__name__}, not a Form")
    if form.id != form_id:
        raise invalid(f"declare(year) returned the form {form.id!r}, not {form_id!r}")
    if form.panel and form.panel not in panels.known():
        raise FormPanelUnknown(messages.say(messages.OFFICE_FORM_PANEL_UNKNOWN, path=path, module=name,
                                            form_id=form_id, panel=form.panel, known=", ".join(panels.known())),
                               module=name, form_id=form_id, panel=form.panel)
    taken = {source.id: source.label for other in base.ids for source in base.get(other, year).reports.goal_sources}
    for source in form.reports.goal_sources:
        if taken.get(source.id, source.label) != source.label:
            raise invalid(f"the goal source {source.id!r} is another form's; give it an id of its own")
    return form_id, declare


def extended(root: Path, base: Catalogue) -> Catalogue:
    """``base`` followed by the forms ``root/office.toml`` names (``base`` itself when it names
    none); OfficeFormRefused, naming the file and the module, for one that cannot be used."""
    path = root / SETTINGS
    found = base
    for name in named_modules(root):
        form_id, declare = _declared(path, name, _import(path, name), found)
        if form_id in found.ids:
            other = "a built-in form" if form_id in base.ids else "another module named before it"
            raise FormIdClash(messages.say(messages.OFFICE_FORM_CLASH, path=path, module=name, form_id=form_id,
                                           other=other), module=name, reason=f"form id {form_id!r} is taken")
        found = found.including(form_id, declare)
    return found


@lru_cache(maxsize=16)
def office_catalogue(root: str | None, base: Catalogue) -> Catalogue:
    """The catalogue of the data folder ``root`` (None: no data folder, ``base`` alone), made once
    per process: a refusal is not kept, so a corrected office.toml is read again."""
    return base if root is None else extended(Path(root), base)
