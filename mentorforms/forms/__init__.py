"""The forms, each declared once in its own module, and the catalogue that finds them by id.

:data:`BUILT_IN` holds the forms of the source documents: the five documents' forms and the
mentoring year's (the mentee's checklist, meetings, the yearly review). A school adds a form
without editing the package by naming the module that declares it in its data folder's
``office.toml`` (:mod:`mentorforms.forms.office_forms`, docs/forms.md)::

    [forms]
    modules = ["myschool_forms.sabbatical"]

Code (a test) may also make a catalogue active for a block::

    with BUILT_IN.including("exit_interview", declare_exit_interview).active():
        ...   # every page, save, read-back and report in this block knows the extra form

Everything finds forms through :func:`get_form` and :func:`form_ids`, which consult the catalogue
in force (:func:`catalogue`), so nothing else changes when a form is added.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

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
from mentorforms.forms.catalogue import Catalogue, Declare, UnknownFormError, made_active, module_declarations
from mentorforms.forms.office_forms import ENV_DATA, office_catalogue
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form

BUILT_IN = Catalogue(module_declarations(agreement, conference_part1, conference_part2, network_map, peer_group,
                                         mentee_checklist, meeting, relationship_review))

#: The built-in forms' ids (use :func:`form_ids` to include forms a school adds).
FORM_IDS: tuple[str, ...] = BUILT_IN.ids


def catalogue() -> Catalogue:
    """The catalogue in force: the one a block made active (:meth:`Catalogue.active`), else the
    built-in forms with those the data folder in use (``$MENTORFORMS_DATA``, which the server
    gives every page and the command line sets for its command) names in its ``office.toml``.
    An office form that cannot be used raises :class:`~mentorforms.forms.office_forms.OfficeFormRefused`."""
    chosen = made_active()
    if chosen is not None:
        return chosen
    return office_catalogue(os.environ.get(ENV_DATA) or None, BUILT_IN)


@contextlib.contextmanager
def data_folder_in_use(root: Path | str) -> Iterator[Catalogue]:
    """Make ``root`` the data folder in use (``$MENTORFORMS_DATA``) for the block, so that this
    process and the worker processes it starts find the forms its office names; yields them."""
    before = os.environ.get(ENV_DATA)
    os.environ[ENV_DATA] = str(root)
    try:
        yield catalogue()
    finally:
        if before is None:
            os.environ.pop(ENV_DATA, None)
        else:
            os.environ[ENV_DATA] = before


def form_ids() -> tuple[str, ...]:
    """Every form id of the catalogue in force, in listing order."""
    return catalogue().ids


def get_form(form_id: str, year: AcademicYear | int | str) -> Form:
    """The declaration of ``form_id`` for academic ``year``; UnknownFormError for an unknown id."""
    return catalogue().get(form_id, year)


__all__ = ["BUILT_IN", "FORM_IDS", "Catalogue", "Declare", "UnknownFormError", "catalogue", "data_folder_in_use",
           "form_ids", "get_form"]
