"""The live panels beside a form on its page, by the name its declaration gives (``Form.panel``).

The built-in panels are listed here: ``meetings`` (the meeting's agenda timing), ``season`` (a
peer group's hours per month) and ``network_map`` (the map's measures, picture and changes). A
school's own module adds one by registering it under a name of its own and naming that name in
its form's declaration (docs/forms.md)::

    from mentorforms.ui.panels import register
    register("sabbatical_timeline", SabbaticalPanel)   # SabbaticalPanel(get_values) -> a widget

A panel builder is called with a function returning the form's current values and gives a widget
with ``refresh()`` (see :class:`mentorforms.workbooks.form_extras.FormExtras`). The builders are
kept in the form-extras registry, where the page finds them (``extras_for(form_id).panel``), so
the form's workbook and print additions and its panel share one name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mentorforms.workbooks import form_extras

PanelBuilder = Callable[..., Any]


def _meetings(get_values: Callable[[], Mapping[str, Any]], **context: Any) -> Any:
    # Each builder imports its widgets when a page builds it: finding a form's extras (a workbook
    # being written) imports this module and must not pull in ipywidgets or matplotlib.
    from mentorforms.ui.meeting_panel import MeetingPanel

    return MeetingPanel(get_values)


def _season(get_values: Callable[[], Mapping[str, Any]], **context: Any) -> Any:
    from mentorforms.ui.season_panel import SeasonPanel

    return SeasonPanel(get_values)


def _network_map(get_values: Callable[[], dict], **context: Any) -> Any:
    from mentorforms.ui.network_panel import NetworkPanel

    return NetworkPanel(get_values, **context)


#: The package's own panels, by the names the built-in forms declare.
BUILT_IN: dict[str, PanelBuilder] = {"meetings": _meetings, "season": _season, "network_map": _network_map}


def register(name: str, builder: PanelBuilder) -> None:
    """Make ``builder`` the live panel of every form whose declaration names ``name`` (a school's
    module calls this when it is imported, before its form is declared); ValueError if ``name`` is
    not a panel name (lower-case letters, digits and underscores)."""
    form_extras.register(name, form_extras.FormExtras(panel=builder))


def panel_for(form_id: str) -> PanelBuilder | None:
    """The panel builder of ``form_id``'s declared panel name, None if it has no panel."""
    return form_extras.extras_for(form_id).panel


for _name, _builder in BUILT_IN.items():
    register(_name, _builder)
