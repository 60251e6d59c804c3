"""What a form page's buttons do (:class:`FormActions`), and the wrapper every action runs in:
refusals and expected failures become a plain message on the page, a line in the server log and an
entry in the audit trail (every refusal: a forged field, an action the viewer may not take, answers
or a signature the rules refuse, text a workbook cannot hold); nothing typed is touched. And
:func:`file_outcome`, filing what an action decided."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from mentorforms import messages
from mentorforms.errors import AccessDenied, AuditNotRecorded, UnsafeTextError, ValidationFailed, WorkbookError
from mentorforms.records.roster import Person
from mentorforms.records.store import DataFolder, SaveError, StoredVersion, VersionTaken
from mentorforms.rules import follow_ups, trail, workflow
from mentorforms.rules.identity import Viewer
from mentorforms.rules.parties import Case
from mentorforms.rules.validation import normalise
from mentorforms.ui import form_parts, memory
from mentorforms.ui.context import Session, server_log
from mentorforms.ui.form_inputs import AnswerInputs
from mentorforms.ui.form_status import StatusLines, filed_text, not_filed
from mentorforms.ui.form_versions import ConflictPanel, merged_answers
from mentorforms.ui.print_view import STATUS_WORDS
from mentorforms.ui.widgets import FieldInput
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record, Signature

log = server_log()
P = ParamSpec("P")
R = TypeVar("R")



class ShownForm(Protocol):
    """What the actions read and change on a form page: the version shown and the answers on it."""

    session: Session
    case: Case
    form: Form
    subject: Person
    viewer: Viewer
    today: dt.date
    can_edit: bool
    signature_ids: tuple[str, ...]
    signable: dict[str, bool]
    record: Record | None
    stored: StoredVersion | None
    baseline: dict[str, Any]
    start: dict[str, Any]
    hidden: frozenset[str]
    instance: str | None
    editing: bool
    read_only: str
    lines: StatusLines
    conflicts: ConflictPanel
    answers: AnswerInputs
    inputs: dict[str, FieldInput]

    @property
    def locked(self) -> bool: ...
    def latest(self) -> workflow.Latest: ...
    def stored_latest(self) -> StoredVersion | None: ...
    def raw(self) -> dict[str, Any]: ...
    def proposal(self, values: Mapping[str, Any] | None = None) -> workflow.Proposal: ...
    def show_record(self, record: Record, stored: StoredVersion) -> None: ...
    def show_problems(self, failed: ValidationFailed) -> None: ...
    def apply_mode(self) -> None: ...
    def refresh(self) -> None: ...


#: The past participle of each action, for "Not saved: ...".
VERBS = {"saving a draft": "saved", "submitting": "submitted", "signing": "signed", "saving goal status": "saved"}


def action(name: str) -> Callable[[Callable[Concatenate[FormActions, P], R]],
                                  Callable[Concatenate[FormActions, P], R | None]]:
    """Wrap a page action: refusals and expected failures become a plain message on the page and a
    line in the server log; nothing typed is touched (the action then returns None)."""

    def wrap(method: Callable[Concatenate[FormActions, P], R]) -> Callable[Concatenate[FormActions, P], R | None]:
        @functools.wraps(method)
        def run(self: FormActions, *args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return method(self, *args, **kwargs)
            except workflow.Forged as error:
                log.warning("%s refused for %s: forged fields %s", name, self.page.viewer.person_id, error.fields)
                trail.note(self.page.session.folder, "refused", self.page.case, detail=f"{name}: may not write "
                           f"{', '.join(error.fields)}")
                self.page.lines.say(str(error), "error")
            except workflow.Stale as error:
                self._show_conflict(error, name)
            except AccessDenied as error:
                log.warning("%s refused for %s: %s", name, self.page.viewer.person_id, error)
                trail.note(self.page.session.folder, "refused", self.page.case, detail=f"{name}: {error}")
                self.page.lines.say(str(error), "error")
            except ValidationFailed as failed:
                trail.note(self.page.session.folder, "refused", self.page.case, detail=f"{name}: " + "; ".join(
                    str(problem) for problem in failed.problems))
                self._fail(failed, name)
            except UnsafeTextError as error:
                log.warning("%s: unsafe text from %s: %s", name, self.page.viewer.person_id, error)
                trail.note(self.page.session.folder, "refused", self.page.case, detail=f"{name}: {error.reason}")
                self.page.lines.say(messages.say(messages.PAGE_NOT_SAVED_TEXT, reason=error.reason), "error")
            except (SaveError, WorkbookError, OSError) as error:
                log.exception("%s failed for %s", name, self.page.viewer.person_id)
                self.page.lines.say(messages.say(messages.PAGE_NOT_SAVED_FOLDER, error=type(error).__name__), "error")
            finally:
                memory.release_soon()
            return None
        return run

    return wrap


@dataclass(frozen=True)
class Filed:
    """A version filed: its record and file, and why the audit trail missed it ("" when it did not)."""

    record: Record
    stored: StoredVersion
    unrecorded: str = ""


def file_outcome(folder: DataFolder, case: Case, record: Record, action: str, built_on: workflow.Latest, *,
                 conflict: Callable[[], workflow.Stale], person_name: str) -> Filed:
    """File ``record`` (what ``action`` decided) as the version after ``built_on``. Raises
    ``conflict()`` when another save claimed that number first (nothing is filed); a version filed
    that the audit trail could not record is returned with why."""
    try:
        stored = trail.file(folder, record, action, case, person_name=person_name, built_on=built_on.stored)
    except VersionTaken as taken:
        log.info("%s: %s", case.viewer.person_id, taken)
        raise conflict() from taken
    except AuditNotRecorded as unrecorded:
        log.error("%s filed %s v%d but the audit trail could not record it: %s", case.viewer.person_id,
                  case.form.id, unrecorded.version, unrecorded)
        return Filed(record.replace(version=unrecorded.version),
                     StoredVersion(unrecorded.filed, unrecorded.version, unrecorded.sha256),
                     messages.say(messages.PAGE_FILED_NOT_RECORDED, version=unrecorded.version, reason=unrecorded.why))
    log.info("%s filed %s v%d (%s) for %s", case.viewer.person_id, case.form.id, stored.version,
             record.status.value, case.subject.person_id)
    return Filed(record, stored)


class FormActions:
    """What a form page's buttons do: each hands the answers on ``page`` to a workflow function
    with the last version read from disk, files what comes back, and has the page show it."""

    def __init__(self, page: ShownForm) -> None:
        self.page = page

    def _show_conflict(self, stale: workflow.Stale, name: str) -> None:
        page = self.page
        who = page.session.roster.get(stale.saved_by)
        newest = page.latest().record
        unseen = page.case.hidden(newest.values) if newest is not None else frozenset()
        changes = tuple(change for change in stale.changes if change.field_id not in unseen | page.hidden)
        panel = form_parts.conflict_html(page.form, changes, normalise(page.form, page.raw()),
                                         who.name if who else stale.saved_by,
                                         form_parts.saved_when(newest) if newest is not None else "",
                                         stale.version)
        retry = {"saving a draft": self.save_draft, "submitting": self.submit,
                 "saving goal status": self.save_progress}.get(name)
        page.conflicts.show(stale, panel, retry)
        page.lines.say(str(stale), "error")

    def keep_mine(self) -> StoredVersion | None:
        """After a conflict: my changes (against the version I started from) on top of the newest
        version, then the action I asked for again."""
        page = self.page
        if page.conflicts.stale is None:
            return None
        latest = page.latest()
        started = dict(page.record.values) if page.record else dict(page.start)
        merged = merged_answers(page.form, started, page.raw(), latest.record.values if latest.record else {})
        page.record, page.baseline = latest.record, dict(latest.record.values) if latest.record else {}
        key = page.instance or (merged.get(page.form.instance_field) if page.form.instance_field else None)
        page.stored = page.session.folder.latest_version(page.form.id, page.form.academic_year,
                                                        page.subject.person_id, key)
        page.hidden = page.case.hidden(merged)  # an answer the viewer is not shown stays off the page
        page.answers.show(merged, page.hidden, only=[key for key in page.inputs if key not in page.signature_ids])
        page.conflicts.clear()
        retry = page.conflicts.retry or self.save_draft
        return retry()

    def use_theirs(self) -> None:
        """After a conflict: show the newest version (my answers stay listed in the panel)."""
        page = self.page
        if page.conflicts.stale is None:
            return
        stored = page.stored_latest()
        if stored is not None:
            panel = page.conflicts.box.value
            page.show_record(page.session.folder.read(stored), stored)
            page.conflicts.box.value = panel
        page.conflicts.actions.layout.display = "none"
        page.lines.say(messages.PAGE_SHOWS_NEWEST)

    def _fail(self, failed: ValidationFailed, action: str) -> None:
        page = self.page
        page.show_problems(failed)
        others_only = not page.can_edit and any(not page.case.signs(problem.field_id) for problem in failed.problems)
        page.lines.say(not_filed(failed, VERBS.get(action, "saved"), others_only=others_only), "error")

    def _file(self, outcome: workflow.Outcome, built_on: workflow.Latest) -> StoredVersion | None:
        """File the outcome's record (if any) as the version after ``built_on``, show it, and say
        what happened. When another save claimed that number first, nothing is filed and the page
        shows the conflict (workflow.Stale); when the version is filed but the audit trail could
        not record it, the page shows the version filed and says so."""
        page = self.page
        sent = page.raw()
        removed = form_parts.removal_notices(page.form, sent)
        page.answers.clear_problems()
        if outcome.record is None:
            page.lines.say(messages.say(outcome.message, version=page.stored.version if page.stored else "",
                                  status=STATUS_WORDS[page.record.status].lower() if page.record else ""))
            return None
        filed = file_outcome(page.session.folder, page.case, outcome.record, outcome.action, built_on,
                             conflict=lambda: workflow.conflict(page.form, page.latest(), page.record),
                             person_name=page.subject.name)
        stored = filed.stored
        page.show_record(filed.record, stored)
        if filed.unrecorded:
            page.lines.say(filed.unrecorded, "error")
            return stored
        opened = follow_ups.file_follow_ups(page.session.folder, page.form, outcome.record, page.case,
                                            person_name=page.subject.name)
        text = filed_text(page.form, outcome.record, outcome.message, stored, sent, removed, opened)
        page.lines.say(text)
        if outcome.cleared_signatures:
            page.lines.set_notice(messages.say(messages.SIGNATURES_CLEARED, version=stored.version), key="cleared")
        return stored

    def _require_unlocked(self) -> None:
        page = self.page
        if page.read_only:
            raise AccessDenied(page.read_only)
        if page.locked:
            raise AccessDenied(messages.PAGE_SIGNED_PRESS_EDIT)

    @action("saving a draft")
    def save_draft(self) -> StoredVersion | None:
        """Save the answers as a draft, complete or not; returns the new version (None if not saved)."""
        page = self.page
        self._require_unlocked()
        latest = page.latest()
        return self._file(workflow.save_draft(page.case, latest, page.record, page.start, page.proposal()), latest)

    @action("submitting")
    def submit(self) -> StoredVersion | None:
        """Check every answer and submit (signing with the viewer's signature if they typed it)."""
        page = self.page
        self._require_unlocked()
        raw = page.raw()
        typed = [field_id for field_id in page.signature_ids
                 if page.signable.get(field_id) and field_id not in page.baseline
                 and isinstance(raw.get(field_id), Signature) and raw[field_id].name]
        latest = page.latest()
        return self._file(workflow.submit(page.case, latest, page.record, page.start, page.proposal(),
                                          signing=typed[0] if typed else None, today=page.today), latest)

    @action("signing")
    def sign(self, field_id: str) -> StoredVersion | None:
        """Sign ``field_id`` as the viewer (the typed name must be theirs), then submit."""
        page = self.page
        self._require_unlocked()
        latest = page.latest()
        return self._file(workflow.sign(page.case, latest, page.record, page.start, page.proposal(),
                                        field_id, today=page.today), latest)

    @action("unlocking for editing")
    def edit(self) -> None:
        """Make a signed version editable again; saving a change makes a version that needs signing."""
        page = self.page
        if not page.can_edit:
            raise AccessDenied(messages.CANNOT_CHANGE)
        if page.read_only:
            raise AccessDenied(page.read_only)
        if not page.locked:
            return
        page.editing = True
        page.apply_mode()
        page.refresh()
        page.lines.set_notice(messages.PAGE_EDITING_SIGNED, key="editing")
        page.lines.say(messages.PAGE_EDIT_NOW)

    @action("saving goal status")
    def save_progress(self) -> StoredVersion | None:
        """Record the goals' progress on a signed form as a new version that keeps its signatures."""
        page = self.page
        if page.read_only:
            raise AccessDenied(page.read_only)
        latest = page.latest()
        return self._file(workflow.save_progress(page.case, latest, page.record, page.proposal(),
                                                 today=page.today), latest)
