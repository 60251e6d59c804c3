"""A school adds a form without editing the package: a module of its own, named in the data
folder's office.toml, declares it (with a goal source and a mentoring-year role), and the
catalogue, the data folder and the reports take it from there. A module that cannot be used is
refused in plain words."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import subprocess
import sys
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from mentorforms.forms import BUILT_IN, catalogue, form_ids, get_form
from mentorforms.forms.office_forms import FormDeclarationInvalid, FormIdClash, FormModuleUnavailable
from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.reports import year as year_report
from mentorforms.reports.facts import forms_by_role
from mentorforms.reports.index import Index
from mentorforms.reports.labels import goal_sources, source_label
from mentorforms.reports.tables import build_tables
from mentorforms.vocabulary.record import CheckNote, Record, Status
from mentorforms.vocabulary.report_takes import GoalSource
from mentorforms.workbooks.workbook import read_record
from tests.conftest import DEMO_YEAR

#: A school's whole module, as docs/forms.md shows it: nothing else is edited.
SCHOOL_MODULE = '''
"""Our school's sabbatical preparation: steps the faculty member ticks, and the goals of the leave."""

from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import (
    Form, Party, Section, check_note, choice, choices, date, long_text, short_text, table,
)
from mentorforms.vocabulary.report_takes import GoalRows, GoalSource, Reports, YearRole

FORM_ID = "sabbatical_prep"
GOALS = GoalSource("sabbatical", "Sabbatical goals")
PROGRESS = choices(("planned", "Planned"), ("under_way", "Under way"), ("reached", "Reached"))


def declare(year: AcademicYear) -> Form:
    return Form(
        id=FORM_ID, title="Sabbatical Preparation", version=1, academic_year=year,
        parties=(Party("subject", "Faculty member", "subject", listed="own", roles=("faculty",)),),
        reports=Reports(goals=(GoalRows(GOALS, "goals", status="status", status_date="status_date"),),
                        year_role=YearRole.CHECKLIST),
        sections=(
            Section("steps", "Before you leave", (
                check_note("step_chair", "Agree the dates with your chair", group="checklist_item"),
                check_note("step_cover", "Arrange cover for your clinics", group="checklist_item"),
            )),
            Section("plan", "The plan", (
                long_text("purpose", "What will the sabbatical achieve?", required=True),
                table("goals", "Goals of the sabbatical", (
                    short_text("goal", "Goal", required=True),
                    choice("status", "Status", PROGRESS),
                    date("status_date", "Status changed on"),
                ), progress=("status", "status_date")),
            )),
        ),
    )
