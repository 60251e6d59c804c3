"""A faculty member's visit, one at a time and many at once: what it costs the server (issue 18).

    .venv/bin/python benchmarks/visitors.py [--direct] [--python PATH] [--single-visits 5]
        [--steps 1,5,10,20] [--rate 60] [--minutes 3] [--faculty 400] [--skip-steps] [--skip-sustained]

A visit is what a faculty member does to reach their Part I: the landing page, its address from
``mentorforms.server.serve.landing_path(base)`` (asked of the interpreter that runs the server, so an
older checkout's address is used for an older server) with ``?year=`` the year after the demo's
last (nobody has a Part I there, so every form opens empty) and, straight to the server, the
demo's ``as=``; then a click on its Part I link (``a[href*="form=conference_part1"]``, the one
naming the visitor when there are several); the visit is over when Part I is interactive (its
Submit button and status line are visible; the busy page, ``.mf-busy h1``, may show first).

The server is started fresh on loopback for each phase: through a real JupyterHub
(``deploy/jupyterhub_config.py``, always with this tree's interpreter) when jupyterhub and its
proxy are installed, otherwise (or with ``--direct``) as ``PYTHON -c ... serve DATA --demo`` where
PYTHON is ``--python`` (default: this interpreter; point it at another checkout's venv to measure
that checkout's server with the same script). Visitors are contexts of one Debian chromium, every
request off 127.0.0.1 refused. Through the Hub a visit starts with the Hub's login form (signed in
as the faculty member, sent on to the landing page); straight to the server, with the landing
page's request. Visitors are the demo's faculty who are not chairs (a chair's landing page adds
the department's reports). The demo folder (``--faculty`` faculty, default 400, two years) is made
once in ``benchmarks/out/`` and copied for each run.

The server's process tree: the server (Hub, proxy, Voila), every process below it, and any kernel
outside it whose environment names this run's data folder (a kernel a forking parent left to
init). A kernel is a process whose command line holds ``ipykernel_launcher`` or whose name is
``mf-kernel`` (a forked kernel); ``mf-kernel-parent`` is not one. CPU time counts living
processes and the children their parents have waited for (a kernel that ended is counted;
one reaped by init is not). "The pools are full": the ready kernel count (kernels less the pages
holding one) is back to the pool total, ``mentorforms.server.serve.pool_sizes`` summed (asked of the
server's interpreter; if that fails, the kernel count of the fresh server once it is quiet), and
the tree has used under 0.2 CPU-s a second for 5 s (longer than Voila's refill delay).

Figures (printed last as ``name: value`` lines):

* ``visit_cpu_s``: CPU-seconds of the whole tree from the visit's first request to Part I
  interactive, one visitor at a time with the pools full before; median over ``--single-visits``
  visits, each a different faculty member (goal with the next two: see ``cpu_s_per_visit``);
* ``refill_cpu_s``: CPU-seconds from interactive until the pools are full again (to the start of
  the quiet spell, or to the moment the ready count was back if that is later: a forked refill can
  be too cheap to break the quiet), Part I still open; median;
* ``cpu_s_per_visit``: the two added, median over the visits. Goal: at most 1.0. Closing a page
  (its kernel shut down after the visitor leaves) is counted in neither;
* ``single_tti_median_s``, ``single_landing_median_s``: the same visits' times;
* per step of ``--steps`` (N visitors start at once on a fresh server with full pools, each a
  different faculty member, and keep their pages open): ``tti_median_s_nN`` and ``tti_p95_s_nN``,
  time to interactive from the landing page's request (a visitor who never gets there counts as
  ``--visit-timeout``); ``landing_median_s_nN``, from the request to the landing page's Part I
  link first showing; ``never_interactive_nN``; ``saw_busy_page_nN``; ``step_cpu_s_per_visit_nN``
  (tree CPU from before the visitors until the pools are full again, over N); and
  ``pss_mb_per_open_page_nN``: the tree's PSS (psutil ``memory_full_info().pss``, from
  ``/proc/PID/smaps_rollup``) with the N pages open and the pools full again, less its PSS before,
  over N, and the same split into ``pss_mb_per_open_page_kernels_nN`` (the page kernels, ready
  ones included) and ``pss_mb_per_open_page_server_nN`` (the server and the warm parent).
  Goals: 10 at once p95 at most 5 s, 20 at once p95 at most 10 s. The steps stop after
  one over its goal (5 s up to 10 visitors, 10 s above) unless ``--all-steps``;
* ``pss_mb_per_open_page``: the 10-at-once step's figure (or the step nearest 10). Goal: at most 40;
* a sustained step on a fresh server: visitors arrive as a Poisson process at ``--rate`` a minute
  for ``--minutes``, each a different faculty member (once every one has come, the same people
  again in the next years, where their Part I is empty too); each keeps their Part I open
  ``--hold`` seconds (20) after it is interactive (one who never got there leaves at once), then
  leaves (the page goes to about:blank, so
  Voila shuts its kernel down, and the context is closed), so open pages and memory stay bounded.
  ``sustained_rate_per_min`` (visits over the minutes), ``sustained_visits``,
  ``sustained_tti_median_s``, ``sustained_tti_p95_s`` (never interactive counts as
  ``--visit-timeout``), ``sustained_never_interactive`` (did not reach interactive within
  ``--visit-timeout``), ``sustained_cpu_s_per_visit`` (tree CPU over the step, the last visitors'
  leaving included, over the visits). Goal: 60 visits a minute for 3 minutes with p95 at most 3 s
  and none left without its form;
* ``route`` (hub or direct), ``pool_total``, ``load_before``, ``load_after`` (the 1-minute load
  average: other work on a 2-core machine skews every figure).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil
from tornado.httpclient import HTTPClientError

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import hub as hub_tools

from mentorforms.commands.demo import make_demo
from mentorforms.records.roster import load_roster
from mentorforms.vocabulary.academic_year import AcademicYear

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CLI = "import sys; from mentorforms.commands.cli import main; sys.exit(main())"
ENV_DATA = "MENTORFORMS_DATA"
PART1_LINK = 'a[href*="form=conference_part1"]'
KERNEL_NAME = "mf-kernel"
NOT_A_KERNEL_PREFIX = "mf-kernel-"  # "mf-kernel-parent" (the kernel name is cut to 15 characters)
MAX_VISITORS = 40
SAMPLE_S = 0.5
QUIET_CPU_PER_S = 0.2
QUIET_S = 5.0  # longer than Voila's fill_delay (3 s): a refill not yet begun is not taken for quiet
STRAY_GRACE_S = 30.0
SEED = 5

# Asked of the server's own interpreter: the landing page's address and the pool total there.
FACTS = """
import json, sys
from mentorforms.server import serve
facts = {"landing": serve.landing_path(sys.argv[1])}
try:
    sizes = serve.pool_sizes(serve.parse_pools(json.loads(sys.argv[2])))
    values = sizes.values() if hasattr(sizes, "values") else [sizes]
    facts["pool_total"] = sum(int(value) for value in values)
