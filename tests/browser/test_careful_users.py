"""What careful users found in a real browser (issue 20), each checked where they met it: refused
page opens, refused signatures and downloads are in the audit trail; a year outside the office's
window is refused and nothing is written; the signature date is the server's and shown as such; a
rank change says what it moved; the notice about characters a workbook cannot hold goes once the
text is saved; hours round halves up, as saved and as shown."""

from __future__ import annotations

import datetime as dt

from pages import field, form_url, open_form, press
from playwright.sync_api import expect

from mentorforms.commands.cli import main
from mentorforms.records import audit
from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.ui.typed_text import format_date_input


def _entries_since(root, count: int) -> list[audit.Entry]:
    return list(audit.entries(root))[count:]


def test_a_refused_page_a_refused_signature_and_a_download_are_in_the_audit_trail(
        serve_as, page, take_person, browser_data, demo_year, spare_year, capsys):
    me = take_person("conference_part1", year=spare_year)
    other = next(person for person in load_roster(browser_data / "roster.xlsx")
                 if person.has_role("faculty") and person.person_id != me.person_id and not person.has_role("chair"))
    base = serve_as(demo=True)
    start = len(list(audit.entries(browser_data)))

    open_form(page, form_url(base, "conference_part2", other.person_id, year=demo_year, as_=me.person_id))
    expect(page.locator(".mf-refusal-box")).to_contain_text("You cannot open this page")
    refused = [entry for entry in _entries_since(browser_data, start) if entry.action == "refused"]
    assert [(entry.actor, entry.form_id, entry.person_id, entry.year) for entry in refused] == [
        (me.person_id, "conference_part2", other.person_id, demo_year.label)]

    open_form(page, form_url(base, "conference_part1", me.person_id, year=spare_year, as_=me.person_id))
    field(page, "challenges").locator("textarea").fill("Protected time")
    press(page, "mf-save-draft", "Draft saved as version 1")
    signature = field(page, "faculty_signature")
    signature.locator(".mf-signature-name input").fill(other.name)
    signature.locator(".mf-sign").click()
    expect(signature.locator(".mf-message")).to_contain_text("your own name")
    page.locator(".mf-download-button").click()
    with page.expect_download():
        page.locator("a.mf-download").click()

    mine = [entry for entry in _entries_since(browser_data, start) if entry.actor == me.person_id]
    assert [entry.action for entry in mine if entry.action in ("refused", "downloaded")] == [
        "refused", "refused", "downloaded"]
    signing = [entry for entry in mine if entry.action == "refused"][-1]
    assert signing.detail.startswith("signing: ") and me.name in signing.detail
    downloaded = mine[-1]
    stored = DataFolder(browser_data).latest_version("conference_part1", spare_year, me.person_id)
    assert list(downloaded.files.values()) == [audit.sha256_of(stored.path)]

    capsys.readouterr()
    assert main(["audit", "show", str(browser_data), "--person", other.person_id]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert any(me.person_id in line and "refused" in line and "conference_part2" in line for line in shown)


def test_a_year_outside_the_offices_window_is_refused_and_nothing_is_written(
        serve_as, page, take_person, browser_data, spare_year):
    me = take_person("network_map", year=spare_year)
    base = serve_as(demo=True)
    for year in ("1999-2000", "2099-2100"):
        open_form(page, form_url(base, "conference_part1", me.person_id, year=year, as_=me.person_id))
        refusal = page.locator(".mf-refusal-box")
        expect(refusal).to_contain_text(f"{year} is not a year this office keeps forms for")
        expect(page.locator(".mf-form")).to_have_count(0)
        assert not (browser_data / "records" / year).exists()


def test_the_signature_date_is_not_an_input_and_the_page_shows_the_date_it_stores(
        serve_as, page, take_person, spare_year):
    me = take_person("conference_part1", year=spare_year)
    base = serve_as(demo=True)
    open_form(page, form_url(base, "conference_part1", me.person_id, year=spare_year, as_=me.person_id))
    signature = field(page, "faculty_signature")
    expect(signature.locator(".mf-signature-name input")).to_be_visible()
    expect(signature.locator("input")).to_have_count(1)  # the typed name only: no date box
    expect(signature.locator(".mf-signature-date")).to_contain_text(format_date_input(dt.date.today()))
    expect(signature.locator(".mf-signature-date")).to_contain_text("today")


def test_a_rank_change_says_what_it_moved_and_the_cleaning_notice_goes_once_saved(
        serve_as, page, take_person, browser_data, spare_year):
    me = take_person("conference_part1", year=spare_year)
    open_form(page, form_url(serve_as(demo=True), "conference_part1", me.person_id, year=spare_year,
                             as_=me.person_id))
    ranks = field(page, "work_time")
    ranks.locator(".mf-choice-research select").select_option(label="1")
    ranks.locator(".mf-choice-teaching select").select_option(label="1")
    expect(ranks.locator(".mf-message")).to_contain_text("Research had rank 1, so it now has no rank.")
    expect(ranks.locator(".mf-choice-research select")).to_have_value(
        ranks.locator(".mf-choice-research select option", has_text="—").get_attribute("value"))

    challenges = field(page, "challenges")
    challenges.locator("textarea").fill("Bell\x07 rang")
    expect(challenges.locator(".mf-message")).to_contain_text("Saving will remove 1 character Excel cannot store "
                                                              "(U+0007)")
    said = press(page, "mf-save-draft", "Draft saved as version 1")
    assert "removed 1 character Excel cannot store (U+0007)" in said
    expect(challenges.locator(".mf-message")).to_be_hidden()
    expect(challenges.locator("textarea")).to_have_value("Bell rang")
    record = DataFolder(browser_data).latest("conference_part1", spare_year, me.person_id)
    assert record.values["challenges"] == "Bell rang"


def test_hours_typed_with_a_half_to_round_are_saved_and_shown_rounded_up(
        serve_as, page, take_person, browser_data, spare_year):
    # The user typed 0.125 and found 0.12 saved; the README says halves round up, to the hundredth.
    me = take_person("conference_part1", year=spare_year)
    url = form_url(serve_as(demo=True), "conference_part1", me.person_id, year=spare_year, as_=me.person_id)
    open_form(page, url)
    field(page, "hours_courses").locator("input").fill("0.125")
    field(page, "hours_residents").locator("input").fill("0.135")
    press(page, "mf-save-draft", "Draft saved as version 1")
    expect(field(page, "hours_courses").locator("input")).to_have_value("0.13")
    expect(field(page, "hours_residents").locator("input")).to_have_value("0.14")
    record = DataFolder(browser_data).latest("conference_part1", spare_year, me.person_id)
    assert (record.values["hours_courses"], record.values["hours_residents"]) == (0.13, 0.14)
    open_form(page, url)  # opened again: the page shows what was saved
    expect(field(page, "hours_courses").locator("input")).to_have_value("0.13")
    expect(field(page, "hours_residents").locator("input")).to_have_value("0.14")
