"""A window of academic years from the office's configuration: a page, an import and a report accept
only those years, refuse the others in plain words and write nothing (issue 20: ``year=1999-2000``
in a form's address opened the form and a draft filed ``records/1999-2000/``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ui_answers import newest_year

from mentorforms.commands.cli import main
from mentorforms.records import audit
from mentorforms.records.store import DataFolder
from mentorforms.rules.offline import ImportRefused, import_workbook, write_blank
from mentorforms.rules.year_window import YearOutsideWindow, YearSettingsInvalid, window
from mentorforms.ui.form_open import form_app
from mentorforms.ui.landing import landing_app
from mentorforms.vocabulary.academic_year import AcademicYear

TODAY = dt.date(2026, 11, 22)
CURRENT = AcademicYear.containing(TODAY)


def _faculty_id(root: Path) -> str:
    from mentorforms.records.roster import load_roster

    return next(person.person_id for person in load_roster(root / "roster.xlsx")
                if person.has_role("faculty") and not person.has_role("chair"))


def _year_folders(root: Path) -> set[str]:
    return {entry.name for entry in (root / "records").iterdir()}


def test_the_default_window_runs_from_the_earliest_year_on_file_to_the_next(demo_dir: Path, data_dir: Path) -> None:
    assert window(data_dir, TODAY) == type(window(data_dir, TODAY))(CURRENT, CURRENT.next)  # nothing on file
    earliest = min(AcademicYear.parse(name) for name in _year_folders(demo_dir))
    assert (window(demo_dir, TODAY).first, window(demo_dir, TODAY).last) == (earliest, CURRENT.next)
    (demo_dir / "office.toml").write_text('[years]\nfirst = "2020-2021"\nlast = "2030-31"\n', encoding="utf-8")
    assert (window(demo_dir, TODAY).first, window(demo_dir, TODAY).last) == (AcademicYear(2020), AcademicYear(2030))
    with pytest.raises(YearOutsideWindow, match="2031-2032 is not a year this office keeps forms for: the years "
                                                 "open are 2020-2021 to 2030-2031. Nothing was written"):
        window(demo_dir, TODAY).check(AcademicYear(2031))
    (demo_dir / "office.toml").write_text('[years]\nfirst = "2020-2023"\n', encoding="utf-8")
    with pytest.raises(YearSettingsInvalid, match="office.toml: the office's years cannot be read"):
        window(demo_dir, TODAY)


@pytest.mark.parametrize("year", ["1999-2000", "2099-2100"])
def test_a_form_page_for_a_year_outside_the_window_is_refused_in_words_and_recorded(demo_dir: Path, year: str) -> None:
    person_id = _faculty_id(demo_dir)
    before = _year_folders(demo_dir)
    root = form_app({"MENTORFORMS_DATA": str(demo_dir), "MENTORFORMS_AS": person_id,
                     "QUERY_STRING": f"form=conference_part1&year={year}"}, today=TODAY)
    refusal = [child for child in root.children if "mf-refusal-box" in child._dom_classes]
    assert refusal and f"{year} is not a year this office keeps forms for" in refusal[0].value
    assert not hasattr(root.children[-1], "save_draft")  # no form to save from
    assert _year_folders(demo_dir) == before
    entry = list(audit.entries(demo_dir))[-1]
    assert (entry.action, entry.actor, entry.year, entry.form_id) == ("refused", person_id, year, "conference_part1")


def test_the_landing_page_refuses_such_a_year_and_offers_only_years_in_the_window(demo_dir: Path) -> None:
    person_id = _faculty_id(demo_dir)
    env = {"MENTORFORMS_DATA": str(demo_dir), "MENTORFORMS_AS": person_id}
    refused = landing_app({**env, "QUERY_STRING": "year=2099-2100"}, today=TODAY)
    assert any("2099-2100 is not a year" in child.value for child in refused.children
               if "mf-refusal-box" in child._dom_classes)
    entry = list(audit.entries(demo_dir))[-1]  # who asked for which year, and why it was refused
    assert (entry.action, entry.actor, entry.year) == ("refused", person_id, "2099-2100")
    assert entry.detail.startswith("opening the landing page: 2099-2100 is not a year this office keeps forms for")
    (demo_dir / "office.toml").write_text(f'[years]\nfirst = "{CURRENT.previous.label}"\n'
                                          f'last = "{CURRENT.label}"\n', encoding="utf-8")
    shown = landing_app({**env, "QUERY_STRING": f"year={CURRENT.label}"}, today=TODAY)
    listing = next(child.value for child in shown.children if "mf-landing-list" in child._dom_classes)
    assert f">{CURRENT.previous.label}</a>" in listing
    assert f">{CURRENT.next.label}</a>" not in listing and f">{CURRENT.previous.previous.label}</a>" not in listing


def test_an_import_for_a_year_outside_the_window_files_nothing(demo_dir: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    blank = write_blank("network_map", 2099, tmp_path / "map.xlsx", person_id=_faculty_id(demo_dir),
                        data_dir=None)
    before = sorted(DataFolder(demo_dir).iter_workbooks())
    with pytest.raises(ImportRefused) as refused:
        import_workbook(blank, demo_dir, draft=True)
    assert "2099-2100 is not a year this office keeps forms for" in str(refused.value.problems[0])
    assert main(["import", str(blank), str(demo_dir), "--draft"]) == 1
    err = capsys.readouterr().err
    assert err.endswith("nothing was filed (1 problem)\n")  # not "(1 problems)"
    assert sorted(DataFolder(demo_dir).iter_workbooks()) == before and "2099-2100" not in _year_folders(demo_dir)
    entry = list(audit.entries(demo_dir))[-1]  # the refusal is recorded, by the account that ran the command
    assert (entry.action, entry.actor) == ("refused", audit.command_line_actor())
    assert entry.detail.startswith("importing map.xlsx: 1 problem: ") and "2099-2100" in entry.detail


def test_report_and_blank_for_a_year_outside_the_window_are_refused_and_write_nothing(
        demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.xlsx"
    assert main(["report", str(demo_dir), "--out", str(out), "--year", "1999-2000"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mentorforms report: 1999-2000 is not a year this office keeps forms for") and not out.exists()
    entry = list(audit.entries(demo_dir))[-1]
    assert (entry.action, entry.year, entry.detail.split(":")[0]) == ("refused", "1999-2000", "mentorforms report")
    blank = tmp_path / "blank.xlsx"
    assert main(["blank", "conference_part1", "--out", str(blank), "--year", "2099-2100",
                 "--data-dir", str(demo_dir)]) == 1
    assert "2099-2100 is not a year" in capsys.readouterr().err and not blank.exists()
    entry = list(audit.entries(demo_dir))[-1]
    assert (entry.action, entry.form_id, entry.year, entry.detail.split(":")[0]) == (
        "refused", "conference_part1", "2099-2100", "mentorforms blank")
    assert main(["report", str(demo_dir), "--out", str(out), "--year", newest_year(demo_dir).label]) == 0
