"""A page kernel gives the memory it freed back to the system once its page is shown and after each
action (mentorforms/ui/memory.py): an open page then holds what it uses, not what building it took."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest
from test_ui_form_page import env, open_page, plain_faculty
from ui_answers import newest_year

from mentorforms.ui import memory
from mentorforms.ui.form_open import form_app

#: Fills malloc's heap with 40 MB of blocks (too large for Python's own small-object allocator),
#: frees 49 of every 50 so the heap cannot shrink from its top, and prints how many bytes were
#: held and how many the release gave back, from the process's resident set.
FRAGMENTED_HEAP = textwrap.dedent("""
    import os
    from mentorforms.ui import memory

    def resident():
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    base = resident()
    blocks = [bytes(2000) for _ in range(20_000)]
    kept = blocks[::50]
    del blocks
    held = resident() - base
    before = resident()
    memory.release_now()
    print(held, before - resident())
""")


@pytest.mark.skipif(not memory.can_trim(), reason="the C library has no malloc_trim (not glibc)")
def test_a_release_gives_the_heaps_freed_pages_back_to_the_system():
    done = subprocess.run([sys.executable, "-c", FRAGMENTED_HEAP], capture_output=True, text=True, timeout=120,
                          check=True)
    held, given_back = (int(part) for part in done.stdout.split())
    assert held > 30 * 2**20, done.stdout
    assert given_back > 20 * 2**20, f"held {held} bytes after freeing 98% of 40 MB; the release gave back {given_back}"


def in_a_thread_of_its_own(function, *args):
    """Call ``function`` in a thread without an event loop (Playwright's sync API, used by the
    browser tests of the same session, keeps a loop running in the test's own thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


def test_nothing_is_scheduled_outside_a_running_event_loop():
    assert in_a_thread_of_its_own(memory.release_soon) is False


def test_the_page_shown_and_a_burst_of_actions_each_release_once_the_kernel_is_idle(demo_dir):
    person = plain_faculty(demo_dir)[0]
    year = newest_year(demo_dir).label

    async def visit() -> None:
        start = memory.releases
        form_app(env(demo_dir, person.person_id, QUERY_STRING=f"form=conference_part1&year={year}"))
        assert memory.releases == start, "released while the page was still being drawn"
        await asyncio.sleep(memory.RELEASE_DELAY_S + 0.5)
        assert memory.releases == start + 1

        page = open_page(demo_dir, person.person_id, "conference_part1")
        await asyncio.sleep(memory.RELEASE_DELAY_S + 0.5)
        start = memory.releases
        assert page.save_draft() is not None
        assert page.save_draft() is None  # nothing changed: refused, and still an action done
        assert memory.releases == start
        await asyncio.sleep(memory.RELEASE_DELAY_S + 0.5)
        assert memory.releases == start + 1, "one release for the two saves, after the last"

    in_a_thread_of_its_own(asyncio.run, visit())
