"""The landing page as the page server renders it without a kernel: the same listing, identity
and refusals as the kernel page, from the same inputs (the server's environment, the request's
query string, and behind the Hub only the proxy's forwarded headers)."""

from __future__ import annotations

import html
import json
import os
import shutil
import time

from ui_answers import newest_year

from mentorforms import messages
from mentorforms.records.roster import load_roster, write_roster
from mentorforms.rules import identity
from mentorforms.server.landing_handler import RosterCache, request_environ
from mentorforms.ui.landing import landing_app, landing_body, landing_document

SECRET = "s" * 40


def test_the_served_listing_is_the_kernel_pages_listing(demo_master):
    roster = load_roster(demo_master / "roster.xlsx")
    chair = next(p for p in roster if p.has_role("chair"))
    environ = {identity.ENV_DATA: str(demo_master), identity.ENV_AS: chair.person_id,
               "QUERY_STRING": f"year={newest_year(demo_master).label}"}
    widgets_page = landing_app(environ)
    served = landing_body(environ)
    assert widgets_page.children[-1].value in served  # the listing, link for link and status for status
    assert widgets_page.children[1].value in served  # who the viewer is
    document = landing_document(environ)
    assert document.startswith("<!DOCTYPE html>") and ".mf-page" in document and "mf-landing-list" in document


def test_demo_mode_without_a_choice_offers_every_person_and_keeps_the_year(demo_master):
    roster = load_roster(demo_master / "roster.xlsx")
    page = landing_body({identity.ENV_DATA: str(demo_master), identity.ENV_DEMO: "1", "QUERY_STRING": "year=2025-2026"})
    assert 'class="mf-demo-picker"' in page and "DEMO MODE" in page
    assert all(f'value="{html.escape(person.person_id)}"' in page for person in roster)
    assert '<input type="hidden" name="year" value="2025-2026">' in page
    chosen = landing_body({identity.ENV_DATA: str(demo_master), identity.ENV_DEMO: "1",
                           "QUERY_STRING": f"as={next(iter(roster)).person_id}"})
    assert "mf-landing-list" in chosen and "DEMO MODE" in chosen


def test_without_an_identity_or_with_a_bad_year_the_page_says_why(demo_master):
    page = landing_body({identity.ENV_DATA: str(demo_master)})
    assert "mf-refusal-box" in page and html.escape(messages.say(messages.IDENTITY_UNKNOWN)) in page
    person = next(iter(load_roster(demo_master / "roster.xlsx")))
    page = landing_body({identity.ENV_DATA: str(demo_master), identity.ENV_AS: person.person_id,
                         "QUERY_STRING": "year=<script>"})
    assert "mf-refusal-box" in page and "<script>" not in page


def test_behind_the_hub_only_the_proxys_forwarded_visitor_counts(demo_master):
    person = next(p for p in load_roster(demo_master / "roster.xlsx") if p.has_role("faculty"))
    server = {identity.ENV_DATA: str(demo_master), identity.ENV_BEHIND_HUB: "1", identity.ENV_PROXY_SECRET: SECRET,
              # a value left in the server's own environment is never a request's
              identity.header_env(identity.HEADER_USER): json.dumps({"kind": "user", "name": "F99999"})}
    forwarded = {identity.HEADER_USER: json.dumps({"kind": "user", "name": person.person_id.lower()}),
                 identity.HEADER_SECRET: SECRET}
    page = landing_body(request_environ("", forwarded, server))
    assert "mf-landing-list" in page and html.escape(person.name) in page
    # Header names ignore case (tornado hands them over as X-Cdsdashboards-Jh-User).
    page = landing_body(request_environ("", {name.title(): value for name, value in forwarded.items()}, server))
    assert "mf-landing-list" in page and html.escape(person.name) in page
    # Straight to the server's port, past the proxy: no secret, so nobody is believed.
    page = landing_body(request_environ("", {identity.HEADER_USER: forwarded[identity.HEADER_USER]}, server))
    assert "mf-refusal-box" in page and html.escape(messages.say(messages.HUB_NOT_THROUGH_PROXY)) in page
    page = landing_body(request_environ("", {}, server))
    assert "mf-refusal-box" in page
    # Not behind the Hub, a forwarded header is not even looked at.
    plain = {identity.ENV_DATA: str(demo_master)}
    assert identity.header_env(identity.HEADER_USER) not in request_environ("", forwarded, plain)


def test_the_roster_is_read_once_while_unchanged_and_again_once_it_changes(demo_master, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(demo_master, folder)
    path = folder / "roster.xlsx"
    cache = RosterCache()
    first = cache(path)
    assert cache(path) is first
    people = list(first)
    time.sleep(0.01)
    write_roster(people[:-1], path)
    os.utime(path, ns=(time.time_ns(), time.time_ns()))
    second = cache(path)
    assert second is not first and len(list(second)) == len(people) - 1