'''


def _school(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path, source: str,
            form_id: str = "") -> str:
    """Write ``source`` as a module of a school package under tmp_path, put it on sys.path, name it
    in ``data_dir``'s office.toml and make ``data_dir`` the data folder in use; the module's name."""
    package = f"school_{uuid.uuid4().hex[:8]}"  # a fresh name: sys.modules never serves another test's
    (tmp_path / "site" / package).mkdir(parents=True)
    (tmp_path / "site" / package / "__init__.py").write_text("")
    (tmp_path / "site" / package / "sabbatical.py").write_text(source.replace('"sabbatical_prep"',
                                                                              f'"{form_id or "sabbatical_prep"}"'))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "site"))  # for the processes a test starts
    (data_dir / "office.toml").write_text(f'[forms]\nmodules = ["{package}.sabbatical"]\n')
    monkeypatch.setenv("MENTORFORMS_DATA", str(data_dir))
    return f"{package}.sabbatical"


def test_a_school_adds_a_form_through_its_office_toml(demo_dir, tmp_path, monkeypatch):
    _school(tmp_path, monkeypatch, demo_dir, SCHOOL_MODULE)
    year = DEMO_YEAR
    assert form_ids() == (*BUILT_IN.ids, "sabbatical_prep")
    assert forms_by_role(year)["checklist"] == ("mentee_checklist", "sabbatical_prep")

    # The command line lists it too, in a process of its own, from the folder it is given.
    listed = subprocess.run([sys.executable, "-m", "mentorforms.commands.cli", "forms", "--data-dir", str(demo_dir)],
                            capture_output=True, text=True, check=True, env={**os.environ, "MENTORFORMS_DATA": ""})
    assert listed.stdout.splitlines()[-1].split() == ["sabbatical_prep", "v1", "Sabbatical", "Preparation"]

    roster = load_roster(demo_dir / "roster.xlsx")
    person = next(person for person in roster if person.mentors and person.has_role("faculty"))
    folder = DataFolder(demo_dir)
    folder.save(Record("sabbatical_prep", 1, year, person.person_id, person.department, Status.DRAFT, {
        "purpose": "Write the book",
        "goals": ({"goal": "Finish three chapters", "status": "planned", "status_date": dt.date(2026, 9, 1)},),
    }, saved_by=person.person_id))
    stored = folder.save(Record("sabbatical_prep", 1, year, person.person_id, person.department, Status.SUBMITTED, {
        "step_chair": CheckNote(True, "Agreed for spring"), "purpose": "Write the book",
        "goals": ({"goal": "Finish three chapters", "status": "under_way", "status_date": dt.date(2026, 10, 1)},),
    }, saved_by=person.person_id))
    back = read_record(stored.path)
    assert back.values["step_chair"] == CheckNote(True, "Agreed for spring")
    assert back.values["goals"][0]["status"] == "under_way"

    # Two worker processes read the workbooks: they find the school's form from the data folder too.
    with Index(demo_dir, jobs=2) as index:
        index.refresh()
        assert not [problem for problem in index.problems() if "sabbatical_prep" in str(problem.path)]
        tables = build_tables(index, roster, years=[year])
        goals = tables.goals[tables.goals["person_id"] == person.person_id]
        ours = goals[goals["source"] == "Sabbatical goals"]
        assert list(ours["goal"]) == ["Finish three chapters"]
        assert list(ours["status"]) == ["Under way"]  # the label its own declaration gives the status
        found = year_report.year_records(index, year, roles=["checklist"], agreements=False)
    assert any(record.form_id == "sabbatical_prep" for record in found.records)
    checklists = year_report.checklists(found, roster)
    mine = checklists[checklists["person_id"] == person.person_id].iloc[0]
    assert (mine["state"], mine["ticked"]) == ("started", 1)


def test_a_module_that_cannot_be_imported_is_refused_in_plain_words(data_dir, tmp_path, monkeypatch):
    (data_dir / "office.toml").write_text('[forms]\nmodules = ["no_such_school.sabbatical"]\n')
    monkeypatch.setenv("MENTORFORMS_DATA", str(data_dir))
    with pytest.raises(FormModuleUnavailable) as refused:
        form_ids()
    assert refused.value.module == "no_such_school.sabbatical"
    assert "cannot be imported" in str(refused.value) and str(data_dir / "office.toml") in str(refused.value)

    shown = subprocess.run([sys.executable, "-m", "mentorforms.commands.cli", "forms", "--data-dir", str(data_dir)],
                           capture_output=True, text=True, env=dict(os.environ))
    assert shown.returncode == 1 and "Traceback" not in shown.stderr
    assert "'no_such_school.sabbatical' cannot be imported" in shown.stderr


def test_a_form_id_the_package_already_has_is_refused(data_dir, tmp_path, monkeypatch):
    module = _school(tmp_path, monkeypatch, data_dir, SCHOOL_MODULE, form_id="agreement")
    with pytest.raises(FormIdClash) as refused:
        get_form("agreement", DEMO_YEAR)
    assert refused.value.module == module and "'agreement', which a built-in form already declares" in str(refused.value)


def test_an_invalid_declaration_is_refused_with_its_reason(data_dir, tmp_path, monkeypatch):
    # A checklist role with no checklist steps: the declaration does not fit its role.
    broken = SCHOOL_MODULE.replace('group="checklist_item"', 'group=""')
    module = _school(tmp_path, monkeypatch, data_dir, broken)
    with pytest.raises(FormDeclarationInvalid) as refused:
        catalogue()
    assert refused.value.module == module
    assert "year role 'checklist' does not fit the form" in refused.value.reason


def test_an_active_catalogue_keeps_its_own_derived_plans(demo_dir):
    """Caches are keyed by the catalogue: a form redeclared in an active catalogue is read with
    its own declaration, never the one cached for the built-in catalogue."""
    agreement = importlib.import_module("mentorforms.forms.agreement")
    assert source_label("agreement", DEMO_YEAR.start) == "Mentoring agreement"

    def relabelled(year):
        form = agreement.declare(year)
        goals = tuple(replace(take, source=GoalSource("agreement", "Our mentoring plan")) for take in form.reports.goals)
        return replace(form, reports=replace(form.reports, goals=goals))

    with BUILT_IN.including("agreement", relabelled).active():
        assert source_label("agreement", DEMO_YEAR.start) == "Our mentoring plan"
        assert goal_sources(DEMO_YEAR.start)[0].label == "Our mentoring plan"
    assert source_label("agreement", DEMO_YEAR.start) == "Mentoring agreement"
