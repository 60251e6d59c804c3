"""Signing in through a real JupyterHub (deploy/jupyterhub_config.py), in a real browser.

The Hub runs the app as its managed service (``mentorforms hub-service``: jhsingle-native-proxy in
front of Voila). Two faculty members and a chair sign in with the Hub's login form; each sees only
their own forms, the chair the department dashboard; a forged identity header changes nothing; a
request straight to Voila's own port is not believed; after logging out the pages refuse.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import hub as hub_tools
import pytest
from pages import PAGE_TIMEOUT_MS, form_url, open_form
from playwright.sync_api import expect

from mentorforms.records.roster import Person, load_roster

#: The first page after the Hub starts waits for Voila and its ready kernels (several seconds,
#: far more on a busy machine).
FIRST_PAGE_MS = 120_000
DASHBOARD_MS = 90_000


@pytest.fixture(scope="module")
def running_hub(browser_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[hub_tools.RunningHub]:
    why = hub_tools.missing()
    if why:
        pytest.fail(why)
    state = tmp_path_factory.mktemp("hub-state")
    hub = hub_tools.start_hub(browser_data, state, state / "hub.log")
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture(scope="module")
def people(browser_data: Path) -> dict[str, Person]:
    roster = load_roster(browser_data / "roster.xlsx")
    chair = min((person for person in roster if person.has_role("chair")), key=lambda person: person.person_id)
    faculty = [person for person in roster.faculty() if person.department == chair.department
               and not person.has_role("chair") and not person.has_role("designee")]
    return {"ana": faculty[0], "ben": faculty[1], "chair": chair}


def sign_in(page, hub: hub_tools.RunningHub, person: Person) -> None:
    """Sign in with the Hub's login form (the Hub writes user names in lower case) and wait for
    the landing page the Hub sends people to."""
    page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
    page.fill("input[name=username]", person.person_id)
    page.fill("input[name=password]", hub_tools.PASSWORD)
    page.click("#login_submit", no_wait_after=True)
    page.locator(".mf-landing-list, .mf-refusal-box").first.wait_for(timeout=FIRST_PAGE_MS)


def landing(hub: hub_tools.RunningHub) -> str:
    return f"{hub.service_url}/voila/render/index.ipynb"


def test_each_person_signed_in_through_the_hub_sees_only_their_own_forms(running_hub, context, browser, people,
                                                                         demo_year):
    ana, ben, chair = people["ana"], people["ben"], people["chair"]
    page = context.new_page()
    sign_in(page, running_hub, ana)
    expect(page.locator(".mf-identity-line")).to_contain_text(ana.name)
    assert ben.name not in page.locator("body").inner_text()
    open_form(page, form_url(running_hub.service_url, "conference_part1", ana.person_id, year=demo_year))
    expect(page.locator(".mf-form")).to_have_count(1)
    open_form(page, form_url(running_hub.service_url, "conference_part1", ben.person_id, year=demo_year))
    expect(page.locator(".mf-refusal-box")).to_contain_text("Faculty members open only their own forms")
    # A faculty member asking for the department dashboard is refused.
    page.goto(f"{running_hub.service_url}/voila/render/dashboard.ipynb", wait_until="commit")
    expect(page.locator(".mf-refusal-box")).to_contain_text("for department chairs", timeout=DASHBOARD_MS)

    # A second faculty member, in another browser, is themselves, not the first.
    other = browser.new_context()
    other.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                else route.abort())
    try:
        second = other.new_page()
        sign_in(second, running_hub, ben)
        expect(second.locator(".mf-identity-line")).to_contain_text(ben.name)
        open_form(second, form_url(running_hub.service_url, "conference_part1", ana.person_id, year=demo_year))
        expect(second.locator(".mf-refusal-box")).to_contain_text("You cannot open this page")
    finally:
        other.close()

    # The chair, signed in in a third browser, reaches the department dashboard from the landing page.
    third = browser.new_context()
    third.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                else route.abort())
    try:
        chair_page = third.new_page()
        sign_in(chair_page, running_hub, chair)
        expect(chair_page.locator(".mf-identity-line")).to_contain_text(chair.name)
        chair_page.get_by_role("link", name=f"Department dashboard: {chair.department}").click()
        chair_page.locator(".mf-tile-done").wait_for(state="visible", timeout=DASHBOARD_MS)
        assert ana.name in chair_page.content()
    finally:
        third.close()


def test_an_identity_header_sent_by_the_browser_changes_nothing(running_hub, browser, people):
    ana, chair = people["ana"], people["chair"]
    forged = {"X-CDSDASHBOARDS-JH-USER": json.dumps({"kind": "user", "name": chair.person_id.lower(),
                                                     "admin": True, "groups": []}),
              "X-Mentorforms-Proxy-Secret": "guessed-secret-guessed-secret-guessed"}
    context = browser.new_context(extra_http_headers=forged)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.abort())
    try:
        page = context.new_page()
        # Not signed in: the header opens nothing, the Hub asks for a login.
        page.goto(landing(running_hub), wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
        assert "/hub/login" in page.url
        sign_in(page, running_hub, ana)
        expect(page.locator(".mf-identity-line")).to_contain_text(ana.name)
        assert chair.name not in page.locator(".mf-identity-line").inner_text()
        page.goto(f"{running_hub.service_url}/voila/render/dashboard.ipynb", wait_until="commit")
        expect(page.locator(".mf-refusal-box")).to_contain_text("for department chairs", timeout=DASHBOARD_MS)
    finally:
        context.close()


def test_a_request_straight_to_voilas_port_is_not_believed(running_hub, people):
    # Anything on this machine can reach Voila's loopback port and forge the forwarded header; it
    # cannot know the secret the proxy adds, so the page refuses (and says so in the server log:
    # a page on Voila's own port cannot load its scripts, which live under the Hub's prefix).
    deadline = time.monotonic() + FIRST_PAGE_MS / 1000
    while not (found := re.findall(r"b'http://127\.0\.0\.1:(\d+)/services/", running_hub.log())):  # "Voila is running at"
        assert time.monotonic() < deadline, "Voila did not start:\n" + running_hub.log()[-3000:]
        time.sleep(0.5)
    chair = people["chair"]
    forged = urllib.request.Request(
        f"http://127.0.0.1:{found[-1]}/voila/render/dashboard.ipynb",
        headers={"X-CDSDASHBOARDS-JH-USER": json.dumps({"kind": "user", "name": chair.person_id.lower()}),
                 "X-Mentorforms-Proxy-Secret": "guessed-secret-guessed-secret-guessed"})
    with urllib.request.urlopen(forged, timeout=PAGE_TIMEOUT_MS / 1000) as answer:
        assert answer.status == 200  # the page itself: it shows the refusal once its scripts connect
    deadline = time.monotonic() + 60
    while "dashboard refused: This address is only for the sign-in service" not in running_hub.log():
        assert time.monotonic() < deadline, "the forged request was not refused:\n" + running_hub.log()[-3000:]
        time.sleep(0.5)


def test_after_logging_out_of_the_hub_the_pages_refuse(running_hub, context, people):
    ana = people["ana"]
    page = context.new_page()
    sign_in(page, running_hub, ana)
    expect(page.locator(".mf-identity-line")).to_contain_text(ana.name)
    page.goto(f"{running_hub.url}/hub/logout", wait_until="domcontentloaded")
    # The service asks the Hub about a browser's token again after a few seconds (AUTH_CACHE_SECONDS).
    deadline = time.monotonic() + 30
    while True:
        page.goto(landing(running_hub), wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
        if "/hub/login" in page.url:
            break
        assert time.monotonic() < deadline, f"still open after logging out: {page.url}"
        time.sleep(2)
    expect(page.locator(".mf-identity-line")).to_have_count(0)
    assert ana.name not in page.locator("body").inner_text()
