"""The page for one form: a thin view over :mod:`mentorforms.rules.workflow`.

:class:`FormPage` shows the viewer's :class:`~mentorforms.rules.parties.Case` as ipywidgets. What the
inputs hold is only a proposal: every action hands it to a workflow function together with the
last version read from disk, and files what comes back. The page never decides what may be
written, who signs, or what the key is; it only enables the inputs the declaration lets the
viewer's party write (a courtesy: a crafted widget message to a disabled input is refused by the
workflow and recorded in the audit trail).

Nothing typed is lost by a failed action: the inputs are left as they are and each problem is
shown next to its field; the first one gets the keyboard focus (which scrolls it into view).

The page holds its parts, each with its own job: what it shows is gathered first
(:func:`~mentorforms.ui.form_view.gather`) and drawn by :func:`~mentorforms.ui.form_layout.build_layout`;
the answers' inputs (:class:`~mentorforms.ui.form_inputs.AnswerInputs`), the status lines, the
conflict panel, the versions kept and the print view are objects it holds; what the buttons do is
:class:`~mentorforms.ui.form_action.FormActions`. The page keeps the state of the version shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from mentorforms import messages
from mentorforms.errors import ValidationFailed
from mentorforms.records.store import StoredVersion
from mentorforms.rules import trail, workflow
from mentorforms.rules.completeness import remaining_required, submit_blockers
from mentorforms.rules.parties import Case
from mentorforms.rules.validation import normalise
from mentorforms.ui import form_parts
from mentorforms.ui.context import Session, server_log
from mentorforms.ui.form_action import FormActions
from mentorforms.ui.form_inputs import AnswerInputs
from mentorforms.ui.form_layout import FormLayout, Parts, build_layout, reference_html
from mentorforms.ui.form_print import PrintArea, print_record
from mentorforms.ui.form_status import StatusLines
from mentorforms.ui.form_versions import ConflictPanel, History
from mentorforms.ui.form_view import FormView, Saved, gather
from mentorforms.ui.print_view import render_print
from mentorforms.ui.widgets import FieldInput
from mentorforms.vocabulary.record import Record, Status

log = server_log()
__all__ = ["FormPage", "Saved", "remaining_required"]


class FormPage:
    """One form of one subject for one academic year, as the session's viewer holds it."""

    def __init__(self, session: Session, case: Case, *, today: dt.date | None = None,
                 saved: Saved | None = None) -> None:
        """``saved``: what :meth:`DataFolder.latest_readable` gave for this form, if the caller has
        read it already (read here otherwise)."""
        self.session, self.case, self.form, self.subject = session, case, case.form, case.subject
        self.viewer = session.viewer
        self.today = today or dt.date.today()
        self.instance = case.instance
        self.mentor = case.instance_person
        self.can_edit = case.writes_anything
        self.signature_ids = workflow.signature_ids(self.form)
        self.signable = {field_id: case.signs(field_id) for field_id in self.signature_ids}
        self.record: Record | None = None
        self.stored: StoredVersion | None = None
        self.baseline: dict[str, Any] = {}
        self.shown: dict[str, Any] = {}
        self.start: dict[str, Any] = {}
        self.editing = False
        self.fixed_fields: set[str] = {field_id for field_id in self.form.field_ids if not case.writes(field_id)}
        if self.form.instance_field and case.instance is not None:
            self.fixed_fields.add(self.form.instance_field)  # the key of a form kept per mentor or group
        self.hidden: frozenset[str] = frozenset()  # answers not shown to this viewer yet (Field.shown_when)
        #: Why the page is read-only whatever the viewer's part ("" when it is not).
        self.read_only = ""

        self.actions = FormActions(self)
        self.answers = AnswerInputs(self.form, changed=self._changed, sign=self.sign, today=lambda: self.today)
        self.inputs: dict[str, FieldInput] = self.answers.fields
        self.progress = self.answers.progress
        self.lines = StatusLines()
        self.conflicts = ConflictPanel(self.keep_mine, self.use_theirs)
        self.printing = PrintArea()
        self.history = History(session.folder, session.roster, self.form, self.progress)
        view = gather(session.folder, case, self.today, instance=self.instance, saved=saved)
        self.layout: FormLayout = build_layout(case, self.inputs, view,
                                               Parts(self.lines, self.conflicts, self.printing, self.history), self)
        self.widget = self.layout.widget
        #: The form's live panel (FormExtras.panel), None without.
        self.panel: Any = self.layout.panel
        self._draw(view)
        if self.viewer.person_id != self.subject.person_id:
            trail.note(session.folder, "viewed", case, version=self.stored.version if self.stored else None)

    # ----------------------------------------------------------------- loading and showing

    def stored_latest(self) -> StoredVersion | None:
        """The newest version's file now (under the key typed, for a form whose key is an answer)."""
        instance = self.instance
        if instance is None and self.form.instance_field:
            typed = normalise(self.form, {self.form.instance_field: self.inputs[self.form.instance_field].value()})
            instance = typed.get(self.form.instance_field)
            if instance is None:
                return None
        return self.session.folder.latest_version(self.form.id, self.form.academic_year, self.subject.person_id,
                                                  instance)

    def latest(self) -> workflow.Latest:
        """The newest version on disk now (read again only when it is not the one shown)."""
        stored = self.stored_latest()
        if stored is None:
            return workflow.Latest(None, None)
        if self.stored is not None and stored.path == self.stored.path:
            return workflow.Latest(self.record, stored.version, stored)
        return workflow.Latest(self.session.folder.read(stored), stored.version, stored)

    def reload(self) -> None:
        """Gather what the page shows from the data folder again, and show it."""
        view = gather(self.session.folder, self.case, self.today, instance=self.instance)
        if view.reference is not None and self.layout.reference is not None:
            self.layout.reference.value = reference_html(view.reference, self.subject, self.form.academic_year)
        self._draw(view)

    def _draw(self, view: FormView) -> None:
        """Show a gathered view: its version, or a new form's starting answers."""
        self.read_only = view.read_only
        if view.record is not None and view.stored is not None:
            self.show_record(view.record, view.stored)
            return
        self.start = dict(view.start)
        self._show_values(view.start)
        self.apply_mode()
        self.lines.set_notice(view.note)
        for field_id, problem in view.passed_dates.items():
            self.inputs[field_id].show_problems([problem])
        self.refresh()

    def _show_values(self, values: Mapping[str, Any]) -> None:
        pending = self._pending_signatures()
        self.hidden = self.case.hidden(values)
        self.answers.show(values, self.hidden)
        self.answers.clear_problems()
        for field_id, signature in pending.items():
            if field_id not in values:
                self.inputs[field_id].set_value(signature)
        self.shown = normalise(self.form, self.raw())
        self._refresh_panel()

    def _pending_signatures(self) -> dict[str, Any]:
        """Signatures the viewer has typed but not yet given (kept across a draft save)."""
        return {field_id: self.inputs[field_id].value() for field_id in self.signature_ids
                if self.signable.get(field_id) and field_id not in self.baseline
                and self.inputs[field_id].value() is not None}

    def show_record(self, record: Record, stored: StoredVersion) -> None:
        """Show ``record``, filed as ``stored``, as the version on the page."""
        self.record, self.stored = record, stored
        self.baseline = dict(record.values)
        self.editing = False
        self.conflicts.forget()
        self.lines.set_notice(self.read_only)  # a notice about the page before this version no longer applies
        if self.form.instance_field and record.values.get(self.form.instance_field):
            self.instance = str(record.values[self.form.instance_field])
            self.fixed_fields.add(self.form.instance_field)
        self._show_values(record.values)
        self.apply_mode()
        # the workbook holds every answer: not offered while one is hidden from the viewer; its
        # bytes reach the browser only once the download is recorded (offer_download)
        self.layout.download.value = ""
        self.layout.download_button.layout.display = "none" if self.hidden else ""
        self.layout.print_button.layout.display = "none" if self.hidden else ""
        self.history.refresh(self.subject.person_id, self.instance, self.record, self.stored)
        self.refresh()

    def enter(self, values: Mapping[str, Any]) -> None:
        """Put these answers on the page as if the user had typed them (fields the viewer may not
        change are skipped, as in the browser)."""
        self.answers.enter(values)

    # ----------------------------------------------------------------- what the status lines say

    @property
    def result_text(self) -> str:
        """The outcome of the last action as plain text."""
        return self.lines.result_text

    @property
    def notice_text(self) -> str:
        """The standing notice as plain text."""
        return self.lines.notice_text

    # ----------------------------------------------------------------- state

    @property
    def locked(self) -> bool:
        """True while a signed version is shown and nobody has pressed Edit."""
        return self.record is not None and self.record.status is Status.SIGNED and not self.editing

    def raw(self) -> dict[str, Any]:
        """The answers on the page (an answer hidden from the viewer is not on it)."""
        return self.answers.raw(self.hidden)

    def current_values(self) -> dict[str, Any]:
        """The answers on the page now, tidied but not validated (for the extras panel)."""
        return normalise(self.form, self.raw())

    @property
    def dirty(self) -> bool:
        """True when the page shows something not saved."""
        return normalise(self.form, self.raw()) != self.shown

    def proposal(self, values: Mapping[str, Any] | None = None) -> workflow.Proposal:
        """The answers on the page (or ``values``) as proposed over the version shown."""
        return workflow.Proposal(self.raw() if values is None else values,
                                 self.stored.version if self.stored else None)

    def _signatures_would_clear(self) -> bool:
        if not any(field_id in self.baseline for field_id in self.signature_ids):
            return False
        return workflow.content(self.form, normalise(self.form, self.raw())) != \
            workflow.content(self.form, self.baseline)

    # ----------------------------------------------------------------- reacting to changes

    def _changed(self) -> None:
        self.refresh()
        self._refresh_panel()

    def _refresh_panel(self) -> None:
        if self.panel is not None and hasattr(self.panel, "refresh"):
            try:
                self.panel.refresh()
            except Exception:  # another feature's widget must not break the form
                log.exception("the %s panel failed to refresh", self.form.id)

    def refresh(self) -> None:
        """Update the status line, the unsaved-changes mark and the signature notice."""
        raw = self.raw()
        dirty = normalise(self.form, raw) != self.shown
        (self.widget.add_class if dirty else self.widget.remove_class)("mf-unsaved")
        counted = self._counted(raw)
        self.layout.status.value = form_parts.status_html(
            self.form, self.record, self.stored.version if self.stored else None, locked=self.locked,
            remaining=remaining_required(self.form, counted), dirty=dirty, to_fix=submit_blockers(self.form, counted))
        if self.can_edit and self._signatures_would_clear():
            self.lines.set_notice(messages.PAGE_SIGNATURES_WILL_CLEAR, key="resign")
        elif self.lines.notice_key == "resign":
            self.lines.set_notice("")

    def _counted(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """The answers the status line counts: those the server would take. A value sent for an
        input the viewer may not write (a crafted widget message) is refused on saving, so the
        filed (or starting) answer counts instead."""
        base = self.baseline if self.record is not None else self.start
        counted = dict(raw)
        for field_id in self.fixed_fields:
            if field_id in counted:
                counted[field_id] = base.get(field_id)
        return counted

    def apply_mode(self) -> None:
        """Enable what the viewer may change now (the version shown, signed or not) and show its buttons."""
        locked = self.locked or bool(self.read_only)
        content_enabled = self.can_edit and not locked
        writable_locked = locked and self.can_edit and not self.read_only
        self.answers.set_modes(
            content=content_enabled, fixed=self.fixed_fields, today=self.today, progress_open=writable_locked,
            may_sign=lambda field_id: self.signable.get(field_id, False) and not locked
            and self.baseline.get(field_id) is None
            and (self.can_edit or (self.record is not None and self.record.status is not Status.DRAFT)),
            sign_state=lambda field_id, may_sign: form_parts.signature_state(
                self.form, field_id, self.baseline.get(field_id), may_sign, self.session.roster))
        shown = self.layout
        for button, visible in ((shown.save_button, content_enabled), (shown.submit_button, content_enabled),
                                (shown.edit_button, writable_locked),
                                (shown.progress_button, writable_locked and bool(self.progress))):
            button.layout.display = "" if visible else "none"
            button.disabled = not visible
        (self.widget.add_class if locked else self.widget.remove_class)("mf-locked")

    def offer_download(self) -> bytes | None:
        """Record in the audit trail that the shown version's workbook is downloaded, then offer
        it (a link that saves it). Nothing is offered when there is no version, an answer is hidden
        from the viewer (the button is not shown then: a click is crafted, refused and recorded as
        such), or the trail cannot be written; the page says which."""
        if self.stored is None:
            self.lines.say(messages.PAGE_DOWNLOAD_NOTHING_SAVED, "error")
            return None
        if self.hidden:
            labels = [self.form.field(field_id).label for field_id in self.form.field_ids if field_id in self.hidden]
            said = messages.say(messages.PAGE_DOWNLOAD_HIDDEN, answers=messages.counted(len(labels), "answer"),
                                labels=", ".join(labels))
            log.warning("downloading the workbook refused for %s: answers hidden", self.viewer.person_id)
            trail.note(self.session.folder, "refused", self.case, version=self.stored.version,
                       detail=f"downloading the workbook: {said}")
            self.lines.say(said, "error")
            return None
        content = self.stored.path.read_bytes()
        name = self._file_name()
        if not trail.downloaded(self.session.folder, self.case, self.stored, content, name):
            self.lines.say(messages.PAGE_DOWNLOAD_NOT_RECORDED, "error")
            return None
        self.layout.download.value = form_parts.download_html(content, name, self.stored.version)
        return content

    def _file_name(self) -> str:
        return form_parts.download_name(self.form, self.subject.person_id, self.stored.version if self.stored else 0,
                                        self.instance)

    # ----------------------------------------------------------------- print view

    def show_print(self, visible: bool) -> None:
        """Show (or hide) the print view of the answers on the page."""
        if not visible:
            self.printing.hide()
            return
        trail.note(self.session.folder, "printed", self.case, version=self.stored.version if self.stored else None)
        self.printing.show(self.print_html(), self._file_name().replace(".xlsx", ".html"))

    def print_html(self) -> str:
        """The print view (a whole HTML page) of the answers on the page."""
        shown = print_record(self.form, self.subject, self.record, self.raw(), hidden=self.hidden, dirty=self.dirty)
        return render_print(shown, self.form, person_name=self.subject.name)

    # ----------------------------------------------------------------- conflicts

    @property
    def conflict(self) -> workflow.Stale | None:
        """The newer version another page filed first, while the page shows it (None otherwise)."""
        return self.conflicts.stale

    # ----------------------------------------------------------------- problems

    def show_problems(self, failed: ValidationFailed) -> None:
        """Show each problem next to its field and focus the first; clear the others' messages."""
        self.answers.show_problems(failed)

    def problems_shown(self) -> dict[str, str]:
        """Field id -> the message shown next to it now (for tests)."""
        return self.answers.problems_shown()

    # ----------------------------------------------------------------- actions (see FormActions)

    def save_draft(self) -> StoredVersion | None:
        """Save the answers as a draft, complete or not; returns the new version (None if not saved)."""
        return self.actions.save_draft()

    def submit(self) -> StoredVersion | None:
        """Check every answer and submit (signing with the viewer's signature if they typed it)."""
        return self.actions.submit()

    def sign(self, field_id: str) -> StoredVersion | None:
        """Sign ``field_id`` as the viewer (the typed name must be theirs), then submit."""
        return self.actions.sign(field_id)

    def edit(self) -> None:
        """Make a signed version editable again; saving a change makes a version that needs signing."""
        self.actions.edit()

    def save_progress(self) -> StoredVersion | None:
        """Record the goals' progress on a signed form as a new version that keeps its signatures."""
        return self.actions.save_progress()

    def keep_mine(self) -> StoredVersion | None:
        """After a conflict: my changes on top of the newest version, then the action I asked for again."""
        return self.actions.keep_mine()

    def use_theirs(self) -> None:
        """After a conflict: show the newest version (my answers stay listed in the panel)."""
        self.actions.use_theirs()
