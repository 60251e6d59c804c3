"""Shared fixtures for browser tests: running `mentorforms serve` servers and a Playwright page.

Use them like this::

    def test_something(serve_as, page):
        base = serve_as("F00001")                      # one server per distinct argument set
        page.goto(f"{base}/voila/render/form.ipynb?form=conference_part1")

``serve_as(person_id=None, demo=False, data_dir=None, preheat=None)`` returns the server's base
URL (no trailing slash). Without ``data_dir`` every server serves :func:`browser_data`, one copy of
the demo dataset made for the whole session: tests that save should use a form, person or year no
other test relies on (``take_person``, ``spare_year``), or pass their own ``data_dir``. Servers
start on a free port of 127.0.0.1, are reused for the whole session, and stop when it ends. A
demo server (``demo=True``) serves everyone: the page's ``?as=PERSON_ID`` picks who is using it,
so most tests share that one server.

``demo_year`` is the demo's current academic year (pass it in links: tests must not depend on
today's date); ``spare_year`` the next one, where nobody has records yet.

``page`` is a fresh browser context per test (Debian's chromium, headless) in which every request
that does not go to 127.0.0.1 is refused, so no test depends on the network. tests/browser/pages.py
has helpers that open a form page and fill any field from the declarations.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mentorforms.server.serve import PREHEATED

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
READY_PATH = "/voila/static/index.css"
START_TIMEOUT = 60.0
#: Seconds a preheated server may take, once it answers, to have a kernel ready for each preheated
#: page (four kernels starting at once: about 8 s on an idle machine).
POOL_TIMEOUT = 120.0
#: Runs the `mentorforms` command with this interpreter (``-m mentorforms.commands.cli`` would load the
#: command registry twice, as ``__main__`` and as ``mentorforms.commands.cli``).
_CLI = "import sys; from mentorforms.commands.cli import main; sys.exit(main())"
#: Milliseconds a Playwright action or expectation waits by default (a page renders in about 3 s).
DEFAULT_TIMEOUT_MS = 20_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/browser is marked ``browser`` (deselect with ``-m 'not browser'``)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RunningServer:
    """One `mentorforms serve` process, its base URL and its log file."""

    def __init__(self, process: subprocess.Popen, base_url: str, log_path: Path) -> None:
        self.process = process
        self.base_url = base_url
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_server(data_dir: Path, log_path: Path, *, person_id: str | None = None, demo: bool = False,
                 preheat: bool = True, extra_env: dict[str, str] | None = None,
                 extra_args: tuple[str, ...] = ()) -> RunningServer:
    """Start `mentorforms serve` on a free port and wait until it answers; fail with its log if it dies."""
    port = free_port()
    argv = [sys.executable, "-c", _CLI, "serve", str(data_dir), "--port", str(port)]
    if person_id:
        argv += ["--as", person_id]
    if demo:
        argv.append("--demo")
    if not preheat:
        argv.append("--no-preheat")
    argv += extra_args
    env = {key: value for key, value in os.environ.items()
           if key not in ("JUPYTERHUB_USER", "MENTORFORMS_AS", "MENTORFORMS_DEMO", "MENTORFORMS_DATA")}
    env.update(extra_env or {})
    with open(log_path, "wb") as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    server = RunningServer(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + START_TIMEOUT
    answering = False
    while True:
        if process.poll() is not None:
            pytest.fail(f"mentorforms serve exited with status {process.returncode} before answering:\n{server.log()}")
        if not answering and _answers(server.base_url + READY_PATH):
            answering = True
            deadline = time.monotonic() + POOL_TIMEOUT
        if answering:
            # A preheated server answers in 2 s but is still starting a kernel for each preheated
            # page (four at once): a test opening a page then waits for a half-started kernel
            # while the other three compete for the CPU (23 s at load 10 on 2 cores, against 3 s
            # from a ready kernel). The server is ready when its pools are full.
            if not preheat or all(f"Kernel pool of {name} is filled" in server.log() for name in PREHEATED):
                return server
        if time.monotonic() > deadline:
            server.stop()
            what = (f"had no kernel ready for each of {sorted(PREHEATED)} within {POOL_TIMEOUT:.0f} s of answering"
                    if answering else f"did not answer within {START_TIMEOUT:.0f} s")
            pytest.fail(f"mentorforms serve {what}:\n{server.log()}")
        time.sleep(0.2)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def browser_data(demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder the session's servers serve: one copy of the demo dataset for the session."""
    target = tmp_path_factory.mktemp("browser") / "data"
    shutil.copytree(demo_master, target)
    return target


