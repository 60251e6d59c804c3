"""How the long form pages sit on a 1280 px screen: the actions and the status line stay in view,
and after Submit the first problem is shown below the status line, not under it."""

from __future__ import annotations

from pages import field, form_url, open_form, press
from playwright.sync_api import Locator, Page, expect

#: Whether the centre of ``element`` is on screen and not covered by anything else (a sticky bar).
_SHOWN = """(element) => {
  const box = element.getBoundingClientRect();
  const x = box.left + Math.min(box.width / 2, 40), y = box.top + Math.min(box.height / 2, 12);
  if (box.height === 0 || y < 0 || y > window.innerHeight) { return false; }
  const top = document.elementFromPoint(x, y);
  return top !== null && (element === top || element.contains(top));
}"""


def shown(locator: Locator) -> bool:
    return locator.evaluate(_SHOWN)


def scroll_to(page: Page, fraction: float) -> None:
    """Scroll Voila's content (it scrolls inside #rendered_cells, not the window)."""
    page.evaluate("(f) => { const c = document.querySelector('#rendered_cells');"
                  " c.scrollTop = (c.scrollHeight - c.clientHeight) * f; }", fraction)
    page.wait_for_timeout(200)


def test_part1_keeps_its_actions_and_status_line_in_view_while_scrolling_and_after_submit(
        serve_as, page, take_person, spare_year):
    person = take_person("conference_part1", year=spare_year)
    open_form(page, form_url(serve_as(demo=True), "conference_part1", person.person_id, year=spare_year,
                             as_=person.person_id))
    height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    assert height > 3 * 900  # the form is several screens tall, so this test means something
    for fraction in (0.0, 0.5, 1.0):
        scroll_to(page, fraction)
        for part in (".mf-save-draft", ".mf-submit", ".mf-print-toggle", ".mf-status-line .mf-remaining"):
            assert shown(page.locator(part)), f"{part} is not in view at {fraction:.0%} of the page"

    scroll_to(page, 1.0)
    press(page, "mf-submit", "Not submitted")
    first = field(page, "work_time")
    expect(first.locator("select").first).to_be_focused()
    assert shown(first.locator(".mf-message")), "the first problem is hidden under a bar"
    assert shown(first.locator("select").first)
    assert shown(page.locator(".mf-status-line .mf-remaining"))
    assert shown(page.locator(".mf-result"))


def test_long_agreement_goals_show_whole_in_their_boxes(serve_as, page, take_person, spare_year):
    # Issue 13: goal text was cut off in the goal table's narrow boxes; boxes now grow with their text.
    person = take_person("agreement", with_mentor=True, year=spare_year)
    open_form(page, form_url(serve_as(demo=True), "agreement", person.person_id, year=spare_year,
                             as_=person.person_id, mentor=person.mentors[0]))
    goal = field(page, "goals").locator(".mf-row").first.locator(".mf-cell-goal textarea")
    goal.fill("Submit a first R01 as principal investigator, with a preliminary data section reviewed by the "
              "mentor two months ahead of the deadline, and a budget agreed with the division chief")
    page.wait_for_timeout(200)
    heights = goal.evaluate("element => [element.scrollHeight, element.clientHeight]")
    assert heights[0] <= heights[1] + 2, heights
