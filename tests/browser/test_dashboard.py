"""The chair dashboard in a real browser: a chair sees their own department and nobody else's."""

from __future__ import annotations

import re
from pathlib import Path

from mentorforms.records.roster import load_roster

#: A second dashboard opened soon after the first waits for a kernel to start and import the
#: reports (one is kept ready), which takes seconds, more on a busy machine.
OPEN_MS = 90_000


def _options(page, selector: str) -> list[str]:
    """The option texts of a dropdown widget (ipywidgets writes spaces as no-break spaces)."""
    return [text.replace("\xa0", " ") for text in page.locator(f"{selector} select option").all_inner_texts()]


def _open(page, url: str) -> None:
    page.goto(url, wait_until="commit", timeout=OPEN_MS)
    _wait_for_dashboard(page)


def _wait_for_dashboard(page) -> None:
    page.locator(".mf-tile-done").wait_for(state="visible", timeout=OPEN_MS)


def test_the_chair_page_shows_only_the_chairs_department(serve_as, page, browser_data: Path) -> None:
    roster = load_roster(browser_data / "roster.xlsx")
    chair = min((person for person in roster if person.has_role("chair")), key=lambda person: person.person_id)
    own = [person for person in roster.faculty() if person.department == chair.department]
    others = [person for person in roster.faculty() if person.department != chair.department]
    assert own and others

    # As a chair would: from the landing page, through the link to their department's dashboard.
    page.goto(f"{serve_as(chair.person_id)}/voila/render/index.ipynb", wait_until="commit", timeout=OPEN_MS)
    page.get_by_role("link", name=f"Department dashboard: {chair.department}").click(timeout=OPEN_MS)
    _wait_for_dashboard(page)
    assert "/voila/render/dashboard.ipynb?year=" in page.url

    departments = _options(page, ".mf-dash-department")
    assert departments == [chair.department]
    html = page.content()
    assert not [person.name for person in others if person.name in html]
    # Every faculty member of the department is behind one of the numbers, with a link to their forms.
    links = page.locator("a.mf-person-link")
    names = set(links.evaluate_all("links => links.map(link => link.textContent)"))  # some sit in closed <details>
    assert names >= {person.name for person in own}
    href = links.first.get_attribute("href")
    assert re.fullmatch(r"form\.ipynb\?form=conference_part1&person=[^&]+&year=\d{4}-\d{4}", href)
    # Requests that leave 127.0.0.1 (the template's web fonts) are refused on purpose; nothing else may fail.
    assert not [error for error in page.console_errors if not error.startswith("Failed to load resource")]


def test_an_analyst_sees_every_department_by_name(serve_as, page, browser_data: Path) -> None:
    # The office chases late conferences by name, as its export lists them (mentorforms.reports.suppress).
    roster = load_roster(browser_data / "roster.xlsx")
    analyst = next(person for person in roster if person.has_role("analyst"))
    # The demo server (shared with other tests) opens the page as whoever the link names.
    _open(page, f"{serve_as(demo=True)}/voila/render/dashboard.ipynb?as={analyst.person_id}")
    options = _options(page, ".mf-dash-department")
    assert options[0] == "All departments" and len(options) == 1 + len(roster.departments) - 1
    names = set(page.locator("a.mf-person-link").evaluate_all("links => links.map(link => link.textContent)"))
    assert names >= {person.name for person in roster.faculty()}
    assert "Names are listed only" not in page.locator(".mf-dash-completion").inner_text()
    assert "<5" not in page.locator(".mf-dash-completion").inner_text()
