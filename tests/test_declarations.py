"""Every field of the inventory is declared, and everything else follows from the declarations."""

from __future__ import annotations

import dataclasses
import io

import pytest
from openpyxl import load_workbook

from mentorforms import forms
from mentorforms.commands.check import check_workbook
from mentorforms.forms import FORM_IDS, conference_part1, get_form
from mentorforms.records.store import DataFolder
from mentorforms.rules.validation import form_model, problems
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Kind, long_text, short_text, whole_number
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks.workbook import read_record, workbook_bytes

YEAR = AcademicYear(2023)


def labels(form_id: str) -> list[str]:
    form = get_form(form_id, YEAR)
    found = []
    for item in form.fields():
        found.append(item.label)
        found.extend(choice.label for choice in item.choices)
        found.extend(column.label for column in item.columns)
        for column in item.columns:
            found.extend(choice.label for choice in column.choices)
    return found


def has(form_id: str, *wanted: str) -> None:
    text = "\n".join(labels(form_id)).lower()
    missing = [phrase for phrase in wanted if phrase.lower() not in text]
    assert missing == [], f"{form_id} lacks {missing}"


def test_agreement_has_every_inventory_field() -> None:
    has("agreement", "Mentor", "Mentee", "Department", "Start date", "revisit", "specific outcomes",
        "successful", "Goal", "Action steps", "Deliverables", "Timeline", "Status", "Not started", "In progress", "Met",
        "Deferred", "last updated", "allocate sufficient time", "protect this time", "revisit this issue of time",
        "How often will we meet", "Several times a week", "Every month or two", "Length of the commitment", "norms",
        "confidentiality", "obstacles", "process", "active listeners", "communication styles",
        "forms of communication", "In-person", "Video", "Email", "Memos", "Telephone")
    form = get_form("agreement", YEAR)
    assert form.field("goals").max_rows == 3
    assert form.signers == ("mentor_signature", "mentee_signature")


def test_part1_has_every_inventory_field_with_the_lcme_stars() -> None:
    form = get_form("conference_part1", YEAR)
    assert len(form.field("accomplishments").choices) == 15
    assert [choice.id for choice in form.field("work_time").choices] == [
        "patient_care", "teaching", "research", "administration", "other"]
    teaching = [item for item in form.fields() if item.group == "teaching_hours"]
    assert len(teaching) == 8 and all(item.kind is Kind.HOURS and item.lcme for item in teaching)
    assert "7/1/2022 to 6/30/2023" in teaching[0].help
    has("conference_part1", "Name of Faculty", "Division/Department/Program", "Abstracts", "teaching academy",
        "Activities contributing to wellness", "Other (specify)", "most important goals for this past year",
        "Met", "Area of Excellence", "Investigation", "Not Sure", "promotion criteria", "Somewhat", "Comments",
        "Institution", "Mentor Name", "Role", "Mentee Name", "Your Role", "Additional Skills You Need",
        "Surgical techniques", "Grant writing", "Review panels", "Work/Life Balance", "Patient Education",
        "resources have helped", "challenges", "resources and skills do you need", "Faculty Member")
    lcme = {item.id for item in form.fields() if item.lcme}
    assert {"work_time", "promotion_criteria", "goal_teaching"} <= lcme
    assert "area_of_excellence" not in lcme


def test_part2_has_every_inventory_field_with_the_lcme_stars() -> None:
    form = get_form("conference_part2", YEAR)
    assert len([item for item in form.fields() if item.group == "next_year_goals"]) == 10
    assert len([item for item in form.fields() if item.kind is Kind.CHECK_NOTE]) == 4
    has("conference_part2", "Name of Faculty Member", "Chair/Mentor/Designee", "Date", "Grant writing/Funding",
        "Scholarship", "Recognition", "Community of Mentors", "Unable to assess", "Promotion anticipated",
        "No promotion anticipated", "because", "will require", "Additional Training", "Re-allocation",
        "development programs", "summary of your discussion", "Chair/Designee")
    assert {item.id for item in form.fields() if item.lcme} >= {
        "promotion_outlook", "advancement_requires", "support_training", "discussion_summary"}


def test_network_map_and_peer_group_have_every_inventory_field() -> None:
    has("network_map", "Career Goals", "Name or initials", "Description", "Getting the job done",
        "Advancing your career", "Personal support", "Close", "Moderate", "Distant", "Superior", "Peer", "Junior",
        "Inside", "Outside", "Sponsor", "well connected", "Mentor", "Mentee", "Diversity", "Redundancy",
        "Interconnectivity", "Strength of Connection", "Balance", "Power", "Size")
    group = get_form("peer_group", YEAR)
    assert (group.field("mentors").min_rows, group.field("mentors").max_rows) == (1, 2)
    assert (group.field("mentees").min_rows, group.field("mentees").max_rows) == (3, 5)
    has("peer_group", "Connector", "Hours per month", "goals", "Agenda", "Guide the discussion", "Schedule meetings",
        "Monitor progress")


def test_the_year_flows_into_titles_periods_and_due_dates() -> None:
    later = get_form("conference_part1", 2026)
    assert "2026 – 2027" in later.title
    assert "7/1/2025 to 6/30/2026" in later.field("hours_courses").help
    assert "April 1, 2027" in later.intro


