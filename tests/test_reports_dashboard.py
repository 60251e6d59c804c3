"""The chair dashboard and the analyst page, driven as plain Python (no browser)."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
from pathlib import Path

import ipywidgets as widgets
import pytest
import traitlets
from openpyxl import load_workbook
from reports_known import AS_OF, LAST, YEAR, Known, build_known

from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.reports import suppress
from mentorforms.rules.identity import identify
from mentorforms.ui.analyst import analyst_app
from mentorforms.ui.dashboard import ALL, dashboard_app


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Known:
    return build_known(tmp_path_factory.mktemp("known-dashboard") / "data")


def _env(known: Known, **extra: str) -> dict[str, str]:
    return {"MENTORFORMS_DATA": str(known.root), **extra}


def _dashboard(known: Known, person_id: str):
    root = dashboard_app(_env(known, MENTORFORMS_AS=person_id), background=False, as_of=AS_OF)
    dashboard = root.dashboard
    dashboard.year.value = YEAR.start
    dashboard.tabs.draw_all()  # the page draws each tab when it is first opened
    return dashboard


def test_a_tab_is_drawn_when_it_is_first_opened(known: Known) -> None:
    dashboard = dashboard_app(_env(known, MENTORFORMS_AS="PC"), background=False, as_of=AS_OF).dashboard
    assert "Annual career conference" in dashboard.tabs.completion.value  # the tab shown first
    assert dashboard.tabs.hours_tables.value == "" and dashboard.tabs.promotion.value == ""
    dashboard.tabs.widget.selected_index = 1
    assert "Teaching hours by category" in dashboard.tabs.hours_tables.value
    assert dashboard.tabs.promotion.value == ""
    dashboard.tabs.widget.selected_index = 4
    assert "Promotion outlook" in dashboard.tabs.promotion.value


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_a_chair_sees_only_their_department_with_every_number_and_name(known: Known) -> None:
    dashboard = _dashboard(known, "PC")
    assert [value for _, value in dashboard.department.options] == ["Pediatrics"]
    assert not dashboard.shown.suppressed
    assert dashboard.tabs.completion_numbers() == {"done": 1, "in progress": 3, "missing": 1, "late": 2}
    page = dashboard.tabs.completion.value
    late = re.search(r'mf-names-late">(.*?)</details>', page).group(1)
    assert "Ben Two" in late and "Flo Six" in late and "Ed Five" not in late
    assert "Tia One" not in page and "Sam Cutter" not in page  # Surgery
    with pytest.raises(traitlets.TraitError):
        dashboard.department.value = "Surgery"


def test_names_link_to_the_persons_forms(known: Known) -> None:
    dashboard = _dashboard(known, "PC")
    assert 'href="form.ipynb?form=conference_part1&amp;person=P5&amp;year=2025-2026"' in dashboard.tabs.completion.value
    dashboard.tabs.person.value = "P1"
    forms = dashboard.tabs.person_forms.value
    assert "form=conference_part2&amp;person=P1&amp;year=2025-2026" in forms
    assert "form=agreement&amp;person=P1&amp;year=2025-2026&amp;mentor=PC" in forms
    assert "Mentoring Goals and Action Plan with Pat Chair" in forms


def test_division_filter_counts_only_that_division(known: Known) -> None:
    dashboard = _dashboard(known, "PC")
    assert [value for _, value in dashboard.division.options] == [ALL, "Cardiology", "Neonatology"]
    dashboard.division.value = "Neonatology"
    # P4 drafted, P5 filed nothing, P6 signed Part I after April 1.
    assert dashboard.tabs.completion_numbers() == {"done": 0, "in progress": 1, "missing": 1, "late": 1}
    assert "Ana One" not in dashboard.tabs.completion.value


def test_teaching_hours_and_goals_are_drawn_as_charts(known: Known) -> None:
    dashboard = _dashboard(known, "PC")
    for chart in (dashboard.tabs.hours_category_chart, dashboard.tabs.hours_division_chart, dashboard.tabs.goals_chart):
        assert bytes(chart.value).startswith(b"\x89PNG")
    tables = _text(dashboard.tabs.hours_tables.value)
    assert "Hours 2025-2026" in tables and "Hours 2024-2025" in tables
    # Courses this year in Pediatrics: P1 11 + P2 1 + P3 100 + P6 2 + PC 3 = 117; last year P1 50.
    assert re.search(r"Teaching students in courses\s+117\.0\s+50\.0", tables)


def test_mentoring_lists_the_faculty_without_a_mentor(known: Known) -> None:
    dashboard = _dashboard(known, "PC")
    listed = re.search(r'mf-without-mentor">(.*?)</ul>', dashboard.tabs.mentoring.value).group(1)
    assert {name for name in ("Pat Chair", "Di Four", "Flo Six") if name in listed} == {"Pat Chair", "Di Four",
                                                                                           "Flo Six"}
    assert "Cy Three" not in listed  # a signed agreement names a mentor
    assert "Ana One" in dashboard.tabs.mentoring.value  # agreement past its date to revisit


def _undrawn(known: Known, person_id: str):
    root = dashboard_app(_env(known, MENTORFORMS_AS=person_id), background=False, as_of=AS_OF)
    root.dashboard.year.value = YEAR.start
    return root.dashboard


def test_network_maps_are_summarised_when_the_mentoring_tab_opens(known: Known) -> None:
    dashboard = _undrawn(known, "PC")
    assert dashboard.tabs.network.value == ""  # read only when wanted
    dashboard.tabs.widget.selected_index = 3
    text = _text(dashboard.tabs.network.value)
    # Pediatrics: 7 faculty, one map (P1), which names a sponsor and somebody for personal support.
    assert re.search(r"Pediatrics\s+7\s+1\s+14%\s+100%\s+0%", text)
    analyst = _undrawn(known, "A1")  # individual-level, as in the analyst's export
    analyst.tabs.widget.selected_index = 3
    assert re.search(r"Pediatrics\s+7\s+1\s+14%\s+100%\s+0%", _text(analyst.tabs.network.value))


def test_promotion_outlook_and_support(known: Known) -> None:
    text = _text(_dashboard(known, "PC").tabs.promotion.value)
    assert re.search(r"Promotion anticipated over the course of the new term\.\s+2", text)  # P1 and PC
    assert re.search(r"Additional Training\s+2", text)  # P1 and P2


def test_an_analyst_sees_every_department_by_name_as_in_their_export(known: Known) -> None:
    # The office chases late conferences by name: its dashboard, export and printable report are
    # all individual-level (the export lists every name; see test_reports_privacy).
    dashboard = _dashboard(known, "A1")
    assert [value for _, value in dashboard.department.options] == [ALL, "Pediatrics", "Surgery"]
    assert not dashboard.shown.suppressed
    pediatrics_and_surgery = dashboard.tabs.completion_numbers()
    assert all(isinstance(value, int) for value in pediatrics_and_surgery.values())
    assert "mf-person-link" in dashboard.tabs.completion.value
    assert "Di Four" in dashboard.tabs.mentoring.value
    dashboard.department.value = "Pediatrics"
    dashboard.tabs.draw_all()
    assert dashboard.tabs.completion_numbers() == {"done": 1, "in progress": 3, "missing": 1, "late": 2}


def test_suppression_shows_cells_of_five_or_more(known: Known) -> None:
    roster = load_roster(known.root / "roster.xlsx")
    viewer = identify(roster, {"MENTORFORMS_AS": "A1"})
    assert not suppress.applies(viewer, ["Pediatrics", "Surgery"])  # an analyst: individual-level
    assert not suppress.applies(identify(roster, {"MENTORFORMS_AS": "PC"}), ["Pediatrics"])
    assert suppress.applies(identify(roster, {"MENTORFORMS_AS": "PC"}), ["Pediatrics", "Surgery"])
    import pandas as pd
    shown = suppress.counts(pd.DataFrame({"n": [0, 4, 5, 12]}))
    assert list(shown["n"]) == [0, "<5", 5, 12]


def test_faculty_without_a_reporting_role_are_refused_plainly(known: Known) -> None:
    root = dashboard_app(_env(known, MENTORFORMS_AS="P1"), background=False)
    assert not hasattr(root, "dashboard")
    assert "chairs and faculty-affairs analysts" in root.children[-1].value


def test_a_link_naming_a_year_opens_that_year_and_a_bad_year_is_refused(known: Known) -> None:
    root = dashboard_app(_env(known, MENTORFORMS_AS="PC", QUERY_STRING=f"year={LAST.label}"), background=False,
                         as_of=AS_OF)
    assert root.dashboard.year.value == LAST.start
    assert root.dashboard.year.label == LAST.label
    root = dashboard_app(_env(known, MENTORFORMS_AS="PC", QUERY_STRING="year=next-ish"), background=False)
    assert not hasattr(root, "dashboard")
    assert "is not an academic year" in root.children[-1].value


def test_no_identity_and_no_data_folder_are_refused_plainly(known: Known) -> None:
    root = dashboard_app(_env(known), background=False)
    assert "does not know who you are" in root.children[-1].value
    root = dashboard_app({}, background=False)
    assert "without a data folder" in root.children[-1].value


def test_demo_mode_offers_the_picker_then_the_dashboard(known: Known) -> None:
    root = dashboard_app(_env(known, MENTORFORMS_DEMO="1"), background=False, as_of=AS_OF)
    picker = root.children[-1]
    select = next(child for child in _walk(picker) if isinstance(child, widgets.Dropdown))
    button = next(child for child in _walk(picker) if isinstance(child, widgets.Button))
    select.value = "SC"
    button.click()
    dashboard = root.dashboard
    assert [value for _, value in dashboard.department.options] == ["Surgery"]
    dashboard.year.value = YEAR.start
    assert "as=SC" in dashboard.tabs.completion.value  # links keep the demo identity


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_analyst_page_offers_the_workbook_as_a_data_uri_download(known: Known) -> None:
    root = analyst_app(_env(known, MENTORFORMS_AS="A1"), background=False, as_of=AS_OF)
    page = root.page
    page.year.value = YEAR.start
    assert list(page.chosen.options) == ["Pediatrics", "Surgery"]
    content = page.prepare_workbook()
    link = page.result.value
    match = re.search(r'<a class="mf-download" download="([^"]+\.xlsx)" href="data:([^;]+);base64,([^"]+)"', link)
    assert match and match.group(1) == "mentorforms-report-2025-2026-all-departments.xlsx"
    assert base64.b64decode(match.group(3)) == content
    book = load_workbook(io.BytesIO(content))
    assert "Pediatrics" in book.sheetnames and book["Pediatrics"]._charts
    page.prepare_html()
    assert 'download="mentorforms-report-2025-2026-all-departments.html"' in page.result.value
    assert match.group(0) in page.result.value, "preparing the printable report keeps the workbook link"


def test_analyst_page_explains_the_department_list_it_starts_with(known: Known) -> None:
    page = analyst_app(_env(known, MENTORFORMS_AS="A1"), background=False, as_of=AS_OF).page
    assert set(page.chosen.value) == {"Pediatrics", "Surgery"}
    assert "All 2 departments are selected" in page.chosen_hint.value and "Ctrl-click" in page.chosen_hint.value


def test_analyst_page_limits_a_chair_to_their_department_and_refuses_faculty(known: Known) -> None:
    root = analyst_app(_env(known, MENTORFORMS_AS="SC"), background=False, as_of=AS_OF)
    assert list(root.page.chosen.options) == ["Surgery"]
    root = analyst_app(_env(known, MENTORFORMS_AS="S1"), background=False)
    assert not hasattr(root, "page")
    assert "analysts and department chairs" in root.children[-1].value


def test_analyst_page_says_plainly_when_nothing_is_chosen(known: Known) -> None:
    page = analyst_app(_env(known, MENTORFORMS_AS="A1"), background=False, as_of=AS_OF).page
    page.chosen.value = ()
    page.workbook_button.click()
    assert "Choose at least one department" in page.result.value


def test_background_loading_shows_the_dashboard_when_done(known: Known, tmp_path: Path) -> None:
    root = dashboard_app(_env(known, MENTORFORMS_AS="PC"), background=True, as_of=AS_OF)
    dashboard = root.dashboard
    with dashboard.data.lock:  # the loader holds it while it works
        pass
    for _ in range(200):
        if dashboard.shown is not None:
            break
        import time
        time.sleep(0.05)
    assert dashboard.shown is not None
    assert dashboard.content.layout.display is None


def test_a_workbook_overwritten_in_place_shows_once_the_dashboard_has_opened(known: Known, tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(known.root, root)
    # Everything written a minute ago, so no time is recent enough to be checked again anyway.
    for path in sorted((root / "records").rglob("*"), reverse=True):
        moment = path.stat().st_mtime - 60
        os.utime(path, (moment, moment))
    environ = {"MENTORFORMS_DATA": str(root), "MENTORFORMS_AS": "PC"}
    before = dashboard_app(environ, background=False, as_of=AS_OF).dashboard.status.value
    assert "2 saved files could not be opened" in before  # the truncated and the foreign workbook
    # Overwritten under its own name (its folder's time does not change): only a full check sees it.
    victim = next(path for path in DataFolder(root).iter_workbooks() if "conference_part2" in path.as_posix())
    victim.write_bytes(victim.read_bytes()[:300])
    moment = victim.stat().st_mtime - 60
    os.utime(victim, (moment, moment))
    after = dashboard_app(environ, background=False, as_of=AS_OF).dashboard
    assert "3 saved files could not be opened" in after.status.value


def test_opening_the_dashboard_is_recorded_in_the_audit_trail(known: Known) -> None:
    from mentorforms.records import audit

    before = [entry for entry in audit.entries(known.root) if entry.action == "dashboard_viewed"]
    dashboard_app(_env(known, MENTORFORMS_AS="PC"), background=False, as_of=AS_OF)
    after = [entry for entry in audit.entries(known.root) if entry.action == "dashboard_viewed"]
    assert len(after) == len(before) + 1 and after[-1].actor == "PC"


def test_the_dashboard_names_each_saved_file_it_could_not_open(known: Known) -> None:
    records = known.root / "records"
    truncated = known.truncated.relative_to(records).as_posix()
    foreign = known.foreign.relative_to(records).as_posix()
    analyst = dashboard_app(_env(known, MENTORFORMS_AS="A1"), background=False, as_of=AS_OF).dashboard.status.value
    assert "2 saved files could not be opened" in analyst
    assert f"<code>{truncated}</code>: " in analyst and f"<code>{foreign}</code>: " in analyst
    reasons = re.findall(r"</code>: ([^<]+)</li>", analyst)
    assert len(reasons) == 2 and all(reason.strip() for reason in reasons)
    # A chair sees the files of their own department by name; one outside any department is counted.
    chair = dashboard_app(_env(known, MENTORFORMS_AS="PC"), background=False, as_of=AS_OF).dashboard.status.value
    from mentorforms.records.store import safe_segment

    assert (f"<code>{truncated}</code>" in chair) == (truncated.split("/")[1] == safe_segment("Pediatrics"))
    assert f"<code>{foreign}</code>" not in chair and "1 file in other departments" in chair
