"""The dashboard's "Reminders" tab: who owes what in the departments shown (the rows
``mentorforms remind`` prints), the messages that would go, and sending them.

The list and the preview come from :func:`mentorforms.reminders.outbox.preview`; sending from
:func:`~mentorforms.reminders.outbox.send`, so the sent-log keeps a reason from going twice on one
day and every message is audited as ``reminder_sent`` with the viewer as actor. The mail server is
the one the page's server was started with (:mod:`mentorforms.reminders.settings`); without one
the button stays disabled and says how to set it up. Who may send, and for which departments, is
decided again on the server at each click (a crafted widget message can press a disabled button):
a refused click is audited as ``refused``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.errors import AccessDenied, AuditError, MentorformsError
from mentorforms.forms import UnknownFormError, get_form
from mentorforms.records import audit
from mentorforms.reminders import outbox
from mentorforms.reminders.outbox import Outcome, Plan
from mentorforms.reminders.settings import BadMailSetting, MailSettings, from_environment
from mentorforms.reports import suppress
from mentorforms.rules import access
from mentorforms.ui.context import Session, server_log
from mentorforms.ui.dashboard_sections import escape, html_table

log = server_log()

#: The widget action a refused click is audited under (the detail says which).
SEND_ACTION = "send reminders"


def _banner(text: str, kind: str) -> str:
    return f'<div class="mf-banner mf-{kind}">{escape(text)}</div>'


class RemindersPanel:
    """The tab for one viewer. ``departments()`` gives the departments the dashboard shows now;
    ``mail`` is the server's mail setting (None: sending is off; ``mail_problem`` says why when the
    setting was there but unusable)."""

    def __init__(self, session: Session, departments: Callable[[], Sequence[str]], *, as_of: dt.date,
                 mail: MailSettings | None, mail_problem: str = "") -> None:
        self.session = session
        self.viewer = session.viewer
        self.departments = departments
        self.as_of = as_of
        self.mail = mail
        self.plan: Plan | None = None
        self.outcome: Outcome | None = None
        self._lock = threading.Lock()
        may_send = bool(access.reminder_departments(self.viewer, session.roster))

        self.listing = widgets.HTML()
        self.listing.add_class("mf-dash-reminders")
        self.preview_button = widgets.Button(description="Preview", icon="eye", layout=widgets.Layout(width="auto"))
        self.preview_button.add_class("mf-remind-preview")
        self.send_button = widgets.Button(description="Send reminders", icon="paper-plane", button_style="primary",
                                          disabled=mail is None, layout=widgets.Layout(width="auto"))
        self.send_button.add_class("mf-remind-send")
        setup = mail_problem or messages.REMINDERS_NO_SMTP
        self.send_note = widgets.HTML("" if mail is not None else f'<p class="mf-note">{escape(setup)}</p>')
        self.preview = widgets.HTML()
        self.preview.add_class("mf-remind-messages")
        self.result = widgets.HTML()
        self.result.add_class("mf-remind-result")
        buttons = [self.preview_button] + ([self.send_button] if may_send else [])
        self.widget = widgets.VBox([self.listing, widgets.HBox(buttons), self.send_note if may_send else
                                    widgets.HTML(), self.result, self.preview])
        #: Send in a thread (the page's own): a slow mail server must not freeze the page. Tests
        #: send in the click, to read what arrived right after it.
        self.background = True
        self.sending: threading.Thread | None = None
        self.preview_button.on_click(lambda _: self._callback(self.show_preview))
        self.send_button.on_click(lambda _: self._click_send())

    def _click_send(self) -> None:
        if self.sending is not None and self.sending.is_alive():
            return  # one send at a time; a second click while sending does nothing
        refusal = self._send_refusal(tuple(self.departments()))
        if refusal or not self.background:  # a refusal is said (and audited) at once
            self._callback(self.send)
            return
        self.result.value = _banner(messages.REMINDERS_SENDING, "note")
        self.sending = threading.Thread(target=self._callback, args=(self.send,), daemon=True)
        self.sending.start()

    # ----------------------------------------------------------------- what is owed

    def _names_hidden(self, departments: Sequence[str]) -> bool:
        return suppress.applies(self.viewer, departments)

    def _checked_departments(self) -> tuple[str, ...]:
        departments = tuple(self.departments())
        visible = access.visible_departments(self.viewer, self.session.roster)
        for department in departments:
            access.require(department in visible, messages.say(messages.REMINDERS_NOT_YOURS, department=department))
        return departments

    def draw(self) -> None:
        """The outstanding list for the shown departments (the preview is cleared)."""
        departments = self._checked_departments()
        folder = self.session.folder.root
        sender, base_url = (self.mail.sender, self.mail.base_url) if self.mail else (outbox.DEFAULT_SENDER,
                                                                                   outbox.DEFAULT_BASE_URL)
        with self._lock:
            self.plan = outbox.preview(folder, self.as_of, departments=list(departments), sender=sender,
                                       base_url=base_url)
        self.preview.value = ""
        self.listing.value = self._listing_html(self.plan, departments)

    def _title(self, form_id: str, plan: Plan) -> str:
        try:
            return get_form(form_id, plan.year).title
        except UnknownFormError:
            return form_id

    def _listing_html(self, plan: Plan, departments: Sequence[str]) -> str:
        day = plan.as_of.isoformat()
        intro = messages.say(messages.REMINDERS_INTRO, day=day, departments=", ".join(departments))
        parts = [f"<h2>Reminders owed on {escape(day)}</h2>", f'<p class="mf-note">{escape(intro)}</p>']
        if not plan.owed:
            parts.append(f"<p>{escape(messages.say(messages.REMINDER_TABLE_EMPTY, day=day))}</p>")
            return "".join(parts)
        if self._names_hidden(departments):
            counts: dict[str, int] = {}
            for item in plan.owed:
                counts[item.rule_id] = counts.get(item.rule_id, 0) + 1
            parts.append(html_table(["Reason", "Reminders owed"], [
                [rule, suppress.SUPPRESSED if suppress.small(count) else count] for rule, count in counts.items()]))
            parts.append(f'<p class="mf-note">{escape(messages.REMINDERS_NAMES_HIDDEN)}</p>')
            return "".join(parts)
        parts.append(html_table(["Person", "Reason", "Form", "Due", "Note"], [
            [item.name, item.short, self._title(item.form_id, plan), item.due_text, plan.note(item)]
            for item in plan.owed]))
        return "".join(parts)

    # ----------------------------------------------------------------- the messages

    def show_preview(self) -> None:
        """The messages that would go now: recipient, subject and text of each."""
        self.draw()
        plan = self.plan
        assert plan is not None
        departments = tuple(self.departments())
        if self._names_hidden(departments):
            self.preview.value = f'<p class="mf-note">{escape(messages.REMINDERS_NAMES_HIDDEN)}</p>'
            return
        if not plan.reminders:
            self.preview.value = f"<p>{escape(messages.REMINDERS_PREVIEW_NONE)}</p>"
            return
        heading = messages.say(messages.REMINDERS_PREVIEW_HEADING,
                               messages=messages.counted(len(plan.reminders), "message"))
        shown = [f"<h2>{escape(heading)}</h2>"]
        for reminder in plan.reminders:
            message = reminder.message
            body = message.get_body(("plain",))
            text = "" if body is None else body.get_content()
            shown.append(f'<details class="mf-remind-message"><summary>{escape(message["To"])}: '
                         f'{escape(message["Subject"])}</summary><pre style="white-space: pre-wrap">'
                         f"{escape(text)}</pre></details>")
        self.preview.value = "".join(shown)

    def send(self) -> Outcome | None:
        """Send what is owed in the shown departments through the server's mail server, if the
        viewer may (checked here, on the server); None when refused or nothing could be sent."""
        departments = tuple(self.departments())
        refusal = self._send_refusal(departments)
        if refusal:
            self._refuse(refusal)
            return None
        assert self.mail is not None  # _send_refusal says so otherwise
        self.send_button.disabled = True
        try:
            with self._lock:
                outcome = outbox.send(self.session.folder.root, self.as_of, smtp_host=self.mail.host,
                                      smtp_port=self.mail.port, actor=self.viewer.person_id,
                                      departments=list(departments), base_url=self.mail.base_url,
                                      sender=self.mail.sender)
        except outbox.SmtpUnavailable as error:
            self.result.value = _banner(str(error), "error")
            return None
        finally:
            self.send_button.disabled = False
        self.outcome = outcome
        lines = [messages.say(messages.REMINDERS_SENT_PAGE, messages=messages.counted(len(outcome.sent), "message"),
                              server=self.mail.server, held=messages.counted(len(outcome.plan.held_back), "item"))]
        if outcome.failed:
            lines.append(messages.say(messages.REMINDERS_REFUSED_BY_SERVER,
                                      messages=messages.counted(len(outcome.failed), "message"),
                                      people=", ".join(reminder.name for reminder, _ in outcome.failed)))
        self.draw()
        self.result.value = _banner(" ".join(lines), "error" if outcome.failed else "ok")
        return outcome

    def _send_refusal(self, departments: Sequence[str]) -> str:
        """Why the viewer may not send for ``departments`` now ("" when they may)."""
        allowed = access.reminder_departments(self.viewer, self.session.roster)
        refused = [department for department in departments if department not in allowed]
        if not allowed or refused or not departments:
            return messages.say(messages.REMINDERS_MAY_NOT_SEND,
                                departments=", ".join(refused or departments) or "no department")
        return "" if self.mail is not None else messages.REMINDERS_NO_SMTP

    def _refuse(self, reason: str) -> None:
        log.warning("%s refused for %s: %s", SEND_ACTION, self.viewer.person_id, reason)
        try:
            audit.append(self.session.folder.root, "refused", actor=self.viewer.person_id,
                         detail=f"{SEND_ACTION}: {reason}")
        except (OSError, AuditError):  # the refusal still stands; the operators see why in the server log
            log.exception("the audit trail could not record a refused %s", SEND_ACTION)
        self.result.value = _banner(reason, "refusal")

    def _callback(self, action: Callable[[], object]) -> None:
        try:
            action()
        except AccessDenied as error:
            self._refuse(str(error))
        except MentorformsError as error:  # a sent-log or index problem: named plainly
            log.warning("reminders tab for %s: %s", self.viewer.person_id, error)
            self.result.value = _banner(str(error), "error")
        except Exception:  # callback boundary: log it, say it plainly
            log.exception("reminders tab failed for %s", self.viewer.person_id)
            self.result.value = _banner(messages.REPORT_TAB_FAILED, "error")


def reminders_panel(session: Session, departments: Callable[[], Sequence[str]], as_of: dt.date,
                    environ: Mapping[str, str]) -> RemindersPanel:
    """The tab for ``session``, sending through the mail server named in the server's ``environ``
    (a setting that cannot be used turns sending off and says why)."""
    problem = ""
    try:
        mail = from_environment(environ)
    except BadMailSetting as error:
        log.error("reminders: %s", error)
        mail, problem = None, messages.say(messages.REMINDERS_BAD_SETTING, reason=str(error))
    return RemindersPanel(session, departments, as_of=as_of, mail=mail, mail_problem=problem)
