"""How a page opens on the page server: its kernel forked from the warm parent with nothing of
Voila's server in it, and a page whose kernel does not answer says so instead of staying blank."""

from __future__ import annotations

import json
import os
import re
import signal
import time
import urllib.request

import psutil
from conftest import start_server
from jupyter_client.blocking import BlockingKernelClient
from kernel_client import _admitted
from pages import PAGE_TIMEOUT_MS, form_url
from playwright.sync_api import expect

from mentorforms import messages
from mentorforms.records.roster import load_roster
from mentorforms.server.fork_parent import KERNEL_NAME, PARENT_NAME

#: Never in a page's kernel: Voila's server (and jupyter_server, jsonschema, which it loads) costs
#: 6 CPU-seconds per kernel; pandas and matplotlib are for the report pages only.
NEVER_IN_A_PAGE = ("voila", "jupyter_server", "jupyterlab_server", "jsonschema", "pandas", "matplotlib")


def _kernel_of(url: str) -> str:
    with _admitted(url) as answer:
        page = answer.read().decode("utf-8", "replace")
    found = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page)
    assert found, "the rendered page names no kernel"
    return found.group(1)


def _connection_file(server_log: str, kernel_id: str) -> str:
    folder = re.search(r"Storing connection files in (\S+?)\.?$", server_log, re.M)
    assert folder, "the server log does not say where connection files are"
    return os.path.join(folder.group(1), f"kernel-{kernel_id}.json")


def _modules_and_pid(connection_file: str) -> tuple[list[str], int]:
    client = BlockingKernelClient(connection_file=connection_file)
    client.load_connection_file()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        printed: list[str] = []
        client.execute_interactive(
            "import json as _j, os as _o, sys as _s; print(_j.dumps([sorted(_s.modules), _o.getpid()]))",
            timeout=120, output_hook=lambda m: m["msg_type"] == "stream" and printed.append(m["content"]["text"]))
    finally:
        client.stop_channels()
    modules, pid = json.loads("".join(printed).strip().splitlines()[-1])
    return modules, pid


def test_a_page_kernel_is_forked_and_loads_only_what_its_page_needs(serve_as, demo_year, take_person):
    base = serve_as(demo=True)
    server = next(running for running in serve_as.servers.values() if running.base_url == base)
    person = take_person("conference_part1")  # opened, never saved
    pages = {"form": form_url(base, "conference_part1", person.person_id, year=demo_year, as_=person.person_id),
             "analyst": f"{base}/voila/render/analyst.ipynb?as={person.person_id}"}
    for name, url in pages.items():
        modules, pid = _modules_and_pid(_connection_file(server.log(), _kernel_of(url)))
        assert [heavy for heavy in NEVER_IN_A_PAGE if heavy in modules] == [], f"the {name} page's kernel loaded them"
        assert "mentorforms.ui.form_open" in modules  # from the warm parent
        kernel = psutil.Process(pid)
        assert kernel.name() == KERNEL_NAME, f"the {name} page's kernel was not forked from the warm parent"
        assert kernel.parent().name() == PARENT_NAME[:15]


