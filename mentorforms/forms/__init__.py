"""The forms, each declared once in its own module, and the catalogue that finds them by id.

:data:`BUILT_IN` holds the forms of the source documents: the five documents' forms and the
mentoring year's (the mentee's checklist, meetings, the yearly review). A deployment (or a test) adds a
form by declaring it and making a catalogue that includes it active::

    with BUILT_IN.including("exit_interview", declare_exit_interview).active():
        ...   # every page, save, read-back and report in this block knows the sixth form

Everything finds forms through :func:`get_form` and :func:`form_ids`, which consult the active
catalogue, so nothing else changes when a form is added.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType

from mentorforms.forms import (
    agreement,
    conference_part1,
    conference_part2,
    meeting,
    mentee_checklist,
    network_map,
    peer_group,
    relationship_review,
)
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form

Declare = Callable[[AcademicYear], Form]


class UnknownFormError(KeyError):
    """A form id that no declaration has."""

    def __init__(self, form_id: str) -> None:
        super().__init__(form_id)
        self.form_id = form_id

    def __str__(self) -> str:
        return f"there is no form {self.form_id!r}; the forms are: {', '.join(form_ids())}"


class Catalogue:
    """Form ids and the functions that declare each form for an academic year."""

    def __init__(self, declarations: Mapping[str, Declare]) -> None:
        self._declare = dict(declarations)
        self._cache: dict[tuple[str, int], Form] = {}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._declare)

    def get(self, form_id: str, year: AcademicYear | int | str) -> Form:
        """The declaration of ``form_id`` for academic ``year``; UnknownFormError for an unknown id."""
        year = AcademicYear.parse(year)
        key = (form_id, year.start)
        form = self._cache.get(key)
        if form is None:
            declare = self._declare.get(form_id)
            if declare is None:
                raise UnknownFormError(form_id)
            form = self._cache[key] = declare(year)
        return form

    def including(self, form_id: str, declare: Declare) -> Catalogue:
        """A new catalogue with one more form (or one form declared anew)."""
        return Catalogue({**self._declare, form_id: declare})

    @contextlib.contextmanager
    def active(self) -> Iterator[Catalogue]:
        """Make this the catalogue :func:`get_form` consults, for the code inside the block."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)


def _module_declarations(*modules: ModuleType) -> dict[str, Declare]:
    return {module.FORM_ID: module.declare for module in modules}


BUILT_IN = Catalogue(_module_declarations(agreement, conference_part1, conference_part2, network_map, peer_group,
                                          mentee_checklist, meeting, relationship_review))
_ACTIVE: contextvars.ContextVar[Catalogue] = contextvars.ContextVar("mentorforms_catalogue", default=BUILT_IN)

#: The built-in forms' ids (use :func:`form_ids` to include forms a deployment adds).
FORM_IDS: tuple[str, ...] = BUILT_IN.ids


def catalogue() -> Catalogue:
    """The catalogue in force."""
    return _ACTIVE.get()


def form_ids() -> tuple[str, ...]:
    """Every form id of the catalogue in force, in listing order."""
    return catalogue().ids


def get_form(form_id: str, year: AcademicYear | int | str) -> Form:
    """The declaration of ``form_id`` for academic ``year``; UnknownFormError for an unknown id."""
    return catalogue().get(form_id, year)
