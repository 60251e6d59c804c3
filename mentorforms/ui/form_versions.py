"""The versions side of a form page: the versions kept (who did what), and the panel shown when
another page filed a newer version first (field by field; keep mine or use theirs)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from mentorforms.errors import WorkbookError
from mentorforms.records.roster import Roster
from mentorforms.records.store import DataFolder, StoredVersion
from mentorforms.rules import workflow
from mentorforms.rules.validation import normalise
from mentorforms.ui import form_parts
from mentorforms.ui.context import server_log
from mentorforms.ui.widgets import button
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record

log = server_log()


class History:
    """The versions kept of one form, newest first, with who did what. Versions never change once
    written, so each is read once per page: a save stays fast however long the history grows."""

    def __init__(self, folder: DataFolder, roster: Roster, form: Form,
                 progress: Mapping[str, tuple[str, str]]) -> None:
        self.folder, self.roster, self.form, self.progress = folder, roster, form, progress
        self.widget = widgets.HTML()
        self.widget.add_class("mf-history")
        self._rows: dict[Path, str] = {}

    def refresh(self, person_id: str, instance: str | None, shown: Record | None, stored: StoredVersion | None
                ) -> None:
        """List the versions of ``person_id``'s form under ``instance`` (``shown``, the version on
        the page as ``stored``, is not read again)."""
        if shown is not None and stored is not None:
            self._rows.setdefault(stored.path, form_parts.history_row(self.form, stored.version, shown, self.roster,
                                                                      self.progress))
        rows = []
        for kept in reversed(self.folder.versions(self.form.id, self.form.academic_year, person_id, instance)):
            row = self._rows.get(kept.path)
            if row is None:
                try:
                    row = form_parts.history_row(self.form, kept.version, self.folder.read(kept), self.roster,
                                                 self.progress)
                except WorkbookError as error:
                    log.error("history: %s", error)
                    row = f"<tr><td>{kept.version}</td><td colspan=4>cannot be read</td></tr>"
                self._rows[kept.path] = row
            rows.append(row)
        self.widget.value = form_parts.history_html(rows, bool(self.progress)) if rows else ""


class ConflictPanel:
    """What a newer version filed by another page changed, with Keep mine and Use theirs."""

    def __init__(self, keep_mine: Callable[[], object], use_theirs: Callable[[], object]) -> None:
        self.box = widgets.HTML()
        self.box.add_class("mf-conflict-box")
        keep = button("Keep mine", "check", "mf-keep-mine", "Save your changes on top of the newer version", "warning")
        theirs = button("Use theirs", "refresh", "mf-use-theirs", "Show the newer version")
        keep.on_click(lambda _: keep_mine())
        theirs.on_click(lambda _: use_theirs())
        self.actions = widgets.HBox([keep, theirs], layout=widgets.Layout(display="none"))
        self.actions.add_class("mf-conflict-actions")
        #: The conflict shown (None when there is none).
        self.stale: workflow.Stale | None = None
        #: The action to run again after Keep mine.
        self.retry: Callable[[], StoredVersion | None] | None = None

    def show(self, stale: workflow.Stale, panel: str, retry: Callable[[], StoredVersion | None] | None) -> None:
        """Show the conflict ``stale`` as ``panel`` (HTML), offering both ways on."""
        self.stale, self.retry = stale, retry
        self.box.value = panel
        self.actions.layout.display = ""

    def forget(self) -> None:
        """No conflict any more (a version is shown afresh); the buttons stay until hidden."""
        self.stale = None
        self.box.value = ""

    def clear(self) -> None:
        """No conflict any more, nor its buttons (after Keep mine)."""
        self.forget()
        self.actions.layout.display = "none"


def merged_answers(form: Form, started: Mapping[str, Any], raw: Mapping[str, Any],
                   newest: Mapping[str, Any]) -> dict[str, Any]:
    """After a conflict, Keep mine: the answers changed on the page (``raw``, against the version
    it ``started`` from) on top of the ``newest`` version's."""
    mine = normalise(form, raw)
    changed = {field_id: value for field_id, value in raw.items()
               if workflow.changes_between(form, {field_id: started.get(field_id)}, {field_id: mine.get(field_id)})}
    return {**newest, **changed}
