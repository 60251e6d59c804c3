"""Every refusal and every download is in the audit trail with who, what was asked and why, and
``mentorforms audit show --person`` finds it (issue 20: an office asked "who tried to open this
person's Part II?" must be able to answer)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ui_answers import newest_year

from mentorforms.commands.cli import main
from mentorforms.records import audit
from mentorforms.records.roster import load_roster
from mentorforms.ui.analyst import analyst_app
from mentorforms.ui.dashboard import dashboard_app
from mentorforms.ui.form_open import form_app

TODAY = dt.date(2026, 11, 22)


def _env(root: Path, viewer: str, query: str = "") -> dict[str, str]:
    return {"MENTORFORMS_DATA": str(root), "MENTORFORMS_AS": viewer, "QUERY_STRING": query}


def _faculty(root: Path, count: int = 2):
    people = [person for person in load_roster(root / "roster.xlsx")
              if person.has_role("faculty") and not person.has_role("chair") and not person.has_role("analyst")]
    return people[:count]


def _refusals(root: Path) -> list[audit.Entry]:
    return [entry for entry in audit.entries(root) if entry.action == "refused"]


def _shown_for(root: Path, person_id: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert main(["audit", "show", str(root), "--person", person_id]) == 0
    return capsys.readouterr().out.splitlines()


def test_opening_another_persons_part2_is_refused_and_recorded_with_who_what_and_why(
        demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    intruder, subject = _faculty(demo_dir)
    year = newest_year(demo_dir).label
    root = form_app(_env(demo_dir, intruder.person_id,
                         f"form=conference_part2&person={subject.person_id}&year={year}"), today=TODAY)
    assert any("mf-refusal-box" in child._dom_classes for child in root.children)
    [entry] = _refusals(demo_dir)
    assert (entry.actor, entry.form_id, entry.person_id, entry.year) == (
        intruder.person_id, "conference_part2", subject.person_id, year)
    assert entry.detail.startswith("opening the form page: ") and len(entry.detail) > len("opening the form page: ")
    lines = _shown_for(demo_dir, subject.person_id, capsys)
    assert any(intruder.person_id in line and "refused" in line and "conference_part2" in line for line in lines)


def test_opening_ones_own_form_is_not_an_entry_but_a_faculty_member_on_the_dashboard_is(
        demo_dir: Path) -> None:
    person = _faculty(demo_dir, 1)[0]
    before = len(list(audit.entries(demo_dir)))
    form_app(_env(demo_dir, person.person_id, f"form=network_map&year={newest_year(demo_dir).label}"),
             today=TODAY)
    assert len(list(audit.entries(demo_dir))) == before
    dashboard_app(_env(demo_dir, person.person_id), background=False, as_of=TODAY)
    analyst_app(_env(demo_dir, person.person_id), background=False, as_of=TODAY)
    refused = _refusals(demo_dir)
    assert [(entry.actor, entry.detail.split(":")[0]) for entry in refused] == [
        (person.person_id, "opening the dashboard"), (person.person_id, "opening the analyst page")]


def test_a_signature_in_another_name_and_a_refused_submission_are_recorded(demo_dir: Path) -> None:
    from test_ui_form_page import fresh_person, open_page, sign_as

    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    sign_as(page, "faculty_signature", "Somebody Else")
    assert page.sign("faculty_signature") is None
    sign_as(page, "faculty_signature", "")
    page.submit()
    first, second = _refusals(demo_dir)
    assert (first.actor, first.person_id, first.form_id) == (person.person_id, person.person_id, "conference_part1")
    assert first.detail.startswith("signing: ") and person.name in first.detail  # "... is your own name: NAME"
    assert second.detail.startswith("submitting: ") and "required" in second.detail.lower()


def test_a_download_is_recorded_with_the_workbooks_digest_before_it_is_offered(
        demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from test_ui_form_page import fresh_person, open_page

    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    page.enter({"challenges": "Time for research"})
    stored = page.save_draft()
    assert "data:" not in page.layout.download.value
    content = page.offer_download()
    entry = list(audit.entries(demo_dir))[-1]
    assert (entry.action, entry.actor, entry.person_id, entry.version) == (
        "downloaded", person.person_id, person.person_id, stored.version)
    assert list(entry.files.values()) == [audit.sha256_of(content)] and content == stored.path.read_bytes()
    assert any("downloaded" in line for line in _shown_for(demo_dir, person.person_id, capsys))


def test_a_crafted_download_while_the_agenda_is_hidden_is_refused_on_the_page_and_recorded(demo_dir: Path) -> None:
    from test_ui_form_page import TODAY as PAGE_TODAY
    from test_ui_form_page import fresh_person, open_page

    person = fresh_person(demo_dir, "meeting", with_mentor=True)
    mentor_id = person.mentors[0]
    page = open_page(demo_dir, person.person_id, "meeting", mentor_id=mentor_id)
    page.enter({"meeting_date": PAGE_TODAY + dt.timedelta(days=3), "agenda": "Grant aims"})
    stored = page.save_draft()
    assert stored is not None

    mentor_page = open_page(demo_dir, mentor_id, "meeting", person_id=person.person_id, instance=page.instance)
    assert mentor_page.layout.download_button.layout.display == "none"  # not offered: the click is crafted
    before = len(list(audit.entries(demo_dir)))
    mentor_page.layout.download_button.click()
    assert "data:" not in mentor_page.layout.download.value
    assert "not offered" in mentor_page.result_text and "Agenda" in mentor_page.result_text
    [entry] = list(audit.entries(demo_dir))[before:]
    assert (entry.action, entry.actor, entry.person_id, entry.form_id, entry.instance, entry.version) == (
        "refused", mentor_id, person.person_id, "meeting", page.instance, stored.version)
    assert entry.detail.startswith("downloading the workbook: ") and "Agenda" in entry.detail


def test_a_print_view_opened_on_the_page_is_recorded_with_the_version_it_shows(demo_dir: Path) -> None:
    from test_ui_form_page import fresh_person, open_page

    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    page.enter({"challenges": "Time for research"})
    stored = page.save_draft()
    assert stored is not None
    before = len(list(audit.entries(demo_dir)))
    page.layout.print_button.value = True  # the page's "Print view" button
    assert 'class="mf-print-frame"' in page.printing.widget.value
    [entry] = list(audit.entries(demo_dir))[before:]
    assert (entry.action, entry.actor, entry.person_id, entry.form_id, entry.version) == (
        "printed", person.person_id, person.person_id, "conference_part1", stored.version)


def test_an_export_of_a_department_not_the_chairs_is_refused_on_the_analyst_page_and_recorded(
        demo_dir: Path) -> None:
    people = load_roster(demo_dir / "roster.xlsx")
    chair = next(person for person in people if person.has_role("chair") and not person.has_role("analyst"))
    other = next(person.department for person in people if person.department and person.department != chair.department)
    page = analyst_app(_env(demo_dir, chair.person_id), background=False, as_of=TODAY).page
    assert list(page.chosen.options) == [chair.department]
    page.chosen.options = [chair.department, other]  # as if the list had been tampered with in the browser
    page.chosen.value = (other,)
    before = len(list(audit.entries(demo_dir)))
    page.workbook_button.click()
    assert f"You may not export the report of {other}." in page.result.value and "data:" not in page.result.value
    [entry] = list(audit.entries(demo_dir))[before:]
    assert (entry.action, entry.actor) == ("refused", chair.person_id)
    assert entry.detail == f"preparing an export: You may not export the report of {other}."
