"""What `mentorforms serve` refuses and frees: foreign Host headers (DNS rebinding) and the kernel
of a closed tab."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from mentorforms.records.roster import load_roster
from mentorforms.server.serve import CULL_INTERVAL_SECONDS, DEFAULT_CULL_SECONDS

#: The brief's promise: a closed tab's kernel is gone within half a minute.
FREED_WITHIN_S = 30.0
DASHBOARD_MS = 90_000
NO_KERNEL = "00000000-0000-4000-8000-000000000000"


def status(url: str, host: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_request_naming_a_foreign_host_is_refused(serve_as, browser_data: Path):
    chair = next(person for person in load_roster(browser_data / "roster.xlsx") if person.has_role("chair"))
    base = serve_as(chair.person_id)
    port = urllib.parse.urlsplit(base).port
    # A page on attacker.example whose name now resolves to 127.0.0.1 (DNS rebinding) sends its own Host.
    assert status(f"{base}/voila/render/dashboard.ipynb", host=f"attacker.example:{port}") == 403
    assert status(f"{base}/api/kernels/{NO_KERNEL}", host=f"attacker.example:{port}") == 403
    # The same requests naming this machine are answered (a kernel that does not exist is a 404).
    assert status(f"{base}/api/kernels/{NO_KERNEL}", host=f"localhost:{port}") == 404
    assert status(f"{base}/api/kernels/{NO_KERNEL}") == 404


def test_crafted_template_addresses_are_plain_404s_without_a_traceback(serve_as):
    base = serve_as("F00001")
    server = next(running for running in serve_as.servers.values() if running.base_url == base)
    crafted = ["/voila/templates/../../../etc/passwd", "/voila/templates/mentorforms/../../x",
               "/voila/templates/..%2f..%2fetc%2fpasswd", "/voila/templates/mentorforms/static/../../conf.json",
               "/voila/templates/mentorforms/notstatic/x", "/voila/templates/no-such-template/static/x.css"]
    for path in crafted:
        request = urllib.request.Request(base + path)
        request.selector = path  # as sent, not normalised by the client
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                code = answer.status
        except urllib.error.HTTPError as error:
            code = error.code
        assert code == 404, f"{path} answered {code}"
    assert status(f"{base}/voila/templates/mentorforms/static/voila-style.js") == 200
    assert "Traceback" not in server.log() and "AssertionError" not in server.log()


def test_a_closed_dashboard_tab_frees_its_kernel_within_half_a_minute(serve_as, context, browser_data: Path):
    chair = next(person for person in load_roster(browser_data / "roster.xlsx") if person.has_role("chair"))
    base = serve_as(chair.person_id, preheat=True)
    page = context.new_page()
    page.goto(f"{base}/voila/render/dashboard.ipynb", wait_until="commit", timeout=DASHBOARD_MS)
    page.locator(".mf-tile-done").wait_for(state="visible", timeout=DASHBOARD_MS)
    kernel = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    assert status(f"{base}/api/kernels/{kernel}") == 200
    # A tab left open keeps its kernel past the idle limit (its connection counts as use).
    time.sleep(DEFAULT_CULL_SECONDS + CULL_INTERVAL_SECONDS + 2)
    assert status(f"{base}/api/kernels/{kernel}") == 200, "an open tab's kernel must stay"
    page.close()
    closed = time.monotonic()
    while status(f"{base}/api/kernels/{kernel}") == 200:
        assert time.monotonic() - closed < FREED_WITHIN_S, "the closed tab's kernel is still running"
        time.sleep(1)
