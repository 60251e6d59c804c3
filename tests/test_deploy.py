"""The deployment files, checked for what can be checked without a Hub or a cluster."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def hub_config(monkeypatch, tmp_path: Path, mode: str):
    monkeypatch.setenv("MENTORFORMS_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("MENTORFORMS_HUB_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("MENTORFORMS_HUB_MODE", mode)
    monkeypatch.setenv("MENTORFORMS_PUBLIC_URL", "https://mentoring.example.edu")
    return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def test_the_shared_service_runs_the_pages_and_nobody_gets_a_server(monkeypatch, tmp_path):
    config = hub_config(monkeypatch, tmp_path, "service")
    (service,) = config.JupyterHub.services
    assert service["name"] == "mentorforms" and "hub-service" in service["command"]
    assert str(tmp_path / "data") in service["command"]
    assert service["command"][service["command"].index("--host") + 1] == "mentoring.example.edu"
    assert service["url"].startswith("http://127.0.0.1:")
    user_role = next(role for role in config.JupyterHub.load_roles if role["name"] == "user")
    # Opening the service is all a signed-in person may do: no "servers" scope, so no JupyterLab.
    assert "access:services!service=mentorforms" in user_role["scopes"]
    assert not [scope for scope in user_role["scopes"] if scope.startswith(("servers", "self", "admin"))]
    assert config.JupyterHub.default_url.endswith("/voila/render/index.ipynb")


def test_per_user_servers_run_the_same_command(monkeypatch, tmp_path):
    config = hub_config(monkeypatch, tmp_path, "per-user")
    assert "hub-service" in config.Spawner.cmd
    assert config.Spawner.default_url == "/voila/render/index.ipynb"
    with pytest.raises(SystemExit, match="MENTORFORMS_HUB_MODE"):
        hub_config(monkeypatch, tmp_path, "lab")


def test_the_kubernetes_values_run_the_pages_on_the_shared_volume():
    values = yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text())
    single = values["singleuser"]
    command = single["cmd"]
    assert command[:2] == ["mentorforms", "hub-service"]
    data = command[2]
    mounts = {mount["name"]: mount["mountPath"] for mount in single["storage"]["extraVolumeMounts"]}
    volumes = {volume["name"]: volume for volume in single["storage"]["extraVolumes"]}
    assert data in mounts.values()
    (name,) = [name for name, path in mounts.items() if path == data]
    assert volumes[name]["persistentVolumeClaim"]["claimName"]
    # No JupyterLab or notebook server for users, and no home folder beside the data.
    assert not any(word in " ".join(command) for word in ("jupyterhub-singleuser", "jupyter-lab", "lab"))
    assert "/lab" not in single["defaultUrl"] and single["defaultUrl"].endswith("index.ipynb")
    assert single["storage"]["type"] == "none"
    # The derived index stays on the pod's own disk, off the shared volume.
    index_dir = single["extraEnv"]["MENTORFORMS_INDEX_DIR"]
    assert not index_dir.startswith(data)
    assert values["cull"]["enabled"] is True


def test_the_index_can_live_off_the_shared_volume(monkeypatch, tmp_path):
    from mentorforms.reports.index import INDEX_NAME, index_path

    monkeypatch.delenv("MENTORFORMS_INDEX_DIR", raising=False)
    assert index_path(tmp_path / "data") == tmp_path / "data" / INDEX_NAME  # the default is unchanged
    monkeypatch.setenv("MENTORFORMS_INDEX_DIR", str(tmp_path / "local"))
    first, second = index_path(tmp_path / "data"), index_path(tmp_path / "other")
    assert first.parent == tmp_path / "local" and first.parent.is_dir()
    assert first != second and index_path(tmp_path / "data" / ".." / "data") == first
