"""The landing page lists every form the viewer may open, and nothing else."""

from __future__ import annotations

import html
import shutil
import urllib.parse
from dataclasses import replace

from ui_answers import newest_year

from mentorforms.records.roster import load_roster, write_roster
from mentorforms.rules import access
from mentorforms.ui.context import PageRequest, open_session
from mentorforms.ui.form_open import open_form_page
from mentorforms.ui.landing import landing_app, landing_sections
from mentorforms.vocabulary.academic_year import AcademicYear


def session_for(root, person_id, demo=False):
    environ = {"MENTORFORMS_DATA": str(root)}
    if demo:
        environ["MENTORFORMS_DEMO"] = "1"
        return open_session(environ, PageRequest(demo_as=person_id))
    environ["MENTORFORMS_AS"] = person_id
    return open_session(environ, PageRequest())


def links(sections):
    return {entry.label: entry for section in sections for entry in section.entries}


def query(entry):
    return dict(urllib.parse.parse_qsl(entry.href.split("?", 1)[1]))


def test_faculty_see_their_own_forms_and_an_agreement_per_mentor(demo_master):
    roster = load_roster(demo_master / "roster.xlsx")
    person = next(p for p in roster if p.mentors and not p.has_role("chair") and not p.has_role("mentor"))
    year = newest_year(demo_master)
    entries = links(landing_sections(session_for(demo_master, person.person_id), year))
    assert any("Faculty Form (Part I)" in label for label in entries)
    assert any("Chair Form (Part II)" in label for label in entries)
    for mentor_id in person.mentors:
        entry = entries[f"Mentoring agreement with {roster.get(mentor_id).name}"]
        assert query(entry) == {"form": "agreement", "person": person.person_id, "year": year.label,
                                "mentor": mentor_id}
    assert not any(": Part II (you fill it in)" in label for label in entries)  # not a chair


def test_every_link_opens_a_page_the_viewer_may_open(demo_dir):
    # a copy: opening others' forms writes audit entries, which the shared demo must not get
    roster = load_roster(demo_dir / "roster.xlsx")
    year = newest_year(demo_dir)
    for person in list(roster)[:12]:
        session = session_for(demo_dir, person.person_id)
        for entry in links(landing_sections(session, year)).values():
            if entry.href.startswith(("dashboard.ipynb", "analyst.ipynb")):
                assert access.visible_departments(session.viewer, roster)
                assert session.viewer.is_analyst or not entry.href.startswith("analyst.ipynb")
                continue
            asked = query(entry)
            key = asked.get("mentor") or (asked.get("instance") if asked["form"] != "peer_group" else None)
            assert access.can_view(session.viewer, roster, asked["form"], asked["person"], key)
            if asked["form"] != "peer_group":
                page = open_form_page(session, PageRequest(form_id=asked["form"], person_id=asked["person"],
                                                           year=asked["year"], mentor_id=asked.get("mentor"),
                                                           instance=asked.get("instance")))
                assert hasattr(page, "form"), (person.person_id, entry.label)


def test_a_chair_sees_the_departments_conferences_and_statuses(demo_master):
    roster = load_roster(demo_master / "roster.xlsx")
    chair = next(p for p in roster if p.has_role("chair"))
    year = newest_year(demo_master)
    entries = links(landing_sections(session_for(demo_master, chair.person_id), year))
    colleagues = [p for p in roster.in_department(chair.department)
                  if p.has_role("faculty") and p.person_id != chair.person_id]
    for colleague in colleagues:
        assert f"{colleague.name}: Part II (you fill it in)" in entries
        assert f"{colleague.name}: Part I (read-only)" in entries
    statuses = {entry.status for entry in entries.values()}
    assert statuses <= {"Not started", "Draft", "Submitted", "Signed", "New", "Report"}
    assert len(statuses) > 1  # the demo has forms in several states


