"""The meeting page's side line: whether the agenda was shared, and how long before the meeting."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from mentorforms.rules import mentoring_year


class MeetingPanel(widgets.HTML):
    """"Agenda shared on ..., N days before the meeting", redrawn as the answers change."""

    def __init__(self, get_values: Callable[[], Mapping[str, Any]]) -> None:
        super().__init__()
        self.get_values = get_values
        self.add_class("mf-agenda-timing")

    def refresh(self) -> None:
        text = mentoring_year.agenda_timing(self.get_values())
        self.value = f'<div class="mf-banner mf-notice" role="status">{html.escape(text)}</div>'
