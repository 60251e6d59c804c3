"""The form page's two status lines: a standing notice under the title, and the outcome of the
last action beside the buttons (both HTML widgets; the text is escaped once, here); and what an
action that filed a version, or filed nothing, says there."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.errors import ValidationFailed
from mentorforms.forms import get_form
from mentorforms.records.store import StoredVersion
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks import safe_cell


class StatusLines:
    """A form page's standing notice and the outcome of its last action, each an HTML widget."""

    def __init__(self) -> None:
        self.notice = widgets.HTML()
        self.notice.add_class("mf-notice-line")
        self.result = widgets.HTML()
        self.result.add_class("mf-result")
        #: What the notice shown is about ("resign", "editing", "cleared"; "" for none or any other).
        self.notice_key = ""

    def set_notice(self, text: str, key: str = "") -> None:
        """A standing notice under the status line (empty: none)."""
        self.notice_key = key if text else ""
        self.notice.value = f'<div class="mf-banner mf-notice" role="status">{html.escape(text)}</div>' if text else ""

    def say(self, text: str, kind: str = "ok") -> None:
        """The outcome of the last action, beside the buttons (``kind``: ok or error)."""
        self.result.value = f'<div class="mf-say mf-say-{kind}" role="status">{html.escape(text)}</div>'

    @property
    def result_text(self) -> str:
        """The outcome of the last action as plain text."""
        return html.unescape(re.sub(r"<[^>]+>", "", self.result.value)).strip()

    @property
    def notice_text(self) -> str:
        """The standing notice as plain text."""
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


def filed_text(form: Form, record: Record, said: str, stored: StoredVersion, sent: Mapping[str, Any],
               removed: Iterable[str], opened: Iterable[StoredVersion]) -> str:
    """What the page says once ``record`` is filed as ``stored``: the workflow's words ``said``,
    the characters saving removed from the answers ``sent`` (in the ``removed`` fields), the
    follow-up forms reopened, and the signatures still awaited."""
    text = messages.say(said, version=stored.version)
    for field_id in removed:  # done: the fields hold the saved text now, so the notice goes from them
        text += messages.say(messages.SAVED_REMOVED, label=form.field(field_id).label,
                             notice=safe_cell.clean(sent[field_id]).notice)
    for reopened in opened:  # only a form that declares what it reopens opens any
        reopens = form.reopens[2] if form.reopens else ""
        text += messages.say(messages.REOPENED, form=get_form(reopens, form.academic_year).title,
                             version=reopened.version)
    waiting = [form.field(field_id).label for field_id in form.signers if field_id not in record.values]
    if record.status is Status.SUBMITTED and waiting:
        text += messages.say(messages.WAITING_FOR, labels=", ".join(waiting))
    return text
