"""The mentoring-year reminders on demo data: a yearly review due or overdue, and an agenda not
shared the day before a meeting; checked against the year's records, and sent at most once."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from pathlib import Path

from mentorforms.commands.cli import main
from mentorforms.records.roster import load_roster
from mentorforms.reminders import outbox
from mentorforms.reports import year as year_report
from mentorforms.reports.index import Index
from tests.conftest import DEMO_YEAR
from tests.test_reminders import _table_rows, audit_calls, smtp  # noqa: F401 (fixtures)

#: Early in the demo year, when the demo's meetings are still ahead.
EARLY = dt.date(DEMO_YEAR.start, 9, 1)


def _year_records(data_dir: Path):
    with Index(data_dir) as index:
        index.refresh()
        return year_report.year_records(index, DEMO_YEAR, roles=["meeting", "review"])


def _link(item) -> dict[str, str]:
    return dict(item.link)


def _overdue_pairs(data_dir: Path, as_of: dt.date) -> set[tuple[str, str]]:
    roster = load_roster(data_dir / "roster.xlsx")
    reviews = year_report.reviews_due(_year_records(data_dir), roster, as_of)
    return {(row.mentee_id, row.mentor_id) for row in reviews.itertuples() if row.state in ("due", "overdue")}


def test_review_due_reminds_both_parties_of_exactly_the_reviews_the_year_records_say(demo_dir: Path, capsys):
    expected = _overdue_pairs(demo_dir, EARLY)
    assert len(expected) >= 3  # the demo leaves several agreements past their revisit date unreviewed
    roster = load_roster(demo_dir / "roster.xlsx")
    plan = outbox.preview(demo_dir, EARLY, reasons=["review_due"])
    found = {(_link(item)["person"], _link(item)["mentor"]) for item in plan.owed}
    assert found == expected
    recipients = {(item.person_id, _link(item)["person"], _link(item)["mentor"]) for item in plan.owed}
    assert recipients == {(mentee, mentee, mentor) for mentee, mentor in expected} | \
        {(mentor, mentee, mentor) for mentee, mentor in expected}
    for item in plan.owed:
        assert item.form_id == "relationship_review"
        other = roster.get(_link(item)["mentor"] if item.person_id == _link(item)["person"] else _link(item)["person"])
        assert other.name in item.reason and "overdue" in item.reason
    # The message links to that relationship's review, as the landing page does.
    mentee, mentor = sorted(expected)[0]
    reminder = next(reminder for reminder in plan.reminders if reminder.person_id == mentee)
    text = reminder.message.get_body(("plain",)).get_content()
    assert f"form=relationship_review&person={mentee}&year={DEMO_YEAR.label}&mentor={mentor}" in text

    # The command line lists the same people.
    assert main(["remind", str(demo_dir), "--as-of", EARLY.isoformat(), "--reason", "review_due",
                 "--out", str(demo_dir.parent / "eml")]) == 0
    listed = {row[0] for row in _table_rows(capsys.readouterr().out)}
    assert listed == {person for pair in expected for person in pair}


def test_a_signed_review_ends_the_reminder(demo_dir: Path):
    roster = load_roster(demo_dir / "roster.xlsx")
    reviews = year_report.reviews_due(_year_records(demo_dir), roster, EARLY)
    done = {(row.mentee_id, row.mentor_id) for row in reviews.itertuples() if row.state == "done"}
    assert done
    found = {(_link(item)["person"], _link(item)["mentor"])
             for item in outbox.preview(demo_dir, EARLY, reasons=["review_due"]).owed}
    assert not done & found


def test_an_overdue_review_goes_once_then_again_30_days_later(demo_dir: Path, smtp, audit_calls):  # noqa: F811
    inbox, server = smtp
    host, port = server.split(":")
    send = lambda day: outbox.send(demo_dir, day, smtp_host=host, smtp_port=int(port), actor="test",  # noqa: E731
                                   reasons=["review_due"])
    first = send(EARLY)
    people = {reminder.person_id for reminder in first.sent}
    assert people and len(inbox.messages) == len(people)
    assert send(EARLY).sent == []  # the same day again: nothing
    later = send(EARLY + dt.timedelta(days=30))
    assert {reminder.person_id for reminder in later.sent} == people  # each overdue review comes back once
    assert send(EARLY + dt.timedelta(days=30)).sent == []
    assert {call["action"] for call in audit_calls} == {"reminder_sent"}


def _unshared_meetings(data_dir: Path) -> dict[dt.date, set[tuple[str, str]]]:
    """Meeting day -> (mentee id, meeting key) of the year's meetings whose agenda is not shared."""
    days: dict[dt.date, set[tuple[str, str]]] = {}
    for record in _year_records(data_dir).records:
        if record.form_id == "meeting" and not record.values.get("agenda_shared"):
            days.setdefault(record.values["meeting_date"], set()).add(
                (record.person_id, record.values["meeting_key"]))
    return days


