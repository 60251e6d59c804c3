"""A catalogue of forms: form ids and the functions that declare each form for an academic year.

:mod:`mentorforms.forms` makes the built-in one and finds the one in force; this module holds only
the shape, so that :mod:`mentorforms.forms.office_forms` can extend a catalogue without importing
the package that chooses it.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType

from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form

Declare = Callable[[AcademicYear], Form]


class UnknownFormError(KeyError):
    """A form id that no declaration has; ``known`` lists the ids there are."""

    def __init__(self, form_id: str, known: tuple[str, ...] = ()) -> None:
        super().__init__(form_id)
        self.form_id = form_id
        self.known = known

    def __str__(self) -> str:
        return f"there is no form {self.form_id!r}; the forms are: {', '.join(self.known)}"


class Catalogue:
    """Form ids and the functions that declare each form for an academic year.

    A catalogue is never changed: :meth:`including` makes a new one. Whatever is derived from a
    catalogue's declarations (the reports' plans and labels) may therefore be cached per catalogue.
    """

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
                raise UnknownFormError(form_id, self.ids)
            form = self._cache[key] = declare(year)
        return form

    def including(self, form_id: str, declare: Declare) -> Catalogue:
        """A new catalogue with one more form (or one form declared anew)."""
        return Catalogue({**self._declare, form_id: declare})

    @contextlib.contextmanager
    def active(self) -> Iterator[Catalogue]:
        """Make this the catalogue :func:`mentorforms.forms.get_form` consults, for the code inside
        the block (in this process: worker processes find theirs from the data folder in use)."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)


_ACTIVE: contextvars.ContextVar[Catalogue | None] = contextvars.ContextVar("mentorforms_catalogue", default=None)


def made_active() -> Catalogue | None:
    """The catalogue a block made active (:meth:`Catalogue.active`), None outside such a block."""
    return _ACTIVE.get()


def module_declarations(*modules: ModuleType) -> dict[str, Declare]:
    """Form id to declaring function of form modules (each has ``FORM_ID`` and ``declare``)."""
    return {module.FORM_ID: module.declare for module in modules}
