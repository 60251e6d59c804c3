"""A saturated server answers at once with the busy page, starts no kernel for the waiting visitor,
and opens their real form, at the same address, once it is their turn.

The server is started with ``--max-opening 1`` and a ``python3`` kernel spec (found first through
``JUPYTER_PATH``) whose kernels wait at a gate: each writes a file when it starts and runs
ipykernel only once the test creates ``open``. So the first visitor's page is held "opening" for
exactly as long as the test wants, whatever the machine's load.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import start_server
from pages import PAGE_TIMEOUT_MS, form_url
from playwright.sync_api import expect

from mentorforms import messages
from mentorforms.forms import get_form
from mentorforms.records.roster import load_roster

GATE = """\
import os, sys, time
gate, connection = sys.argv[1], sys.argv[2]
open(os.path.join(gate, f"started-{os.getpid()}"), "w").close()
while not os.path.exists(os.path.join(gate, "open")):
    time.sleep(0.05)
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection])
"""
#: Seconds the first page may take to be admitted and start its (gated) kernel.
ADMITTED_WITHIN_S = 60.0


def gated_kernels(root: Path) -> Path:
    """A JUPYTER_PATH folder whose python3 kernels wait for ``root/gate/open``; returns the gate."""
    gate = root / "gate"
    gate.mkdir()
    script = root / "gate.py"
    script.write_text(GATE)
    spec = root / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(script), str(gate), "{connection_file}"],
        "display_name": "Python 3 (gated for a test)", "language": "python"}))
    return gate


def kernels_started(gate: Path) -> int:
    return len(list(gate.glob("started-*")))


def get(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_a_second_visitor_sees_the_busy_page_at_once_and_then_their_form(browser_data, demo_year, tmp_path, page):
    faculty = next(person for person in load_roster(browser_data / "roster.xlsx")
                   if person.has_role("faculty") and not person.has_role("chair"))
    gate = gated_kernels(tmp_path)
    server = start_server(browser_data, tmp_path / "serve.log", person_id=faculty.person_id, preheat=False,
                          extra_env={"JUPYTER_PATH": str(tmp_path / "jupyter")}, extra_args=("--max-opening", "1"))
    try:
        url = form_url(server.base_url, "conference_part1", year=demo_year)
        first: dict[str, tuple[int, str]] = {}
        opener = threading.Thread(target=lambda: first.update(answer=get(url)), daemon=True)
        opener.start()
        # The first page is admitted: its kernel has started and waits at the gate.
        deadline = time.monotonic() + ADMITTED_WITHIN_S
        while kernels_started(gate) == 0:
            assert server.process.poll() is None, server.log()
            assert time.monotonic() < deadline, f"the first page never started its kernel:\n{server.log()}"
            time.sleep(0.05)

        answer = page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
        assert answer is not None and answer.status == 503 and answer.headers.get("retry-after")
        expect(page.get_by_role("heading", name=messages.BUSY_TITLE)).to_be_visible()
        expect(page.get_by_role("status")).to_have_text(messages.say(messages.BUSY_POSITION, position=1))
        # The busy page keeps asking (once a second) and is told to wait; no kernel is started for it.
        with page.expect_response(lambda response: "/mentorforms/queue" in response.url) as asked:
            pass
        assert asked.value.json()["go"] is False
        # Another spelling of the page's address waits its turn too (Voila renders "form.ipynb/").
        assert get(url.replace("form.ipynb?", "form.ipynb/?"))[0] == 503
        assert kernels_started(gate) == 1
        # The Host check holds for the busy page and its question too (no DNS rebinding around it).
        port = server.base_url.rsplit(":", 1)[1]
        assert get(url, host=f"attacker.example:{port}")[0] == 403
        assert get(f"{server.base_url}/mentorforms/queue", host=f"attacker.example:{port}")[0] == 403

        (gate / "open").touch()
        # The first visitor's page opens; then the waiting one's, at the address they asked for.
        page.locator(".mf-form").wait_for(timeout=PAGE_TIMEOUT_MS)
        assert page.url == url
        expect(page.locator(".mf-form .mf-title")).to_have_text(get_form("conference_part1", demo_year).title)
        assert kernels_started(gate) == 2
        opener.join(timeout=PAGE_TIMEOUT_MS / 1000)
        status, html = first["answer"]
        assert status == 200 and messages.BUSY_TITLE not in html
    finally:
        (gate / "open").touch()
        server.stop()
