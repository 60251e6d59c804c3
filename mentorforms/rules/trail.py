"""Filing a version and noting what people do, in one place: every save a page makes goes
through :func:`file`, every other action that matters (a refusal, opening someone else's form,
a print view) through :func:`note`. Both end in the audit trail (:mod:`mentorforms.records.audit`)."""

from __future__ import annotations

import logging
from pathlib import Path

from mentorforms.errors import AuditError
from mentorforms.records import audit
from mentorforms.records.store import MARKER, DataFolder, StoredVersion
from mentorforms.rules.parties import Case
from mentorforms.vocabulary.record import Record

log = logging.getLogger("mentorforms.ui")


def file(folder: DataFolder, record: Record, action: str, case: Case, *, person_name: str = "",
         built_on: StoredVersion | None = None) -> StoredVersion:
    """File ``record`` as the version after ``built_on`` (None: the form had no version), checked
    and claimed in one step (VersionTaken when another save took that number first); the store
    writes the audit entry with its digest."""
    return folder.save(record, person_name=person_name, action=action, actor=case.viewer.person_id,
                       checked=True, built_on=built_on)


def note(folder: DataFolder, action: str, case: Case, *, version: int | None = None, detail: str = "") -> None:
    """Append ``action`` on ``case`` to the audit trail. A trail that cannot be written is logged
    for the operators; the person's page goes on."""
    try:
        audit.append(folder.root, action, actor=case.viewer.person_id, form_id=case.form.id,
                     person_id=case.subject.person_id, year=case.form.academic_year.label,
                     instance=case.instance, version=version, detail=detail)
    except (OSError, AuditError):  # audit.append raises AuditError (naming the log) when it cannot write
        log.exception("the audit trail could not be written (%s by %s)", action, case.viewer.person_id)


def refused(folder: DataFolder, actor: str, what: str, reason: str, *, form_id: str | None = None,
            person_id: str | None = None, year: str | None = None, instance: str | None = None) -> None:
    """Record a refusal before a case exists (a page open the roster does not allow, a year outside
    the office's window): who, what was asked (``what`` and the keys, as asked) and why. Like
    :func:`note`, a trail that cannot be written is logged and the page goes on."""
    try:
        audit.append(folder.root, "refused", actor=actor, form_id=form_id, person_id=person_id, year=year,
                     instance=instance, detail=f"{what}: {reason}")
    except (OSError, AuditError):
        log.exception("the audit trail could not be written (refused %s by %s)", what, actor)


def downloaded(folder: DataFolder, case: Case, stored: StoredVersion, content: bytes, name: str) -> bool:
    """Record that the workbook of ``stored`` is handed to the viewer (its digest under the name it
    is saved as). False (and the reason in the server log) when the trail cannot be written: then
    the download is not offered."""
    try:
        audit.append(folder.root, "downloaded", actor=case.viewer.person_id, form_id=case.form.id,
                     person_id=case.subject.person_id, year=case.form.academic_year.label, instance=case.instance,
                     version=stored.version, files={name: audit.sha256_of(content)}, detail="workbook")
    except (OSError, AuditError):
        log.exception("the audit trail could not record a download by %s", case.viewer.person_id)
        return False
    return True


def refused_by_command(root: Path | str, what: str, reason: str, *, form_id: str | None = None,
                       person_id: str | None = None, year: str | None = None) -> None:
    """Record a command's refusal (an import or a report refused) in the data folder ``root``'s
    trail, by the account that ran it; nothing is written to a folder that is not a data folder."""
    if not (Path(root) / MARKER).is_file():
        return
    refused(DataFolder(root), audit.command_line_actor(), what, reason, form_id=form_id, person_id=person_id,
            year=year)
