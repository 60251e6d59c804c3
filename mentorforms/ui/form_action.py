"""The wrapper every form-page action runs in: refusals and expected failures become a plain
message on the page, a line in the server log and an entry in the audit trail (every refusal:
a forged field, an action the viewer may not take, answers or a signature the rules refuse, text a
workbook cannot hold); nothing typed is touched."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mentorforms import messages
from mentorforms.errors import AccessDenied, UnsafeTextError, ValidationFailed, WorkbookError
from mentorforms.records.store import SaveError
from mentorforms.rules import trail, workflow
from mentorforms.ui.context import server_log

if TYPE_CHECKING:
    from mentorforms.ui.form_page import FormPage

log = server_log()

#: The past participle of each action, for "Not saved: ...".
VERBS = {"saving a draft": "saved", "submitting": "submitted", "signing": "signed", "saving goal status": "saved"}


def action(name: str) -> Callable:
    """Wrap a page action: refusals and expected failures become a plain message on the page and a
    line in the server log; nothing typed is touched."""

    def wrap(method: Callable) -> Callable:
        @functools.wraps(method)
        def run(self: FormPage, *args: Any) -> Any:
            try:
                return method(self, *args)
            except workflow.Forged as error:
                log.warning("%s refused for %s: forged fields %s", name, self.viewer.person_id, error.fields)
                trail.note(self.session.folder, "refused", self.case, detail=f"{name}: may not write "
                           f"{', '.join(error.fields)}")
                self.say(str(error), "error")
            except workflow.Stale as error:
                self._show_conflict(error, name)
            except AccessDenied as error:
                log.warning("%s refused for %s: %s", name, self.viewer.person_id, error)
                trail.note(self.session.folder, "refused", self.case, detail=f"{name}: {error}")
                self.say(str(error), "error")
            except ValidationFailed as failed:
                trail.note(self.session.folder, "refused", self.case, detail=f"{name}: " + "; ".join(
                    str(problem) for problem in failed.problems))
                self._fail(failed, name)
            except UnsafeTextError as error:
                log.warning("%s: unsafe text from %s: %s", name, self.viewer.person_id, error)
                trail.note(self.session.folder, "refused", self.case, detail=f"{name}: {error.reason}")
                self.say(messages.say(messages.PAGE_NOT_SAVED_TEXT, reason=error.reason), "error")
            except (SaveError, WorkbookError, OSError) as error:
                log.exception("%s failed for %s", name, self.viewer.person_id)
                self.say(messages.say(messages.PAGE_NOT_SAVED_FOLDER, error=type(error).__name__), "error")
            return None
        return run

    return wrap
