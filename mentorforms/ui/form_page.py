"""The page for one form: fill it, save a draft, resume, submit, sign, download and print.

:class:`FormPage` is the whole page as plain Python over ipywidgets, so every behaviour is
testable without a browser: tests set the inputs' values and call :meth:`FormPage.save_draft`,
:meth:`FormPage.submit`, :meth:`FormPage.sign` and so on, exactly what the buttons call.

Rules the page keeps:

* Every action checks permission again on the server (:mod:`mentorforms.access`); a disabled
  button is a courtesy, not a control.
* Nothing typed is lost by a failed save or submit: the inputs are left as they are and the
  problems are shown next to their fields; the first one gets the keyboard focus (which scrolls
  it into view).
* A signature attests the answers it was given with. Changing any answer after a signature clears
  every signature in the next version (the page says so); a signed version is read-only until
  someone who may edit presses Edit. An agreement's goal progress (status and its date) can be
  updated on a signed agreement without unsigning it; each update is a new version (the history).
* A save that changes nothing makes no new version.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import re
from typing import Any, Callable, Mapping

import ipywidgets as widgets

from mentorforms import access, pages
from mentorforms.declaration import Form, Kind
from mentorforms.errors import AccessDenied, FieldProblem, UnsafeTextError, ValidationFailed, WorkbookError
from mentorforms.form_extras import extras_for
from mentorforms.forms import UnknownFormError, get_form
from mentorforms.print_view import format_date, render_print
from mentorforms.record import Record, Signature, Status, utc_now
from mentorforms.roster import Person
from mentorforms.store import SaveError, StoredVersion
from mentorforms.ui import prefill
from mentorforms.ui.context import (
    PageRequest, PageUnavailable, Session, message_box, page_app, refusal_for, server_log,
)
from mentorforms.ui.widgets import FieldInput, SignatureInput, TableInput, TableRow, make_input
from mentorforms.validation import check_draft, check_submission, is_signed, normalise, problems as field_problems
from mentorforms.workbook import read_record

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_WORDS = {Status.DRAFT: "Draft", Status.SUBMITTED: "Submitted", Status.SIGNED: "Signed"}

log = server_log()


def remaining_required(form: Form, values: Mapping[str, Any]) -> int:
    """How many required answers are still missing (a group where any one answer will do counts once)."""
    canonical = normalise(form, values)
    missing = 0
    for item in form.fields():
        if item.kind is Kind.SIGNATURE:
            continue
        if item.required and item.id not in canonical:
            missing += 1
        elif item.required_when and item.id not in canonical:
            other, triggers = item.required_when
            if canonical.get(other) in triggers:
                missing += 1
    for _, ids in form.require_any:
        if not any(field_id in canonical for field_id in ids):
            missing += 1
    return missing


def _action(name: str) -> Callable:
    """Wrap a page action: refusals and expected failures become a plain message on the page and a
    line in the server log; nothing typed is touched."""

    def wrap(method: Callable) -> Callable:
        @functools.wraps(method)
        def run(self: "FormPage", *args: Any) -> Any:
            try:
                return method(self, *args)
            except AccessDenied as error:
                log.warning("%s refused for %s: %s", name, self.viewer.person_id, error)
                self.say(str(error), "error")
            except UnsafeTextError as error:
                log.warning("%s: unsafe text from %s: %s", name, self.viewer.person_id, error)
                self.say(f"Nothing was saved: some {error.reason}. Nothing you typed was lost.", "error")
            except (SaveError, WorkbookError, OSError) as error:
                log.exception("%s failed for %s", name, self.viewer.person_id)
                self.say(f"Nothing was saved: the data folder could not be written ({type(error).__name__}). "
                         "Nothing you typed was lost; please try again in a moment.", "error")
            except Exception:  # the last line of defence at the page boundary: log it, say it plainly
                log.exception("unexpected failure in %s for %s", name, self.viewer.person_id)
                self.say(f"Something went wrong during {name}; nothing you typed was lost. "
                         "The details are in the server log.", "error")
            return None
        return run

    return wrap


class FormPage:
    """One person's form for one academic year, as seen by the session's viewer."""

    def __init__(self, session: Session, form: Form, subject: Person, *, mentor: Person | None = None,
                 instance: str | None = None, today: dt.date | None = None) -> None:
        self.session = session
        self.form = form
        self.subject = subject
        self.mentor = mentor
        self.today = today or dt.date.today()
        self.viewer = session.viewer
        self.instance = instance if form.instance_field else None
        self.mentor_id = mentor.person_id if mentor else None
        roster = session.roster
        self.can_edit = access.can_edit(self.viewer, roster, form.id, subject.person_id, self.mentor_id)
        self.signature_ids = tuple(item.id for item in form.fields() if item.kind is Kind.SIGNATURE)
        self.signable = {field_id: access.can_sign(self.viewer, roster, form.id, field_id, subject.person_id,
                                                   self.mentor_id)
                         for field_id in self.signature_ids}
        #: table id -> (status column, date column), as the declaration says (Field.progress)
        self.progress = {item.id: item.progress for item in form.fields() if item.progress is not None}
        self.record: Record | None = None
        self.stored: StoredVersion | None = None
        self.baseline: dict[str, Any] = {}
        self.shown: dict[str, Any] = {}
        self.editing = False
        self.fixed_fields: set[str] = set()
        self.last_cleared_signatures = False
        self._history_rows: dict = {}

        self.inputs: dict[str, FieldInput] = {item.id: make_input(item) for item in form.fields()}
        for field_id, input_ in self.inputs.items():
            input_.on_change(functools.partial(self._on_change, field_id))
            if isinstance(input_, SignatureInput):
                input_.sign.on_click(functools.partial(self._sign_clicked, field_id))
        for table_id, (status_column, date_column) in self.progress.items():
            table = self.inputs[table_id]
            if isinstance(table, TableInput):
                table.on_cell_change(status_column, functools.partial(self._stamp_progress, date_column))

        self._build_widgets()
        self._load()

    # ----------------------------------------------------------------- building

    def _build_widgets(self) -> None:
        form = self.form
        title = html.escape(form.title)
        source = f'<div class="mf-source">{html.escape(form.source)}</div>' if form.source else ""
        who = html.escape(self.subject.name)
        extra = ""
        if self.mentor is not None:
            extra = f" · mentor {html.escape(self.mentor.name)}"
        self.header = widgets.HTML(
            f'<header class="mf-header">{source}<h1 class="mf-title">{title}</h1>'
            f'<div class="mf-subject">{who} · {html.escape(self.subject.department)}{extra} · '
            f'academic year {form.academic_year.label}</div></header>')
        self.status = widgets.HTML()
        self.status.add_class("mf-status-line")
        self.notice = widgets.HTML()
        self.notice.add_class("mf-notice-line")
        sections = []
        intro = f'<p class="mf-intro">{html.escape(form.intro)}</p>' if form.intro else ""
        footnote = f'<p class="mf-footnote">{html.escape(form.footnote)}</p>' if form.footnote else ""
        if intro or footnote:
            sections.append(widgets.HTML(intro + footnote))
        for section in form.sections:
            intro = f'<p class="mf-section-intro">{html.escape(section.intro)}</p>' if section.intro else ""
            parts: list[widgets.Widget] = [
                widgets.HTML(f'<h2 class="mf-section-title">{html.escape(section.title)}</h2>{intro}')]
            parts.extend(self.inputs[item.id].box for item in section.fields)
            box = widgets.VBox(parts)
            box.add_class("mf-section")
            box.add_class(f"mf-section-{section.id}")
            sections.append(box)
        self.main = widgets.VBox(sections)
        self.main.add_class("mf-main")

        self.save_button = widgets.Button(description="Save draft", icon="save", tooltip="Save what you have typed")
        self.save_button.add_class("mf-save-draft")
        self.submit_button = widgets.Button(description="Submit", icon="check", button_style="primary",
                                            tooltip="Check every answer and submit this form")
        self.submit_button.add_class("mf-submit")
        self.edit_button = widgets.Button(description="Edit", icon="pencil",
                                          tooltip="Change a signed form (it will need signing again)")
        self.edit_button.add_class("mf-edit")
        self.progress_button = widgets.Button(description="Save goal status", icon="save",
                                              tooltip="Record the goals' progress as a new version")
        self.progress_button.add_class("mf-save-progress")
        self.print_button = widgets.ToggleButton(description="Print view", icon="print", value=False)
        self.print_button.add_class("mf-print-toggle")
        self.download = widgets.HTML()
        self.download.add_class("mf-download-box")
        self.result = widgets.HTML()
        self.result.add_class("mf-result")
        self.save_button.on_click(lambda _: self.save_draft())
        self.submit_button.on_click(lambda _: self.submit())
        self.edit_button.on_click(lambda _: self.edit())
        self.progress_button.on_click(lambda _: self.save_progress())
        self.print_button.observe(lambda change: self.show_print(change["new"]), names="value")
        buttons = widgets.HBox([self.save_button, self.submit_button, self.edit_button, self.progress_button,
                                self.print_button, self.download])
        buttons.add_class("mf-buttons")
        self.actions = widgets.VBox([buttons, self.result])
        self.actions.add_class("mf-actions")

        self.print_area = widgets.HTML(layout=widgets.Layout(display="none"))
        self.print_area.add_class("mf-print")
        self.history = widgets.HTML()
        self.history.add_class("mf-history")

        side = self._side_widgets()
        if side:
            self.side = widgets.VBox(side)
            self.side.add_class("mf-side")
            body = widgets.HBox([self.main, self.side])
            body.add_class("mf-body-split")
        else:
            self.side = None
            body = widgets.HBox([self.main])
        body.add_class("mf-body")
        self.widget = widgets.VBox([self.header, self.status, self.notice, body, self.actions, self.print_area,
                                    self.history])
        self.widget.add_class("mf-form")
        self.widget.add_class(f"mf-form-{self.form.id}")

    def _side_widgets(self) -> list[widgets.Widget]:
        parts: list[widgets.Widget] = []
        if self.form.shown_beside is not None:
            parts.append(self._reference(self.form.shown_beside))
        self.panel = None
        panel_factory = extras_for(self.form.id).panel
        if panel_factory is not None:
            try:
                self.panel = panel_factory(self.current_values)
                if hasattr(self.panel, "set_context"):  # whose form, which year: see form_extras
                    self.panel.set_context(folder=self.session.folder, person_id=self.subject.person_id,
                                           year=self.form.academic_year)
            except Exception:  # another feature's widget must not take the form down with it
                log.exception("the %s panel could not be built", self.form.id)
                parts.append(message_box("The live panel for this form could not be shown; the form itself "
                                         "works as usual.", kind="notice"))
            else:
                parts.append(self.panel)
        return parts

    def _reference(self, form_id: str) -> widgets.Widget:
        """The subject's latest submitted ``form_id`` of this year, read-only (Part II shows Part I)."""
        name = html.escape(self.subject.name)
        title = html.escape(get_form(form_id, self.form.academic_year).title)
        try:
            other = prefill.latest_submitted(self.session.folder, form_id, self.form.academic_year,
                                             self.subject.person_id)
        except OSError:
            log.exception("%s of %s could not be read", form_id, self.subject.person_id)
            other = None
        if other is None:
            body = (f'<p class="mf-empty">{name} has not submitted the {title} for '
                    f'{self.form.academic_year.label} yet.</p>')
        else:
            body = render_print(other, person_name=self.subject.name, standalone=False, with_extras=False)
        reference = widgets.HTML(f'<div class="mf-reference"><h2 class="mf-section-title">{title}, as submitted by '
                                 f'{name} <span class="mf-readonly-tag">read-only</span></h2>{body}</div>')
        reference.add_class("mf-part1-reference")
        return reference

    # ----------------------------------------------------------------- loading and showing

    def _load(self) -> None:
        stored = None
        if self.form.instance_field is None or self.instance:
            stored = self.session.folder.latest_version(self.form.id, self.form.academic_year,
                                                        self.subject.person_id, self.instance)
        if stored is not None:
            record = read_record(stored.path)  # WorkbookError: the caller shows it plainly
            self._show_record(record, stored)
            self.set_notice("")
            return
        values, note = prefill.new_form_values(self.form, self.session.folder, self.subject, self.viewer.person,
                                               self.mentor)
        if self.form.instance_field and self.instance and self.form.field(self.form.instance_field).kind in (
                Kind.SHORT_TEXT, Kind.LONG_TEXT):
            values.setdefault(self.form.instance_field, self.instance)
        self._show_values(values)
        if self.form.instance_field and values.get(self.form.instance_field):
            self.fixed_fields.add(self.form.instance_field)
        self._apply_mode()
        self.set_notice(note)
        self._refresh()

    def _show_values(self, values: Mapping[str, Any]) -> None:
        pending = self._pending_signatures()
        for field_id, input_ in self.inputs.items():
            input_.set_value(values.get(field_id))
            input_.show_problems(())
        for field_id, signature in pending.items():
            if field_id not in values:
                self.inputs[field_id].set_value(signature)
        self.shown = normalise(self.form, self._raw())
        if self.panel is not None and hasattr(self.panel, "refresh"):  # show the loaded answers
            try:
                self.panel.refresh()
            except Exception:  # another feature's widget must not stop the form loading
                log.exception("the %s panel failed to refresh", self.form.id)

    def _pending_signatures(self) -> dict[str, Any]:
        """Signatures the viewer has typed but not yet given (kept across a draft save)."""
        pending = {}
        for field_id in self.signature_ids:
            if self.signable.get(field_id) and field_id not in self.baseline:
                value = self.inputs[field_id].value()
                if value is not None:
                    pending[field_id] = value
        return pending

    def _show_record(self, record: Record, stored: StoredVersion) -> None:
        self.record, self.stored = record, stored
        self.baseline = dict(record.values)
        self.editing = False
        self.set_notice("")  # a notice about the page before this version no longer applies
        if self.form.instance_field and record.values.get(self.form.instance_field):
            self.instance = str(record.values[self.form.instance_field])
            self.fixed_fields.add(self.form.instance_field)
        self._show_values(record.values)
        self._apply_mode()
        self._refresh_download()
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
        return {field_id: input_.value() for field_id, input_ in self.inputs.items()}

    def current_values(self) -> dict[str, Any]:
        """The answers on the page now, tidied but not validated (for the extras panel)."""
        return normalise(self.form, self._raw())

    @property
    def dirty(self) -> bool:
        """True when the page shows something not saved."""
        return normalise(self.form, self._raw()) != self.shown

    def _comparable(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The answers a signature attests: no signatures, no goal-progress columns."""
        result = {}
        for field_id, value in values.items():
            if field_id in self.signature_ids:
                continue
            if field_id in self.progress and isinstance(value, tuple):
                dropped = set(self.progress[field_id])
                value = tuple({key: cell for key, cell in row.items() if key not in dropped}
                              if isinstance(row, Mapping) else row for row in value)
            result[field_id] = value
        return result

    def _content_changed(self, values: Mapping[str, Any]) -> bool:
        return self._comparable(normalise(self.form, values)) != self._comparable(self.baseline)

    def _has_signatures(self) -> bool:
        return any(field_id in self.baseline for field_id in self.signature_ids)

    def _values_to_store(self, signing: set[str]) -> dict[str, Any]:
        """The answers on the page, with the signatures that still hold plus those being given now."""
        raw = self._raw()
        content = {field_id: value for field_id, value in raw.items() if field_id not in self.signature_ids}
        changed = self._content_changed(content)
        signatures = {} if changed else {field_id: self.baseline[field_id]
                                         for field_id in self.signature_ids if field_id in self.baseline}
        for field_id in signing:
            if raw.get(field_id) is not None:
                signatures[field_id] = raw[field_id]
        self.last_cleared_signatures = changed and self._has_signatures()
        return {**content, **signatures}

    # ----------------------------------------------------------------- reacting to changes

    def _on_change(self, field_id: str) -> None:
        input_ = self.inputs[field_id]
        input_.show_problems(field_problems(self.form, {field_id: input_.value()}, submitting=False))
        self._refresh()
        if self.panel is not None and hasattr(self.panel, "refresh"):
            try:
                self.panel.refresh()
            except Exception:  # another feature's widget must not break typing
                log.exception("the %s panel failed to refresh", self.form.id)

    def _stamp_progress(self, date_column: str, row: TableRow) -> None:
        control = row.cells[date_column]
        if control.value != self.today:
            control.value = self.today

    def _refresh(self) -> None:
        """Update the status line, the unsaved-changes mark and the signature notice."""
        raw = self._raw()
        remaining = remaining_required(self.form, raw)
        dirty = normalise(self.form, raw) != self.shown
        if dirty:
            self.widget.add_class("mf-unsaved")
        else:
            self.widget.remove_class("mf-unsaved")
        if self.record is None:
            state = '<span class="mf-state mf-state-new">Not saved yet</span>'
        else:
            word = STATUS_WORDS[self.record.status]
            saved = self.record.saved_at.astimezone(dt.timezone.utc)
            state = (f'<span class="mf-state mf-state-{self.record.status.value}">{word}</span> '
                     f'version {self.stored.version if self.stored else "?"}, saved {format_date(saved.date())} '
                     f'{saved:%H:%M} UTC')
            waiting = [self.form.field(field_id).label for field_id in self.form.signers
                       if field_id not in self.baseline]
            if self.record.status is Status.SUBMITTED and waiting:
                state += f' · waiting for signature: {html.escape(", ".join(waiting))}'
            if self.locked:
                state += ' · <span class="mf-readonly-tag">read-only</span>'
        if remaining:
            count = f'<span class="mf-remaining">{remaining} required answer{"s" if remaining != 1 else ""} ' \
                    f'remaining</span>'
        else:
            count = '<span class="mf-remaining mf-complete">All required answers given</span>'
        unsaved = ' <span class="mf-unsaved-tag">Unsaved changes</span>' if dirty else ""
        self.status.value = f'<div class="mf-status">{state} · {count}{unsaved}</div>'
        if self._has_signatures() and self._content_changed(raw) and self.can_edit:
            self.set_notice("You have changed answers of a signed version. When you save, the earlier signatures "
                            "no longer apply: the new version must be signed again.", key="resign")
        elif getattr(self, "_notice_key", "") == "resign":
            self.set_notice("")

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

    def _apply_mode(self) -> None:
        locked = self.locked
        content_enabled = self.can_edit and not locked
        for field_id, input_ in self.inputs.items():
            if isinstance(input_, SignatureInput):
                given = self.baseline.get(field_id)
                may_sign = self.signable.get(field_id, False) and not locked and given is None
                input_.set_enabled(may_sign)
                input_.sign.layout.display = "" if may_sign else "none"
                if isinstance(given, Signature):
                    input_.set_state(f"Signed by {given.name} on {format_date(given.date)}.")
                elif may_sign:
                    input_.set_state("Type your name (and the date), then press Sign. Signing submits the form.")
                else:
                    input_.set_state("Not signed yet.")
            else:
                input_.set_enabled(content_enabled and field_id not in self.fixed_fields)
        if locked and self.can_edit:
            for table_id, columns in self.progress.items():
                table = self.inputs[table_id]
                if isinstance(table, TableInput):
                    table.set_column_enabled(columns, True)
        self._show(self.save_button, content_enabled)
        self._show(self.submit_button, content_enabled)
        self._show(self.edit_button, locked and self.can_edit)
        self._show(self.progress_button, locked and self.can_edit and bool(self.progress))
        if locked:
            self.widget.add_class("mf-locked")
        else:
            self.widget.remove_class("mf-locked")

    @staticmethod
    def _show(button: widgets.Widget, visible: bool) -> None:
        button.layout.display = "" if visible else "none"
        button.disabled = not visible

    def _refresh_download(self) -> None:
        if self.stored is None:
            self.download.value = ""
            return
        content = self.stored.path.read_bytes()
        encoded = base64.b64encode(content).decode("ascii")
        name = download_name(self.form, self.subject.person_id, self.stored.version, self.instance)
        self.download.value = (
            f'<a class="mf-download jupyter-button" download="{html.escape(name)}" '
            f'href="data:{XLSX_MIME};base64,{encoded}" title="The saved workbook, version {self.stored.version}">'
            f'<i class="fa fa-download"></i> Download workbook</a>')

    def _refresh_history(self) -> None:
        """The versions kept of this form, newest first, with goal progress where the form has it.

        Versions never change once written, so each is read once per page (the one just saved
        is not read at all): a save stays fast however long the history grows."""
        if self.stored is None:
            self.history.value = ""
            return
        if self.record is not None:
            self._history_rows.setdefault(self.stored.path, self._history_row(self.stored.version, self.record))
        rows = []
        for stored in reversed(self.session.folder.versions(self.form.id, self.form.academic_year,
                                                            self.subject.person_id, self.instance)):
            row = self._history_rows.get(stored.path)
            if row is None:
                try:
                    row = self._history_row(stored.version, read_record(stored.path))
                except WorkbookError as error:
                    log.error("history: %s", error)
                    row = f"<tr><td>{stored.version}</td><td colspan=4>cannot be read</td></tr>"
                self._history_rows[stored.path] = row
            rows.append(row)
        extra_head = "<th>Goal status</th>" if self.progress else ""
        self.history.value = (
            f'<details class="mf-versions"><summary>Versions kept ({len(rows)})</summary>'
            f'<table class="mf-links"><thead><tr><th>Version</th><th>Status</th><th>Saved</th><th>By</th>'
            f'{extra_head}</tr></thead><tbody>{"".join(rows)}</tbody></table></details>')

    def _history_row(self, version: int, record: Record) -> str:
        saved = record.saved_at.astimezone(dt.timezone.utc)
        who = self.session.roster.get(record.saved_by)
        progress = ""
        for table_id, (status_column, date_column) in self.progress.items():
            item = self.form.field(table_id).column(status_column)
            progress += "".join(
                f'<div>{html.escape(str(row.get("goal") or ""))}: '
                f'{html.escape(item.choice_label(row[status_column]) if row.get(status_column) else "—")}'
                f'{" (" + format_date(row[date_column]) + ")" if row.get(date_column) else ""}</div>'
                for row in record.values.get(table_id) or ())
        return (f"<tr><td>{version}</td><td>{STATUS_WORDS[record.status]}</td>"
                f"<td>{format_date(saved.date())} {saved:%H:%M} UTC</td>"
                f"<td>{html.escape(who.name if who else record.saved_by)}</td>"
                + (f"<td>{progress}</td>" if self.progress else "") + "</tr>")

    # ----------------------------------------------------------------- problems

    def show_problems(self, failed: ValidationFailed) -> None:
        """Show each problem next to its field and focus the first; clear the others' messages."""
        by_field: dict[str, list] = {}
        for problem in failed.problems:
            by_field.setdefault(problem.field_id, []).append(problem)
        for field_id, input_ in self.inputs.items():
            input_.show_problems(by_field.get(field_id, ()))
        first = failed.problems[0].field_id if failed.problems else None
        if first is not None:
            self.inputs[first].focus()

    def _clear_problems(self) -> None:
        for input_ in self.inputs.values():
            input_.show_problems(())

    def problems_shown(self) -> dict[str, str]:
        """Field id -> the message shown next to it now (for tests)."""
        return {field_id: input_.message_text for field_id, input_ in self.inputs.items() if input_.message_text}

    # ----------------------------------------------------------------- actions

    def _require_edit(self) -> None:
        access.require(access.can_edit(self.viewer, self.session.roster, self.form.id, self.subject.person_id,
                                       self.mentor_id),
                       "You may not change this form. Nothing was saved.")

    def _store(self, values: Mapping[str, Any], status: Status) -> StoredVersion:
        now = utc_now()
        record = Record(self.form.id, self.form.version, self.form.academic_year, self.subject.person_id,
                        self.subject.department, status, dict(values),
                        created_at=self.record.created_at if self.record else now, saved_at=now,
                        saved_by=self.viewer.person_id,
                        # answers to fields a newer declaration dropped are carried, never lost
                        unknown=dict(self.record.unknown) if self.record else {})
        stored = self.session.folder.save(record, person_name=self.subject.name)
        log.info("%s saved %s v%d (%s) for %s", self.viewer.person_id, self.form.id, stored.version,
                 status.value, self.subject.person_id)
        self._show_record(record, stored)
        return stored

    def _fail(self, failed: ValidationFailed, verb: str) -> None:
        self.show_problems(failed)
        count = len({problem.field_id for problem in failed.problems})
        first = failed.problems[0]
        self.say(f"Not {verb}: {count} answer{'s need' if count != 1 else ' needs'} attention — see the "
                 f"message{'s' if count != 1 else ''} next to {'them' if count != 1 else 'it'} "
                 f"(first: {first.label}). Nothing you typed was lost.", "error")

    @_action("saving a draft")
    def save_draft(self) -> StoredVersion | None:
        """Save the answers as a draft, complete or not; returns the new version (None if not saved)."""
        self._require_edit()
        access.require(not self.locked, "This version is signed; press Edit to change it.")
        values = self._values_to_store(set())
        try:
            canonical = check_draft(self.form, values)
        except ValidationFailed as failed:
            self._fail(failed, "saved")
            return None
        if self.record is not None and canonical == self.baseline:
            self._clear_problems()
            self.say("No changes to save.")
            return None
        cleared = self.last_cleared_signatures
        stored = self._store(canonical, Status.DRAFT)
        self.say(f"Draft saved as version {stored.version}.")
        if cleared:
            self.set_notice("The answers changed after signing, so this version carries no signatures: "
                            "it must be submitted and signed again.", key="cleared")
        return stored

    @_action("submitting")
    def submit(self) -> StoredVersion | None:
        """Check every answer and submit (signing with any signature the viewer typed)."""
        self._require_edit()
        access.require(not self.locked, "This version is signed; press Edit to change it.")
        raw = self._raw()
        signing = {field_id for field_id in self.signature_ids
                   if self.signable.get(field_id) and field_id not in self.baseline
                   and isinstance(raw.get(field_id), Signature) and raw[field_id].name}
        return self._submit(signing, "submitted")

    def _submit(self, signing: set[str], verb: str) -> StoredVersion | None:
        values = self._values_to_store(signing)
        try:
            canonical = check_submission(self.form, values)
        except ValidationFailed as failed:
            self._fail(failed, verb)
            if not self.can_edit:
                self.say(f"Not {verb}: this form still has problems that only the person filling it can fix "
                         f"(first: {failed.problems[0]}).", "error")
            return None
        status = Status.SIGNED if is_signed(self.form, canonical) else Status.SUBMITTED
        if (self.record is not None and self.record.status is not Status.DRAFT and canonical == self.baseline
                and status is self.record.status):
            self._clear_problems()
            self.say(f"Nothing has changed since version {self.stored.version if self.stored else ''} "
                     f"was {STATUS_WORDS[self.record.status].lower()}.")
            return None
        cleared = self.last_cleared_signatures
        stored = self._store(canonical, status)
        if status is Status.SIGNED:
            self.say(f"Signed: version {stored.version} carries every signature and is now read-only.")
        else:
            waiting = [self.form.field(field_id).label for field_id in self.form.signers if field_id not in canonical]
            tail = f" Waiting for signature: {', '.join(waiting)}." if waiting else ""
            self.say(f"{'Signed and submitted' if signing else 'Submitted'} as version {stored.version}.{tail}")
        if cleared:
            self.set_notice("The answers changed after signing, so the earlier signatures were cleared: "
                            f"version {stored.version} must be signed again.", key="cleared")
        return stored

    def _sign_clicked(self, field_id: str, _button: Any = None) -> None:
        self.sign(field_id)

    @_action("signing")
    def sign(self, field_id: str) -> StoredVersion | None:
        """Sign ``field_id`` with the typed name (and today's date if none was picked), then submit."""
        access.require(self.signable.get(field_id, False) and access.can_sign(
            self.viewer, self.session.roster, self.form.id, field_id, self.subject.person_id, self.mentor_id),
            "You may not sign here. Nothing was saved.")
        access.require(not self.locked, "This version is already signed.")
        input_ = self.inputs[field_id]
        if not isinstance(input_, SignatureInput) or field_id in self.baseline:
            self.say("This signature has already been given.", "error")
            return None
        if not input_.name.value.strip():
            input_.show_problems([FieldProblem(field_id, input_.field.label, "Type your name to sign.")])
            input_.focus()
            self.say("Not signed: type your name in the signature box first.", "error")
            return None
        if input_.date.value is None:
            input_.date.value = self.today
        if not self.can_edit and (self.record is None or self.record.status is Status.DRAFT):
            self.say("There is nothing to sign yet: this form has not been submitted.", "error")
            return None
        return self._submit({field_id}, "signed")

    @_action("unlocking for editing")
    def edit(self) -> None:
        """Make a signed version editable again; saving a change makes a version that needs signing."""
        self._require_edit()
        if not self.locked:
            return
        self.editing = True
        self._apply_mode()
        self._refresh()
        self.set_notice("This form was signed. If you change any answer, your changes are saved as a new version "
                        "without the signatures, and it must be signed again.", key="editing")
        self.say("You can edit the form now.")

    @_action("saving goal status")
    def save_progress(self) -> StoredVersion | None:
        """Record the goals' progress on a signed form as a new version that keeps its signatures."""
        self._require_edit()
        access.require(bool(self.progress), "This form has no goal progress to update.")
        values = self._values_to_store(set())
        if self.last_cleared_signatures:
            self.say("Only the goals' status can change on a signed agreement; press Edit to change anything else.",
                     "error")
            return None
        try:
            canonical = check_submission(self.form, values)
        except ValidationFailed as failed:
            self._fail(failed, "saved")
            return None
        if self.record is not None and canonical == self.baseline:
            self.say("No changes to save.")
            return None
        status = self.record.status if self.record is not None else Status.SUBMITTED
        stored = self._store(canonical, status)
        self.say(f"Goal status saved as version {stored.version}; the signatures still hold.")
        return stored

    def show_print(self, visible: bool) -> None:
        """Show (or hide) the print view of the answers on the page."""
        if not visible:
            self.print_area.layout.display = "none"
            self.print_area.value = ""
            return
        self.print_area.value = self.print_html_frame()
        self.print_area.layout.display = ""

    def print_record(self) -> Record:
        """The answers on the page as a record (for printing; not validated, not saved)."""
        base = self.record
        status = base.status if base is not None and not self.dirty else Status.DRAFT
        return Record(self.form.id, self.form.version, self.form.academic_year, self.subject.person_id,
                      self.subject.department, status, normalise(self.form, self._raw()),
                      saved_at=base.saved_at if base is not None else utc_now())

    def print_html(self) -> str:
        """The print view (a whole HTML page) of the answers on the page."""
        return render_print(self.print_record(), self.form, person_name=self.subject.name)

    def print_html_frame(self) -> str:
        page = self.print_html()
        encoded = base64.b64encode(page.encode("utf-8")).decode("ascii")
        name = download_name(self.form, self.subject.person_id, self.stored.version if self.stored else 0,
                             self.instance).replace(".xlsx", ".html")
        return (f'<div class="mf-print-bar">Print view of the answers on this page. '
                f'<a class="mf-print-download" download="{html.escape(name)}" '
                f'href="data:text/html;charset=utf-8;base64,{encoded}">Save the print view as a file</a> '
                f'or use the Print button inside it.</div>'
                f'<iframe class="mf-print-frame" title="Print view" srcdoc="{html.escape(page, quote=True)}">'
                f'</iframe>')


def download_name(form: Form, person_id: str, version: int, instance: str | None = None) -> str:
    """The file name a downloaded workbook gets: form, year, person (and instance), version."""
    parts = [form.id, form.academic_year.label, person_id] + ([instance] if instance else [])
    safe = "_".join(re.sub(r"[^A-Za-z0-9_-]+", "-", part).strip("-") or "x" for part in parts)
    return f"{safe}_v{version:04d}.xlsx"


# --------------------------------------------------------------------------- opening a page


def _refuse_view(form: Form) -> AccessDenied:
    return AccessDenied(
        f"You may not open this {form.title}. Faculty members open only their own forms; a mentor opens the "
        "agreements they are party to; a chair opens the conference forms of their own department.")


def open_form_page(session: Session, request: PageRequest, today: dt.date | None = None) -> FormPage | widgets.Widget:
    """The page the request asks for, or a widget asking for what is missing (which mentor).

    AccessDenied when the viewer may not open it; PageUnavailable when the request makes no sense.
    """
    if not request.form_id:
        raise PageUnavailable("No form was named in the link. Open a form from the list of your forms.")
    year = request.academic_year(today)
    try:
        form = get_form(request.form_id, year)
    except UnknownFormError as error:
        raise PageUnavailable(f"There is no form '{request.form_id}'. Open a form from the list of your forms.") \
            from error
    viewer = session.viewer
    roster = session.roster
    subject_id = request.person_id or viewer.person_id
    mentor = None
    instance = None
    if form.id == "agreement":
        mentor_id = request.mentor_id or request.instance
        if mentor_id is None and subject_id != viewer.person_id and access.is_mentor_of(roster, viewer.person_id,
                                                                                        subject_id):
            mentor_id = viewer.person_id
        if not access.can_view(viewer, roster, form.id, subject_id, mentor_id):
            raise _refuse_view(form)
        subject = roster.get(subject_id)
        if subject is None:
            raise PageUnavailable(f"'{subject_id}' is not on the roster.")
        if mentor_id is None:
            return mentor_chooser(session, subject, year)
        mentor = roster.get(mentor_id)
        if mentor is None:
            raise PageUnavailable(f"The mentor '{mentor_id}' is not on the roster.")
        if mentor.person_id == subject.person_id:
            raise PageUnavailable("A mentoring agreement needs a mentor other than the mentee.")
        instance = mentor.person_id
    else:
        if not access.can_view(viewer, roster, form.id, subject_id):
            raise _refuse_view(form)
        subject = roster.get(subject_id)
        if subject is None:
            raise PageUnavailable(f"'{subject_id}' is not on the roster.")
        if form.instance_field is not None:
            instance = request.instance
    return FormPage(session, form, subject, mentor=mentor, instance=instance, today=today)


def mentor_chooser(session: Session, subject: Person, year) -> widgets.Widget:
    """Links to the agreement with each of the subject's mentors (the roster's)."""
    links = []
    for mentor_id in subject.mentors:
        mentor = session.roster.get(mentor_id)
        if mentor is None:
            continue
        href = session.link(pages.FORM, form="agreement", person=subject.person_id, mentor=mentor_id,
                            year=year.label)
        links.append(f'<li><a class="mf-link" href="{html.escape(href)}">Agreement with {html.escape(mentor.name)}'
                     f'</a></li>')
    if not links:
        return message_box(f"No mentor is assigned to {subject.name} on the roster, so there is no agreement to open. "
                           "Ask the faculty-affairs office to record the mentor.", kind="notice")
    box = widgets.HTML(f'<div class="mf-chooser"><h2 class="mf-section-title">Which agreement?</h2><ul>'
                       f'{"".join(links)}</ul></div>')
    box.add_class("mf-mentor-chooser")
    return box


def form_app(environ: Mapping[str, str] | None = None, today: dt.date | None = None) -> widgets.VBox:
    """The whole form page for this Voila request: identity (or the demo picker), then the form,
    or a plain refusal. Never raises for a bad request."""
    return page_app(environ, lambda session, asked: (page_for(session, asked, today), None), name="form page")


def page_for(session: Session, request: PageRequest, today: dt.date | None) -> tuple[widgets.Widget, ...]:
    """The widgets below the identity line: the form, a chooser, or a refusal."""
    try:
        page = open_form_page(session, request, today)
    except (AccessDenied, PageUnavailable) as error:
        log.info("form page refused for %s: %s", session.viewer.person_id, error)
        return (refusal_for(error),)
    except WorkbookError as error:
        log.error("form page could not read a workbook: %s", error)
        return (message_box("The saved form cannot be read, so it is not shown (nothing was changed). The "
                            "faculty-affairs office can see why in the server log.", kind="refusal",
                            title="This form cannot be opened"),)
    if isinstance(page, FormPage):
        return (page.widget,)
    return (page,)
