"""The admission rule in front of page starts: at most N pages opened at once, the others in turn."""

from __future__ import annotations

import itertools
import json

import pytest

from mentorforms import messages
from mentorforms.commands.cli import build_parser
from mentorforms.server.admission import Admission, Decision, default_limit
from mentorforms.server.serve import ServeError, launch
from mentorforms.server.voila_app import busy_page, place_text


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def admission(limit: int, clock: Clock | None = None, **kwargs) -> Admission:
    counter = itertools.count(1)
    return Admission(limit, clock=clock or Clock(), new_ticket=lambda: f"t{next(counter)}", **kwargs)


def test_pages_open_up_to_the_limit_and_the_next_visitor_waits_with_a_place():
    gate = admission(2)
    assert gate.enter(None).admitted and gate.enter(None).admitted
    third, fourth = gate.enter(None), gate.enter(None)
    assert not third.admitted and (third.ticket, third.position) == ("t1", 1)
    assert not fourth.admitted and (fourth.ticket, fourth.position) == ("t2", 2)
    assert gate.opening == 2 and gate.waiting == 2
    # Asking again keeps the place; nothing is let in while both pages are still opening.
    assert gate.enter("t2") == Decision(admitted=False, ticket="t2", position=2)
    assert gate.place("t1") == 1


def test_a_freed_place_goes_to_the_first_in_the_queue_not_to_a_newcomer():
    gate = admission(1)
    assert gate.enter(None).admitted
    assert gate.enter(None).ticket == "t1"
    gate.leave()
    assert gate.place("t1") == 0  # the busy page is told: your turn
    newcomer = gate.enter(None)
    assert not newcomer.admitted and newcomer.position == 2
    assert gate.enter("t1").admitted
    assert gate.place("t1") is None  # admitted: no longer waiting
    assert gate.place("t2") == 1


def test_the_second_in_the_queue_does_not_jump_the_first():
    gate = admission(1)
    gate.enter(None)
    gate.enter(None)
    gate.enter(None)  # t1, t2 waiting
    gate.leave()
    assert gate.enter("t2") == Decision(admitted=False, ticket="t2", position=2)
    assert gate.enter("t1").admitted


def test_a_closed_tab_leaves_the_queue_and_does_not_hold_up_those_behind():
    clock = Clock()
    gate = admission(1, clock, stale_after=10)
    gate.enter(None)
    gate.enter(None)  # t1: its tab is closed and never asks again
    gate.enter(None)  # t2 keeps asking
    clock.now = 8
    assert gate.place("t2") == 2  # t1 was last heard of 8 s ago: still in the queue
    clock.now = 12
    assert gate.place("t2") == 1 and gate.waiting == 1  # 12 s: t1 has gone
    gate.leave()
    assert gate.place("t2") == 0 and gate.enter("t2").admitted
    # Coming back after expiry is coming anew: to the back of the queue.
    assert gate.enter("t1") == Decision(admitted=False, ticket="t3", position=1)


def test_kernels_the_server_starts_on_its_own_count_against_the_limit():
    refilling = [2]
    gate = admission(2, starting=lambda: refilling[0])
    first = gate.enter(None)
    assert not first.admitted and first.position == 1  # two ready kernels starting fill both places
    refilling[0] = 1
    assert gate.place("t1") == 0 and gate.enter("t1").admitted
    assert not gate.enter(None).admitted
    refilling[0] = 0
    assert gate.enter("t2").admitted and gate.opening == 2


def test_a_forged_or_unknown_ticket_gains_nothing():
    gate = admission(1)
    gate.enter(None)
    gate.enter(None)  # t1 waits
    forged = gate.enter("guessed")
    assert not forged.admitted and forged.ticket == "t2" and forged.position == 2
    assert gate.place("guessed") is None


def test_no_limit_admits_everyone_and_a_full_queue_gives_no_place():
    free = admission(0)
    assert all(free.enter(None).admitted for _ in range(50)) and free.opening == 50
    full = admission(1, max_waiting=2)
    full.enter(None)
    full.enter(None)
    full.enter(None)
    assert full.enter(None) == Decision(admitted=False)
    with pytest.raises(RuntimeError):
        admission(1).leave()
    with pytest.raises(ValueError):
        Admission(-1)


def test_the_busy_page_says_the_place_in_plain_words_and_repeats_nothing_of_the_request():
    html = busy_page(Decision(admitted=False, ticket="t1", position=3), "/services/mentorforms/mentorforms/queue")
    assert messages.BUSY_TITLE in html and messages.say(messages.BUSY_POSITION, position=3) in html
    assert 'role="status"' in html and 'aria-live="polite"' in html and '<html lang="en">' in html
    assert json.dumps("/services/mentorforms/mentorforms/queue") in html
    assert "t1" not in html  # the ticket stays in its HttpOnly cookie
    assert place_text(None) == messages.BUSY_NO_POSITION and place_text(0) == messages.BUSY_NEXT
    # A full queue gives no place: the page says so and tries again every few seconds, not every second.
    full = busy_page(Decision(admitted=False), "/mentorforms/queue")
    assert messages.BUSY_NO_POSITION in full and "var every = 3000;" in full


def test_serve_and_hub_service_take_the_limit(demo_master):
    def limit(plan) -> int:
        return int(next(arg for arg in plan.argv if arg.startswith("--MentorformsVoila.max_opening=")).split("=")[1])

    assert limit(launch(demo_master, environ={})) == default_limit() >= 1
    assert limit(launch(demo_master, environ={}, max_opening=3)) == 3
    assert "mentorforms.server.voila_app" in launch(demo_master, environ={}).argv
    with pytest.raises(ServeError, match="cannot be negative"):
        launch(demo_master, environ={}, max_opening=-1)
    for command in ("serve", "hub-service"):
        assert build_parser().parse_args([command, str(demo_master), "--max-opening", "4"]).max_opening == 4
