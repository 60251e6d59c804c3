"""Filing a version and noting what people do, in one place: every save a page makes goes
through :func:`file`, every other action that matters (a refusal, opening someone else's form,
a print view) through :func:`note`. Both end in the audit trail (:mod:`mentorforms.audit`)."""

from __future__ import annotations

import logging

from mentorforms.errors import AuditError
from mentorforms import audit
from mentorforms.parties import Case
from mentorforms.record import Record
from mentorforms.store import DataFolder, StoredVersion

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
