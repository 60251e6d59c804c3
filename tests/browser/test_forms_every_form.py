"""Every other form of the inventory filled, submitted and signed in the browser by the people the
rules name (Part I has its own, more thorough test)."""

from __future__ import annotations

import pytest
from pages import field, fill_form, form_url, open_form, press
from playwright.sync_api import expect
from ui_answers import complete_answers

from mentorforms.forms import get_form
from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.rules.validation import normalise
from mentorforms.vocabulary.record import Status


def sign_in_browser(page, field_id: str, name: str, expect_text: str) -> None:
    signature = field(page, field_id)
    signature.locator(".mf-signature-name input").fill(name)
    signature.locator(".mf-sign").click()
    expect(page.locator(".mf-result")).to_contain_text(expect_text, timeout=15_000)


@pytest.mark.parametrize("form_id", ["agreement", "conference_part2", "network_map", "peer_group"])
def test_fill_submit_and_sign_in_the_browser(form_id, serve_as, page, take_person, browser_data, spare_year):
    roster = load_roster(browser_data / "roster.xlsx")
    person = take_person(form_id, with_mentor=form_id == "agreement", year=spare_year)
    form = get_form(form_id, spare_year)
    base = serve_as(demo=True)
    params = {}
    editor = person.person_id
    signers = {signing.field: person.person_id for signing in form.signings if signing.party == "subject"}
    if form_id == "agreement":
        params["mentor"] = person.mentors[0]
        signers["mentor_signature"] = person.mentors[0]
    if form_id == "conference_part2":
        editor = next(p.person_id for p in roster.chairs_of(person.department))
        signers["chair_signature"] = editor
    answers = complete_answers(form)
    answers.pop(form.instance_field or "", None) if form_id == "agreement" else None

    open_form(page, form_url(base, form_id, person.person_id, year=spare_year, as_=editor, **params))
    fill_form(page, form, answers)
    expect(page.locator(".mf-status-line")).to_contain_text("All required answers given")
    press(page, "mf-submit", "Submitted as version 1")

    version, viewer = 1, editor
    for field_id, signer in signers.items():
        if signer != viewer:
            open_form(page, form_url(base, form_id, person.person_id, year=spare_year, as_=signer, **params))
            viewer = signer
        version += 1
        sign_in_browser(page, field_id, roster.get(signer).name, f"version {version}")

    instance = params.get("mentor") or (answers.get("group_name") if form_id == "peer_group" else None)
    record = DataFolder(browser_data).latest(form_id, spare_year, person.person_id, instance)
    assert normalise(form, answers).items() <= dict(record.values).items()
    if signers:
        assert record.status is Status.SIGNED
        assert {record.values[field_id].name for field_id in signers} == {roster.get(s).name for s in signers.values()}
        expect(page.locator(".mf-status-line")).to_contain_text("read-only")
    else:
        assert record.status is Status.SUBMITTED
