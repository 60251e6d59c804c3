"""What the dashboard reads, without a widget: the numbers for a choice of filters, the unreadable
files a viewer may see named, and what is kept until the index changes."""

from __future__ import annotations

import pytest
from reports_known import AS_OF, YEAR, Known, build_known

from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.reports.index import Index
from mentorforms.rules import access
from mentorforms.rules.identity import identify
from mentorforms.ui.context import Session
from mentorforms.ui.dashboard_data import DashboardData, divisions


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Known:
    return build_known(tmp_path_factory.mktemp("known-dashboard-data") / "data")


def _data(known: Known, person_id: str) -> DashboardData:
    folder = DataFolder(known.root)
    roster = load_roster(folder.roster_path)
    session = Session(folder, roster, identify(roster, {"MENTORFORMS_AS": person_id}), demo=False)
    data = DashboardData(session, access.visible_departments(session.viewer, roster), Index(known.root), AS_OF)
    data.refresh(None, thorough=True)
    return data


def test_a_chair_reads_their_own_department_in_full(known: Known) -> None:
    data = _data(known, "PC")
    assert data.departments == ("Pediatrics",) and YEAR.start in data.years()
    shown = data.gather(YEAR, ("Pediatrics",), "Pediatrics", None)
    assert shown.year == YEAR and shown.departments == ("Pediatrics",)
    assert not shown.suppressed and shown.own_department == "Pediatrics" and shown.min_cell == 0
    assert shown.summary.faculty == 7


def test_a_division_is_counted_from_the_tables(known: Known) -> None:
    data = _data(known, "PC")
    assert divisions(data.session.roster, ("Pediatrics",)) == ["Cardiology", "Neonatology"]
    assert data.gather(YEAR, ("Pediatrics",), "Pediatrics", "Neonatology").summary.faculty == 3


def test_each_year_is_read_once_until_a_refresh_finds_a_change(known: Known) -> None:
    data = _data(known, "A1")
    tables = data.tables_for(YEAR.start)
    assert data.tables_for(YEAR.start) is tables
    data.forget()
    assert data.tables_for(YEAR.start) is not tables


def test_unreadable_files_are_named_in_the_viewers_departments_and_counted_elsewhere(known: Known) -> None:
    everything = _data(known, "A1").unreadable()
    assert everything.elsewhere == 0 and len(everything.named) == 2
    assert all(reason.strip() for _, reason in everything.named)
    chair = _data(known, "PC").unreadable()
    assert len(chair.named) + chair.elsewhere == 2 and chair.elsewhere >= 1  # the foreign workbook is nobody's
