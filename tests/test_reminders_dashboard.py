"""The dashboard's Reminders tab, driven as plain Python (no browser) on demo data, sending to a
real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from mentorforms.records import audit
from mentorforms.records.roster import load_roster
from mentorforms.reminders import outbox
from mentorforms.reminders.settings import MailSettings
from mentorforms.ui.context import PageRequest, open_session
from mentorforms.ui.dashboard import dashboard_app
from mentorforms.ui.dashboard_tabs import REMINDERS_TAB
from mentorforms.ui.reminders_tab import RemindersPanel
from tests.conftest import DEMO_YEAR
from tests.test_reminders import smtp  # noqa: F401 (fixture)

#: Early in the demo year: reviews are overdue and an unshared agenda's meeting is near.
EARLY = dt.date(DEMO_YEAR.start, 9, 27)


def _env(data_dir: Path, person_id: str, **extra: str) -> dict[str, str]:
    return {"MENTORFORMS_DATA": str(data_dir), "MENTORFORMS_AS": person_id, **extra}


def _chair_with_reminders(data_dir: Path) -> tuple[str, str, outbox.Plan, set[str]]:
    """A chair whose department owes something, that department's plan, and names owed only elsewhere."""
    roster = load_roster(data_dir / "roster.xlsx")
    everyone = {item.name for item in outbox.preview(data_dir, EARLY).owed}
    for chair in sorted((person for person in roster if person.has_role("chair")), key=lambda p: p.person_id):
        mine = outbox.preview(data_dir, EARLY, departments=[chair.department])
        elsewhere = everyone - {item.name for item in mine.owed}
        if mine.reminders and elsewhere:
            return chair.person_id, chair.department, mine, elsewhere
    raise AssertionError("the demo has no chair with reminders owed in their department on EARLY")


def _open_tab(data_dir: Path, person_id: str, **extra: str):
    root = dashboard_app(_env(data_dir, person_id, **extra), background=False, as_of=EARLY)
    dashboard = root.dashboard
    assert dashboard.tabs.reminders.listing.value == ""  # drawn when first opened, like the other tabs
    dashboard.tabs.widget.selected_index = REMINDERS_TAB
    return dashboard.tabs.reminders


def test_a_chairs_list_and_preview_hold_only_their_department(demo_dir: Path):
    chair_id, department, mine, elsewhere = _chair_with_reminders(demo_dir)
    panel = _open_tab(demo_dir, chair_id)
    listing = panel.listing.value
    for item in mine.owed:
        assert html.escape(item.name) in listing and html.escape(item.short) in listing
    assert not [name for name in elsewhere if html.escape(name) in listing]

    panel.preview_button.click()
    shown = panel.preview.value
    assert shown.count('class="mf-remind-message"') == len(mine.reminders)
    for reminder in mine.reminders:
        assert html.escape(reminder.email) in shown and html.escape(str(reminder.message["Subject"])) in shown
    assert not [name for name in elsewhere if html.escape(name) in shown]
    assert not (demo_dir / "reminders" / "sent.jsonl").exists()  # a preview sends nothing


def test_send_delivers_the_chairs_messages_once_and_audits_the_chair(demo_dir: Path, smtp):  # noqa: F811
    inbox, server = smtp
    chair_id, _, mine, _ = _chair_with_reminders(demo_dir)
    panel = _open_tab(demo_dir, chair_id, MENTORFORMS_SMTP=server, MENTORFORMS_MAIL_FROM="FA <fa@example.org>")
    assert not panel.send_button.disabled and panel.send_note.value == ""
    panel.send_button.click()
    delivered = sorted(rcpt[0] for rcpt, _ in inbox.messages)
    assert delivered == sorted(reminder.email for reminder in mine.reminders)
    assert {str(message["From"]) for _, message in inbox.messages} == {"FA <fa@example.org>"}
    sent = [entry for entry in audit.entries(demo_dir) if entry.action == "reminder_sent"]
    assert {entry.actor for entry in sent} == {chair_id}
    assert sorted(entry.person_id for entry in sent) == sorted(reminder.person_id for reminder in mine.reminders)
    assert f"Sent {len(mine.reminders)} message{'s' if len(mine.reminders) != 1 else ''} " in panel.result.value
    assert "already sent" in panel.listing.value  # the list shows what went

    panel.send_button.click()  # the same day again: nothing new
    assert len(inbox.messages) == len(delivered)
    assert "Sent 0 messages" in panel.result.value


