"""N visitors opening their own Part I at once: how many the server holds.

    .venv/bin/python benchmarks/visitors.py [--steps 1,5,10,20] [--faculty 60] [--direct]

For each N in ``--steps`` a fresh server is started on loopback (through a real JupyterHub,
``deploy/jupyterhub_config.py``, when jupyterhub and its proxy are installed; ``--direct`` or
without them: ``mentorforms serve --demo`` straight), its ready kernels are allowed to start, and
N browser contexts (Debian's chromium, every request off 127.0.0.1 refused) each ask at the same
moment for their own Part I: through the Hub each signs in as a different faculty member with the
Hub's login form, which sends them on to the form; straight to the server each names themselves
with the demo's ``?as=``. Measured per step:

* time to interactive: from the request (the login form's submit through the Hub) to the form's
  Submit button and status line being visible;
* time to first words: from the request to the first thing a visitor can read, the busy page
  ("busy, your page opens in a moment", when the server is opening ``--max-opening`` pages
  already) or the form itself; and how many visitors saw the busy page;
* server CPU-seconds per visit: CPU time of the server's whole process tree (Hub, proxy, Voila,
  kernels, including kernels that ended) during the step, divided by N;
* server memory per open page: the tree's PSS with all N pages open, less its PSS before, over N.

Bounded: at most 40 visitors, each given ``--visit-timeout`` seconds (a visitor who sees nothing
by then counts as that long); stops after the first step whose p95 is over 5 s (``--all-steps``: not). The last lines are
``name: value`` pairs; the machine's load is printed too (other work on a 2-core machine skews
every figure). Goals (issue 10): CPU per visit at most 1.5 s, memory per open page at most 80 MB,
20 visitors at once with p95 under 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import hub as hub_tools  # noqa: E402
from mentorforms.academic_year import AcademicYear  # noqa: E402
from mentorforms.demo import make_demo  # noqa: E402
from mentorforms.roster import load_roster  # noqa: E402
from mentorforms.serve import parse_pools, pool_sizes  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CLI = "import sys; from mentorforms.cli import main; sys.exit(main())"
MAX_VISITORS = 40
P95_GOAL_S = 5.0


def demo_folder(faculty: int) -> Path:
    master = OUT / f"visitors-demo-{faculty}"
    if not (master / "roster.xlsx").exists():
        if master.exists():
            shutil.rmtree(master)
        make_demo(master, faculty=faculty, seed=5, years=2)
    work = Path(tempfile.mkdtemp(prefix="mf-visitors-")) / "data"
    shutil.copytree(master, work)
    return work


def tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_seconds(root: psutil.Process) -> float:
    """CPU time of ``root`` and its descendants, living and ended (ended children's time is
    counted by the parent that waited for them)."""
    total = 0.0
    for process in tree(root):
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def pss_mb(root: psutil.Process) -> float:
    total = 0
    for process in tree(root):
        try:
            total += process.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total / 2**20


def kernel_count(root: psutil.Process) -> int:
    count = 0
    for process in tree(root):
        try:
            if "ipykernel_launcher" in " ".join(process.cmdline()):
                count += 1
        except psutil.NoSuchProcess:
            continue
    return count


def wait_until_settled(root: psutil.Process, kernels: int, timeout: float = 180.0) -> None:
    """Until the ready kernels have started and the server has been quiet for a moment."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and kernel_count(root) < kernels:
        time.sleep(0.5)
    quiet_since, last = time.monotonic(), cpu_seconds(root)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = cpu_seconds(root)
        if now - last > 0.2:
            quiet_since = time.monotonic()
        last = now
        if time.monotonic() - quiet_since > 3:
            return


