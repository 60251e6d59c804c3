"""A real JupyterHub for tests and benchmarks: ``deploy/jupyterhub_config.py`` on free loopback ports.

``start_hub(data_dir, state_dir, log_path, mode="service")`` starts ``jupyterhub`` from this
environment (the Hub's proxy from ``deploy/node_modules``, installed by ``./dev.sh``), waits until
the Hub answers and returns a :class:`RunningHub`; ``hub.stop()`` ends it and everything it
started (its process group). ``sign_in(session_or_context, name)`` helpers live with the tests.
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
PROXY = ROOT / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "mentorforms-test-password"
SERVICE = "mentorforms"
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing() -> str | None:
    """Why a Hub cannot start here (a sentence with the fix), or None."""
    if shutil.which("jupyterhub", path=str(Path(sys.executable).parent)) is None:
        return "jupyterhub is not installed: pip install -e '.[hub]' (./dev.sh test does it)"
    if not PROXY.exists() and shutil.which("configurable-http-proxy") is None:
        return "configurable-http-proxy is not installed: npm ci --prefix deploy (./dev.sh test does it)"
    return None


def stop_group(process: subprocess.Popen) -> None:
    """Stop a process started in a session of its own, and its process group: SIGTERM, then
    SIGKILL if it has not ended within 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@dataclass
class RunningHub:
    process: subprocess.Popen
    url: str
    log_path: Path
    service_port: int

    @property
    def service_url(self) -> str:
        return f"{self.url}/services/{SERVICE}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        # The Hub starts its service in a session of its own, and the service starts Voila: a Hub
        # that is killed, or a Voila slow to stop, would leave them running for the rest of the
        # suite. Everything started below the Hub is noted first and stopped after it.
        below = _descendants(self.process.pid)
        stop_group(self.process)
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        _stop_all(below)


def _descendants(pid: int) -> list[int]:
    """The processes started below ``pid`` (children, their children ...), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, pending = [], [pid]
    while pending:
        for child in parents.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def _stop_all(pids: list[int], timeout: float = 10.0) -> None:
    """SIGTERM each process still alive, then SIGKILL those that have not gone after ``timeout``."""
    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    for sig in (signal.SIGTERM, signal.SIGKILL):
        left = [pid for pid in pids if alive(pid)]
        for pid in left:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        while left and time.monotonic() < deadline:
            time.sleep(0.2)
            left = [pid for pid in left if alive(pid)]
        if not left:
            return


def start_hub(data_dir: Path, state_dir: Path, log_path: Path, *, mode: str = "service",
              service_args: str = "") -> RunningHub:
    """Start the repository's Hub on free ports; RuntimeError with the Hub's log if it fails."""
    port, service_port = free_port(), free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JUPYTERHUB_", "MENTORFORMS_"))}
    env.update({
        "MENTORFORMS_DATA": str(data_dir),
        "MENTORFORMS_HUB_MODE": mode,
        "MENTORFORMS_HUB_URL": f"http://127.0.0.1:{port}",
        "MENTORFORMS_SERVICE_PORT": str(service_port),
        "MENTORFORMS_HUB_API_PORT": str(free_port()),
        "MENTORFORMS_PROXY_API_PORT": str(free_port()),
        "MENTORFORMS_HUB_STATE": str(state_dir),
        "MENTORFORMS_HUB_PASSWORD": PASSWORD,
        "MENTORFORMS_SERVICE_ARGS": service_args,
        "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}",
    })
    with open(log_path, "wb") as log:
        process = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f", str(CONFIG)],
                                   cwd=state_dir, stdout=log, stderr=subprocess.STDOUT, env=env,
                                   start_new_session=True)
    hub = RunningHub(process, f"http://127.0.0.1:{port}", log_path, service_port)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"jupyterhub exited with status {process.returncode}:\n{hub.log()}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api", timeout=2) as answer:
                if answer.status == 200 and b'"version"' in answer.read():
                    return hub
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            hub.stop()
            raise RuntimeError(f"jupyterhub did not answer within {START_TIMEOUT:.0f} s:\n{hub.log()}")
        time.sleep(0.3)
