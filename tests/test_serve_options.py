"""`mentorforms serve` and `hub-service` options: pools, culling, accepted hosts, --as warning."""

from __future__ import annotations

import json

import pytest

from mentorforms.commands.cli import build_parser
from mentorforms.rules import identity
from mentorforms.server.hub_service import proxy_template, service_prefix
from mentorforms.server.serve import ENV_HOSTS, ServeError, launch, parse_pools
from mentorforms.vocabulary.pages import DASHBOARD, FORM


def option(plan, name: str) -> str:
    return next(arg for arg in plan.argv if arg.startswith(f"--{name}=")).split("=", 1)[1]


def test_pools_and_culling_are_set_from_the_options(demo_master):
    plan = launch(demo_master, environ={}, pools=parse_pools(["form=5", "dashboard=0"]), cull_seconds=15)
    pools = json.loads(option(plan, "VoilaKernelManager.kernel_pools_config"))
    assert pools[FORM]["pool_size"] == 5 and pools[DASHBOARD]["pool_size"] == 0
    # A closed tab's kernel goes within 30 s: 15 s without a browser, checked every 5 s.
    assert option(plan, "MappingKernelManager.cull_idle_timeout") == "15"
    assert int(option(plan, "MappingKernelManager.cull_interval")) <= 5
    assert option(plan, "MappingKernelManager.cull_connected") == "False"
    with pytest.raises(ServeError, match="no page called 'forms'"):
        launch(demo_master, environ={}, pools={"forms": 1})
    with pytest.raises(ServeError, match="PAGE=N"):
        parse_pools(["form"])


def test_only_named_hosts_are_answered(demo_master):
    plan = launch(demo_master, environ={ENV_HOSTS: "evil.example"}, hosts=["hub.example.edu"])
    assert plan.env[ENV_HOSTS] == "hub.example.edu"
    assert option(plan, "Voila.config_file_paths").endswith("voila_config")


def test_behind_the_hub_identity_comes_only_from_the_proxy(demo_master):
    forged = {identity.header_env(identity.HEADER_USER): '{"kind": "user", "name": "f00021"}',
              identity.ENV_AS: "F00021", identity.ENV_DEMO: "1", identity.ENV_PROXY_SECRET: "x" * 40}
    plan = launch(demo_master, environ=forged, behind_hub=True, base_url="/services/mentorforms/")
    assert plan.env[identity.ENV_BEHIND_HUB] == "1"
    assert identity.ENV_AS not in plan.env and identity.ENV_DEMO not in plan.env
    assert identity.header_env(identity.HEADER_USER) not in plan.env
    assert json.loads(option(plan, "VoilaConfiguration.http_header_envs")) == [identity.HEADER_USER,
                                                                               identity.HEADER_SECRET]
    assert option(plan, "Voila.base_url") == "/services/mentorforms/"
    # Outside the Hub a proxy secret in the caller's environment is not passed on.
    assert identity.ENV_PROXY_SECRET not in launch(demo_master, environ=forged).env
    with pytest.raises(ServeError, match="--as and --demo"):
        launch(demo_master, environ={}, behind_hub=True, person_id="F00001")


def test_the_proxy_command_keeps_json_options_and_placeholders():
    # jhsingle-native-proxy fills each argument with str.format: JSON braces must survive it.
    assert [arg.format(port=9) for arg in proxy_template(['--x={"a": 1}'])] == ['--x={"a": 1}']
    assert service_prefix({"JUPYTERHUB_SERVICE_PREFIX": "/services/mentorforms"}) == "/services/mentorforms/"


def test_serve_as_warns_that_anyone_reaching_the_port_is_that_person(demo_master, monkeypatch, capsys):
    from mentorforms.server import serve

    monkeypatch.setattr(serve.os, "execve", lambda path, argv, env: None)
    args = build_parser().parse_args(["serve", str(demo_master), "--port", "8125", "--as", "F00002"])
    args.run(args)
    out = capsys.readouterr().out
    assert "anyone who can reach port 8125" in out and "F00002" in out
    args = build_parser().parse_args(["serve", str(demo_master), "--port", "8126", "--demo"])
    args.run(args)
    assert "anyone who can reach" not in capsys.readouterr().out


def test_hub_service_refuses_to_start_outside_the_hub(demo_master, monkeypatch, capsys):
    from mentorforms.commands.cli import main

    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    assert main(["hub-service", str(demo_master)]) == 1
    assert "started by JupyterHub" in capsys.readouterr().err
