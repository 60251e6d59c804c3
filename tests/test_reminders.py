"""Reminders: who owes what on demo data, the messages, and sending to a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import threading
from email.message import EmailMessage
from pathlib import Path

import icalendar
import pytest
from aiosmtpd.controller import Controller

from mentorforms.commands.cli import main
from mentorforms.records import audit
from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.reminders import outbox, sentlog
from mentorforms.reminders.calendar import uid_for
from mentorforms.reminders.rules import RULES, Owed, Rule, conference_stage
from mentorforms.workbooks.workbook import read_record
from tests.conftest import DEMO_YEAR

#: Three weeks before the demo year's conference deadline (April 1, 2027).
THREE_WEEKS_BEFORE = DEMO_YEAR.conference_due - dt.timedelta(days=21)


class _Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, f"127.0.0.1:{controller.port}"
    finally:
        controller.stop()


@pytest.fixture
def audit_calls(monkeypatch):
    calls: list[dict] = []
    real = audit.append

    def record(root, action, **fields):
        calls.append({"action": action, **fields})
        return real(root, action, **fields)

    monkeypatch.setattr(audit, "append", record)
    return calls


def _part1_missing_by_hand(data_dir: Path) -> set[str]:
    """Faculty on the roster with no submitted or signed Part I this year, read from every workbook."""
    roster = load_roster(data_dir / "roster.xlsx")
    filed = set()
    for path in DataFolder(data_dir).iter_workbooks():
        record = read_record(path)
        if (record.form_id == "conference_part1" and record.academic_year == DEMO_YEAR
                and record.status.value in ("submitted", "signed")):
            filed.add(record.person_id)
    return {person.person_id for person in roster if person.has_role("faculty")} - filed


def _table_rows(output: str) -> list[list[str]]:
    lines = output.splitlines()
    header = lines[0]
    starts = [header.index(name) for name in ("person", "name", "reason", "form", "due", "note")]
    return [[line[start:end].strip() for start, end in zip(starts, starts[1:] + [None])] for line in lines[1:]]


def _parts(message: EmailMessage) -> dict[str, list]:
    found: dict[str, list] = {}
    for part in message.walk():
        found.setdefault(part.get_content_type(), []).append(part)
    return found


def test_remind_lists_exactly_the_people_whose_part1_is_missing(demo_dir: Path, capsys):
    expected = _part1_missing_by_hand(demo_dir)
    assert len(expected) >= 5  # the demo leaves most of the current year's Part I missing

    assert main(["remind", str(demo_dir), "--as-of", THREE_WEEKS_BEFORE.isoformat()]) == 0
    output = capsys.readouterr()
    rows = _table_rows(output.out)
    listed = {row[0] for row in rows if row[2] == "Part I not submitted"}
    assert listed == expected
    assert all(row[4] == "before April 1, 2027" for row in rows if row[2] == "Part I not submitted")

    preview = demo_dir / "reminders" / f"preview-{THREE_WEEKS_BEFORE.isoformat()}"
    written = sorted(preview.glob("*.eml"))
    assert len(written) == len({row[0] for row in rows})  # one message per person, whatever they owe
    recipients = {}
    for path in written:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        recipients[message["To"].addresses[0].addr_spec] = message
    roster = load_roster(demo_dir / "roster.xlsx")
    for person_id in expected:
        message = recipients[roster.get(person_id).email]
        text = message.get_body(("plain",)).get_content()
        assert "Part I" in text
        assert f"form=conference_part1&person={person_id}&year={DEMO_YEAR.label}" in text
        assert "text/calendar" in _parts(message)
    assert not (demo_dir / "reminders" / sentlog.LOG_NAME).exists()  # nothing was sent


def test_send_delivers_exactly_the_part1_messages_each_with_its_invitation_and_not_twice(
        demo_dir: Path, smtp, audit_calls, capsys):
    inbox, server = smtp
    expected = _part1_missing_by_hand(demo_dir)
    roster = load_roster(demo_dir / "roster.xlsx")
    day = THREE_WEEKS_BEFORE.isoformat()

    assert main(["remind", str(demo_dir), "--as-of", day, "--send", "--smtp", server, "--reason", "part1_missing"]) == 0
    delivered = {tuple(rcpt): message for rcpt, message in inbox.messages}
    assert len(inbox.messages) == len(expected)
    assert set(delivered) == {(roster.get(person_id).email,) for person_id in expected}
    for person_id in expected:
        person = roster.get(person_id)
        message = delivered[(person.email,)]
        parts = _parts(message)
        assert "text/plain" in parts and "text/html" in parts
        invitation = parts["text/calendar"][0]
        assert invitation.get_param("method") == "REQUEST"
        calendar = icalendar.Calendar.from_ical(invitation.get_content())
        assert str(calendar["METHOD"]) == "REQUEST"
        event = calendar.walk("VEVENT")[0]
        assert str(event["UID"]) == uid_for(person_id, DEMO_YEAR)
        assert int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART") == dt.date(2027, 3, 31)
        assert str(event["ATTENDEE"]).lower() == f"mailto:{person.email}".lower()
        assert any(part.get_filename() == "invite.ics" for part in message.iter_attachments())
    assert [call["person_id"] for call in audit_calls] and \
        sorted(call["person_id"] for call in audit_calls) == sorted(expected)
    assert {call["action"] for call in audit_calls} == {"reminder_sent"}

    # The same day again: nothing new, and the table says why.
    capsys.readouterr()
    assert main(["remind", str(demo_dir), "--as-of", day, "--send", "--smtp", server, "--reason", "part1_missing"]) == 0
    assert len(inbox.messages) == len(expected)
    rows = _table_rows(capsys.readouterr().out)
    assert {row[5] for row in rows} == {f"already sent {day}"}

    # Every reason the same day: the others go, Part I is not repeated to anyone.
    assert main(["remind", str(demo_dir), "--as-of", day, "--send", "--smtp", server]) == 0
    later = inbox.messages[len(expected):]
    assert later
    for _, message in later:
        assert "Part I (faculty form)" not in message.get_body(("plain",)).get_content()


def test_part1_reminders_go_at_30_14_and_3_days_not_every_day(demo_dir: Path, smtp, audit_calls):
    inbox, server = smtp
    host, port = server.split(":")
    due = DEMO_YEAR.conference_due
    sent_per_day = {}
    for days_before in (31, 30, 29, 21, 14, 13, 3, 2):
        before = len(inbox.messages)
        outbox.send(demo_dir, due - dt.timedelta(days=days_before), smtp_host=host, smtp_port=int(port),
                    actor="test", reasons=["part1_missing"])
        sent_per_day[days_before] = len(inbox.messages) - before
    missing = len(_part1_missing_by_hand(demo_dir))
    assert sent_per_day == {31: 0, 30: missing, 29: 0, 21: 0, 14: missing, 13: 0, 3: missing, 2: 0}
    # One invitation per person and year: the later ones update it (same UID), unchanged, so SEQUENCE stays.
    uids = {}
    for rcpt, message in inbox.messages:
        event = icalendar.Calendar.from_ical(_parts(message)["text/calendar"][0].get_content()).walk("VEVENT")[0]
        uids.setdefault(rcpt[0], set()).add((str(event["UID"]), int(event["SEQUENCE"])))
    assert all(len(seen) == 1 for seen in uids.values())


def test_conference_stage_boundaries():
    due = dt.date(2027, 4, 1)
    def stage(days: int) -> str | None:
        return conference_stage(due - dt.timedelta(days=days), due, (30, 14, 3), weekly_when_late=True)

    assert [stage(days) for days in (45, 31, 30, 15, 14, 4, 3, 1)] == \
        [None, None, "30d", "30d", "14d", "14d", "3d", "3d"]
    assert stage(0) == stage(-3) == "late-2027-03-29"  # one per week once late (weeks start on Monday)
    assert stage(-7) == "late-2027-04-05"
    assert conference_stage(due, due, (30,), weekly_when_late=False) is None


def test_two_runs_at_once_send_each_reminder_once(demo_dir: Path, smtp, audit_calls):
    inbox, server = smtp
    host, port = server.split(":")
    errors = []

    def run():
        try:
            outbox.send(demo_dir, THREE_WEEKS_BEFORE, smtp_host=host, smtp_port=int(port), actor="test",
                        reasons=["part1_missing"])
        except Exception as error:  # noqa: BLE001 - collected: the assertion below names it
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    recipients = [rcpt[0] for rcpt, _ in inbox.messages]
    assert len(recipients) == len(set(recipients)) == len(_part1_missing_by_hand(demo_dir))


def test_a_damaged_sent_log_stops_sending_and_names_the_file_and_line(demo_dir: Path, smtp, capsys):
    inbox, server = smtp
    log = demo_dir / "reminders" / sentlog.LOG_NAME
    log.parent.mkdir(parents=True)
    log.write_text('{"sent_at": "2027-03-01T09:00:00+00:00", "day": "2027-03-01", "person_id": "F00001", '
                   '"keys": [], "reasons": []}\nnot json at all\n', encoding="utf-8")
    status = main(["remind", str(demo_dir), "--as-of", THREE_WEEKS_BEFORE.isoformat(), "--send", "--smtp", server])
    assert status == 1
    error = capsys.readouterr().err
    assert str(log) in error and "line 2" in error
    assert inbox.messages == []


def test_an_unreachable_mail_server_is_one_plain_line(demo_dir: Path, capsys):
    status = main(["remind", str(demo_dir), "--as-of", THREE_WEEKS_BEFORE.isoformat(), "--send",
                   "--smtp", f"127.0.0.1:{_free_port()}"])
    assert status == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert error[-1].startswith("mentorforms remind: cannot send through 127.0.0.1:")
    assert not (demo_dir / "reminders" / sentlog.LOG_NAME).exists()


def test_part2_not_held_goes_to_the_chair_or_designee_near_the_deadline(demo_dir: Path):
    roster = load_roster(demo_dir / "roster.xlsx")
    week_before = outbox.preview(demo_dir, DEMO_YEAR.conference_due - dt.timedelta(days=7), reasons=["part2_not_held"])
    assert outbox.preview(demo_dir, THREE_WEEKS_BEFORE, reasons=["part2_not_held"]).owed == []
    submitted_part1, signed_part2 = set(), set()
    for path in DataFolder(demo_dir).iter_workbooks():
        record = read_record(path)
        if record.academic_year != DEMO_YEAR or record.status.value == "draft":
            continue
        if record.form_id == "conference_part1":
            submitted_part1.add(record.person_id)
        if record.form_id == "conference_part2" and record.status.value == "signed":
            signed_part2.add(record.person_id)
    expected_subjects = submitted_part1 - signed_part2
    assert expected_subjects
    assert {item.subject_id for item in week_before.owed} == expected_subjects
    for item in week_before.owed:
        recipient, subject = roster.get(item.person_id), roster.get(item.subject_id)
        if item.person_id != item.subject_id:
            assert recipient.department == subject.department
            assert recipient.has_role("chair") or recipient.has_role("designee")
            assert subject.name in item.reason
        else:  # only the faculty member's signature is missing, or a chair's own conference
            assert subject.has_role("chair") or "signature" in item.reason


def test_a_new_reason_is_one_rule_and_joins_the_persons_one_message(demo_dir: Path):
    def agenda_not_shared(situation):
        person = situation.roster.get("F00001")
        yield Owed(person.person_id, person.name, person.email, "", "Share the agenda for tomorrow's meeting",
                   "agenda not shared", "agreement", person.person_id, situation.as_of, "tomorrow",
                   "agenda:F00001:2027-03-12", "1d", (("form", "agreement"), ("person", "F00001")))

    rules = (*RULES, Rule("agenda_not_shared", "relationship", agenda_not_shared))
    with sentlog.locked(demo_dir):
        current = outbox.plan(demo_dir, THREE_WEEKS_BEFORE, sentlog.read(demo_dir), rules=rules)
    mine = [reminder for reminder in current.reminders if reminder.person_id == "F00001"]
    assert len(mine) == 1
    text = mine[0].message.get_body(("plain",)).get_content()
    assert "Share the agenda for tomorrow's meeting" in text
    assert len(mine[0].items) >= 2


def _hostile_item(name: str) -> Owed:
    return Owed("F9", name, "bob@example.org", "part1_missing", "Your Part I <b>is</b> missing", "Part I not submitted",
                "conference_part1", "F9", dt.date(2027, 4, 1), "before April 1, 2027", "part1_missing:x", "30d",
                (("form", "conference_part1"), ("person", "F9&as=F1")), True)


def test_names_are_shown_as_text_never_as_markup_or_extra_recipients():
    from mentorforms.reminders.mail import compose

    reminder = compose([_hostile_item('<img src=x onerror=alert(1)> "Bob", Eve <eve@example.net>')], year=DEMO_YEAR)
    parsed = email.message_from_bytes(reminder.message.as_bytes(), policy=email.policy.default)
    assert [address.addr_spec for address in parsed["To"].addresses] == ["bob@example.org"]
    html = parsed.get_body(("html",)).get_content()
    assert "<img" not in html and "<b>is</b>" not in html and "&lt;img" in html
    assert "person=F9%26as%3DF1" in html  # a link's values are encoded, never extra parameters


def test_a_name_that_would_add_a_header_is_refused_not_sent():
    from mentorforms.reminders.mail import compose

    with pytest.raises(ValueError):
        compose([_hostile_item("Bob\r\nBcc: all@example.org")], year=DEMO_YEAR)
