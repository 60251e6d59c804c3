"""The chair dashboard in a real browser: a chair sees their own department and nobody else's; the
office sees each saved file that could not be opened by name, and hours as they add up (234.75, not
234.8)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from playwright.sync_api import expect

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
    # Nothing the page asks for may fail (a request leaving 127.0.0.1 already fails the test: see conftest).
    assert page.console_errors == []


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


def _folder_with_hours_and_broken_files(root: Path) -> tuple[Path, list[str]]:
    """Three Pediatrics faculty teaching residents 11.25, 50.25 and 173.25 hours (234.75 in all), a
    workbook cut short and somebody's budget among the records; returns the folder and the two
    broken files as the dashboard names them (under the records folder)."""
    from openpyxl import Workbook
    from reports_known import PEOPLE, YEAR, _save, hours, part1

    from mentorforms.records.roster import write_roster
    from mentorforms.records.store import DataFolder
    from mentorforms.vocabulary.record import Status

    folder = DataFolder(root)
    write_roster(PEOPLE, folder.roster_path)
    for person_id, residents in (("P1", 11.25), ("P2", 50.25), ("P3", 173.25)):
        _save(folder, "conference_part1", YEAR, person_id,
              part1(person_id, hours(0, residents, 0, 0, 0, 0, 0, 0), dt.date(2026, 1, 10)),
              Status.SIGNED, dt.date(2026, 1, 10))
    real = folder.latest_version("conference_part1", YEAR, "P1")
    assert real is not None
    truncated = real.path.parent / "v0099.xlsx"
    truncated.write_bytes(real.path.read_bytes()[:3000])
    budget = Workbook()
    budget.active["A1"] = "Quarterly budget"
    foreign = folder.records_root / YEAR.label / "budget.xlsx"
    budget.save(foreign)
    return root, [path.relative_to(folder.records_root).as_posix() for path in (truncated, foreign)]


def test_the_office_sees_each_unreadable_file_named_and_hours_that_add_up(serve_as, page, tmp_path: Path) -> None:
    from reports_known import YEAR

    root, broken = _folder_with_hours_and_broken_files(tmp_path / "data")
    base = serve_as(demo=True, data_dir=root, preheat=False)
    _open(page, f"{base}/voila/render/dashboard.ipynb?as=A1&year={YEAR.label}")  # A1: the office's analyst
    status = page.locator(".mf-dash-status")
    expect(status).to_contain_text("2 saved files could not be opened", timeout=OPEN_MS)
    listed = page.locator(".mf-unreadable li")
    expect(listed).to_have_count(2)
    for item, name in zip(sorted(listed.all_inner_texts()), sorted(broken)):
        shown, _, reason = item.partition(": ")
        assert shown == name and reason.strip(), item  # each file by its path and why it was not read

    page.get_by_role("tab", name="Teaching hours").click()
    residents = page.locator(".mf-dash-tabs tr", has_text="teaching of residents").first
    expect(residents).to_contain_text("234.75", timeout=OPEN_MS)
    assert "234.8" not in residents.inner_text().replace("234.75", "")
