"""Save draft, submit, sign and update progress: plain functions, no widgets.

Every action takes the viewer's :class:`~mentorforms.rules.parties.Case`, the last version the server
holds, and what the page sent (a :class:`Proposal`, untrusted), and returns the record to file
(an :class:`Outcome`) or raises a typed refusal. A new version is the last version plus only the
fields the viewer's party may write; a different value for any other field, or for the key, is
:class:`Forged`: refused, never saved (the caller writes it to the audit trail). The key, the
person, the year and the department always come from the server.

A signature attests the answers it was given with: changing any answer clears every signature in
the next version; progress columns (an agreement's goal status) change without clearing them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mentorforms import messages
from mentorforms.errors import AccessDenied, FieldProblem, MentorformsError, ValidationFailed
from mentorforms.rules.parties import Case
from mentorforms.rules.validation import check_draft, check_submission, is_signed, normalise
from mentorforms.vocabulary.declaration import Form, Kind
from mentorforms.vocabulary.record import Record, Signature, Status, utc_now


@dataclass(frozen=True)
class Proposal:
    """What a page sent: every answer shown on it (untrusted) and the version it started from
    (None for a form not saved before)."""

    values: Mapping[str, Any]
    based_on: int | None


@dataclass(frozen=True)
class Latest:
    """The newest version the server holds: its record and number (None, None: none yet) and the
    record the page started from, to tell what changed since."""

    record: Record | None
    version: int | None
    #: The file of that version (a :class:`mentorforms.records.store.StoredVersion`): a save built on this
    #: claims the number after it, or finds it taken (:func:`conflict`).
    stored: Any = None


@dataclass(frozen=True)
class Outcome:
    """What an action decided. ``record`` is None when there is nothing to file (no change)."""

    record: Record | None
    action: str
    message: str
    cleared_signatures: bool = False


class Forged(AccessDenied):
    """The page sent values the viewer may not write (a disabled input set by a crafted message,
    a changed key). Nothing is saved; ``fields`` names them."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        super().__init__(messages.say(messages.FORGED, answers=messages.counted(len(fields), "answer")))
        self.fields = fields


@dataclass(frozen=True)
class Change:
    """One answer that changed between two versions."""

    field_id: str
    label: str
    before: Any
    after: Any


class Stale(MentorformsError):
    """A newer version was filed since the page opened; nothing was filed. ``changes`` lists,
    field by field, what the newer version changed; ``saved_by`` and ``version`` say who and which."""

    def __init__(self, version: int, saved_by: str, saved_at: dt.datetime, changes: tuple[Change, ...]) -> None:
        super().__init__(messages.say(messages.STALE, version=version,
                                      answers=messages.counted(len(changes), "answer")))
        self.version, self.saved_by, self.saved_at, self.changes = version, saved_by, saved_at, changes


# --------------------------------------------------------------------------- comparing answers


def signature_ids(form: Form) -> tuple[str, ...]:
    return tuple(item.id for item in form.fields() if item.kind is Kind.SIGNATURE)


def _progress(form: Form) -> dict[str, tuple[str, str]]:
    return {item.id: item.progress for item in form.fields() if item.progress is not None}


def content(form: Form, values: Mapping[str, Any], *, with_progress: bool = False) -> dict[str, Any]:
    """The answers a signature attests: no signatures and (unless asked) no progress columns."""
    progress = {} if with_progress else _progress(form)
    result = {}
    for field_id, value in values.items():
        if field_id in form.signers or (form.has_field(field_id) and form.field(field_id).kind is Kind.SIGNATURE):
            continue
        if field_id in progress and isinstance(value, tuple):
            dropped = set(progress[field_id])
            value = tuple({key: cell for key, cell in row.items() if key not in dropped}
                          if isinstance(row, Mapping) else row for row in value)
        result[field_id] = value
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {key: _plain(item) for key, item in dataclasses.asdict(value).items()}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