@pytest.fixture(scope="session")
def serve_as(browser_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """Factory: ``serve_as(person_id=None, demo=False, data_dir=None, preheat=None) -> base_url``.

    Starts one server per distinct argument set and reuses it for the session; all stop at the end.
    ``preheat`` (default: only for demo servers, which most tests share) keeps kernels ready for
    the form and landing pages; starting them costs more than it saves on a server that serves
    only a page or two.
    """
    servers: dict[tuple, RunningServer] = {}
    logs = tmp_path_factory.mktemp("server-logs")

    def serve(person_id: str | None = None, demo: bool = False, data_dir: Path | str | None = None,
              preheat: bool | None = None) -> str:
        folder = Path(data_dir) if data_dir is not None else browser_data
        preheat = bool(demo) if preheat is None else preheat
        key = (person_id, bool(demo), str(folder.resolve()), preheat)
        server = servers.get(key)
        if server is not None and server.process.poll() is not None:
            pytest.fail(f"the server for {key} has died:\n{server.log()}")
        if server is None:
            log_path = logs / f"serve-{len(servers)}-{person_id or 'nobody'}{'-demo' if demo else ''}.log"
            server = start_server(folder, log_path, person_id=person_id, demo=demo, preheat=preheat)
            servers[key] = server
        return server.base_url

    serve.servers = servers  # type: ignore[attr-defined]  # for tests that want a server's log
    yield serve
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, driven by Playwright for the whole session."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        # A developer running one test file without chromium gets a skip with the fix; the README's
        # command (and so CI) installs chromium and sets MENTORFORMS_REQUIRE_BROWSER, so there a
        # missing browser fails the run instead of passing it with the browser tests left out.
        message = f"{CHROMIUM} is missing: apt-get install -y chromium (./dev.sh test does it)"
        if os.environ.get("MENTORFORMS_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


def _only_local(refused: list[str]):
    def route(route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "http://127.0.0.1/", "data:", "blob:")):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    return route


@pytest.fixture
def context(browser):
    """A fresh browser context (no cookies, no storage) that may only reach 127.0.0.1. A page that
    asks any other host (a CDN, say) fails the test: the app must work behind a firewall."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    refused: list[str] = []
    context.route("**/*", _only_local(refused))
    yield context
    close_like_a_person(context)
    context.close()
    if refused:
        pytest.fail(f"a page asked hosts other than this machine: {sorted(set(refused))}")


def close_like_a_person(context) -> None:
    """Close every page of ``context`` as a person closing the tab would (leaving, if asked), so
    each page's kernel is shut down. ``context.close()`` alone runs no unload handler: every
    page's kernel (130-190 MB) would then stay on the shared server until culled after 20
    minutes, one per test, while the rest of the suite runs."""
    from playwright.sync_api import Error as PlaywrightError

    for open_page in list(context.pages):
        if open_page.is_closed():
            continue
        open_page.on("dialog", lambda dialog: dialog.accept())
        try:
            open_page.close(run_before_unload=True)
            open_page.wait_for_event("close", timeout=5_000)
        except PlaywrightError:
            pass  # a page that will not close (or closed already) goes with its context


@pytest.fixture
def page(context):
    """A new page in a fresh context; its console errors are kept in ``page.console_errors``."""
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page  # closed by the context, as a person closes a tab (see close_like_a_person)


@pytest.fixture(scope="session")
def demo_year(browser_data: Path):
    """The demo's current academic year (the newest with records); pass it in every form link,
    so tests do not depend on today's date."""
    from ui_answers import newest_year

    return newest_year(browser_data)


@pytest.fixture(scope="session")
def spare_year(demo_year):
    """The year after the demo's: nobody has records in it, so any faculty member starts fresh."""
    return demo_year.next


@pytest.fixture(scope="session")
def take_person(browser_data: Path, demo_year):
    """Factory: ``take_person(form_id, with_mentor=False, year=None) -> Person``: a faculty member
    (not a chair) with no ``form_id`` record in ``year`` (default: :func:`demo_year`) of
    :func:`browser_data`, never handed out twice for the same form in the same year in this
    session, so tests sharing a server never touch each other's forms. The forms of a mentoring
    relationship (agreement, checklist, meetings, yearly review) act on one another, so they count
    as one form here. Tests that need no demo history can ask for ``demo_year.next``, where
    everybody is free (the office's window of years ends there)."""
    from mentorforms.records.roster import load_roster
    from mentorforms.records.store import DataFolder

    roster = load_roster(browser_data / "roster.xlsx")
    folder = DataFolder(browser_data)
    taken: set[tuple[str, object, str]] = set()
    relationship = {"agreement", "mentee_checklist", "meeting", "relationship_review"}

    def take(form_id: str, with_mentor: bool = False, year=None):
        year = year or demo_year
        kind = "relationship" if form_id in relationship else form_id
        # People with an assigned mentor are scarce (the mentoring-year forms need one): a test
        # that needs no mentor is given someone without one first.
        for person in (roster if with_mentor else sorted(roster, key=lambda candidate: bool(candidate.mentors))):
            if ((person.person_id, year, kind) in taken or not person.has_role("faculty") or person.has_role("chair")
                    or (with_mentor and not person.mentors)):
                continue
            if folder.versions(form_id, year, person.person_id):
                continue
            taken.add((person.person_id, year, kind))
            return person
        pytest.fail(f"no unused faculty member without a {form_id} in {year} is left in the demo data")

    return take
