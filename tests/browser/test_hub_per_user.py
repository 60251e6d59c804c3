"""Per-user servers: each person's own server (the Hub's local process spawner) runs the pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hub as hub_tools
import pytest
from playwright.sync_api import expect
from test_hub import FIRST_PAGE_MS

from mentorforms.records.roster import load_roster

#: A person's first visit starts their server, then its Voila and ready kernels.
SPAWN_MS = 180_000


@pytest.fixture(scope="module")
def per_user_hub(browser_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[hub_tools.RunningHub]:
    why = hub_tools.missing()
    if why:
        pytest.fail(why)
    state = tmp_path_factory.mktemp("hub-per-user")
    # One ready form kernel and no others keep a person's server small.
    hub = hub_tools.start_hub(browser_data, state, state / "hub.log", mode="per-user",
                              service_args="--pool form=1 --pool dashboard=0")
    try:
        yield hub
    finally:
        hub.stop()


def test_a_persons_own_server_shows_them_their_forms_and_nobody_else_gets_in(per_user_hub, context, browser,
                                                                             browser_data: Path):
    people = [person for person in load_roster(browser_data / "roster.xlsx").faculty() if not person.has_role("chair")]
    ana, ben = people[0], people[1]
    page = context.new_page()
    page.goto(f"{per_user_hub.url}/hub/login", wait_until="domcontentloaded")
    page.fill("input[name=username]", ana.person_id)
    page.fill("input[name=password]", hub_tools.PASSWORD)
    page.click("#login_submit", no_wait_after=True)
    page.locator(".mf-landing-list, .mf-refusal-box").first.wait_for(timeout=SPAWN_MS)
    assert f"/user/{ana.person_id.lower()}/" in page.url
    expect(page.locator(".mf-identity-line")).to_contain_text(ana.name)

    # Ben, signed in elsewhere, cannot use Ana's server.
    other = browser.new_context()
    other.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                else route.abort())
    try:
        second = other.new_page()
        second.goto(f"{per_user_hub.url}/hub/login", wait_until="domcontentloaded")
        second.fill("input[name=username]", ben.person_id)
        second.fill("input[name=password]", hub_tools.PASSWORD)
        second.click("#login_submit", no_wait_after=True)
        second.wait_for_url("**/user/**", timeout=SPAWN_MS)
        answer = second.goto(f"{per_user_hub.url}/user/{ana.person_id.lower()}/voila/render/index.ipynb",
                             timeout=FIRST_PAGE_MS)
        assert ana.name not in second.locator("body").inner_text()
        assert answer is None or answer.status in (403, 404) or "/hub/" in second.url
    finally:
        other.close()
