"""The built wheel, installed alone into a fresh virtual environment, serves a page.

The package's own dependencies must be enough to run ``mentorforms serve``: the test builds the
wheel, gathers the wheels it declares (from PyPI through pip's cache, so a second run needs no
network), installs with ``--no-index`` into a new ``python -m venv`` (so nothing the test extras
bring can slip in) and asks the new server for the landing page.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What a kernel-less install answered on every page (issue 13).
NO_KERNEL = "No Jupyter kernel"


def _run(argv: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert done.returncode == 0, f"{' '.join(argv)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_the_built_wheel_alone_serves_a_page(tmp_path: Path) -> None:
    dist, wheels = tmp_path / "dist", tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run(pip + ["wheel", "--no-deps", "--wheel-dir", str(dist), str(ROOT)], timeout=600)
    (wheel,) = dist.glob("mentorforms-*.whl")
    _run(pip + ["wheel", "--wheel-dir", str(wheels), str(wheel)], timeout=900)

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], timeout=300)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "--no-index",
          "--find-links", str(wheels), str(wheel)], timeout=900)
    mentorforms = str(venv / "bin" / "mentorforms")
    env = {key: value for key, value in os.environ.items()
           if key not in ("VIRTUAL_ENV", "PYTHONPATH", "JUPYTER_PATH", "MENTORFORMS_AS", "MENTORFORMS_DEMO",
                          "MENTORFORMS_DATA", "JUPYTERHUB_USER")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    data = tmp_path / "data"
    _run([mentorforms, "demo", str(data), "--faculty", "4", "--years", "1", "--jobs", "1"], timeout=300,
         env=env, cwd=tmp_path)

    port = _free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([mentorforms, "serve", str(data), "--port", str(port), "--demo", "--no-preheat"],
                                  stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path,
                                  start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, f"serve exited:\n{log_path.read_text(errors='replace')}"
            try:
                with urllib.request.urlopen(base + "/voila/static/index.css", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() < deadline, f"serve never answered:\n{log_path.read_text(errors='replace')}"
                time.sleep(0.5)
        # The landing page, rendered by the server itself (templates shipped in the wheel).
        with urllib.request.urlopen(base + "/voila/render/index.ipynb", timeout=240) as answer:
            page = answer.read().decode("utf-8", errors="replace")
        assert answer.status == 200 and "mf-demo-picker" in page
        # A form page runs in a kernel from the fresh environment, forked from the warm parent (the
        # kernel spec, the provisioner's entry point and the page template all come with the
        # wheel): a missing kernel answers 500.
        with urllib.request.urlopen(base + "/voila/render/form.ipynb?form=network_map", timeout=240) as answer:
            page = answer.read().decode("utf-8", errors="replace")
        assert answer.status == 200
        assert NO_KERNEL not in page and NO_KERNEL not in log_path.read_text(errors="replace")
        # The page's cells ran: their widgets are in the page (the demo picker, no one chosen).
        assert "application/vnd.jupyter.widget-view+json" in page
        assert "cdn.jsdelivr.net" not in page
        assert "kernel parent started" in log_path.read_text(errors="replace")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