_DECLARE_PART1 = conference_part1.declare


def _with_new_field(year):
    """The Part I declaration as an office would edit it: two more questions in section D."""
    original = _DECLARE_PART1(year)
    sections = tuple(
        dataclasses.replace(section, fields=section.fields + (
            long_text("resources_wished", "What one resource do you wish existed?"),
            whole_number("papers_submitted", "Papers submitted this year", min_value=0, max_value=200),
        )) if section.id == "resources" else section
        for section in original.sections)
    return dataclasses.replace(original, version=original.version + 1, sections=sections)


@pytest.fixture
def edited_part1(monkeypatch: pytest.MonkeyPatch):
    """Next year's declaration of Part I (and only it) for the length of a test."""
    with forms.BUILT_IN.including("conference_part1", _with_new_field).active():
        yield get_form("conference_part1", YEAR)


def test_a_field_added_to_a_declaration_is_validated_written_and_read_back(edited_part1) -> None:
    form = edited_part1
    assert "resources_wished" in form_model(form, True).model_fields
    assert [problem.message for problem in problems(form, {"papers_submitted": -1})
            if problem.field_id == "papers_submitted"] == ["Must be at least 0."]
    record = Record(form.id, form.version, YEAR, "F1", "Pediatrics", Status.DRAFT,
                    {"resources_wished": "=A protected writing day", "papers_submitted": 4})
    content = workbook_bytes(record)
    assert read_record(content) == record
    sheet = load_workbook(io.BytesIO(content))["Form"]
    shown = {cell.value for row in sheet.iter_rows() for cell in row}
    assert {"What one resource do you wish existed?", "=A protected writing day", 4} <= shown


def test_where_a_new_form_starts_is_declared_on_its_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    from mentorforms.records.roster import Person
    from mentorforms.vocabulary.prefill import roster_answers

    def with_roster_id(year):
        original = declare_part1(year)
        sections = tuple(
            dataclasses.replace(section, fields=section.fields + (
                short_text("roster_id", "Roster id", prefill="subject.person_id"),)) if section.id == "header" else section
            for section in original.sections)
        return dataclasses.replace(original, sections=sections)

    declare_part1 = conference_part1.declare
    ana = Person("F1", "Ana Lopez", "Pediatrics", division="Cardiology", roles=frozenset({"faculty"}))
    chair = Person("C1", "Cy Chair", "Pediatrics", roles=frozenset({"faculty", "chair"}))
    assert roster_answers(get_form("conference_part1", YEAR), ana, ana) == {
        "faculty_name": "Ana Lopez", "department": "Cardiology / Pediatrics"}
    assert roster_answers(get_form("conference_part2", YEAR), ana, chair) == {
        "faculty_name": "Ana Lopez", "conference_holder": "Cy Chair"}
    with forms.BUILT_IN.including("conference_part1", with_roster_id).active():
        assert roster_answers(get_form("conference_part1", YEAR), ana, ana)["roster_id"] == "F1"
    with pytest.raises(ValueError, match="unknown prefill source 'subject.salary'"):
        short_text("pay", "Pay", prefill="subject.salary")


def test_a_workbook_from_before_a_field_was_added_reads_it_as_empty(data_dir, monkeypatch) -> None:
    old_form = get_form("conference_part1", YEAR)
    stored = DataFolder(data_dir).save(Record(old_form.id, old_form.version, YEAR, "F1", "Pediatrics",
                                              values={"challenges": "Time"}))
    with forms.BUILT_IN.including("conference_part1", _with_new_field).active():
        record = read_record(stored.path)
        assert record.values == {"challenges": "Time"} and record.get("resources_wished") is None
        assert record.form_version == 1 and record.unknown == {}


def test_a_field_removed_since_is_kept_and_reported_never_dropped(data_dir, monkeypatch) -> None:
    folder = DataFolder(data_dir)
    with forms.BUILT_IN.including("conference_part1", _with_new_field).active():
        new_form = get_form("conference_part1", YEAR)
        stored = folder.save(Record(new_form.id, new_form.version, YEAR, "F1", "Pediatrics",
                                    values={"challenges": "Time", "resources_wished": "A writing day"}))
    record = read_record(stored.path)
    assert record.values == {"challenges": "Time"}
    assert record.unknown == {"resources_wished": ((None, None, "text", "A writing day"),)}
    notes = [str(problem) for problem in check_workbook(stored.path)]
    assert any("resources_wished" in note and "no longer" in note for note in notes)
    # Saving the record again (say, after an edit) keeps the value.
    again = folder.save(record.replace(values={"challenges": "Less time"}))
    assert read_record(again.path).unknown == record.unknown


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_form_declares_help_for_its_hard_questions_and_unique_ids(form_id: str) -> None:
    form = get_form(form_id, YEAR)
    assert len(form.field_ids) == len(set(form.field_ids))
    assert form.title and form.source and form.sections
    for item in form.fields():
        assert item.label.strip(), item.id
        if item.kind is Kind.TABLE:
            assert item.columns and item.max_rows >= max(1, item.min_rows)
