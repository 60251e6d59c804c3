"""What filing one form does to others of the same relationship (``Form.reopens``, ``Form.ends``).

A yearly review that decides to revise the plan opens a new version of the agreement: the last
agreement of the same mentee and mentor (this year or, if none, one of the two years before),
as a draft with its signatures cleared, so both must agree to the revised plan again.
"""

from __future__ import annotations

from collections.abc import Iterable

from mentorforms.errors import WorkbookError
from mentorforms.forms import form_ids, get_form
from mentorforms.records.store import DataFolder, StoredVersion, VersionTaken
from mentorforms.rules import workflow
from mentorforms.rules.parties import Case, key_person_id
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record

#: How many academic years back a relationship's earlier form is looked for.
YEARS_BACK = 2


def file_follow_ups(folder: DataFolder, form: Form, filed: Record, case: Case, *, person_name: str = ""
                    ) -> list[StoredVersion]:
    """File whatever ``filed`` (just filed as ``case``) opens in another form; the versions filed."""
    if form.reopens is None:
        return []
    key = key_person_id(form, case.instance)
    for back in range(YEARS_BACK + 1):
        year = form.academic_year.start - back
        target = get_form(form.reopens[2], year)
        for _ in range(3):  # built on the latest version; read again if another save takes its number first
            stored = folder.latest_version(target.id, target.academic_year, filed.person_id, key)
            if stored is None:
                break
            draft = workflow.reopened(form, filed, target, folder.read(stored))
            if draft is None:
                return []
            try:
                return [folder.save(draft, person_name=person_name, action="reopen", actor=case.viewer.person_id,
                                    detail=f"{form.id}: {form.field(form.reopens[0]).label}", checked=True,
                                    built_on=stored)]
            except VersionTaken:
                continue
        else:
            if stored is not None:  # three saves in a row took the number first
                raise VersionTaken(stored.path.parent, stored.version + 1)
    return []


def ended_relationships(folder: DataFolder, year: AcademicYear, subject_ids: Iterable[str]) -> set[tuple[str, str]]:
    """(subject id, key person id) of the relationships of ``subject_ids`` that a form declaring
    ``ends`` (the yearly review), signed by both, ended in ``year`` or the year before. Unreadable
    workbooks are skipped (the check command names them)."""
    ended: set[tuple[str, str]] = set()
    for form_id in form_ids():
        for start in (year.start - 1, year.start):
            form = get_form(form_id, start)
            if form.ends is None:
                continue
            for subject_id in subject_ids:
                newest = {}
                for stored in folder.versions(form.id, form.academic_year, subject_id):
                    newest[stored.path.parent] = stored
                for stored in newest.values():
                    try:
                        record = folder.read(stored)
                    except WorkbookError:
                        continue
                    if workflow.ends_relationship(form, record):
                        kept_for = record.values.get(form.instance_field) if form.instance_field else None
                        key = key_person_id(form, str(kept_for or "") or None)
                        ended.add((subject_id, key or ""))
    return ended
