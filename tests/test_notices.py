"""Every notice on a form page tells the truth now (issue 20): a rank change says what it moved,
the notice about characters a workbook cannot hold goes once the text is saved, the count of
required answers ignores values the server would refuse, and counts are worded with the right
plural."""

from __future__ import annotations

import re

from test_ui_form_page import fresh_person, open_page
from ui_answers import newest_year

from mentorforms import messages
from mentorforms.forms import get_form
from mentorforms.rules import workflow
from mentorforms.rules.completeness import remaining_required
from mentorforms.ui.form_page import FormPage


def _remaining(page: FormPage) -> int:
    found = re.search(r"(\d+) required answers? remaining", page.layout.status.value)
    return int(found.group(1)) if found else 0


def test_giving_a_second_item_rank_one_says_which_item_lost_it(demo_dir) -> None:
    page = open_page(demo_dir, fresh_person(demo_dir, "conference_part1").person_id, "conference_part1")
    ranks = page.inputs["work_time"]
    ranks.selects["research"].value = 1
    assert "work_time" not in page.problems_shown()  # nothing moved yet
    ranks.selects["teaching"].value = 1
    assert ranks.value() == {"teaching": 1}
    assert page.problems_shown()["work_time"].startswith("Research had rank 1, so it now has no rank.")
    ranks.selects["research"].value = 2
    ranks.selects["research"].value = 1  # takes rank 1 back: Teaching gets research's rank 2
    assert ranks.value() == {"research": 1, "teaching": 2}
    assert "Teaching had rank 1, so it now has rank 2." in page.problems_shown()["work_time"]
    ranks.selects["patient_care"].value = 3  # no other item held 3: nothing moved, nothing said
    assert "had rank" not in page.problems_shown().get("work_time", "")


def test_the_cleaning_notice_goes_once_the_text_is_saved_and_the_outcome_says_what_was_removed(demo_dir) -> None:
    page = open_page(demo_dir, fresh_person(demo_dir, "conference_part1").person_id, "conference_part1")
    page.enter({"challenges": "Bell\x07 rang"})
    assert "Saving will remove 1 character Excel cannot store (U+0007)" in page.problems_shown()["challenges"]
    page.save_draft()
    assert "challenges" not in page.problems_shown()
    assert "removed 1 character Excel cannot store (U+0007)" in page.result_text
    assert page.inputs["challenges"].value() == "Bell rang"


def test_values_the_server_would_refuse_do_not_lower_the_required_answers_remaining(demo_dir) -> None:
    form = get_form("conference_part1", newest_year(demo_dir))
    assert remaining_required(form, {"hours_courses": "abc"}) == remaining_required(form, {})
    assert remaining_required(form, {"hours_courses": -5.0}) == remaining_required(form, {})
    assert remaining_required(form, {"hours_courses": 5.0}) == remaining_required(form, {}) - 1

    person = fresh_person(demo_dir, "conference_part2")
    page = open_page(demo_dir, person.person_id, "conference_part2")  # the faculty member: writes nothing here
    before = _remaining(page)
    assert before > 0 and not page.inputs["conference_holder"].enabled
    page.inputs["conference_holder"].input.value = "Crafted Name"  # as a crafted widget message would
    assert _remaining(page) == before
    page.inputs["discussion_summary"].input.value = "Crafted summary"
    assert _remaining(page) == before


def test_counts_are_worded_with_the_right_plural() -> None:
    assert messages.counted(1, "problem") == "1 problem" and messages.counted(2, "problem") == "2 problems"
    assert messages.counted(0, "message") == "0 messages" and messages.counted(1200, "workbook") == "1,200 workbooks"
    assert "changes to 1 answer you may not change" in str(workflow.Forged(("hours_courses",)))
    assert "(s)" not in "".join(value for name, value in vars(messages).items()
                                if name.isupper() and isinstance(value, str))
