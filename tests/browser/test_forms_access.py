"""Who may open what, in the browser: refusals are plain messages, never blank pages or tracebacks;
the landing page links every form the viewer may open."""

from __future__ import annotations

from pages import LANDING_URL, form_url, open_form
from playwright.sync_api import expect

from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.rules.follow_ups import ended_relationships


def _no_traceback(page) -> None:
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "Error" not in text.replace("mf-", "")


def test_a_faculty_member_cannot_open_another_faculty_members_form(serve_as, page, browser_data, demo_year):
    people = [person for person in load_roster(browser_data / "roster.xlsx")
              if person.has_role("faculty") and not person.has_role("chair")]
    me, other = people[0], people[1]
    base = serve_as(me.person_id, preheat=True)  # identity from `serve --as`, as on a real server
    for form_id in ("conference_part1", "conference_part2"):
        open_form(page, form_url(base, form_id, other.person_id, year=demo_year))
        refusal = page.locator(".mf-refusal-box")
        expect(refusal).to_contain_text("You cannot open this page")
        expect(refusal).to_contain_text("Faculty members open only their own forms")
        expect(page.locator(".mf-form")).to_have_count(0)
        assert other.name not in page.locator("body").inner_text()
        _no_traceback(page)
    # the query string cannot claim another identity on a real server
    open_form(page, form_url(base, "conference_part1", other.person_id, year=demo_year, as_=other.person_id))
    expect(page.locator(".mf-refusal-box")).to_contain_text("You cannot open this page")
    expect(page.locator(".mf-identity-line")).to_contain_text(me.name)


def test_without_an_identity_every_page_refuses_in_plain_words(serve_as, page, demo_year):
    base = serve_as()
    open_form(page, form_url(base, "conference_part1", year=demo_year))
    expect(page.locator(".mf-refusal-box")).to_contain_text("does not know who you are")
    _no_traceback(page)
    open_form(page, base + LANDING_URL)
    expect(page.locator(".mf-refusal-box")).to_contain_text("does not know who you are")


def test_the_landing_page_links_every_form_and_the_links_open_them(serve_as, page, browser_data, demo_year):
    roster = load_roster(browser_data / "roster.xlsx")
    chair = next(person for person in roster if person.has_role("chair"))
    base = serve_as(demo=True)
    open_form(page, f"{base}{LANDING_URL}?as={chair.person_id}&year={demo_year.label}")
    listing = page.locator(".mf-landing-list")
    expect(listing).to_contain_text(f"Mentoring forms, academic year {demo_year.label}")
    expect(listing).to_contain_text("Faculty Form (Part I)")
    expect(listing).to_contain_text("Your Developmental Network Table and Map")
    colleagues = [person for person in roster.in_department(chair.department)
                  if person.has_role("faculty") and person.person_id != chair.person_id]
    for colleague in colleagues:
        expect(listing).to_contain_text(f"{colleague.name}: Part II (you fill it in)")
    mentees = roster.mentees_of(chair.person_id)
    # A relationship ended by a yearly review (the demo ends a few) leaves the landing page.
    ended = ended_relationships(DataFolder(browser_data), demo_year, [mentee.person_id for mentee in mentees])
    for mentee in mentees:
        if (mentee.person_id, chair.person_id) not in ended:
            expect(listing).to_contain_text(f"Mentoring agreement with {mentee.name}")
        else:
            expect(listing).not_to_contain_text(f"Mentoring agreement with {mentee.name}")

    listing.get_by_role("link", name=f"{colleagues[0].name}: Part II (you fill it in)").click()
    page.locator(".mf-form").wait_for(timeout=60_000)
    expect(page.locator(".mf-identity-line")).to_contain_text("DEMO MODE")
    expect(page.locator(".mf-identity-line")).to_contain_text(chair.name)
    expect(page.locator(".mf-title")).to_contain_text("Chair Form (Part II)")
    expect(page.locator(".mf-subject")).to_contain_text(colleagues[0].name)
    expect(page.locator(".mf-part1-reference")).to_contain_text("read-only")


def test_demo_mode_asks_who_you_are_with_a_clearly_labelled_picker(serve_as, page, browser_data, demo_year):
    person = next(person for person in load_roster(browser_data / "roster.xlsx") if person.has_role("faculty"))
    open_form(page, form_url(serve_as(demo=True), "network_map", year=demo_year))
    picker = page.locator(".mf-demo-picker")
    expect(picker).to_contain_text("DEMO MODE")
    picker.locator("select").select_option(value=None, label=f"{person.name} — {person.department} "
                                                              f"({', '.join(sorted(person.roles))})")
    picker.locator(".mf-demo-continue").click()
    expect(page.locator(".mf-title")).to_contain_text("Developmental Network", timeout=20_000)
    expect(page.locator(".mf-identity-line")).to_contain_text(person.name)
