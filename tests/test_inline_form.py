"""A form declared in one module of its own (written here, as a school would, and named in the data
folder's office.toml) whose declaration names a goal source, a panel and a mentoring-year role
works with no edit anywhere else: the catalogue lists it, a record saves and reads back, the page
builds its panel, and the reports take its goal source's label and its role. A panel name nobody
registered is refused when the form is loaded, naming the form and the name."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest

from mentorforms.forms import BUILT_IN, form_ids, get_form
from mentorforms.forms.office_forms import FormDeclarationInvalid, FormPanelUnknown
from mentorforms.records.store import DataFolder
from mentorforms.reports.facts import extract, forms_by_role
from mentorforms.reports.labels import goal_sources, source_label
from mentorforms.ui import panels as ui_panels
from mentorforms.vocabulary import panels
from mentorforms.vocabulary.record import CheckNote, Record, Status
from mentorforms.workbooks.form_extras import extras_for
from mentorforms.workbooks.workbook import read_record
from tests.conftest import DEMO_YEAR

#: A school's whole module: the form, its goal source, its role in the mentoring year, and a panel
#: (with a print-view addition) it registers under a name of its own.
OWN_PANEL = '''
"""Sabbatical preparation, with a side panel counting the steps done."""

import html

import ipywidgets as widgets

from mentorforms.ui.panels import register
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form, Party, Section, check_note, long_text, short_text, table
from mentorforms.vocabulary.report_takes import GoalRows, GoalSource, Reports, YearRole
from mentorforms.workbooks import form_extras

FORM_ID = "sabbatical_prep"
GOALS = GoalSource("sabbatical", "Sabbatical goals")
STEPS = ("step_chair", "step_cover")


class StepsPanel(widgets.HTML):
    def __init__(self, get_values):
        super().__init__()
        self.get_values = get_values

    def refresh(self):
        done = sum(1 for step in STEPS if getattr(self.get_values().get(step), "checked", False))
        self.value = f"<p>{done} of {len(STEPS)} steps done</p>"


def print_steps(form, record):
    return f"<p>Purpose: {html.escape(str(record.values.get('purpose', '')))}</p>"


register("PANEL_NAME", StepsPanel)
form_extras.register("PANEL_NAME", form_extras.FormExtras(print_html=print_steps))


def declare(year: AcademicYear) -> Form:
    return Form(
        id=FORM_ID, title="Sabbatical Preparation", version=1, academic_year=year, panel="PANEL_NAME",
        parties=(Party("subject", "Faculty member", "subject", listed="own", roles=("faculty",)),),
        reports=Reports(goals=(GoalRows(GOALS, "goals"),), year_role=YearRole.CHECKLIST),
        sections=(
            Section("steps", "Before you leave", (
                check_note("step_chair", "Agree the dates with your chair", group="checklist_item"),
                check_note("step_cover", "Arrange cover for your clinics", group="checklist_item"),
            )),
            Section("plan", "The plan", (
                long_text("purpose", "What will the sabbatical achieve?"),
                table("goals", "Goals of the sabbatical", (short_text("goal", "Goal", required=True),)),
            )),
        ),
    )
'''

#: A module naming a built-in panel (a peer group's hours per month) for a form in the season role.
BUILT_IN_PANEL = '''
"""A writing group meeting through the season, with the built-in season panel."""

from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form, Party, Section, date, hours, long_text, table
from mentorforms.vocabulary.report_takes import GoalFields, GoalSource, Reports, YearRole

FORM_ID = "writing_group"
GOALS = GoalSource("writing_group", "Writing group aims")


def declare(year: AcademicYear) -> Form:
    return Form(
        id=FORM_ID, title="Writing Group", version=1, academic_year=year, panel="season",
        parties=(Party("subject", "Faculty member", "subject", listed="own", roles=("faculty",)),),
        reports=Reports(goals=(GoalFields(GOALS, "planned", section="aims"),), year_role=YearRole.SEASON),
        sections=(
            Section("aims", "Aims", (long_text("aim", "What will you have written by April?"),)),
            Section("season", "The season", (
                table("meetings", "Meetings", (date("date", "Date"), hours("hours", "Hours")), group="season"),
            )),
        ),
    )
'''


def _school(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path, source: str) -> str:
    """Write ``source`` as a school's module (a fresh package name, so no other test's module is
    served from sys.modules), name it in ``data_dir``'s office.toml and make that the data folder
    in use; the module's name."""
    package = f"school_{uuid.uuid4().hex[:8]}"
    (tmp_path / "site" / package).mkdir(parents=True)
    (tmp_path / "site" / package / "__init__.py").write_text("")
    (tmp_path / "site" / package / "forms.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    (data_dir / "office.toml").write_text(f'[forms]\nmodules = ["{package}.forms"]\n')
    monkeypatch.setenv("MENTORFORMS_DATA", str(data_dir))
    return f"{package}.forms"


def test_a_form_with_its_own_goal_source_panel_and_year_role_works_from_its_module_alone(
        data_dir, tmp_path, monkeypatch):
    name = f"steps_{uuid.uuid4().hex[:6]}"
    _school(tmp_path, monkeypatch, data_dir, OWN_PANEL.replace("PANEL_NAME", name))
    year = DEMO_YEAR

    # The catalogue lists it, with the panel name its module registered.
    assert form_ids() == (*BUILT_IN.ids, "sabbatical_prep")
    form = get_form("sabbatical_prep", year)
    assert form.panel == name and name in panels.known()

    # A record saves and reads back.
    record = Record("sabbatical_prep", 1, year, "F001", "Medicine", Status.SUBMITTED, {
        "step_chair": CheckNote(True, "Agreed for spring"), "purpose": "Write the book",
        "goals": ({"goal": "Finish three chapters"},),
    }, saved_at=dt.datetime(year.start + 1, 2, 1, tzinfo=dt.UTC))
    stored = DataFolder(data_dir).save(record, person_name="Pat Lee")
    back = read_record(stored.path)
    assert back.values["step_chair"] == CheckNote(True, "Agreed for spring")
    assert back.values["goals"][0]["goal"] == "Finish three chapters"

    # The page's panel is built from its name, given the values as the page gives them.
    values = dict(back.values)
    builder = extras_for("sabbatical_prep").panel
    assert builder is not None and ui_panels.panel_for("sabbatical_prep") is builder
    panel = builder(lambda: values)
    panel.refresh()
    assert panel.value == "<p>1 of 2 steps done</p>"
    values["step_cover"] = CheckNote(True, "")
    panel.refresh()
    assert panel.value == "<p>2 of 2 steps done</p>"
    # Its print-view addition, registered under the same name.
    print_html = extras_for("sabbatical_prep").print_html
    assert print_html is not None and print_html(form, back) == "<p>Purpose: Write the book</p>"

    # The reports take its goal source's label and its mentoring-year role.
    assert source_label("sabbatical", year.start) == "Sabbatical goals"
    assert "sabbatical" in [source.id for source in goal_sources(year.start)]
    assert [(goal[0], goal[3]) for goal in extract(back).goals] == [("sabbatical", "Finish three chapters")]
    assert forms_by_role(year)["checklist"] == ("mentee_checklist", "sabbatical_prep")


def test_a_form_naming_a_built_in_panel_gets_it(data_dir, tmp_path, monkeypatch):
    _school(tmp_path, monkeypatch, data_dir, BUILT_IN_PANEL)
    year = DEMO_YEAR
    assert "writing_group" in form_ids()
    assert get_form("writing_group", year).panel == "season"

    values = {"meetings": ({"date": dt.date(year.start, 10, 7), "hours": 1.5},
                           {"date": dt.date(year.start, 10, 21), "hours": 2.0})}
    panel = extras_for("writing_group").panel(lambda: values)
    panel.set_context(year=year)  # as the page does once it has built it
    october = next(line for line in panel.children[0].value.split("<tr") if "October" in line)
    assert "<td>3.5</td>" in october and "within 2-6 hours" in october

    assert source_label("writing_group", year.start) == "Writing group aims"
    assert forms_by_role(year)["season"] == ("peer_group", "writing_group")


def test_a_panel_name_nobody_registered_is_refused_naming_the_form_and_the_name(data_dir, tmp_path, monkeypatch):
    module = _school(tmp_path, monkeypatch, data_dir, BUILT_IN_PANEL.replace('panel="season"', 'panel="seasons"'))
    with pytest.raises(FormPanelUnknown) as refused:
        form_ids()
    assert (refused.value.module, refused.value.form_id, refused.value.panel) == (module, "writing_group", "seasons")
    assert "the form 'writing_group'" in str(refused.value) and "the panel 'seasons'" in str(refused.value)
    assert "season" in str(refused.value)  # the names there are


def test_a_dotted_module_path_is_not_a_panel_name(data_dir, tmp_path, monkeypatch):
    _school(tmp_path, monkeypatch, data_dir,
            BUILT_IN_PANEL.replace('panel="season"', 'panel="mentorforms.ui.season_panel"'))
    with pytest.raises(FormDeclarationInvalid) as refused:
        form_ids()
    assert "'mentorforms.ui.season_panel' is not a panel name" in str(refused.value)


def test_every_built_in_panel_name_is_registered_where_the_page_and_the_workbook_find_it():
    assert tuple(ui_panels.BUILT_IN) == panels.BUILT_IN
    named = {form_id: BUILT_IN.get(form_id, DEMO_YEAR).panel for form_id in BUILT_IN.ids}
    assert {name for name in named.values() if name} == set(panels.BUILT_IN)
    for form_id, name in named.items():
        if name:
            assert extras_for(form_id).panel is ui_panels.BUILT_IN[name]
