"""A hostile browser sends widget messages straight to the page's kernel: updates to disabled
inputs, a changed key, clicks on hidden buttons. The server files nothing it should not, says so
plainly, and records the refusal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kernel_client import HostilePage
from ui_answers import complete_answers

from mentorforms.forms import get_form
from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.rules import workflow
from mentorforms.rules.identity import Viewer
from mentorforms.rules.parties import open_case
from mentorforms.vocabulary.record import Signature, Status


@pytest.fixture
def own_data(demo_master: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(demo_master, target)
    return target


def _part2_held_by_the_chair(root: Path, year):
    """A faculty member whose chair has filed (submitted and signed) Part II, through the workflow."""
    roster = load_roster(root / "roster.xlsx")
    folder = DataFolder(root)
    form = get_form("conference_part2", year)
    for person in roster:
        if not person.has_role("faculty") or person.has_role("chair") or folder.versions(form.id, year, person.person_id):
            continue
        chair = next(iter(roster.chairs_of(person.department)), None)
        if chair is None:
            continue
        case = open_case(form, roster, Viewer(chair), person.person_id)
        answers = complete_answers(form)
        answers["chair_signature"] = Signature(chair.name, None)
        outcome = workflow.sign(case, workflow.Latest(None, None), None, {}, workflow.Proposal(answers, None),
                                "chair_signature")
        folder.save(outcome.record, person_name=person.name, action=outcome.action, actor=chair.person_id)
        return person, outcome.record
    pytest.fail("no faculty member without Part II in the demo")


def _audit_refusals(root: Path) -> list[str]:
    log = root / "audit" / "log.jsonl"
    return [line for line in log.read_text().splitlines() if '"refused"' in line] if log.exists() else []


def test_forged_answers_and_hidden_buttons_on_part2_file_nothing(own_data, serve_as, demo_year):
    person, filed = _part2_held_by_the_chair(own_data, demo_year)
    base = serve_as(person.person_id, data_dir=own_data, preheat=False)
    page = HostilePage(f"{base}/voila/render/form.ipynb?form=conference_part2&year={demo_year.label}")
    folder = DataFolder(own_data)
    try:
        summary = page.find("mf-field-discussion_summary", "TextareaModel")
        assert page.state(summary)["disabled"] is True  # the page offers the faculty member no way to change it
        page.set(summary, value="Promotion anticipated: forged by the faculty member")
        page.set(page.find("mf-field-faculty_signature", "TextModel"), value=person.name)
        page.click(page.find("mf-field-faculty_signature", "ButtonModel", description="Sign"))
        page.settle()
        assert len(folder.versions("conference_part2", demo_year, person.person_id)) == 1
        assert "may not change" in page.text("mf-result")

        page.click(page.find("mf-submit"))  # hidden for a faculty member on Part II
        page.click(page.find("mf-save-draft"))
        page.settle()
        assert len(folder.versions("conference_part2", demo_year, person.person_id)) == 1
        assert "may not change" in page.text("mf-result")

        # Put the chair's answer back: now the faculty member's own signature files, and only it changed.
        page.set(summary, value=filed.values["discussion_summary"])
        page.click(page.find("mf-field-faculty_signature", "ButtonModel", description="Sign"))
        page.settle()
        latest = folder.latest("conference_part2", demo_year, person.person_id)
        assert latest.status is Status.SIGNED and latest.saved_by == person.person_id
        assert latest.values["discussion_summary"] == filed.values["discussion_summary"]
        assert latest.values["faculty_signature"].signer_id == person.person_id
    finally:
        page.close()
    refusals = _audit_refusals(own_data)
    assert len(refusals) >= 2 and all(person.person_id in line for line in refusals)


def test_a_mentee_cannot_rekey_an_agreement_or_sign_for_the_mentor(own_data, serve_as, spare_year):
    roster = load_roster(own_data / "roster.xlsx")
    mentee = next(p for p in roster if p.mentors and p.has_role("faculty") and not p.has_role("chair"))
    mentor_id = mentee.mentors[0]
    other = next(p for p in roster if p.person_id not in (mentee.person_id, mentor_id))
    base = serve_as(mentee.person_id, data_dir=own_data, preheat=False)
    folder = DataFolder(own_data)
    page = HostilePage(f"{base}/voila/render/form.ipynb?form=agreement&mentor={mentor_id}&year={spare_year.label}")
    try:
        key = page.find("mf-field-mentor_id", "TextModel")
        assert page.state(key)["disabled"] is True and page.state(key)["value"] == mentor_id
        page.set(key, value=other.person_id)
        page.click(page.find("mf-save-draft"))
        page.settle()
        assert folder.versions("agreement", spare_year, mentee.person_id) == []
        assert "may not change" in page.text("mf-result")

        page.set(key, value=mentor_id)
        page.set(page.find("mf-field-mentor_signature", "TextModel"), value=roster.get(mentor_id).name)
        page.click(page.find("mf-field-mentor_signature", "ButtonModel", description="Sign"))
        page.settle()
        assert folder.versions("agreement", spare_year, mentee.person_id) == []
        assert "may not sign" in page.text("mf-result")
    finally:
        page.close()
    assert len(_audit_refusals(own_data)) >= 2


def test_an_agreement_with_someone_the_roster_does_not_assign_is_refused(own_data, serve_as, spare_year):
    roster = load_roster(own_data / "roster.xlsx")
    mentee = next(p for p in roster if p.has_role("faculty") and not p.has_role("chair"))
    stranger = next(p for p in roster if p.person_id != mentee.person_id and p.person_id not in mentee.mentors)
    # The stranger asks for the agreement as its mentor: the query string does not make them one.
    base = serve_as(stranger.person_id, data_dir=own_data, preheat=False)
    page = HostilePage(f"{base}/voila/render/form.ipynb?form=agreement&person={mentee.person_id}"
                       f"&mentor={stranger.person_id}&year={spare_year.label}")
    try:
        refusal = page.text("mf-refusal-box")
        assert "roster does not assign" in refusal
        assert not [key for key, value in page.states.items() if "mf-form" in value["state"].get("_dom_classes", ())]
    finally:
        page.close()
