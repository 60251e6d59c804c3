"""The forms, each declared once in its own module; this module finds them by id."""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType

from mentorforms.academic_year import AcademicYear
from mentorforms.declaration import Form
from mentorforms.forms import (
    agreement, conference_part1, conference_part2, meeting, mentee_checklist, network_map, peer_group,
    relationship_review,
)

_MODULES: dict[str, ModuleType] = {
    module.FORM_ID: module
    for module in (agreement, conference_part1, conference_part2, network_map, peer_group, mentee_checklist,
                   meeting, relationship_review)
}

FORM_IDS: tuple[str, ...] = tuple(_MODULES)


class UnknownFormError(KeyError):
    """A form id that no declaration has."""

    def __init__(self, form_id: str) -> None:
        super().__init__(form_id)
        self.form_id = form_id

    def __str__(self) -> str:
        return f"there is no form {self.form_id!r}; the forms are: {', '.join(FORM_IDS)}"


@lru_cache(maxsize=256)
def get_form(form_id: str, year: AcademicYear | int | str) -> Form:
    """The declaration of ``form_id`` for academic ``year``; UnknownFormError for an unknown id."""
    module = _MODULES.get(form_id)
    if module is None:
        raise UnknownFormError(form_id)
    return module.declare(AcademicYear.parse(year))
