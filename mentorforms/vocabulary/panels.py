"""The names a form's declaration may give its panel (``Form.panel="meetings"``).

A panel name stands for what a feature adds to a form: the live panel beside it on its page
(:mod:`mentorforms.ui.panels`) and additions to its workbook, print view and first values
(:mod:`mentorforms.workbooks.form_extras`). Those registries sit in the layers that own the code;
this one only knows the names, so that a form naming a panel nobody registered is refused when it
is loaded (:mod:`mentorforms.forms.office_forms`) without importing either.
"""

from __future__ import annotations

import re

#: A panel name: lower-case letters, digits and underscores, starting with a letter.
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
#: The package's own panels (their parts are registered by mentorforms.ui.panels and
#: mentorforms.network.extras).
BUILT_IN: tuple[str, ...] = ("meetings", "season", "network_map")

_added: list[str] = []


def is_panel_name(name: str) -> bool:
    """Whether ``name`` has the shape of a panel name (whether or not it is registered)."""
    return bool(NAME.fullmatch(name))


def add(name: str) -> None:
    """Make ``name`` a known panel name (the registries call this when a part is registered);
    ValueError if it is not shaped like one."""
    if not is_panel_name(name):
        raise ValueError(f"{name!r} is not a panel name: use lower-case letters, digits and underscores")
    if name not in BUILT_IN and name not in _added:
        _added.append(name)


def known() -> tuple[str, ...]:
    """Every panel name a form may declare: the built-in ones, then those registered since."""
    return (*BUILT_IN, *_added)
