"""The inputs derived from the declarations, without a browser."""

from __future__ import annotations

import datetime as dt

import pytest
from ui_answers import complete_answers

from mentorforms.errors import FieldProblem
from mentorforms.forms import FORM_IDS, get_form
from mentorforms.rules.validation import normalise
from mentorforms.ui.widgets import (
    ChoiceInput,
    NumberInput,
    RankInput,
    SignatureInput,
    TableInput,
    make_input,
    parse_number,
)
from mentorforms.vocabulary.declaration import Kind, choices, hours, rank, short_text, table
from mentorforms.vocabulary.record import Signature

YEAR = 2026


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_field_shows_and_returns_its_answer(form_id):
    form = get_form(form_id, YEAR)
    answers = complete_answers(form)
    answers.update({item.id: Signature("Ana Patel", dt.date(YEAR, 10, 1))
                    for item in form.fields() if item.kind is Kind.SIGNATURE})
    read_back = {}
    for item in form.fields():
        widget = make_input(item)
        widget.set_value(answers[item.id])
        read_back[item.id] = widget.value()
    assert normalise(form, read_back) == answers


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_an_empty_input_gives_no_answer(form_id):
    form = get_form(form_id, YEAR)
    values = {item.id: make_input(item).value() for item in form.fields()}
    assert normalise(form, values) == {}


def test_every_input_carries_css_classes_named_for_its_field():
    form = get_form("conference_part1", YEAR)
    for item in form.fields():
        widget = make_input(item)
        assert {"mf-field", f"mf-field-{item.id}", f"mf-kind-{item.kind.value}"} <= set(widget.box._dom_classes)


@pytest.mark.parametrize("text, whole, expected", [
    ("12", False, 12.0), (" 2.5 ", False, 2.5), ("1,200", False, 1200.0), ("-3", False, -3.0),
    ("", False, None), ("   ", False, None), ("twelve", False, "twelve"), ("nan", False, "nan"),
    ("inf", False, "inf"), ("12", True, 12), ("12.0", True, 12), ("12.5", True, "12.5"),
])
def test_numbers_are_read_as_typed_and_anything_else_is_kept_for_validation(text, whole, expected):
    assert parse_number(text, whole) == expected


def test_hours_input_keeps_text_that_is_not_a_number():
    widget = NumberInput(hours("h", "Hours"))
    widget.input.value = "about ten"
    assert widget.value() == "about ten"
    widget.set_value(7.0)
    assert widget.input.value == "7"


def test_a_rank_cannot_hold_the_same_number_twice():
    widget = RankInput(rank("r", "Rank", choices(("a", "A"), ("b", "B"), ("c", "C"))))
    widget.selects["a"].value = 1
    widget.selects["b"].value = 2
    widget.selects["c"].value = 3
    widget.selects["c"].value = 1  # c takes 1: a, which held it, takes c's old 3
    assert widget.value() == {"a": 3, "b": 2, "c": 1}
    widget.selects["b"].value = 1  # b takes 1 from c, c takes 2
    assert widget.value() == {"a": 3, "b": 1, "c": 2}
    assert len(set(widget.value().values())) == 3


def test_a_rank_shown_from_a_bad_record_drops_duplicates():
    widget = RankInput(rank("r", "Rank", choices(("a", "A"), ("b", "B"))))
    widget.set_value({"a": 1, "b": 1})
    assert widget.value() == {"a": 1}


def test_table_rows_are_added_and_removed_only_within_bounds():
    item = table("t", "Rows", (short_text("x", "X", required=True),), min_rows=1, max_rows=3)
    widget = TableInput(item)
    assert len(widget.rows) == 1
    assert widget.rows[0].remove.disabled  # cannot go below min_rows
    widget.add_row()
    widget.add_row()
    assert len(widget.rows) == 3
    assert widget.add.disabled
    assert widget.add_row() is None and len(widget.rows) == 3
    widget.rows[0].cells["x"].value = "first"
    widget.rows[2].cells["x"].value = "third"
    widget.remove_row(widget.rows[1])
    assert widget.value() == ({"x": "first"}, {"x": "third"})
    widget.remove_row(widget.rows[0])
    widget.remove_row(widget.rows[0])  # refused: one row must stay
    assert len(widget.rows) == 1 and widget.value() == ({"x": "third"},)