except Exception as error:  # noqa: BLE001 - reported, and the pool total is then observed
    facts["pool_error"] = repr(error)
print(json.dumps(facts))
"""


@dataclass(frozen=True)
class ServerFacts:
    landing: str
    pool_total: int | None


def server_facts(python: str, base: str, server_args: str) -> ServerFacts:
    """The landing path for ``base`` and the pool total, as the server's interpreter has them."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--pool", action="append", default=[])
    known, _ = parser.parse_known_args(shlex.split(server_args))
    done = subprocess.run([python, "-c", FACTS, base, json.dumps(known.pool)], capture_output=True, text=True,
                          timeout=120, cwd=tempfile.gettempdir())
    if done.returncode != 0:
        raise SystemExit(f"{python} could not say where the landing page is:\n{done.stderr[-2000:]}")
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    if "pool_error" in facts:
        print(f"pool_sizes failed ({facts['pool_error']}); the pool total is the fresh server's kernel count",
              flush=True)
    return ServerFacts(facts["landing"], facts.get("pool_total"))


def demo_folder(faculty: int) -> Path:
    master = OUT / f"visitors-demo-{faculty}-seed{SEED}"
    if not (master / "roster.xlsx").exists():
        if master.exists():
            shutil.rmtree(master)
        print(f"making a demo folder of {faculty} faculty in {master} (once)", flush=True)
        make_demo(master, faculty=faculty, seed=SEED, years=2, jobs=2)
    work = Path(tempfile.mkdtemp(prefix="mf-visitors-")) / "data"
    shutil.copytree(master, work)
    return work


