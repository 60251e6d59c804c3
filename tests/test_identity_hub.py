"""Behind JupyterHub: the visitor comes from the Hub's proxy on each request, and only with its secret."""

from __future__ import annotations

import json

import pytest

from mentorforms.errors import AccessDenied
from mentorforms.records.roster import Person, Roster
from mentorforms.rules import identity
from mentorforms.rules.identity import identify

SECRET = "s" * 40


@pytest.fixture
def roster() -> Roster:
    people = [
        Person("F00001", "Ana Faculty", "Pediatrics", "ana@example.org", roles=frozenset({"faculty"})),
        Person("F00002", "Ben Faculty", "Pediatrics", "ben@med.example.org", roles=frozenset({"faculty"})),
        Person("F00003", "Ben Other", "Surgery", "ben@example.org", roles=frozenset({"faculty"})),
        Person("C00001", "Cy Chair", "Pediatrics", "cy@example.org", roles=frozenset({"faculty", "chair"})),
    ]
    return Roster({person.person_id: person for person in people})


def hub_request(name: str | None, *, secret: str | None = SECRET, kind: str = "user", **extra: str) -> dict[str, str]:
    """The kernel environment of a page requested through the Hub's proxy by ``name``."""
    environ = {identity.ENV_BEHIND_HUB: "1", identity.ENV_PROXY_SECRET: SECRET, **extra}
    if name is not None:
        environ[identity.header_env(identity.HEADER_USER)] = json.dumps(
            {"kind": kind, "name": name, "admin": False, "groups": []})
    if secret is not None:
        environ[identity.header_env(identity.HEADER_SECRET)] = secret
    return environ


def test_the_forwarded_hub_user_is_the_visitor(roster: Roster) -> None:
    assert identify(roster, hub_request("f00001")).person_id == "F00001"  # the Hub writes names in lower case
    assert identify(roster, hub_request("cy@example.org")).person_id == "C00001"  # by email
    assert identify(roster, hub_request("ana")).person_id == "F00001"  # by the email's user part
    with pytest.raises(AccessDenied, match="'ben' is not on the roster"):
        identify(roster, hub_request("ben"))  # two people are "ben@...": nobody is guessed


def test_behind_the_hub_the_servers_own_identity_and_the_demo_picker_count_for_nothing(roster: Roster) -> None:
    environ = hub_request("f00001", JUPYTERHUB_USER="c00001", MENTORFORMS_AS="C00001", MENTORFORMS_DEMO="1")
    viewer = identify(roster, environ, demo_choice="C00001")
    assert viewer.person_id == "F00001" and not viewer.chosen_in_demo
    assert not identity.demo_mode(environ)
    with pytest.raises(AccessDenied, match="not signed in"):
        identify(roster, hub_request(None, JUPYTERHUB_USER="c00001", MENTORFORMS_AS="C00001"))


def test_a_header_that_did_not_pass_the_proxy_is_not_believed(roster: Roster) -> None:
    # Straight to Voila's port: no secret, or a guessed one.
    with pytest.raises(AccessDenied, match="only for the sign-in service"):
        identify(roster, hub_request("c00001", secret=None))
    with pytest.raises(AccessDenied, match="only for the sign-in service"):
        identify(roster, hub_request("c00001", secret=SECRET[:-1] + "t"))
    # A server started behind the Hub without a secret refuses everyone rather than trusting headers.
    environ = hub_request("c00001")
    environ[identity.ENV_PROXY_SECRET] = ""
    environ[identity.header_env(identity.HEADER_SECRET)] = ""
    with pytest.raises(AccessDenied, match="no proxy secret"):
        identify(roster, environ)


@pytest.mark.parametrize("raw", ["", "not json", "[]", '{"kind": "user"}', '{"kind": "user", "name": ""}',
                                 '{"kind": "service", "name": "mentorforms"}', '{"kind": "user", "name": 7}'])
def test_a_missing_or_odd_user_header_signs_nobody_in(roster: Roster, raw: str) -> None:
    environ = hub_request(None)
    environ[identity.header_env(identity.HEADER_USER)] = raw
    with pytest.raises(AccessDenied, match="not signed in"):
        identify(roster, environ)


def test_the_header_names_voila_gives_the_kernel() -> None:
    assert identity.header_env("X-CDSDASHBOARDS-JH-USER") == "HTTP_X_CDSDASHBOARDS_JH_USER"