def test_a_designee_sees_the_departments_conferences_but_not_their_own(demo_master, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(demo_master, root)
    roster = load_roster(root / "roster.xlsx")
    chair = next(p for p in roster if p.has_role("chair"))
    designee = next(p for p in roster.in_department(chair.department) if not p.has_role("chair"))
    people = [replace(p, roles=p.roles | {"designee"}) if p.person_id == designee.person_id else p for p in roster]
    write_roster(people, root / "roster.xlsx")
    sections = landing_sections(session_for(root, designee.person_id), newest_year(root))
    held = next(s for s in sections if s.title == f"Conferences in {chair.department} (as the chair's designee)")
    labels = {entry.label for entry in held.entries}
    colleague = next(p for p in roster.in_department(chair.department) if p.has_role("faculty")
                     and p.person_id not in (chair.person_id, designee.person_id))
    assert f"{colleague.name}: Part II (you fill it in)" in labels
    # Not their own conference, nor the chair's.
    assert not [label for label in labels if label.startswith((f"{designee.name}:", f"{chair.name}:"))]


def test_chairs_and_analysts_find_their_reports_and_faculty_do_not(demo_master):
    roster = load_roster(demo_master / "roster.xlsx")
    year = newest_year(demo_master)
    chair = next(p for p in roster if p.has_role("chair"))
    analyst = next(p for p in roster if p.has_role("analyst"))
    faculty = next(p for p in roster if p.has_role("faculty") and not p.has_role("chair") and not p.has_role("analyst"))

    def reports(person):
        sections = landing_sections(session_for(demo_master, person.person_id), year)
        return {entry.label: entry for section in sections if section.title == "Reports" for entry in section.entries}

    chair_reports = reports(chair)
    assert list(chair_reports) == [f"Department dashboard: {chair.department}"]
    assert chair_reports[f"Department dashboard: {chair.department}"].href == f"dashboard.ipynb?year={year.label}"
    departments = {p.department for p in roster.faculty()}
    analyst_reports = reports(analyst)
    assert set(analyst_reports) == {f"Department dashboard: all {len(departments)} departments",
                                    "Excel export of department summaries"}
    assert analyst_reports["Excel export of department summaries"].href == "analyst.ipynb"
    assert reports(faculty) == {}


def test_demo_links_carry_the_chosen_identity_and_the_page_escapes_names(demo_master):
    roster = load_roster(demo_master / "roster.xlsx")
    person = next(p for p in roster if p.has_role("faculty"))
    root = landing_app({"MENTORFORMS_DATA": str(demo_master), "MENTORFORMS_DEMO": "1",
                        "QUERY_STRING": f"as={person.person_id}&year={newest_year(demo_master).label}"})
    listing = root.children[-1].value
    assert f"as={person.person_id}" in listing
    assert "DEMO MODE" in root.children[1].value
    for other in roster:
        if "'" in other.name and other.name in listing:
            raise AssertionError("names must be escaped")
    assert html.escape(person.name) in root.children[1].value


def test_landing_without_identity_refuses_and_an_analyst_lands_on_the_reports(demo_master):
    root = landing_app({"MENTORFORMS_DATA": str(demo_master)})
    assert "does not know who you are" in html.unescape(root.children[-1].value)
    roster = load_roster(demo_master / "roster.xlsx")
    analyst = next(p for p in roster if p.has_role("analyst"))
    root = landing_app({"MENTORFORMS_DATA": str(demo_master), "MENTORFORMS_AS": analyst.person_id})
    page = root.children[-1].value
    assert "no forms for you to open" not in page
    assert ">Reports</h2>" in page and 'href="analyst.ipynb"' in page


def test_other_years_offers_every_year_with_records(demo_master):
    from mentorforms.records.store import DataFolder
    from mentorforms.ui.landing import other_years

    folder = DataFolder(demo_master)
    newest = newest_year(demo_master)
    with_records = {AcademicYear.parse(entry.name) for entry in folder.records_root.iterdir()}
    offered = set(other_years(folder, newest))
    assert with_records - {newest} <= offered and newest.next in offered and newest not in offered
    assert len(with_records) >= 3  # the demo spans three years, so last year and the one before are offered