def test_without_a_mail_server_sending_is_off_and_says_how_to_set_it_up(demo_dir: Path):
    chair_id, *_ = _chair_with_reminders(demo_dir)
    panel = _open_tab(demo_dir, chair_id)
    assert panel.send_button.disabled
    assert "--smtp HOST:PORT" in panel.send_note.value and "MENTORFORMS_SMTP" in panel.send_note.value
    panel.send_button.click()  # a crafted click on the disabled button
    assert "Sending is off" in panel.result.value
    assert not (demo_dir / "reminders" / "sent.jsonl").exists()

    broken = _open_tab(demo_dir, chair_id, MENTORFORMS_SMTP="no-port-here")
    assert broken.send_button.disabled and "cannot be used" in broken.send_note.value


def test_faculty_never_see_the_tab_and_a_crafted_send_is_refused_and_audited(demo_dir: Path, smtp):  # noqa: F811
    inbox, server = smtp
    roster = load_roster(demo_dir / "roster.xlsx")
    faculty = next(person for person in roster if person.has_role("faculty") and not person.has_role("chair"))
    root = dashboard_app(_env(demo_dir, faculty.person_id, MENTORFORMS_SMTP=server), background=False, as_of=EARLY)
    assert not hasattr(root, "dashboard")  # no dashboard, so no tab

    # Even given the panel (as a crafted widget message might reach it), the server refuses.
    session = open_session(_env(demo_dir, faculty.person_id), PageRequest())
    host, port = server.split(":")
    panel = RemindersPanel(session, lambda: (faculty.department,), as_of=EARLY,
                           mail=MailSettings(host, int(port)))
    assert panel.send_button not in panel.widget.children[1].children  # no button offered
    panel.send_button.click()
    assert inbox.messages == []
    assert "may send reminders" in panel.result.value
    refused = [entry for entry in audit.entries(demo_dir) if entry.action == "refused"]
    assert refused and refused[-1].actor == faculty.person_id and "send reminders" in refused[-1].detail
    assert not (demo_dir / "reminders" / "sent.jsonl").exists()


def test_a_chair_cannot_send_for_another_department(demo_dir: Path, smtp):  # noqa: F811
    inbox, server = smtp
    chair_id, department, *_ = _chair_with_reminders(demo_dir)
    session = open_session(_env(demo_dir, chair_id), PageRequest())
    other = next(person.department for person in session.roster.faculty() if person.department != department)
    host, port = server.split(":")
    panel = RemindersPanel(session, lambda: (other,), as_of=EARLY, mail=MailSettings(host, int(port)))
    panel.send_button.click()
    assert inbox.messages == []
    assert html.escape(other) in panel.result.value
    assert [entry for entry in audit.entries(demo_dir) if entry.action == "refused"][-1].actor == chair_id


def test_the_page_sends_in_the_background_and_says_so_meanwhile(demo_dir: Path, smtp):  # noqa: F811
    inbox, server = smtp
    chair_id, _, mine, _ = _chair_with_reminders(demo_dir)
    panel = _open_tab(demo_dir, chair_id, MENTORFORMS_SMTP=server)
    panel.background = True  # as on the served page: a slow mail server must not freeze it
    panel.send_button.click()
    assert panel.sending is not None
    panel.sending.join(timeout=120)
    assert not panel.sending.is_alive()
    assert sorted(rcpt[0] for rcpt, _ in inbox.messages) == sorted(reminder.email for reminder in mine.reminders)
    assert "Sent" in panel.result.value
