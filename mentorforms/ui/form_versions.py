"""The versions side of a form page: the versions kept (who did what) and what happens when
another page filed a newer version first (shown field by field; keep mine or use theirs).

:class:`VersionsView` is mixed into :class:`mentorforms.ui.form_page.FormPage`; it uses the
page's state (``record``, ``stored``, ``inputs``, ``session``) and its widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mentorforms import messages
from mentorforms.errors import WorkbookError
from mentorforms.records.store import StoredVersion
from mentorforms.rules import workflow
from mentorforms.rules.validation import normalise
from mentorforms.ui import form_parts
from mentorforms.ui.context import server_log

log = server_log()


class VersionsView:
    """The versions kept and conflicts between versions, for a form page."""

    conflict: workflow.Stale | None
    _conflict_retry: Callable[[], Any] | None

    def _refresh_history(self) -> None:
        """The versions kept, newest first, with who did what. Versions never change once written,
        so each is read once per page: a save stays fast however long the history grows."""
        if self.record is not None and self.stored is not None:
            self._history_rows.setdefault(self.stored.path, form_parts.history_row(
                self.form, self.stored.version, self.record, self.session.roster, self.progress))
        rows = []
        for stored in reversed(self.session.folder.versions(self.form.id, self.form.academic_year,
                                                            self.subject.person_id, self.instance)):
            row = self._history_rows.get(stored.path)
            if row is None:
                try:
                    row = form_parts.history_row(self.form, stored.version, self.session.folder.read(stored),
                                                 self.session.roster, self.progress)
                except WorkbookError as error:
                    log.error("history: %s", error)
                    row = f"<tr><td>{stored.version}</td><td colspan=4>cannot be read</td></tr>"
                self._history_rows[stored.path] = row
            rows.append(row)
        self.history.value = form_parts.history_html(rows, bool(self.progress)) if rows else ""

    def _show_conflict(self, stale: workflow.Stale, name: str) -> None:
        who = self.session.roster.get(stale.saved_by)
        self.conflict = stale
        newest = self.latest().record
        unseen = self.case.hidden(newest.values) if newest is not None else frozenset()
        changes = tuple(change for change in stale.changes if change.field_id not in unseen | self.hidden)
        self.conflict_box.value = form_parts.conflict_html(
            self.form, changes, normalise(self.form, self._raw()), who.name if who else stale.saved_by,
            form_parts.saved_when(self.latest().record), stale.version)
        self.conflict_actions.layout.display = ""
        self._conflict_retry = {"saving a draft": self.save_draft, "submitting": self.submit,
                                "saving goal status": self.save_progress}.get(name)
        self.say(str(stale), "error")

    def keep_mine(self) -> StoredVersion | None:
        """After a conflict: my changes (against the version I started from) on top of the newest
        version, then the action I asked for again."""
        if self.conflict is None:
            return None
        latest = self.latest()
        mine = normalise(self.form, self._raw())
        started = dict(self.record.values) if self.record else dict(self.start)
        changed = {field_id: value for field_id, value in self._raw().items()
                   if workflow.changes_between(self.form, {field_id: started.get(field_id)},
                                               {field_id: mine.get(field_id)})}
        merged = {**(latest.record.values if latest.record else {}), **changed}
        self.record, self.baseline = latest.record, dict(latest.record.values) if latest.record else {}
        self.stored = self.session.folder.latest_version(self.form.id, self.form.academic_year,
                                                        self.subject.person_id, self.instance or
                                                        (merged.get(self.form.instance_field)
                                                         if self.form.instance_field else None))
        self.hidden = self.case.hidden(merged)  # an answer the viewer is not shown stays off the page
        for field_id, input_ in self.inputs.items():
            if field_id not in self.signature_ids:
                input_.set_value(None if field_id in self.hidden else merged.get(field_id))
        self.conflict, self.conflict_box.value = None, ""
        self.conflict_actions.layout.display = "none"
        retry = self._conflict_retry or self.save_draft
        return retry()

    def use_theirs(self) -> None:
        """After a conflict: show the newest version (my answers stay listed in the panel)."""
        if self.conflict is None:
            return
        stored = self._stored_latest()
        if stored is not None:
            panel = self.conflict_box.value
            self._show_record(self.session.folder.read(stored), stored)
            self.conflict_box.value = panel
        self.conflict_actions.layout.display = "none"
        self.say(messages.PAGE_SHOWS_NEWEST)