def ready_kernels(server_args: str) -> int:
    """How many ready kernels a server started with ``server_args`` keeps."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--pool", action="append", default=[])
    known, _ = parser.parse_known_args(shlex.split(server_args))
    return sum(pool_sizes(parse_pools(known.pool)).values())


class Server:
    """A fresh server for one step: through the Hub, or ``mentorforms serve --demo``."""

    def __init__(self, data: Path, via_hub: bool, work: Path, server_args: str = "") -> None:
        self.via_hub = via_hub
        self.hub: hub_tools.RunningHub | None = None
        self.process: subprocess.Popen | None = None
        if via_hub:
            state = Path(tempfile.mkdtemp(prefix="hub-", dir=work))
            self.hub = hub_tools.start_hub(data, state, state / "hub.log", service_args=server_args)
            self.root = psutil.Process(self.hub.process.pid)
            self.base = self.hub.service_url
        else:
            port = hub_tools.free_port()
            log = open(work / f"serve-{port}.log", "wb")
            self.process = subprocess.Popen([sys.executable, "-c", CLI, "serve", str(data), "--demo", "--port", str(port),
                                             *shlex.split(server_args)],
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            self.base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(self.base + "/voila/static/index.css", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or self.process.poll() is not None:
                        raise RuntimeError("mentorforms serve did not start")
                    time.sleep(0.3)
            self.root = psutil.Process(self.process.pid)
        wait_until_settled(self.root, ready_kernels(server_args))

    def form_url(self, person_id: str, year: AcademicYear) -> str:
        query = {"form": "conference_part1", "person": person_id, "year": str(year)}
        if not self.via_hub:
            query["as"] = person_id
        return f"{self.base}/voila/render/form.ipynb?{urllib.parse.urlencode(query)}"

    def stop(self) -> None:
        if self.hub is not None:
            self.hub.stop()
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            self.process.wait(timeout=20)


async def visit(browser, server: Server, person_id: str, year: AcademicYear,
                timeout_s: float) -> tuple[float, float, bool]:
    """(time to interactive, time to first words, whether the busy page was seen)."""
    context = await browser.new_context()

    async def only_local(route) -> None:
        if route.request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            await route.continue_()
        else:
            await route.abort()

    await context.route("**/*", only_local)
    page = await context.new_page()
    seen, busy = timeout_s, False
    try:
        target = server.form_url(person_id, year)
        if server.via_hub:
            login = f"{server.hub.url}/hub/login?next={urllib.parse.quote(urllib.parse.urlsplit(target).path + '?' + urllib.parse.urlsplit(target).query)}"
            await page.goto(login, wait_until="domcontentloaded", timeout=timeout_s * 1000)
            await page.fill("input[name=username]", person_id)
            await page.fill("input[name=password]", hub_tools.PASSWORD)
            started = time.monotonic()
            await page.click("#login_submit", no_wait_after=True)
        else:
            started = time.monotonic()
            await page.goto(target, wait_until="commit", timeout=timeout_s * 1000)
        left = max(1.0, timeout_s - (time.monotonic() - started)) * 1000
        await page.locator(".mf-busy h1, .mf-submit").first.wait_for(state="visible", timeout=left)
        seen = time.monotonic() - started
        busy = await page.locator(".mf-busy h1").count() > 0
        left = max(1.0, timeout_s - (time.monotonic() - started)) * 1000
        await page.locator(".mf-submit").wait_for(state="visible", timeout=left)
        await page.locator(".mf-status-line .mf-status").wait_for(state="visible", timeout=left)
        return time.monotonic() - started, seen, busy
    except Exception as error:  # a visitor who never sees their form counts as the whole wait
        try:
            shown = " ".join((await page.locator("body").inner_text(timeout=5000)).split())[:160]
        except Exception:  # noqa: BLE001 - only for the message below
            shown = "?"
        print(f"  {person_id}: nothing usable within {timeout_s:.0f} s ({type(error).__name__}; "
              f"busy page seen: {busy}; the page shows: {shown!r})", flush=True)
        return timeout_s, seen, busy
    # The context stays open (the page holds its kernel) until the step has read the memory.


async def step(server: Server, people: list[str], year: AcademicYear, timeout_s: float) -> dict[str, float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            pss_before, cpu_before = pss_mb(server.root), cpu_seconds(server.root)
            visits = await asyncio.gather(*(visit(browser, server, person, year, timeout_s) for person in people))
            await asyncio.sleep(2)  # the pool's refill (fill_delay 3 s) is part of a visit's cost
            pss_open = pss_mb(server.root)
            await asyncio.sleep(4)
            cpu_after = cpu_seconds(server.root)
        finally:
            await browser.close()
    times = [tti for tti, _, _ in visits]
    seen = sorted(first for _, first, _ in visits)
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"n": len(people), "median": statistics.median(times), "p95": p95,
            "seen_median": statistics.median(seen), "seen_max": seen[-1], "busy": sum(b for _, _, b in visits),
            "cpu_per_visit": (cpu_after - cpu_before) / len(people),
            "mb_per_page": (pss_open - pss_before) / len(people)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", default="1,5,10,20", help="visitor counts to try, in order (at most 40)")
    parser.add_argument("--faculty", type=int, default=60)
    parser.add_argument("--visit-timeout", type=float, default=90.0)
    parser.add_argument("--server-args", default="", help="extra serve / hub-service options, such as '--pool form=6'")
    parser.add_argument("--all-steps", action="store_true", help="run every step, even after one with p95 over 5 s")
    parser.add_argument("--direct", action="store_true", help="straight to `mentorforms serve`, even if a Hub could run")
    args = parser.parse_args()
    steps = sorted({min(MAX_VISITORS, max(1, int(value))) for value in args.steps.split(",")})
    via_hub = not args.direct and hub_tools.missing() is None
    data = demo_folder(args.faculty)
    roster = load_roster(data / "roster.xlsx")
    people = [person.person_id for person in roster if person.has_role("faculty") and not person.has_role("chair")]
    years = sorted({path.name for path in (data / "records").iterdir()})
    year = AcademicYear.parse(years[-1]).next  # nobody has a Part I there: every form opens empty
    if len(people) < max(steps):
        raise SystemExit(f"the demo has {len(people)} faculty; ask for more with --faculty")
    work = Path(tempfile.mkdtemp(prefix="mf-visitors-work-"))
    print(f"route: {'JupyterHub service' if via_hub else 'mentorforms serve (direct)'} {args.server_args}; load before: "
          f"{os.getloadavg()[0]:.2f}", flush=True)
    results = []
    try:
        for count in steps:
            server = Server(data, via_hub, work, args.server_args)
            try:
                result = asyncio.run(step(server, people[:count], year, args.visit_timeout))
            finally:
                server.stop()
            results.append(result)
            print(f"N={count}: median {result['median']:.1f} s, p95 {result['p95']:.1f} s, "
                  f"CPU {result['cpu_per_visit']:.2f} s/visit, {result['mb_per_page']:.0f} MB/page, "
                  f"first words median {result['seen_median']:.1f} s / max {result['seen_max']:.1f} s, "
                  f"{result['busy']} saw the busy page, load {os.getloadavg()[0]:.2f}", flush=True)
            if result["p95"] > P95_GOAL_S and not args.all_steps:
                break
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(data.parent, ignore_errors=True)
    within = [result["n"] for result in results if result["p95"] <= P95_GOAL_S]
    last = results[-1]
    print(f"route: {'hub' if via_hub else 'direct'}")
    for result in results:
        print(f"tti_median_s_n{result['n']}: {result['median']:.2f}")
        print(f"tti_p95_s_n{result['n']}: {result['p95']:.2f}")
        print(f"first_words_median_s_n{result['n']}: {result['seen_median']:.2f}")
        print(f"first_words_max_s_n{result['n']}: {result['seen_max']:.2f}")
        print(f"saw_busy_page_n{result['n']}: {result['busy']}")
    print(f"tti_median_s: {last['median']:.2f}")
    print(f"tti_p95_s: {last['p95']:.2f}")
    print(f"server_cpu_s_per_visit: {statistics.median(r['cpu_per_visit'] for r in results):.2f}")
    print(f"server_mb_per_open_page: {statistics.median(r['mb_per_page'] for r in results):.0f}")
    print(f"largest_n_p95_under_5s: {max(within) if within else 0}")
    print(f"load_after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
