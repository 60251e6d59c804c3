"""The HTML pieces of a form page that hold no state: the header, the status line, the versions
kept, the download link, the print frame and the conflict panel. Every text is escaped."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from mentorforms import messages
from mentorforms.errors import FieldProblem
from mentorforms.records.roster import Person, Roster
from mentorforms.rules.workflow import Change
from mentorforms.ui.print_view import STATUS_WORDS, format_date, print_field
from mentorforms.ui.typed_text import format_date_input
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record, Signature, Status
from mentorforms.workbooks import safe_cell

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_name(form: Form, person_id: str, version: int, instance: str | None = None) -> str:
    """The file name a downloaded workbook gets: form, year, person (and instance), version."""
    parts = [form.id, form.academic_year.label, person_id] + ([instance] if instance else [])
    safe = "_".join(re.sub(r"[^A-Za-z0-9_-]+", "-", part).strip("-") or "x" for part in parts)
    return f"{safe}_v{version:04d}.xlsx"


def header_html(form: Form, subject: Person, instance_person: Person | None, role: str) -> str:
    source = f'<div class="mf-source">{html.escape(form.source)}</div>' if form.source else ""
    extra = ""
    if instance_person is not None and form.instance_party:
        extra = f" · {html.escape(form.party(form.instance_party).title.lower())} {html.escape(instance_person.name)}"
    part = f' · <span class="mf-role">you are: {html.escape(role)}</span>' if role else ""
    return (f'<header class="mf-header">{source}<h1 class="mf-title">{html.escape(form.title)}</h1>'
            f'<div class="mf-subject">{html.escape(subject.name)} · {html.escape(subject.department)}{extra} · '
            f'academic year {form.academic_year.label}{part}</div></header>')


def saved_when(record: Record) -> str:
    saved = record.saved_at.astimezone(dt.UTC)
    return f"{format_date(saved.date())} {saved:%H:%M} UTC"


def status_html(form: Form, record: Record | None, version: int | None, *, locked: bool, remaining: int,
                dirty: bool, to_fix: tuple[str, ...] = ()) -> str:
    """The line under the header: where the form stands, what is missing or must be fixed before
    Submit (the same check Submit makes), unsaved changes."""
    if record is None:
        state = '<span class="mf-state mf-state-new">Not saved yet</span>'
    else:
        word = STATUS_WORDS[record.status]
        state = (f'<span class="mf-state mf-state-{record.status.value}">{word}</span> '
                 f'version {version if version else "?"}, saved {saved_when(record)}')
        waiting = [form.field(field_id).label for field_id in form.signers if field_id not in record.values]
        if record.status is Status.SUBMITTED and waiting:
            state += f' · waiting for signature: {html.escape(", ".join(waiting))}'
        if locked:
            state += ' · <span class="mf-readonly-tag">read-only</span>'
    parts = []
    if remaining:
        parts.append(f'<span class="mf-remaining">{remaining} required answer{"s" if remaining != 1 else ""} '
                     f'remaining</span>')
    if to_fix:
        parts.append(f'<span class="mf-remaining mf-to-fix">{len(to_fix)} answer{"s" if len(to_fix) != 1 else ""} '
                     f'to complete or correct: {html.escape(", ".join(to_fix))}</span>')
    count = " · ".join(parts) or '<span class="mf-remaining mf-complete">All required answers given</span>'
    unsaved = ' <span class="mf-unsaved-tag">Unsaved changes</span>' if dirty else ""
    return f'<div class="mf-status">{state} · {count}{unsaved}</div>'


def signature_state(form: Form, field_id: str, given: Any, may_sign: bool, roster: Roster) -> str:
    """The line under a signature box: who signed, when, and what it means."""
    meaning = form.signing(field_id).meaning
    if isinstance(given, Signature):
        signer = roster.get(given.signer_id) if given.signer_id else None
        when = given.signed_at.astimezone(dt.UTC).strftime("%H:%M UTC") if given.signed_at else ""
        who = signer.name if signer else given.name
        return messages.say(messages.SIGNATURE_SIGNED_ON_PAGE, who=who, day=format_date(given.date),
                            at=f" at {when}" if when else "", meaning=given.meaning or meaning)
    if may_sign:
        return messages.say(messages.SIGNATURE_HOW_TO_SIGN, meaning=meaning)
    return messages.say(messages.SIGNATURE_NOT_YET, meaning=meaning)


def history_row(form: Form, version: int, record: Record, roster: Roster, progress: Mapping[str, tuple[str, str]],
                ) -> str:
    """One row of the versions kept: number, status, when, who, what they did."""
    who = roster.get(record.saved_by)
    signed = [f"{signer.name if (signer := roster.get(sig.signer_id)) else sig.name} signed"
              for field_id in form.signers
              if isinstance(sig := record.values.get(field_id), Signature) and sig.signed_at
              and abs((sig.signed_at - record.saved_at).total_seconds()) < 1]
    cells = ""
    for table_id, (status_column, date_column) in progress.items():
        item = form.field(table_id).column(status_column)
        cells += "".join(
            f'<div>{html.escape(str(row.get("goal") or ""))}: '
            f'{html.escape(item.choice_label(row[status_column]) if row.get(status_column) else "—")}'
            f'{" (" + format_date(row[date_column]) + ")" if row.get(date_column) else ""}</div>'
            for row in record.values.get(table_id) or ())
    did = html.escape("; ".join(signed)) if signed else STATUS_WORDS[record.status].lower()
    return (f"<tr><td>{version}</td><td>{STATUS_WORDS[record.status]}</td><td>{saved_when(record)}</td>"
            f"<td>{html.escape(who.name if who else record.saved_by)}</td><td>{did}</td>"
            + (f"<td>{cells}</td>" if progress else "") + "</tr>")


def history_html(rows: Iterable[str], with_progress: bool) -> str:
    rows = list(rows)
    extra = "<th>Goal status</th>" if with_progress else ""
    return (f'<details class="mf-versions"><summary>Versions kept ({len(rows)})</summary>'
            f'<table class="mf-links"><thead><tr><th>Version</th><th>Status</th><th>Saved</th><th>By</th>'
            f'<th>What</th>{extra}</tr></thead><tbody>{"".join(rows)}</tbody></table></details>')


def download_html(content: bytes, name: str, version: int) -> str:
    """The link that saves the workbook (offered once the download is recorded)."""
    encoded = base64.b64encode(content).decode("ascii")
    words = html.escape(messages.say(messages.PAGE_DOWNLOAD_READY, version=version))
    return (f'<a class="mf-download jupyter-button" download="{html.escape(name)}" '
            f'href="data:{XLSX_MIME};base64,{encoded}" title="The saved workbook, version {version}">'
            f'<i class="fa fa-download"></i> {words}</a>')


def print_frame_html(page: str, name: str) -> str:
    encoded = base64.b64encode(page.encode("utf-8")).decode("ascii")
    return (f'<div class="mf-print-bar">Print view of the answers on this page. '
            f'<a class="mf-print-download" download="{html.escape(name)}" '
            f'href="data:text/html;charset=utf-8;base64,{encoded}">Save the print view as a file</a> '
            f'or use the Print button inside it.</div>'
            f'<iframe class="mf-print-frame" title="Print view" srcdoc="{html.escape(page, quote=True)}">'
            f'</iframe>')


def _shown_value(form: Form, field_id: str, value: Any) -> str:
    if value is None:
        return "(empty)"
    shown = print_field(form.field(field_id), value)
    parts = [shown.text] if shown.text else []
    parts += [label for ticked, label in shown.items if ticked]
    parts += [f"{rank}. {label}" for rank, label in shown.ranked]
    parts += [" | ".join(cell for cell in row if cell) for row in shown.rows]
    return "; ".join(part for part in parts if part) or "(empty)"


def conflict_html(form: Form, changes: tuple[Change, ...], mine: Mapping[str, Any], who: str, when: str,
                  version: int) -> str:
    """What a newer version changed, field by field, beside what this page holds."""
    rows = "".join(
        f"<tr><td>{html.escape(change.label)}</td><td>{html.escape(_shown_value(form, change.field_id, change.after))}"
        f"</td><td>{html.escape(_shown_value(form, change.field_id, mine.get(change.field_id)))}</td></tr>"
        for change in changes)
    return (f'<div class="mf-banner mf-conflict" role="alert"><strong>{html.escape(who)} filed version {version} '
            f'at {html.escape(when)}, after you opened this page.</strong> Nothing of yours was saved yet, and '
            f'nothing you typed is lost. <table class="mf-links"><thead><tr><th>Answer</th>'
            f'<th>In version {version}</th><th>On your page</th></tr></thead><tbody>{rows}</tbody></table>'
            f'<p>Keep mine: your changes are saved on top of version {version} (answers you did not change keep '
            f'version {version}\'s). Use theirs: the page shows version {version}; your answers stay listed '
            f'here to copy.</p></div>')


def removal_notices(form: Form, raw: Mapping[str, Any]) -> dict[str, list[FieldProblem]]:
    """For each text answer holding characters a workbook cannot store (which saving removes),
    the notice saying which, to show next to its field."""
    notices: dict[str, list[FieldProblem]] = {}
    for field_id, value in raw.items():
        if isinstance(value, str):
            cleaned = safe_cell.clean(value)
            if cleaned.removed:
                text = messages.say(messages.WILL_REMOVE, count=len(cleaned.removed),
                                    s="" if len(cleaned.removed) == 1 else "s",
                                    which=", ".join(dict.fromkeys(cleaned.removed)))
                notices[field_id] = [FieldProblem(field_id, form.field(field_id).label, text)]
    return notices


def passed_dates(form: Form, values: Mapping[str, Any], today: dt.date,
                 writes: Callable[[str], bool]) -> dict[str, FieldProblem]:
    """Dates declared upcoming (a revisit date) that a new form carried over and that have passed,
    for the fields the viewer writes: the notice to show next to each."""
    found = {}
    for item in form.fields():
        carried = values.get(item.id)
        if item.upcoming and isinstance(carried, dt.date) and carried < today and writes(item.id):
            found[item.id] = FieldProblem(item.id, item.label, messages.say(
                messages.DATE_PASSED, day=format_date_input(carried)))
    return found
