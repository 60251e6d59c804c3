"""The form page's two status lines: a standing notice under the title, and the outcome of the
last action beside the buttons. Both are HTML widgets; the text is escaped once, here."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.errors import ValidationFailed


class StatusLines:
    """``notice`` and ``result`` (HTML widgets the page creates) and what they say."""

    notice: widgets.HTML
    result: widgets.HTML
    _notice_key: str

    def set_notice(self, text: str, key: str = "") -> None:
        """A standing notice under the status line (empty: none)."""
        self._notice_key = key if text else ""
        self.notice.value = f'<div class="mf-banner mf-notice" role="status">{html.escape(text)}</div>' if text else ""

    def say(self, text: str, kind: str = "ok") -> None:
        """The outcome of the last action, beside the buttons (``kind``: ok or error)."""
        self.result.value = f'<div class="mf-say mf-say-{kind}" role="status">{html.escape(text)}</div>'

    @property
    def result_text(self) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", self.result.value)).strip()

    @property
    def notice_text(self) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", self.notice.value)).strip()


def not_filed(failed: ValidationFailed, verb: str, *, others_only: bool) -> str:
    """Why an action filed nothing: how many answers need attention and the first of them, or
    (``others_only``) that only the person filling the form can fix what is left."""
    first = failed.problems[0]
    if others_only:
        return messages.say(messages.PAGE_NOT_FILED_OTHER_PARTY, verb=verb, first=first)
    count = len({problem.field_id for problem in failed.problems})
    template = messages.PAGE_NOT_FILED_ONE if count == 1 else messages.PAGE_NOT_FILED_MANY
    return messages.say(template, verb=verb, count=count, first=first.label)
