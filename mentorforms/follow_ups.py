"""What filing one form does to another of the same relationship (``Form.reopens``).

A yearly review that decides to revise the plan opens a new version of the agreement: the last
agreement of the same mentee and mentor (this year or, if none, one of the two years before),
as a draft with its signatures cleared, so both must agree to the revised plan again.
"""

from __future__ import annotations

from mentorforms import workflow
from mentorforms.declaration import Form
from mentorforms.forms import get_form
from mentorforms.parties import Case, key_person_id
from mentorforms.record import Record
from mentorforms.store import DataFolder, StoredVersion

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
        last = folder.latest(target.id, target.academic_year, filed.person_id, key)
        if last is None:
            continue
        draft = workflow.reopened(form, filed, target, last)
        if draft is None:
            return []
        return [folder.save(draft, person_name=person_name, action="reopen", actor=case.viewer.person_id,
                            detail=f"{form.id}: {form.field(form.reopens[0]).label}")]
    return []