def is_kernel(process: psutil.Process) -> bool:
    try:
        name = process.name()
        if name == KERNEL_NAME:
            return True
        if name.startswith(NOT_A_KERNEL_PREFIX):
            return False
        return any("ipykernel_launcher" in part for part in process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


class ServerTree:
    """The processes of one server: see the module docstring."""

    def __init__(self, root: psutil.Process, data: Path) -> None:
        self.root = root
        self.data = {str(data), str(data.resolve())}

    def processes(self) -> list[psutil.Process]:
        try:
            found = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            found = []
        known = {process.pid for process in found}
        for process in psutil.process_iter():
            if process.pid in known or not is_kernel(process):
                continue
            try:
                if process.environ().get(ENV_DATA) in self.data:
                    found.append(process)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return found

    def cpu(self, processes: list[psutil.Process] | None = None) -> float:
        """CPU-seconds of the tree, living processes and the children their parents waited for."""
        total = 0.0
        for process in self.processes() if processes is None else processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system + times.children_user + times.children_system
        return total

    def pss_mb(self) -> float:
        return sum(self.pss_mb_by_part().values())

    def pss_mb_by_part(self) -> dict[str, float]:
        """The tree's PSS in MB, split into its kernels' and the rest's (server, warm parent)."""
        parts = {"kernels": 0.0, "server": 0.0}
        for process in self.processes():
            try:
                pss = process.memory_full_info().pss
                part = "kernels" if is_kernel(process) else "server"
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            parts[part] += pss / 2**20
        return parts

    def kernels(self, processes: list[psutil.Process] | None = None) -> int:
        return sum(1 for process in (self.processes() if processes is None else processes) if is_kernel(process))


@dataclass(frozen=True)
class Settled:
    cpu: float  # the tree's CPU-seconds when its last busy moment ended, or when the pools were full if later
    kernels: int
    ok: bool


class Server:
    """A fresh server for one phase: through the Hub, or ``PYTHON ... serve --demo``."""

    def __init__(self, data: Path, via_hub: bool, work: Path, server_args: str, python: str,
                 facts: ServerFacts) -> None:
        self.via_hub = via_hub
        self.hub: hub_tools.RunningHub | None = None
        self.process: subprocess.Popen | None = None
        self.facts = facts
        self.pool_total = facts.pool_total
        if via_hub:
            state = Path(tempfile.mkdtemp(prefix="hub-", dir=work))
            self.hub = hub_tools.start_hub(data, state, state / "hub.log", service_args=server_args)
            root = psutil.Process(self.hub.process.pid)
            self.origin = self.hub.url
        else:
            port = hub_tools.free_port()
            env = {key: value for key, value in os.environ.items()
                   if not key.startswith(("JUPYTERHUB_", "MENTORFORMS_"))}
            with open(work / f"serve-{port}.log", "wb") as log:
                self.process = subprocess.Popen([python, "-c", CLI, "serve", str(data), "--demo", "--port", str(port),
                                                 *shlex.split(server_args)], stdout=log, stderr=subprocess.STDOUT,
                                                env=env, cwd=work, start_new_session=True)
            self.origin = f"http://127.0.0.1:{port}"
            self._wait_until_answering(f"{self.origin}/voila/static/index.css")
            root = psutil.Process(self.process.pid)
        self.tree = ServerTree(root, data)

    def _wait_until_answering(self, url: str) -> None:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers, even if not with that file
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("mentorforms serve did not start") from None
                time.sleep(0.3)

    def landing_url(self, person_id: str, year: AcademicYear) -> str:
        query = {"year": str(year)}
        if not self.via_hub:
            query["as"] = person_id
        joiner = "&" if "?" in self.facts.landing else "?"
        return f"{self.origin}{self.facts.landing}{joiner}{urllib.parse.urlencode(query)}"

    async def settle(self, in_use: int, timeout: float, exact: bool = False) -> Settled:
        """Wait until the pools are full (kernels less ``in_use`` pages' kernels at least the pool
        total; with ``exact``, equal to it, or at least it after a long quiet spell) and the tree
        has been quiet for :data:`QUIET_S`."""
        deadline = time.monotonic() + timeout
        last = busy_cpu = full_cpu = self.tree.cpu()
        busy_at, was_full = time.monotonic(), False
        while True:
            await asyncio.sleep(SAMPLE_S)
            processes = self.tree.processes()
            now_cpu, kernels, now = self.tree.cpu(processes), self.tree.kernels(processes), time.monotonic()
            if now_cpu - last > QUIET_CPU_PER_S * SAMPLE_S:
                busy_cpu, busy_at = now_cpu, now
            last = now_cpu
            quiet = now - busy_at
            if self.pool_total is None:
                full = quiet >= QUIET_S * 2  # the fresh server's pools, whatever their size
                if full:
                    self.pool_total = kernels - in_use
            else:
                ready = kernels - in_use
                full = ready == self.pool_total if exact else ready >= self.pool_total
                if exact and not full and ready > self.pool_total and quiet >= STRAY_GRACE_S:
                    print(f"  {ready} ready kernels for a pool total of {self.pool_total}; going on", flush=True)
                    full = True
            if full and not was_full:
                full_cpu = now_cpu  # a refill too cheap to pass for busy (a fork) ends here
            was_full = full
            if full and quiet >= QUIET_S:
                return Settled(max(busy_cpu, full_cpu), kernels, True)
            if now > deadline:
                print(f"  not settled within {timeout:.0f} s: {kernels} kernels, {in_use} in use, pool total "
                      f"{self.pool_total}, quiet for {quiet:.1f} s", flush=True)
                return Settled(now_cpu, kernels, False)

    def stop(self) -> None:
        strays = [process for process in self.tree.processes() if process.pid != self.tree.root.pid] \
            if hasattr(self, "tree") else []
        if self.hub is not None:
            self.hub.stop()
        if self.process is not None:
            hub_tools.stop_group(self.process)
        for process in strays:  # anything of this server's that outlived it (a kernel given to init)
            try:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except psutil.TimeoutExpired:
                    process.kill()
            except psutil.NoSuchProcess:
                continue


@dataclass
class Visit:
    person: str
    context: object
    page: object
    landing_s: float | None = None
    tti_s: float | None = None
    busy: bool = False


#: ``--client``: "browser" (Debian's chromium draws every page) or "widgets" (the server's side of a
#: visit without a browser: see :func:`widget_visit`).
CLIENT = "browser"


def _widget_visit(server: Server, person_id: str, year: AcademicYear, timeout_s: float,
                  on_start: Callable[[], None] | None, on_interactive: Callable[[], None] | None) -> Visit:
    from kernel_client import HostilePage

    record = Visit(person_id, None, None)
    if on_start:
        on_start()
    started = time.monotonic()
    try:
        target = server.landing_url(person_id, year)
        with urllib.request.urlopen(target, timeout=timeout_s) as answer:
            landing = answer.read().decode("utf-8")
        links = [html.unescape(found) for found in re.findall(r'href="([^"]*form=conference_part1[^"]*)"', landing)]
        own = [link for link in links if f"person={urllib.parse.quote(person_id)}" in link] or links
        if not own:
            said = " ".join(re.sub(r"(?s)<(script|style).*?</\\1>|<[^>]+>", " ", landing).split())[:300]
            raise RuntimeError(f"the landing page has no Part I link; it said: {said!r}")
        record.landing_s = time.monotonic() - started
        form = urllib.parse.urljoin(target, own[0])
        page = HostilePage(form)  # the page's HTML, its kernel's websocket, every widget's state
        record.page = page
        page.find("mf-submit")
        record.tti_s = time.monotonic() - started
        if on_interactive:
            on_interactive()
    except (OSError, RuntimeError, AssertionError, TimeoutError, HTTPClientError) as error:
        print(f"  {person_id}: no Part I within {timeout_s:.0f} s ({type(error).__name__}: {error})", flush=True)
    return record


async def widget_visit(server: Server, person_id: str, year: AcademicYear, timeout_s: float,
                       on_start: Callable[[], None] | None = None,
                       on_interactive: Callable[[], None] | None = None) -> Visit:
    """One visit as the server sees it, without a browser drawing it: the landing page's HTML, the
    Part I link followed, the form page's HTML (waiting at the busy page like a browser would),
    its kernel's websocket and every widget's state through ipywidgets' control comm, which is
    all a browser asks the server for before it draws the form. Chromium on this machine spends
    about 3.5 CPU-seconds drawing one visit (4 times the server's work): with browsers on the
    server's own two cores, bursts measure the browsers."""
    return await asyncio.to_thread(_widget_visit, server, person_id, year, timeout_s, on_start, on_interactive)


async def visit(browser, server: Server, person_id: str, year: AcademicYear, timeout_s: float,
                on_start: Callable[[], None] | None = None,
                on_interactive: Callable[[], None] | None = None) -> Visit:
    """One visitor's landing page and Part I; the context stays open (see :func:`leave`)."""
    from playwright.async_api import Error as PlaywrightError

    if CLIENT == "widgets":
        return await widget_visit(server, person_id, year, timeout_s, on_start, on_interactive)

    context = await browser.new_context()

    async def only_local(route) -> None:
        if route.request.url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:")):
            await route.continue_()
        else:
            await route.abort()

    await context.route("**/*", only_local)
    page = await context.new_page()
    record = Visit(person_id, context, page)
    started = time.monotonic()

    def left_ms() -> float:
        return max(1.0, timeout_s - (time.monotonic() - started)) * 1000

    try:
        target = server.landing_url(person_id, year)
        if server.via_hub:
            split = urllib.parse.urlsplit(target)
            login = f"{server.hub.url}/hub/login?next={urllib.parse.quote(split.path + '?' + split.query)}"
            await page.goto(login, wait_until="domcontentloaded", timeout=timeout_s * 1000)
            await page.fill("input[name=username]", person_id)
            await page.fill("input[name=password]", hub_tools.PASSWORD)
            if on_start:
                on_start()
            started = time.monotonic()
            await page.click("#login_submit", no_wait_after=True)
        else:
            if on_start:
                on_start()
            started = time.monotonic()
            await page.goto(target, wait_until="commit", timeout=left_ms())
        links = page.locator(PART1_LINK)
        await links.first.wait_for(state="visible", timeout=left_ms())
        record.landing_s = time.monotonic() - started
        own = page.locator(f'{PART1_LINK}[href*="person={urllib.parse.quote(person_id)}"]')
        await (own.first if await own.count() else links.first).click(no_wait_after=True, timeout=left_ms())
        await page.locator(".mf-busy h1, .mf-submit").first.wait_for(state="visible", timeout=left_ms())
        record.busy = await page.locator(".mf-busy h1").count() > 0
        await page.locator(".mf-submit").wait_for(state="visible", timeout=left_ms())
        await page.locator(".mf-status-line .mf-status").wait_for(state="visible", timeout=left_ms())
        record.tti_s = time.monotonic() - started
        if on_interactive:
            on_interactive()
    except PlaywrightError as error:
        try:
            shown = " ".join((await page.locator("body").inner_text(timeout=5000)).split())[:160]
        except PlaywrightError:
            shown = "?"
        stage = "landing page" if record.landing_s is None else "Part I"
        print(f"  {person_id}: no {stage} within {timeout_s:.0f} s ({type(error).__name__}; busy page seen: "
              f"{record.busy}; the page shows: {shown!r})", flush=True)
    return record


async def leave(record: Visit) -> None:
    """The visitor leaves as a closed tab does (Voila shuts the page's kernel down on unload)."""
    from playwright.async_api import Error as PlaywrightError

    if CLIENT == "widgets":
        if record.page is not None:
            await asyncio.to_thread(record.page.close)
        return

    try:
        await record.page.goto("about:blank", timeout=10_000)
    except PlaywrightError:
        pass  # the context is closed below all the same; the server culls the kernel
    try:
        await record.context.close()
    except PlaywrightError:
        pass


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def later(year: AcademicYear, years: int) -> AcademicYear:
    for _ in range(years):
        year = year.next
    return year


async def single_visits(browser, server: Server, people: list[str], year: AcademicYear,
                        args: argparse.Namespace) -> list[dict[str, float]]:
    """One visitor at a time, the pools full before each: CPU of the visit and of the refill."""
    results = []
    for person in people:
        await server.settle(in_use=0, timeout=args.settle_timeout, exact=True)
        marks: dict[str, float] = {}

        def mark(name: str, marks: dict[str, float] = marks) -> Callable[[], None]:
            return lambda: marks.__setitem__(name, server.tree.cpu())

        record = await visit(browser, server, person, year, args.visit_timeout,
                             on_start=mark("start"), on_interactive=mark("interactive"))
        if record.tti_s is None:
            await leave(record)
            continue
        settled = await server.settle(in_use=1, timeout=args.settle_timeout)
        await leave(record)
        result = {"visit_cpu": marks["interactive"] - marks["start"], "refill_cpu": settled.cpu - marks["interactive"],
                  "tti": record.tti_s, "landing": record.landing_s}
        results.append(result)
        print(f"single visit {person}: tti {record.tti_s:.2f} s (landing {record.landing_s:.2f} s), visit "
              f"{result['visit_cpu']:.2f} CPU-s, refill {result['refill_cpu']:.2f} CPU-s"
              f"{'' if settled.ok else ' (refill not settled)'}, {settled.kernels} kernels with Part I open, "
              f"load {os.getloadavg()[0]:.2f}", flush=True)
    return results


async def step(browser, server: Server, people: list[str], year: AcademicYear,
               args: argparse.Namespace) -> dict[str, float]:
    """N visitors at once, their pages kept open until the pools are full again."""
    pss_before, cpu_before = server.tree.pss_mb_by_part(), server.tree.cpu()
    records = await asyncio.gather(*(visit(browser, server, person, year, args.visit_timeout) for person in people))
    interactive = [record for record in records if record.tti_s is not None]
    settled = await server.settle(in_use=len(interactive), timeout=args.settle_timeout)
    pss_open = server.tree.pss_mb_by_part()
    await asyncio.gather(*(leave(record) for record in records))
    times = [args.visit_timeout if record.tti_s is None else record.tti_s for record in records]
    landings = [record.landing_s for record in records if record.landing_s is not None]
    count = len(people)
    return {"n": count, "median": statistics.median(times), "p95": p95(times),
            "landing": statistics.median(landings) if landings else float("nan"),
            "never": count - len(interactive), "busy": sum(record.busy for record in records),
            "cpu_per_visit": (settled.cpu - cpu_before) / count,
            "mb_per_page": (sum(pss_open.values()) - sum(pss_before.values())) / count,
            "kernels_mb_per_page": (pss_open["kernels"] - pss_before["kernels"]) / count,
            "server_mb_per_page": (pss_open["server"] - pss_before["server"]) / count,
            "settled": settled.ok}


async def sustained(browser, server: Server, people: list[str], year: AcademicYear,
                    args: argparse.Namespace) -> dict[str, float]:
    """Visitors arriving as a Poisson process, each leaving ``--hold`` seconds after interactive."""
    rng = random.Random(SEED)
    per_second = args.rate / 60.0

    async def one(index: int, arrived: float) -> Visit:
        person, years_on = people[index % len(people)], index // len(people)
        record = await visit(browser, server, person, later(year, years_on), args.visit_timeout)
        print(f"  sustained visit {index + 1} ({person}, arrived at {arrived:.0f} s): "
              + ("never interactive" if record.tti_s is None else f"tti {record.tti_s:.2f} s")
              + ("" if record.landing_s is None else f" (landing {record.landing_s:.2f} s)"), flush=True)
        if record.tti_s is not None:
            await asyncio.sleep(args.hold)
        await leave(record)
        return record

    cpu_before = server.tree.cpu()
    start = time.monotonic()
    end = start + args.minutes * 60
    arrival = start + rng.expovariate(per_second)
    tasks = []
    while arrival < end:
        await asyncio.sleep(max(0.0, arrival - time.monotonic()))
        tasks.append(asyncio.create_task(one(len(tasks), arrival - start)))
        arrival += rng.expovariate(per_second)
    records = await asyncio.gather(*tasks)
    settled = await server.settle(in_use=0, timeout=args.settle_timeout)
    count = len(records)
    times = [args.visit_timeout if record.tti_s is None else record.tti_s for record in records]
    return {"visits": count, "rate": count / args.minutes,
            "median": statistics.median(times) if times else float("nan"),
            "p95": p95(times) if times else float("nan"),
            "never": sum(record.tti_s is None for record in records),
            "cpu_per_visit": (settled.cpu - cpu_before) / count if count else float("nan")}


def step_goal(count: int) -> float:
    return 5.0 if count <= 10 else 10.0


async def run(args: argparse.Namespace, via_hub: bool, data: Path, facts: ServerFacts, people: list[str],
              year: AcademicYear, work: Path) -> dict:
    from playwright.async_api import async_playwright

    found: dict = {"singles": [], "steps": [], "sustained": None}

    async def fresh() -> Server:
        server = Server(data, via_hub, work, args.server_args, args.python, facts)
        settled = await server.settle(in_use=0, timeout=args.settle_timeout)
        found["pool_total"] = server.pool_total
        print(f"server ready: {settled.kernels} kernels, pool total {server.pool_total}, load "
              f"{os.getloadavg()[0]:.2f}", flush=True)
        return server

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            if args.single_visits > 0:
                server = await fresh()
                try:
                    found["singles"] = await single_visits(browser, server, people[:args.single_visits], year, args)
                finally:
                    server.stop()
            if not args.skip_steps:
                for count in args.step_counts:
                    server = await fresh()
                    try:
                        result = await step(browser, server, people[:count], year, args)
                    finally:
                        server.stop()
                    found["steps"].append(result)
                    print(f"N={count}: median {result['median']:.1f} s, p95 {result['p95']:.1f} s, landing median "
                          f"{result['landing']:.1f} s, {result['never']} never interactive, {result['busy']} saw the "
                          f"busy page, CPU {result['cpu_per_visit']:.2f} s/visit, {result['mb_per_page']:.0f} MB/page"
                          f"{'' if result['settled'] else ' (not settled)'}, load {os.getloadavg()[0]:.2f}", flush=True)
                    if result["p95"] > step_goal(count) and not args.all_steps and count < args.step_counts[-1]:
                        print(f"p95 over {step_goal(count):.0f} s: the larger steps are skipped (--all-steps: not)",
                              flush=True)
                        break
            if not args.skip_sustained:
                server = await fresh()
                try:
                    found["sustained"] = await sustained(browser, server, people, year, args)
                finally:
                    server.stop()
        finally:
            await browser.close()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--single-visits", type=int, default=5, help="one-at-a-time visits for the CPU figures")
    parser.add_argument("--steps", default="1,5,10,20", help=f"visitors at once, in order (at most {MAX_VISITORS})")
    parser.add_argument("--rate", type=float, default=60.0, help="sustained step: visitors a minute")
    parser.add_argument("--minutes", type=float, default=3.0, help="sustained step: how long visitors arrive")
    parser.add_argument("--hold", type=float, default=20.0, help="sustained step: seconds a visitor keeps Part I open")
    parser.add_argument("--faculty", type=int, default=400, help="faculty in the demo folder")
    parser.add_argument("--visit-timeout", type=float, default=90.0)
    parser.add_argument("--settle-timeout", type=float, default=240.0,
                        help="longest wait for the pools to be full and the server quiet")
    parser.add_argument("--server-args", default="", help="extra serve / hub-service options, such as '--pool form=6'")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter that runs `mentorforms serve` (another checkout's venv to measure it); "
                             "the Hub route always uses this tree")
    parser.add_argument("--all-steps", action="store_true", help="run every step, even after one over its p95 goal")
    parser.add_argument("--skip-steps", action="store_true")
    parser.add_argument("--skip-sustained", action="store_true")
    parser.add_argument("--client", choices=("browser", "widgets"), default="browser",
                        help="who visits: Debian's chromium drawing every page (end to end, but the browsers share "
                             "the server's cores), or the server's side of a visit without drawing it (widgets)")
    parser.add_argument("--direct", action="store_true",
                        help="straight to `mentorforms serve`, even if a Hub could run")
    args = parser.parse_args()
    global CLIENT
    CLIENT = args.client
    args.step_counts = sorted({min(MAX_VISITORS, max(1, int(value)))
                               for value in args.steps.split(",") if value.strip()})
    # the widgets client opens pages as the demo's ?as= visitor; it has no Hub sign-in
    via_hub = not args.direct and args.client != "widgets" and hub_tools.missing() is None
    if via_hub and args.python != sys.executable:
        print("--python is for the direct route; the Hub runs this tree's server", flush=True)
    data = demo_folder(args.faculty)
    work = Path(tempfile.mkdtemp(prefix="mf-visitors-work-"))
    load_before = os.getloadavg()[0]
    try:
        roster = load_roster(data / "roster.xlsx")
        people = [person.person_id for person in roster if person.has_role("faculty") and not person.has_role("chair")]
        years = sorted({path.name for path in (data / "records").iterdir()})
        year = AcademicYear.parse(years[-1]).next  # nobody has a Part I there: every form opens empty
        wanted = max([args.single_visits, *([] if args.skip_steps else args.step_counts)])
        if len(people) < wanted:
            raise SystemExit(f"the demo has {len(people)} faculty; ask for more with --faculty")
        base = f"/services/{hub_tools.SERVICE}/" if via_hub else "/"
        facts = server_facts(sys.executable if via_hub else args.python, base, args.server_args)
        print(f"route: {'JupyterHub service' if via_hub else 'mentorforms serve (direct) with ' + args.python} "
              f"{args.server_args}; landing page {facts.landing}; load before: {load_before:.2f}", flush=True)
        found = asyncio.run(run(args, via_hub, data, facts, people, year, work))
    finally:
        kept = ROOT / "benchmarks" / "out" / "visitors-logs"  # the last run's server logs, to read after it
        shutil.rmtree(kept, ignore_errors=True)
        kept.mkdir(parents=True)
        for log in work.rglob("*.log"):
            shutil.copy(log, kept / log.name)
        print(f"the servers' logs: {kept}", file=sys.stderr, flush=True)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(data.parent, ignore_errors=True)

    print(f"route: {'hub' if via_hub else 'direct'}")
    print(f"client: {args.client}")
    print(f"pool_total: {found.get('pool_total')}")
    singles = found["singles"]
    if singles:
        print(f"visit_cpu_s: {statistics.median(s['visit_cpu'] for s in singles):.2f}")
        print(f"refill_cpu_s: {statistics.median(s['refill_cpu'] for s in singles):.2f}")
        print(f"cpu_s_per_visit: {statistics.median(s['visit_cpu'] + s['refill_cpu'] for s in singles):.2f}")
        print(f"single_tti_median_s: {statistics.median(s['tti'] for s in singles):.2f}")
        print(f"single_landing_median_s: {statistics.median(s['landing'] for s in singles):.2f}")
        print(f"single_visits: {len(singles)}")
    for result in found["steps"]:
        n = result["n"]
        print(f"tti_median_s_n{n}: {result['median']:.2f}")
        print(f"tti_p95_s_n{n}: {result['p95']:.2f}")
        print(f"landing_median_s_n{n}: {result['landing']:.2f}")
        print(f"never_interactive_n{n}: {result['never']}")
        print(f"saw_busy_page_n{n}: {result['busy']}")
        print(f"step_cpu_s_per_visit_n{n}: {result['cpu_per_visit']:.2f}")
        print(f"pss_mb_per_open_page_n{n}: {result['mb_per_page']:.1f}")
        print(f"pss_mb_per_open_page_kernels_n{n}: {result['kernels_mb_per_page']:.1f}")
        print(f"pss_mb_per_open_page_server_n{n}: {result['server_mb_per_page']:.1f}")
    if found["steps"]:
        nearest = min(found["steps"], key=lambda result: (abs(result["n"] - 10), -result["n"]))
        print(f"pss_mb_per_open_page: {nearest['mb_per_page']:.1f}")
    if found["sustained"] is not None:
        result = found["sustained"]
        print(f"sustained_rate_per_min: {result['rate']:.1f}")
        print(f"sustained_visits: {result['visits']}")
        print(f"sustained_tti_median_s: {result['median']:.2f}")
        print(f"sustained_tti_p95_s: {result['p95']:.2f}")
        print(f"sustained_never_interactive: {result['never']}")
        print(f"sustained_cpu_s_per_visit: {result['cpu_per_visit']:.2f}")
    print(f"load_before: {load_before:.2f}")
    print(f"load_after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
