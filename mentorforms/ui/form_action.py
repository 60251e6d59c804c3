"""The wrapper every form-page action runs in: refusals and expected failures become a plain
message on the page, a line in the server log and an entry in the audit trail (every refusal:
a forged field, an action the viewer may not take, answers or a signature the rules refuse, text a
workbook cannot hold); nothing typed is touched. And :func:`file_outcome`, filing what an action
decided."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from mentorforms import messages
from mentorforms.errors import AccessDenied, AuditNotRecorded, UnsafeTextError, ValidationFailed, WorkbookError
from mentorforms.records.store import DataFolder, SaveError, StoredVersion, VersionTaken
from mentorforms.rules import trail, workflow
from mentorforms.rules.parties import Case
from mentorforms.ui.context import server_log
from mentorforms.vocabulary.record import Record

if TYPE_CHECKING:
    from mentorforms.ui.form_page import FormPage

log = server_log()
P = ParamSpec("P")
R = TypeVar("R")

#: The past participle of each action, for "Not saved: ...".
VERBS = {"saving a draft": "saved", "submitting": "submitted", "signing": "signed", "saving goal status": "saved"}


def action(name: str) -> Callable[[Callable[Concatenate[FormPage, P], R]],
                                  Callable[Concatenate[FormPage, P], R | None]]:
    """Wrap a page action: refusals and expected failures become a plain message on the page and a
    line in the server log; nothing typed is touched (the action then returns None)."""

    def wrap(method: Callable[Concatenate[FormPage, P], R]) -> Callable[Concatenate[FormPage, P], R | None]:
        @functools.wraps(method)
        def run(self: FormPage, *args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return method(self, *args, **kwargs)
            except workflow.Forged as error:
                log.warning("%s refused for %s: forged fields %s", name, self.viewer.person_id, error.fields)
                trail.note(self.session.folder, "refused", self.case, detail=f"{name}: may not write "
                           f"{', '.join(error.fields)}")
                self.lines.say(str(error), "error")
            except workflow.Stale as error:
                self._show_conflict(error, name)
            except AccessDenied as error:
                log.warning("%s refused for %s: %s", name, self.viewer.person_id, error)
                trail.note(self.session.folder, "refused", self.case, detail=f"{name}: {error}")
                self.lines.say(str(error), "error")
            except ValidationFailed as failed:
                trail.note(self.session.folder, "refused", self.case, detail=f"{name}: " + "; ".join(
                    str(problem) for problem in failed.problems))
                self._fail(failed, name)
            except UnsafeTextError as error:
                log.warning("%s: unsafe text from %s: %s", name, self.viewer.person_id, error)
                trail.note(self.session.folder, "refused", self.case, detail=f"{name}: {error.reason}")
                self.lines.say(messages.say(messages.PAGE_NOT_SAVED_TEXT, reason=error.reason), "error")
            except (SaveError, WorkbookError, OSError) as error:
                log.exception("%s failed for %s", name, self.viewer.person_id)
                self.lines.say(messages.say(messages.PAGE_NOT_SAVED_FOLDER, error=type(error).__name__), "error")
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
