"""The page for one form: a thin view over :mod:`mentorforms.rules.workflow`.

:class:`FormPage` shows the viewer's :class:`~mentorforms.rules.parties.Case` as ipywidgets. What the
inputs hold is only a proposal: every action hands it to a workflow function together with the
last version read from disk, and files what comes back. The page never decides what may be
written, who signs, or what the key is; it only enables the inputs the declaration lets the
viewer's party write (a courtesy: a crafted widget message to a disabled input is refused by the
workflow and recorded in the audit trail).

Nothing typed is lost by a failed action: the inputs are left as they are and each problem is
shown next to its field; the first one gets the keyboard focus (which scrolls it into view).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any

from mentorforms import messages
from mentorforms.errors import AccessDenied, AuditNotRecorded, FieldProblem, ValidationFailed, WorkbookError
from mentorforms.forms import get_form
from mentorforms.records.store import StoredVersion, VersionTaken
from mentorforms.rules import follow_ups, trail, workflow
from mentorforms.rules.completeness import remaining_required, submit_blockers
from mentorforms.rules.parties import Case
from mentorforms.rules.validation import normalise
from mentorforms.rules.validation import problems as field_problems
from mentorforms.ui import form_parts, prefill
from mentorforms.ui.context import Session, server_log
from mentorforms.ui.form_action import VERBS
from mentorforms.ui.form_action import action as _action
from mentorforms.ui.form_layout import build_layout
from mentorforms.ui.form_print import PrintView
from mentorforms.ui.form_status import StatusLines, not_filed
from mentorforms.ui.form_versions import VersionsView
from mentorforms.ui.print_view import STATUS_WORDS
from mentorforms.ui.widgets import FieldInput, SignatureInput, TableInput, TableRow, format_date_input, make_input
from mentorforms.vocabulary.record import Record, Signature, Status
from mentorforms.workbooks import safe_cell

log = server_log()
#: A form's latest readable version, its file, and why each newer one cannot be read.
Saved = tuple[Record | None, StoredVersion | None, list[WorkbookError]]
__all__ = ["FormPage", "remaining_required"]


class FormPage(StatusLines, VersionsView, PrintView):
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
        self.progress = {item.id: item.progress for item in self.form.fields() if item.progress is not None}
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
        self.conflict: workflow.Stale | None = None
        #: Why the page is read-only whatever the viewer's part ("" when it is not).
        self.read_only = ""
        self._conflict_retry: Callable[[], Any] | None = None
        self._history_rows: dict = {}
        self._notice_key = ""

        self.inputs: dict[str, FieldInput] = {item.id: make_input(item) for item in self.form.fields()}
        for field_id, input_ in self.inputs.items():
            input_.on_change(functools.partial(self._on_change, field_id))
            if isinstance(input_, SignatureInput):
                input_.sign.on_click(functools.partial(self._sign_clicked, field_id))
        for table_id, (status_column, date_column) in self.progress.items():
            table = self.inputs[table_id]
            if isinstance(table, TableInput):
                table.on_cell_change(status_column, functools.partial(self._stamp_progress, date_column))
        build_layout(self)
        self._load(saved)
        if self.viewer.person_id != self.subject.person_id:
            trail.note(session.folder, "viewed", case, version=self.stored.version if self.stored else None)

    # ----------------------------------------------------------------- loading and showing

    def _stored_latest(self) -> StoredVersion | None:
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
        stored = self._stored_latest()
        if stored is None:
            return workflow.Latest(None, None)
        if self.stored is not None and stored.path == self.stored.path:
            return workflow.Latest(self.record, stored.version, stored)
        return workflow.Latest(self.session.folder.read(stored), stored.version, stored)

    def _load(self, saved: Saved | None = None) -> None:
        if self.form.instance_field is None or self.instance:
            record, stored, unreadable = saved if saved is not None else self.session.folder.latest_readable(
                self.form.id, self.form.academic_year, self.subject.person_id, self.instance)
            if unreadable and record is None:
                raise unreadable[0]  # nothing readable at all: the caller shows it plainly
            if record is not None:
                if unreadable:
                    # The newest version is damaged: show the last good one, and change nothing.
                    self.read_only = messages.say(messages.LATEST_UNREADABLE, name=unreadable[0].path.name,
                                                  reason=unreadable[0].reason, version=stored.version)
                    log.error("form page shows %s read-only: %s", stored.path, unreadable[0])
                self._show_record(record, stored)
                return
        values, note = prefill.new_form_values(self.form, self.session.folder, self.subject, self.viewer.person,
                                               self.mentor)
        if self.form.instance_field and self.instance is not None:
            values[self.form.instance_field] = self.instance
        self.start = dict(values)
        self._show_values(values)
        self._apply_mode()
        self.set_notice(note)
        for field_id, problem in form_parts.passed_dates(self.form, values, self.today, self.case.writes).items():
            self.inputs[field_id].show_problems([problem])
        self._refresh()

    def _show_values(self, values: Mapping[str, Any]) -> None:
        pending = self._pending_signatures()
        self.hidden = self.case.hidden(values)
        for field_id, input_ in self.inputs.items():
            input_.set_value(None if field_id in self.hidden else values.get(field_id))
            input_.show_problems(())
        for field_id, signature in pending.items():
            if field_id not in values:
                self.inputs[field_id].set_value(signature)
        self.shown = normalise(self.form, self._raw())
        self._refresh_panel()

    def _pending_signatures(self) -> dict[str, Any]:
        """Signatures the viewer has typed but not yet given (kept across a draft save)."""
        return {field_id: self.inputs[field_id].value() for field_id in self.signature_ids
                if self.signable.get(field_id) and field_id not in self.baseline
                and self.inputs[field_id].value() is not None}

    def _show_record(self, record: Record, stored: StoredVersion) -> None:
        self.record, self.stored = record, stored
        self.baseline = dict(record.values)
        self.editing = False
        self.conflict = None
        self.conflict_box.value = ""
        self.set_notice(self.read_only)  # a notice about the page before this version no longer applies
        if self.form.instance_field and record.values.get(self.form.instance_field):
            self.instance = str(record.values[self.form.instance_field])
            self.fixed_fields.add(self.form.instance_field)
        self._show_values(record.values)
        self._apply_mode()
        # the workbook holds every answer: not offered while one is hidden from the viewer; its
        # bytes reach the browser only once the download is recorded (offer_download)
        self.download.value = ""
        self.download_button.layout.display = "none" if self.hidden else ""
        self.print_button.layout.display = "none" if self.hidden else ""
        self._refresh_history()
        self._refresh()

    def enter(self, values: Mapping[str, Any]) -> None:
        """Put these answers on the page as if the user had typed them (fields the viewer may not
        change are skipped, as in the browser)."""
        for field_id, value in values.items():
            input_ = self.inputs[field_id]
            if input_.enabled:
                input_.enter(value)

    # ----------------------------------------------------------------- state

    @property
    def locked(self) -> bool:
        """True while a signed version is shown and nobody has pressed Edit."""
        return self.record is not None and self.record.status is Status.SIGNED and not self.editing

    def _raw(self) -> dict[str, Any]:
        """The answers on the page (an answer hidden from the viewer is not on it)."""
        return {field_id: input_.value() for field_id, input_ in self.inputs.items() if field_id not in self.hidden}

    def current_values(self) -> dict[str, Any]:
        """The answers on the page now, tidied but not validated (for the extras panel)."""
        return normalise(self.form, self._raw())

    @property
    def dirty(self) -> bool:
        """True when the page shows something not saved."""
        return normalise(self.form, self._raw()) != self.shown

    def _proposal(self, values: Mapping[str, Any] | None = None) -> workflow.Proposal:
        return workflow.Proposal(self._raw() if values is None else values,
                                 self.stored.version if self.stored else None)

    def _signatures_would_clear(self) -> bool:
        if not any(field_id in self.baseline for field_id in self.signature_ids):
            return False
        return workflow.content(self.form, normalise(self.form, self._raw())) != \
            workflow.content(self.form, self.baseline)

    # ----------------------------------------------------------------- reacting to changes

    def _on_change(self, field_id: str) -> None:
        input_ = self.inputs[field_id]
        said = [FieldProblem(field_id, input_.field.label, text) for text in input_.notices()]
        input_.show_problems(said + field_problems(self.form, {field_id: input_.value()}, submitting=False)
                             + form_parts.removal_notices(self.form, {field_id: input_.value()}).get(field_id, []))
        self._refresh()
        self._refresh_panel()

    def _refresh_panel(self) -> None:
        if self.panel is not None and hasattr(self.panel, "refresh"):
            try:
                self.panel.refresh()
            except Exception:  # another feature's widget must not break the form
                log.exception("the %s panel failed to refresh", self.form.id)

    def _stamp_progress(self, date_column: str, row: TableRow) -> None:
        control = row.cells[date_column]
        if control.value != format_date_input(self.today):
            control.value = format_date_input(self.today)

    def _refresh(self) -> None:
        """Update the status line, the unsaved-changes mark and the signature notice."""
        raw = self._raw()
        dirty = normalise(self.form, raw) != self.shown
        (self.widget.add_class if dirty else self.widget.remove_class)("mf-unsaved")
        counted = self._counted(raw)
        self.status.value = form_parts.status_html(
            self.form, self.record, self.stored.version if self.stored else None, locked=self.locked,
            remaining=remaining_required(self.form, counted), dirty=dirty, to_fix=submit_blockers(self.form, counted))
        if self.can_edit and self._signatures_would_clear():
            self.set_notice(messages.PAGE_SIGNATURES_WILL_CLEAR, key="resign")
        elif self._notice_key == "resign":
            self.set_notice("")

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

    def _apply_mode(self) -> None:
        locked = self.locked or bool(self.read_only)
        content_enabled = self.can_edit and not locked
        for field_id, input_ in self.inputs.items():
            if isinstance(input_, SignatureInput):
                given = self.baseline.get(field_id)
                may_sign = self.signable.get(field_id, False) and not locked and given is None and (
                    self.can_edit or (self.record is not None and self.record.status is not Status.DRAFT))
                input_.set_enabled(may_sign)
                input_.sign.layout.display = "" if may_sign else "none"
                input_.set_state(form_parts.signature_state(self.form, field_id, given, may_sign,
                                                            self.session.roster))
                input_.show_date(self.today if may_sign else None)
            else:
                input_.set_enabled(content_enabled and field_id not in self.fixed_fields)
        writable_locked = locked and self.can_edit and not self.read_only
        if writable_locked:
            for table_id, columns in self.progress.items():
                table = self.inputs[table_id]
                if isinstance(table, TableInput):
                    table.set_column_enabled(columns, True)
        for button, visible in ((self.save_button, content_enabled), (self.submit_button, content_enabled),
                                (self.edit_button, writable_locked),
                                (self.progress_button, writable_locked and bool(self.progress))):
            button.layout.display = "" if visible else "none"
            button.disabled = not visible
        (self.widget.add_class if locked else self.widget.remove_class)("mf-locked")

    def offer_download(self) -> bytes | None:
        """Record in the audit trail that the shown version's workbook is downloaded, then offer
        it (a link that saves it). Nothing is offered when there is no version, an answer is hidden
        from the viewer, or the trail cannot be written."""
        if self.stored is None or self.hidden:
            return None
        content = self.stored.path.read_bytes()
        name = self._file_name()
        if not trail.downloaded(self.session.folder, self.case, self.stored, content, name):
            self.say(messages.PAGE_DOWNLOAD_NOT_RECORDED, "error")
            return None
        self.download.value = form_parts.download_html(content, name, self.stored.version)
        return content

    def _file_name(self) -> str:
        return form_parts.download_name(self.form, self.subject.person_id, self.stored.version if self.stored else 0,
                                        self.instance)

    # ----------------------------------------------------------------- problems

    def show_problems(self, failed: ValidationFailed) -> None:
        """Show each problem next to its field and focus the first; clear the others' messages."""
        by_field: dict[str, list] = {}
        for problem in failed.problems:
            by_field.setdefault(problem.field_id, []).append(problem)
        for field_id, input_ in self.inputs.items():
            input_.show_problems(by_field.get(field_id, ()))
        if failed.problems:
            self.inputs[failed.problems[0].field_id].focus()

    def problems_shown(self) -> dict[str, str]:
        """Field id -> the message shown next to it now (for tests)."""
        return {field_id: input_.message_text for field_id, input_ in self.inputs.items() if input_.message_text}

    def _fail(self, failed: ValidationFailed, action: str) -> None:
        self.show_problems(failed)
        others_only = not self.can_edit and any(not self.case.signs(problem.field_id) for problem in failed.problems)
        self.say(not_filed(failed, VERBS.get(action, "saved"), others_only=others_only), "error")

    # ----------------------------------------------------------------- actions

    def _file(self, outcome: workflow.Outcome, built_on: workflow.Latest) -> StoredVersion | None:
        """File the outcome's record (if any) as the version after ``built_on``, show it, and say
        what happened. When another save claimed that number first, nothing is filed and the page
        shows the conflict (workflow.Stale); when the version is filed but the audit trail could
        not record it, the page shows the version filed and says so."""
        sent = self._raw()
        removed = form_parts.removal_notices(self.form, sent)
        for input_ in self.inputs.values():
            input_.show_problems(())
        if outcome.record is None:
            self.say(messages.say(outcome.message, version=self.stored.version if self.stored else "",
                                  status=STATUS_WORDS[self.record.status].lower() if self.record else ""))
            return None
        try:
            stored = trail.file(self.session.folder, outcome.record, outcome.action, self.case,
                                person_name=self.subject.name, built_on=built_on.stored)
        except VersionTaken as taken:
            log.info("%s: %s", self.viewer.person_id, taken)
            raise workflow.conflict(self.form, self.latest(), self.record) from taken
        except AuditNotRecorded as unrecorded:
            log.error("%s filed %s v%d but the audit trail could not record it: %s", self.viewer.person_id,
                      self.form.id, unrecorded.version, unrecorded)
            stored = StoredVersion(unrecorded.filed, unrecorded.version, unrecorded.sha256)
            self._show_record(outcome.record.replace(version=unrecorded.version), stored)
            self.say(messages.say(messages.PAGE_FILED_NOT_RECORDED, version=unrecorded.version,
                                  reason=unrecorded.why), "error")
            return stored
        log.info("%s filed %s v%d (%s) for %s", self.viewer.person_id, self.form.id, stored.version,
                 outcome.record.status.value, self.subject.person_id)
        self._show_record(outcome.record, stored)
        text = messages.say(outcome.message, version=stored.version)
        for field_id in removed:  # done: the fields hold the saved text now, so the notice goes from them
            text += messages.say(messages.SAVED_REMOVED, label=self.form.field(field_id).label,
                                 notice=safe_cell.clean(sent[field_id]).notice)
        for opened in follow_ups.file_follow_ups(self.session.folder, self.form, outcome.record, self.case,
                                                 person_name=self.subject.name):
            text += messages.say(messages.REOPENED, form=get_form(self.form.reopens[2], self.form.academic_year).title,
                                 version=opened.version)
        waiting = [self.form.field(field_id).label for field_id in self.form.signers
                   if field_id not in outcome.record.values]
        if outcome.record.status is Status.SUBMITTED and waiting:
            text += messages.say(messages.WAITING_FOR, labels=", ".join(waiting))
        self.say(text)
        if outcome.cleared_signatures:
            self.set_notice(messages.say(messages.SIGNATURES_CLEARED, version=stored.version), key="cleared")
        return stored

    def _require_unlocked(self) -> None:
        if self.read_only:
            raise AccessDenied(self.read_only)
        if self.locked:
            raise AccessDenied(messages.PAGE_SIGNED_PRESS_EDIT)

    @_action("saving a draft")
    def save_draft(self) -> StoredVersion | None:
        """Save the answers as a draft, complete or not; returns the new version (None if not saved)."""
        self._require_unlocked()
        latest = self.latest()
        return self._file(workflow.save_draft(self.case, latest, self.record, self.start, self._proposal()), latest)

    @_action("submitting")
    def submit(self) -> StoredVersion | None:
        """Check every answer and submit (signing with the viewer's signature if they typed it)."""
        self._require_unlocked()
        raw = self._raw()
        typed = [field_id for field_id in self.signature_ids
                 if self.signable.get(field_id) and field_id not in self.baseline
                 and isinstance(raw.get(field_id), Signature) and raw[field_id].name]
        latest = self.latest()
        return self._file(workflow.submit(self.case, latest, self.record, self.start, self._proposal(),
                                          signing=typed[0] if typed else None, today=self.today), latest)

    def _sign_clicked(self, field_id: str, _button: Any = None) -> None:
        self.sign(field_id)

    @_action("signing")
    def sign(self, field_id: str) -> StoredVersion | None:
        """Sign ``field_id`` as the viewer (the typed name must be theirs), then submit."""
        self._require_unlocked()
        latest = self.latest()
        return self._file(workflow.sign(self.case, latest, self.record, self.start, self._proposal(),
                                        field_id, today=self.today), latest)

    @_action("unlocking for editing")
    def edit(self) -> None:
        """Make a signed version editable again; saving a change makes a version that needs signing."""
        if not self.can_edit:
            raise AccessDenied(messages.CANNOT_CHANGE)
        if self.read_only:
            raise AccessDenied(self.read_only)
        if not self.locked:
            return
        self.editing = True
        self._apply_mode()
        self._refresh()
        self.set_notice(messages.PAGE_EDITING_SIGNED, key="editing")
        self.say(messages.PAGE_EDIT_NOW)

    @_action("saving goal status")
    def save_progress(self) -> StoredVersion | None:
        """Record the goals' progress on a signed form as a new version that keeps its signatures."""
        if self.read_only:
            raise AccessDenied(self.read_only)
        latest = self.latest()
        return self._file(workflow.save_progress(self.case, latest, self.record, self._proposal(),
                                                 today=self.today), latest)