def answers_digest(form: Form, values: Mapping[str, Any]) -> str:
    """SHA-256 of the answers a signature attests, in a canonical JSON form."""
    text = json.dumps(_plain(content(form, values)), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _shown(form: Form, field_id: str, value: Any) -> Any:
    """A value as a page shows it (a signature by its typed name and date), for comparison."""
    value = normalise(form, {field_id: value}).get(field_id)
    return value.typed if isinstance(value, Signature) else value


def changes_between(form: Form, before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Change, ...]:
    """Every field whose answer differs, in form order."""
    found = []
    for item in form.fields():
        old, new = _shown(form, item.id, before.get(item.id)), _shown(form, item.id, after.get(item.id))
        if old != new:
            found.append(Change(item.id, item.label, before.get(item.id), after.get(item.id)))
    return tuple(found)


def same_name(typed: str, roster_name: str) -> bool:
    """Does a typed signature name the roster's person (after Unicode normalisation, case
    folding and collapsing spaces)?"""
    def fold(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return bool(typed) and fold(typed) == fold(roster_name)


# --------------------------------------------------------------------------- building a version


def _check_fresh(form: Form, latest: Latest, proposal: Proposal, started_from: Record | None) -> None:
    """Stale when a version newer than the one the page started from has been filed."""
    if latest.version == proposal.based_on or latest.record is None:
        return
    raise conflict(form, latest, started_from)


def conflict(form: Form, newer: Latest, started_from: Record | None) -> Stale:
    """The conflict to show when ``newer`` (filed by someone else) is the latest version and the
    page started from ``started_from``: found before building a version, or when the claim of
    the number after the version it was built on finds that number taken."""
    record = newer.record
    if record is None:  # cannot happen for a taken number; said plainly all the same
        return Stale(newer.version or 0, "", utc_now(), ())
    changes = changes_between(form, started_from.values if started_from else {}, record.values)
    return Stale(newer.version or 0, record.saved_by, record.saved_at, changes)


def merge(case: Case, base: Mapping[str, Any], sent: Mapping[str, Any], *, only: frozenset[str] | None = None,
          ) -> dict[str, Any]:
    """``base`` with the viewer's writable answers from ``sent`` (``only``: a narrower set of
    writable fields). Forged when ``sent`` changes anything else; signatures are left as in
    ``base`` (they change only by signing)."""
    form = case.form
    writable = case.writable if only is None else case.writable & only
    forged = [key for key in sent if not form.has_field(key)]
    merged = dict(base)
    key_fixed = form.instance_field if case.instance is not None else None
    if key_fixed is not None:
        base = {**base, key_fixed: case.instance}
    for item in form.fields():
        if item.id not in sent or item.kind is Kind.SIGNATURE:
            continue  # signatures change only by signing
        if not case.sees(item.id, base):
            continue  # not shown to the viewer (an agenda not yet shared): kept as it was
        if item.id in writable and item.id != key_fixed:
            merged[item.id] = sent[item.id]
        elif _shown(form, item.id, sent[item.id]) != _shown(form, item.id, base.get(item.id)):
            forged.append(item.id)
    if key_fixed is not None:
        merged[key_fixed] = case.instance
    if forged:
        raise Forged(tuple(forged))
    return merged


def _new_record(case: Case, last: Record | None, values: Mapping[str, Any], status: Status,
                now: dt.datetime) -> Record:
    form, subject = case.form, case.subject
    return Record(form.id, form.version, form.academic_year, subject.person_id, subject.department, status,
                  dict(values), created_at=last.created_at if last else now, saved_at=now,
                  saved_by=case.viewer.person_id, unknown=dict(last.unknown) if last else {})


def _keep_signatures(case: Case, last_values: Mapping[str, Any], values: dict[str, Any]) -> bool:
    """Carry the last version's signatures if the attested answers did not change; True when
    signatures were cleared."""
    form = case.form
    had = [field_id for field_id in form.signers if last_values.get(field_id) is not None]
    changed = content(form, normalise(form, values)) != content(form, normalise(form, last_values))
    for field_id in signature_ids(form):
        values.pop(field_id, None)
        if not changed and last_values.get(field_id) is not None:
            values[field_id] = last_values[field_id]
    return changed and bool(had)


def _stamp(form: Form, last_values: Mapping[str, Any], values: dict[str, Any], today: dt.date) -> None:
    """Stamped dates (``Field.stamped_when``): the day their check was first ticked, kept after."""
    for item in form.fields():
        if not item.stamped_when:
            continue
        if values.get(item.stamped_when) is True:
            values[item.id] = last_values.get(item.id) if last_values.get(item.stamped_when) is True \
                and last_values.get(item.id) is not None else today
        else:
            values[item.id] = None


def _require_writer(case: Case) -> None:
    if not case.writes_anything:
        raise AccessDenied(messages.CANNOT_CHANGE)


def save_draft(case: Case, latest: Latest, started_from: Record | None, start: Mapping[str, Any],
               proposal: Proposal, now: dt.datetime | None = None) -> Outcome:
    """A draft of the viewer's answers, complete or not (ValidationFailed if something cannot be
    stored as typed); no record when nothing changed."""
    _require_writer(case)
    _check_fresh(case.form, latest, proposal, started_from)
    last = latest.record
    base = dict(last.values) if last else dict(start)
    values = merge(case, base, proposal.values)
    _stamp(case.form, last.values if last else {}, values, (now or utc_now()).date())
    cleared = _keep_signatures(case, last.values if last else {}, values)
    canonical = check_draft(case.form, values)
    if last is not None and canonical == dict(last.values):
        return Outcome(None, "save_draft", messages.NO_CHANGES)
    record = _new_record(case, last, canonical, Status.DRAFT, now or utc_now())
    return Outcome(record, "save_draft", messages.DRAFT_SAVED, cleared)


def submit(case: Case, latest: Latest, started_from: Record | None, start: Mapping[str, Any],
           proposal: Proposal, *, signing: str | None = None, today: dt.date | None = None,
           now: dt.datetime | None = None) -> Outcome:
    """Check every answer and submit, signing ``signing`` for the viewer if named (see :func:`sign`).
    ValidationFailed lists every problem; nothing is filed then."""
    now = now or utc_now()
    last = latest.record
    if signing is None:
        _require_writer(case)
    _check_fresh(case.form, latest, proposal, started_from)
    base = dict(last.values) if last else dict(start)
    values = merge(case, base, proposal.values)
    _stamp(case.form, last.values if last else {}, values, today or now.date())
    cleared = _keep_signatures(case, last.values if last else {}, values)
    if signing is not None:
        values[signing] = _signature(case, proposal.values.get(signing), values, today or now.date(), now, signing)
    canonical = check_submission(case.form, values)
    status = Status.SIGNED if is_signed(case.form, canonical) else Status.SUBMITTED
    if last is not None and last.status is not Status.DRAFT and canonical == dict(last.values) \
            and status is last.status:
        return Outcome(None, "submit", messages.NOTHING_CHANGED_SINCE)
    action = "sign" if signing else "submit"
    record = _new_record(case, last, canonical, status, now)
    return Outcome(record, action, messages.SIGNED_ALL if status is Status.SIGNED else messages.SUBMITTED, cleared)


def _signature(case: Case, sent: Any, values: Mapping[str, Any], today: dt.date, now: dt.datetime,
               field_id: str) -> Signature:
    item = case.form.field(field_id)
    typed: object
    if isinstance(sent, Signature):
        typed = sent.name
    else:
        typed = sent.get("name") if isinstance(sent, Mapping) else None
    if not isinstance(typed, str) or not typed.strip():
        raise ValidationFailed([FieldProblem(field_id, item.label, messages.TYPE_NAME_TO_SIGN)])
    if not same_name(typed, case.viewer.person.name):
        raise ValidationFailed([FieldProblem(field_id, item.label, messages.say(
            messages.NAME_IS_NOT_YOURS, name=case.viewer.person.name))])
    return Signature(case.viewer.person.name, today, signer_id=case.viewer.person_id, signed_at=now,
                     meaning=case.form.signing(field_id).meaning, digest=answers_digest(case.form, values))


def sign(case: Case, latest: Latest, started_from: Record | None, start: Mapping[str, Any], proposal: Proposal,
         field_id: str, *, today: dt.date | None = None, now: dt.datetime | None = None) -> Outcome:
    """Give signature ``field_id`` as the viewer and submit. The typed name must be the viewer's
    roster name; the date and time are the server's. A party who writes nothing (a faculty member
    on Part II) signs only a submitted version, and only as it was filed."""
    if not case.signs(field_id):
        raise AccessDenied(messages.MAY_NOT_SIGN)
    last = latest.record
    if last is not None and last.values.get(field_id) is not None:
        raise AccessDenied(messages.ALREADY_SIGNED)
    if not case.writes_anything and (last is None or last.status is Status.DRAFT):
        raise AccessDenied(messages.NOTHING_TO_SIGN)
    return submit(case, latest, started_from, start, proposal, signing=field_id, today=today, now=now)


def save_progress(case: Case, latest: Latest, started_from: Record | None, proposal: Proposal,
                  today: dt.date | None = None, now: dt.datetime | None = None) -> Outcome:
    """Record progress (an agreement's goal status) on a submitted or signed version, keeping its
    signatures: only the progress columns may change, and a changed status is dated today."""
    _require_writer(case)
    form = case.form
    progress = _progress(form)
    last = latest.record
    if not progress:
        raise AccessDenied(messages.NO_PROGRESS)
    if last is None or last.status is Status.DRAFT:
        raise AccessDenied(messages.PROGRESS_NEEDS_SUBMITTED)
    _check_fresh(case.form, latest, proposal, started_from)
    now = now or utc_now()
    values = merge(case, dict(last.values), proposal.values, only=frozenset(progress))
    if content(form, normalise(form, values)) != content(form, normalise(form, last.values)):
        raise Forged(tuple(progress))
    for table_id, (status_column, date_column) in progress.items():
        old_rows = last.values.get(table_id) or ()
        rows = []
        for index, row in enumerate(values.get(table_id) or ()):
            row = dict(row)
            old = old_rows[index] if index < len(old_rows) else {}
            if row.get(status_column) != old.get(status_column):
                row[date_column] = today or now.date()
            else:
                row[date_column] = old.get(date_column)
            rows.append(row)
        values[table_id] = tuple(rows)
    canonical = check_submission(form, values)
    if canonical == dict(last.values):
        return Outcome(None, "progress", messages.NO_CHANGES)
    return Outcome(_new_record(case, last, canonical, last.status, now), "progress", messages.PROGRESS_SAVED)


def reopened(form: Form, filed: Record, target: Form, last: Record | None, now: dt.datetime | None = None
             ) -> Record | None:
    """The new draft of ``target`` that filing ``filed`` opens (``form.reopens``: a review signed by
    everyone deciding to revise the plan opens a new version of the agreement), or None when ``filed`` does not
    open one. The draft is ``last`` (the relationship's latest ``target`` record) with every
    signature cleared, saved by whoever filed ``filed``."""
    rule = form.reopens
    if rule is None or last is None or target.id != rule[2] or filed.status is not Status.SIGNED:
        return None
    if filed.values.get(rule[0]) != rule[1]:
        return None
    values = {key: value for key, value in last.values.items() if key not in signature_ids(target)}
    return Record(target.id, target.version, target.academic_year, last.person_id, last.department, Status.DRAFT,
                  values, created_at=last.created_at, saved_at=now or utc_now(), saved_by=filed.saved_by,
                  unknown=dict(last.unknown))


def ends_relationship(form: Form, record: Record) -> bool:
    """Does ``record`` (signed by every party) end the relationship it is kept for (``form.ends``)?"""
    return (form.ends is not None and record.status is Status.SIGNED
            and record.values.get(form.ends[0]) == form.ends[1])