def test_a_page_whose_kernel_does_not_answer_says_so_and_opens_again(browser_data, tmp_path, page, demo_year):
    server = start_server(browser_data, tmp_path / "serve.log", demo=True, extra_args=("--opening-timeout", "5"))
    stopped: list[psutil.Process] = []
    try:
        root = psutil.Process(server.process.pid)
        # Every ready kernel stops answering, as under a profiler or on a machine paused by load.
        stopped = [child for child in root.children(recursive=True) if child.name() == KERNEL_NAME]
        assert stopped, "no ready kernel to stop"
        for kernel in stopped:
            kernel.send_signal(signal.SIGSTOP)
        url = form_url(server.base_url, "conference_part1", "F00001", year=demo_year.next, as_="F00001")
        page.goto(url, wait_until="commit")
        notice = page.locator(".mf-not-opened")
        expect(notice).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        expect(notice).to_contain_text(messages.say(messages.PAGE_NOT_OPENED))
        again = notice.locator("a.mf-reopen")
        expect(again).to_have_text(messages.say(messages.PAGE_REOPEN))
        assert again.get_attribute("href") == url
        deadline = time.monotonic() + 30
        while "did not open within" not in server.log() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "did not open within" in server.log()
        for kernel in stopped:
            kernel.send_signal(signal.SIGCONT)
        stopped = []
        again.click()
        expect(page.locator(".mf-submit")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        expect(page.locator(".mf-not-opened")).to_have_count(0)
    finally:
        for kernel in stopped:
            try:
                kernel.send_signal(signal.SIGCONT)
            except psutil.NoSuchProcess:
                pass
        server.stop()


def test_pages_ask_no_other_host_and_show_their_icons(serve_as, context, demo_year):
    base = serve_as(demo=True)
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    page = context.new_page()
    page.goto(form_url(base, "conference_part1", "F00001", year=demo_year, as_="F00001"), wait_until="commit",
              timeout=PAGE_TIMEOUT_MS)
    expect(page.locator(".mf-form")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    elsewhere = [url for url in asked if not url.startswith((base, "data:", "blob:"))]
    assert elsewhere == [], f"the page asked other hosts: {elsewhere}"
    drawn = page.evaluate("""async () => {
        const icon = document.querySelector('button i.fa');
        if (!icon) { return null; }
        const before = getComputedStyle(icon, '::before');
        const faces = await document.fonts.load(`${before.fontWeight} 12px ${before.fontFamily}`, before.content);
        return [before.content, before.fontFamily, faces.length > 0 && faces.every(face => face.status === 'loaded')];
    }""")
    assert drawn is not None, "no button with an icon on Part I"
    content, family, loaded = drawn
    assert content not in ("none", "normal", ""), "the icon has no glyph: Font Awesome's CSS is missing"
    assert "Font Awesome" in family and loaded, f"the icon font is not loaded from this server ({family})"


def test_the_server_stops_on_ctrl_c_without_a_traceback_and_leaves_no_kernel(browser_data, tmp_path, demo_year):
    server = start_server(browser_data, tmp_path / "serve.log", demo=True)
    root = psutil.Process(server.process.pid)
    # An open page, and the ready kernels waiting for their request, as when an operator stops it.
    _kernel_of(form_url(server.base_url, "conference_part1", "F00002", year=demo_year.next, as_="F00002"))
    everything = root.children(recursive=True)
    assert any(child.name() == KERNEL_NAME for child in everything)
    server.process.send_signal(signal.SIGINT)
    time.sleep(1.0)
    server.process.send_signal(signal.SIGINT)  # impatient: a second Ctrl-C while it shuts down
    server.process.wait(timeout=60)
    _, alive = psutil.wait_procs(everything, timeout=30)
    log = server.log()
    assert "Traceback" not in log and "ZMQError" not in log, log[-3000:]
    assert alive == [], f"left running after the server stopped: {[p.name() for p in alive]}"


def test_the_landing_page_is_served_without_a_kernel_and_its_picker_and_links_work(serve_as, page, browser_data,
                                                                                    demo_year):
    base = serve_as(demo=True)
    server = next(running for running in serve_as.servers.values() if running.base_url == base)
    root = psutil.Process(server.process.pid)

    def kernels() -> int:
        return sum(1 for child in root.children(recursive=True) if child.name() == KERNEL_NAME)

    before = kernels()
    with urllib.request.urlopen(f"{base}/voila/render/index.ipynb?year={demo_year.label}", timeout=60) as answer:
        served = answer.read().decode("utf-8")
    assert "kernelId" not in served and "mf-demo-picker" in served
    assert kernels() == before, "opening the landing page started a kernel"
    person = next(p for p in load_roster(browser_data / "roster.xlsx")
                  if p.has_role("faculty") and not p.has_role("chair"))
    page.goto(f"{base}/voila/render/index.ipynb?year={demo_year.next.label}")
    page.locator(".mf-demo-picker select").select_option(person.person_id)
    page.locator(".mf-demo-continue").click()
    expect(page.locator(".mf-identity-line")).to_contain_text(person.name)
    expect(page.locator(".mf-title")).to_contain_text(demo_year.next.label)
    page.locator('.mf-landing-list a[href*="form=conference_part1"]').first.click()
    expect(page.locator(".mf-submit")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.locator(".mf-identity-line")).to_contain_text(person.name)