def test_disabled_table_cannot_gain_or_lose_rows():
    widget = TableInput(table("t", "Rows", (short_text("x", "X"),), max_rows=5))
    widget.set_enabled(False)
    assert widget.add_row() is None
    assert widget.add.disabled and all(row.remove.disabled for row in widget.rows)
    assert all(cell.disabled for row in widget.rows for cell in row.cells.values())


def test_choices_are_offered_as_the_declaration_lists_them_and_start_unanswered():
    form = get_form("conference_part1", YEAR)
    item = form.field("area_of_excellence")
    widget = make_input(item)
    assert isinstance(widget, ChoiceInput)
    assert [label for label, _ in widget.input.options] == [choice.label for choice in item.choices]
    assert widget.value() is None


def test_problems_appear_next_to_the_field_in_plain_words_and_go_away():
    item = hours("h", "Hours")
    widget = make_input(item)
    widget.show_problems([FieldProblem("h", "Hours", "Hours cannot be negative.")])
    assert widget.message_text == "Hours cannot be negative."
    assert "mf-invalid" in widget.box._dom_classes
    widget.show_problems(())
    assert widget.message_text == ""
    assert "mf-invalid" not in widget.box._dom_classes


def test_table_problems_name_the_row_and_column():
    item = table("t", "Rows", (short_text("x", "Goal", required=True),))
    widget = make_input(item)
    widget.show_problems([FieldProblem("t", "Rows", "This is required.", row=2, column="Goal")])
    assert widget.message_text == "Row 2, Goal: This is required."


def test_signature_reads_the_typed_name_and_shows_the_date_the_server_stores():
    form = get_form("conference_part1", YEAR)
    widget = make_input(form.field("faculty_signature"))
    assert isinstance(widget, SignatureInput)
    assert widget._controls() == (widget.name,)  # the typed name is the only input; no date box
    widget.name.value = "Ana Patel"
    assert widget.value() == Signature("Ana Patel", None)
    widget.show_date(dt.date(2026, 11, 2))
    assert "11/02/2026 (today" in widget.date_shown.value
    widget.set_value(Signature("Ana Patel", dt.date(2026, 10, 1)))
    widget.show_date(dt.date(2026, 11, 2))
    assert widget.value() == Signature("Ana Patel", dt.date(2026, 10, 1))
    assert "10/01/2026" in widget.date_shown.value and "today" not in widget.date_shown.value


def test_listeners_hear_user_changes_but_not_values_set_by_the_page():
    widget = make_input(short_text("s", "S"))
    heard = []
    widget.on_change(lambda: heard.append(widget.value()))
    widget.set_value("from the record")
    assert heard == []
    widget.input.value = "typed"
    assert heard == ["typed"]


def test_a_date_box_reads_us_and_iso_dates_and_keeps_an_impossible_one_as_typed():
    from mentorforms.ui.widgets import DATE_PLACEHOLDER, DateInput, parse_date

    assert parse_date("03/07/2026") == dt.date(2026, 3, 7)
    assert parse_date(" 2026-03-07 ") == dt.date(2026, 3, 7)
    assert parse_date("") is None
    assert parse_date("02/30/2025") == "02/30/2025"  # not a real date: validation is told, not an empty answer
    assert parse_date("13/01/2025") == "13/01/2025"
    item = next(field for form_id in FORM_IDS for field in get_form(form_id, 2026).fields() if field.kind is Kind.DATE)
    box = DateInput(item)
    assert box.input.placeholder == DATE_PLACEHOLDER
    box.set_value(dt.date(2026, 9, 30))
    assert box.input.value == "09/30/2026" and box.value() == dt.date(2026, 9, 30)
    box.input.value = "02/30/2025"
    assert box.value() == "02/30/2025"
