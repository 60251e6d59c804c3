"""Page kernels forked from a warm parent: a jupyter_client kernel provisioner.

The page server's kernel spec (``jupyter_data/kernels/python3/kernel.json``, found first because
:func:`mentorforms.server.serve.launch` puts ``jupyter_data`` on ``JUPYTER_PATH``) names this provisioner
(entry point ``mentorforms-fork`` of the group ``jupyter_client.kernel_provisioners``). It prepares
a kernel exactly as jupyter_client's :class:`LocalProvisioner` does (ports, connection file,
command, environment), then asks the warm parent (:mod:`mentorforms.server.fork_parent`) to fork
a child that runs that command's kernel application. Everything after the start (interrupt,
restart, shutdown, culling, the server's count of kernels) works as for any kernel, through a
process handle that signals the kernel's own process group.

When the warm parent is not running (it died, or is still importing after a restart) a kernel
starts the ordinary way and the server's log says so in one line; the parent is started again
and forks the next kernel once it is ready. ``MENTORFORMS_KERNEL_START=plain`` in the server's
environment turns forking off.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

#: ``plain`` turns forking off (every kernel starts as a new interpreter).
ENV_KERNEL_START = "MENTORFORMS_KERNEL_START"
#: Seconds the first kernels wait for a parent that is still importing (about a second when idle).
READY_TIMEOUT_S = 60.0
#: Seconds a fork request may take once the parent is ready.
FORK_TIMEOUT_S = 30.0

#: Used until a provisioner hands the parent the server's own logger (its lines then appear in
#: the server's log with Voila's).
log = logging.getLogger("mentorforms.server")


class ForkedKernel:
    """A forked kernel as :class:`subprocess.Popen` would present it to jupyter_client.

    It is the warm parent's child, not this process's, so it is watched through a pidfd (which
    also makes a signal to a reused pid impossible). Its exit status is the parent's to collect:
    an ended kernel reports 0.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None
        try:
            self._fd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:
            self._fd, self.returncode = None, 0

    def poll(self) -> int | None:
        """None while the kernel runs, else its (unknown, so 0) exit status."""
        if self.returncode is None and self._fd is not None:
            # poll(), not select(): a busy page server holds well over 1,024 files, and select()
            # refuses any descriptor numbered above that (every page's websocket then failed with 500).
            watch = select.poll()
            watch.register(self._fd, select.POLLIN)
            if watch.poll(0):
                self._close()
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Block until the kernel has ended (jupyter_client calls this only once it has)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.05)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        """Signal the kernel itself; ProcessLookupError once it has ended."""
        if self.poll() is not None or self._fd is None:
            raise ProcessLookupError(self.pid)
        signal.pidfd_send_signal(self._fd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self._close()


class WarmParent:
    """The page server's warm parent process: started on first use, started again if it dies."""

    def __init__(self) -> None:
        self.log: logging.Logger | logging.LoggerAdapter = log
        self._folder = tempfile.mkdtemp(prefix="mentorforms-fork-")  # mode 0700: only this user
        self.socket_path = os.path.join(self._folder, "parent.sock")
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.starts = 0
        atexit.register(self.stop)

    def start(self) -> None:
        """Start a new parent (the old one, if any, is gone)."""
        try:
            os.unlink(self.socket_path)
        except FileNotFoundError:
            pass
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mentorforms.server.fork_parent", "--socket", self.socket_path,
             "--server-pid", str(os.getpid())],
            # debugpy, imported once here for every kernel, would warn that frozen modules hide
            # breakpoints: nobody debugs a page kernel.
            env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}, stdin=subprocess.DEVNULL, close_fds=True)
        self.started_at = time.monotonic()
        self.starts += 1
        self.log.info("mentorforms: kernel parent started (pid %d): page kernels are forked from it", self.process.pid)

    def running(self) -> bool:
        """Whether the parent process is alive (it may still be importing)."""
        return self.process is not None and self.process.poll() is None

    def ready(self) -> bool:
        """Whether the parent is alive and listening."""
        return self.running() and os.path.exists(self.socket_path)

    def stop(self) -> None:
        """End the parent (its kernels are the server's to shut down, and keep running meanwhile)."""
        if self.running():
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        try:
            os.unlink(self.socket_path)
            os.rmdir(self._folder)
        except OSError:
            pass

    async def fork(self, argv: list[str], env: dict[str, str], cwd: str | None) -> ForkedKernel | None:
        """A kernel forked from the parent, or None (and a line in the log) when it cannot be."""
        if not self.running():
            if self.process is not None:
                self.log.warning("mentorforms: the kernel parent ended (status %s); this page kernel starts the "
                            "ordinary way, and the parent is started again", self.process.returncode)
                self.start()
                return None
            self.start()
        deadline = self.started_at + READY_TIMEOUT_S
        while not self.ready():
            if not self.running() or time.monotonic() > deadline:
                self.log.warning("mentorforms: the kernel parent is not ready; "
                                 "this page kernel starts the ordinary way")
                return None
            await asyncio.sleep(0.05)
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode("utf-8") + b"\n"
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_unix_connection(self.socket_path), FORK_TIMEOUT_S)
            try:
                writer.write(request)
                await writer.drain()
                line = await asyncio.wait_for(reader.readline(), FORK_TIMEOUT_S)
            finally:
                writer.close()
            answer = json.loads(line.decode("utf-8")) if line else {"error": "the parent closed the connection"}
        except (TimeoutError, OSError, ValueError) as error:
            answer = {"error": f"{type(error).__name__}: {error}"}
        if "pid" in answer:
            return ForkedKernel(int(answer["pid"]))
        self.log.warning("mentorforms: the kernel parent did not fork (%s); this page kernel starts the ordinary way",
                    answer.get("error"))
        if not self.running() and self.process is not None:
            self.start()
        return None


_parent: WarmParent | None = None


def warm_parent() -> WarmParent:
    """This server's warm parent (one per server process)."""
    global _parent
    if _parent is None:
        _parent = WarmParent()
    return _parent


class ForkProvisioner(LocalProvisioner):
    """Starts a kernel by forking the warm parent; see the module docstring."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        if os.environ.get(ENV_KERNEL_START, "fork") != "plain":
            env = {str(key): str(value) for key, value in dict(kwargs.get("env") or os.environ).items()}
            cwd = kwargs.get("cwd")
            parent = warm_parent()
            parent.log = self.log
            forked = await parent.fork([str(part) for part in cmd], env, None if cwd is None else str(cwd))
            if forked is not None:
                self.process = forked  # type: ignore[assignment]
                self.pid = forked.pid
                self.pgid = forked.pid  # the child made itself its own process group
                self.cwd = cwd
                return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)