def test_agenda_not_shared_the_day_before_reminds_exactly_the_mentees_of_those_meetings(demo_dir: Path, capsys):
    unshared = _unshared_meetings(demo_dir)
    assert unshared  # the demo leaves some agendas unshared
    day = min(unshared)
    eve = day - dt.timedelta(days=1)
    assert DEMO_YEAR.first_day <= eve

    plan = outbox.preview(demo_dir, eve, reasons=["agenda_not_shared"])
    assert {(item.person_id, _link(item)["instance"]) for item in plan.owed} == unshared[day]
    for item in plan.owed:
        assert item.subject_id == item.person_id and item.form_id == "meeting"
        assert item.due == day
    reminder = plan.reminders[0]
    query = urllib.parse.urlencode([("form", "meeting"), ("person", reminder.person_id), ("year", DEMO_YEAR.label),
                                    ("instance", _link(reminder.items[0])["instance"])])
    assert query in reminder.message.get_body(("plain",)).get_content()

    assert main(["remind", str(demo_dir), "--as-of", eve.isoformat(), "--reason", "agenda_not_shared",
                 "--out", str(demo_dir.parent / "eml")]) == 0
    assert {row[0] for row in _table_rows(capsys.readouterr().out)} == {mentee for mentee, _ in unshared[day]}

    # Not two days before, nor on the day itself (unless another unshared meeting is the next day).
    for other in (eve - dt.timedelta(days=1), day):
        tomorrow = other + dt.timedelta(days=1)
        found = {(item.person_id, _link(item)["instance"])
                 for item in outbox.preview(demo_dir, other, reasons=["agenda_not_shared"]).owed}
        assert found == unshared.get(tomorrow, set())


def test_a_shared_agenda_is_not_reminded(demo_dir: Path):
    shared = {}
    for record in _year_records(demo_dir).records:
        if record.form_id == "meeting" and record.values.get("agenda_shared"):
            shared.setdefault(record.values["meeting_date"], set()).add(record.values["meeting_key"])
    unshared = _unshared_meetings(demo_dir)
    day = next(day for day in sorted(shared) if day not in unshared)
    assert outbox.preview(demo_dir, day - dt.timedelta(days=1), reasons=["agenda_not_shared"]).owed == []


def test_an_agenda_reminder_goes_once_per_meeting(demo_dir: Path, smtp, audit_calls):  # noqa: F811
    inbox, server = smtp
    host, port = server.split(":")
    unshared = _unshared_meetings(demo_dir)
    eve = min(unshared) - dt.timedelta(days=1)
    for _ in range(2):
        outbox.send(demo_dir, eve, smtp_host=host, smtp_port=int(port), actor="test", reasons=["agenda_not_shared"])
    roster = load_roster(demo_dir / "roster.xlsx")
    assert sorted(rcpt[0] for rcpt, _ in inbox.messages) == \
        sorted({roster.get(mentee).email for mentee, _ in unshared[min(unshared)]})


def test_a_review_coming_due_is_reminded_once_then_per_30_days_overdue(demo_dir: Path):
    import pandas as pd

    from mentorforms.reminders.due import find
    from mentorforms.reminders.rules import RULES, Situation

    roster = load_roster(demo_dir / "roster.xlsx")
    mentee = next(person for person in roster if person.mentors and roster.get(person.mentors[0]))
    mentor = roster.get(mentee.mentors[0])
    revisit = dt.date(DEMO_YEAR.start, 12, 15)
    review_rule = [rule for rule in RULES if rule.id == "review_due"]

    def keys(as_of: dt.date, state: str) -> set[tuple[str, str]]:
        current = Situation(None, roster, DEMO_YEAR, as_of)
        current.__dict__["reviews"] = pd.DataFrame([{  # what reports.year.reviews_due says that day
            "department": mentee.department, "mentee_id": mentee.person_id, "mentee": mentee.name,
            "mentor_id": mentor.person_id, "mentor": mentor.name, "revisit_date": revisit, "review": "",
            "decision": "", "state": state}])
        return {(item.person_id, item.key) for item in find(current, review_rule)}

    due_early, due_late = keys(revisit - dt.timedelta(days=30), "due"), keys(revisit - dt.timedelta(days=1), "due")
    assert {person for person, _ in due_early} == {mentee.person_id, mentor.person_id}
    assert due_early == due_late  # one reminder while it is due
    first_late, still_late = keys(revisit + dt.timedelta(days=1), "overdue"), keys(revisit + dt.timedelta(days=29), "overdue")
    assert first_late == still_late and not first_late & due_early
    assert not keys(revisit + dt.timedelta(days=30), "overdue") & first_late  # and again 30 days on
    assert keys(revisit - dt.timedelta(days=1), "done") == set() == keys(revisit, "not yet")


def test_an_overdue_review_is_one_reminder_not_also_a_revisit_reminder(demo_dir: Path):
    overdue = _overdue_pairs(demo_dir, EARLY)
    assert overdue
    plan = outbox.preview(demo_dir, EARLY, reasons=["review_due", "agreement_revisit"])
    revisit = {(_link(item)["person"], _link(item)["mentor"]) for item in plan.owed if item.rule_id == "agreement_revisit"}
    review = {(_link(item)["person"], _link(item)["mentor"]) for item in plan.owed if item.rule_id == "review_due"}
    assert review == overdue
    assert not revisit & review, "the same relationship is chased twice for one revisit date"
