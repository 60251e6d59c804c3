"""The warm parent: one process that has imported what the pages need once, and forks a child
for each new page kernel (``python -m mentorforms.server.fork_parent``, started by
:mod:`mentorforms.server.fork_provisioner` inside the page server).

Starting a page kernel the ordinary way costs a new Python interpreter importing ipykernel,
IPython, ipywidgets and the page's modules (about a CPU-second here); a child forked from a parent
that holds them already only has to start its kernel application (about a tenth of that), and
shares the parent's memory pages until it writes to them.

The parent obeys the rules others learnt the hard way (ipykernel pull requests 410 and 1261,
jupyter_client issue 437, SageMathCell's forking kernel manager):

* it never starts a thread, an event loop or a zmq context, and refuses to fork if one appeared;
* ``gc.freeze()`` after importing, so the collector does not touch (and un-share) the parent's
  objects in every child;
* each child gets a process group of its own (its subprocesses die with it), its own random
  state, the environment and working folder the server asked for, stdin from ``/dev/null``, and
  default signal handlers; it never returns into the parent's code (``os._exit``);
* a child watches the page server rather than its parent: if this parent dies, its kernels keep
  serving their pages; when the server goes, they go;
* the parent exits once the server that started it is gone.

The protocol is one JSON line each way over a Unix socket in a folder only this user can read:
``{"argv": [...], "env": {...}, "cwd": "..."}`` answered by ``{"pid": N}`` or ``{"error": "..."}``.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import random
import select
import signal
import socket
import sys
import threading
import time
import traceback
from typing import Any, NoReturn

from mentorforms import compat

#: What every page's kernel imports, loaded once here. Not pandas or matplotlib: the form and
#: landing pages never load them, and a module imported here is in every child's ``sys.modules``.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.comm",
    # What a kernel application imports as it initializes (found by listing a forked child's
    # new modules): its debugger (debugpy), history (sqlite3), completer and magics.
    "ipykernel.debugger",
    "debugpy.server.api",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.extensions.storemagic",
    "IPython.utils.wildcard",
    "IPython.core.oinspect",
    "importlib.resources.readers",
    "sqlite3",
    "pdb",
    "pydoc",
    "psutil",
    "faulthandler",
    "tornado.queues",
    "tornado.platform.asyncio",
    "ipywidgets",
    "websockets.sync.client",
    "mentorforms.ui.handover",
    "mentorforms.ui.form_open",
    "mentorforms.ui.landing",
)
#: Process names (``/proc/PID/comm``, what ``ps`` and psutil's ``name()`` show).
PARENT_NAME = "mf-kernel-parent"
KERNEL_NAME = "mf-kernel"
#: Longest request accepted (an environment is a few kilobytes).
MAX_REQUEST_BYTES = 1 << 20
#: Seconds a client may take to send its request.
REQUEST_TIMEOUT_S = 10.0
#: The argument that starts an ipykernel the ordinary way; what follows it is the kernel app's.
LAUNCHER = "ipykernel_launcher"


class ForkRefused(RuntimeError):
    """This parent cannot fork safely now (a thread or a zmq context appeared), or was asked wrongly."""


def set_process_name(name: str) -> None:
    """Name this process (``/proc/self/comm``) so operators and benchmarks can tell it apart."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(15, name.encode()[:15], 0, 0, 0)  # PR_SET_NAME
    except (OSError, AttributeError):
        pass


def preload(modules: tuple[str, ...] = PRELOAD) -> None:
    """Import what the pages need, then freeze the collector's view of it (kept shared)."""
    import importlib

    for name in modules:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()


def fork_is_safe() -> str | None:
    """Why forking now would be unsafe, or None: a second thread, or a zmq context."""
    if threading.active_count() > 1:
        return f"{threading.active_count()} threads are running"
    zmq = sys.modules.get("zmq")
    if zmq is not None and compat.zmq_context_exists(zmq):
        return "a zmq context exists"
    return None


def kernel_argv(argv: list[str]) -> list[str]:
    """The kernel application's arguments in an ordinary kernel command
    (``python -m ipykernel_launcher -f FILE``); ForkRefused for any other command."""
    if len(argv) < 3 or argv[1:3] != ["-m", LAUNCHER]:
        raise ForkRefused(f"not an ipykernel command: {argv[:3]!r}")
    return [str(part) for part in argv[3:]]


def _watch_server(server_pid: int) -> None:
    """In a kernel: end the process once the page server is gone (a thread of the child's own)."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(server_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass

    threading.Thread(target=watch, name="mf-server-watch", daemon=True).start()


def _register_with_kernel() -> None:
    """What preloaded modules do at import when a kernel is running, done now that one is:
    ipywidgets registers its comm targets only if imported inside a kernel, and without the
    control target a page's browser asks for each widget's state one message at a time (about
    450 round trips for Part I instead of one)."""
    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:
        widgets.register_comm_target()


def _quiet_replies_after_shutdown(session: Any) -> None:
    """A cell still running when the server shuts its kernel down (a ready page waiting for its
    request) answers on a socket the shutdown has closed: ipykernel would log a ZMQError traceback
    into the server's log as the server stops. Nobody is left to receive that answer: drop it."""
    import zmq

    send = session.send

    def send_unless_closed(stream: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return send(stream, *args, **kwargs)
        except zmq.ZMQError:
            socket = getattr(stream, "socket", stream)
            if socket is None or getattr(socket, "closed", False):
                # ipykernel reads the message it sent: give it the message, unsent.
                kind = args[0] if args else kwargs.get("msg_or_type")
                if isinstance(kind, dict):
                    return kind
                content = args[1] if len(args) > 1 else kwargs.get("content")
                parent = args[2] if len(args) > 2 else kwargs.get("parent")
                return session.msg(kind, content=content, parent=parent, header=kwargs.get("header"),
                                   metadata=kwargs.get("metadata"))
            raise

    session.send = send_unless_closed


def become_kernel(request: dict[str, Any], server_pid: int) -> NoReturn:
    """In the forked child: turn into the kernel ``request`` asks for; never returns."""
    code: int = 1
    try:
        os.setpgid(0, 0)
        for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        set_process_name(KERNEL_NAME)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        env = {str(key): str(value) for key, value in dict(request.get("env") or {}).items()}
        env.pop("JPY_PARENT_PID", None)
        os.environ.clear()
        os.environ.update(env)
        cwd = request.get("cwd")
        if cwd:
            os.chdir(str(cwd))
            sys.path[0:1] = [str(cwd)]
        random.seed()
        sys.argv = [LAUNCHER, *kernel_argv(list(request["argv"]))]
        _watch_server(server_pid)
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        # ipykernel would watch this process's parent (this warm parent) and end when it does; the
        # child watches the page server itself instead (_watch_server), so its page outlives a
        # restart of the parent. ipykernel reads a parent of 1 as "do not watch" (init).
        app.parent_handle = 1
        app.initialize(sys.argv[1:])
        _register_with_kernel()
        _quiet_replies_after_shutdown(app.kernel.session)
        app.start()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - a kernel that fails to start says why in the server log
        traceback.print_exc()
        code = 1
    finally:
        try:
            compat.run_exit_handlers()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _read_request(connection: socket.socket) -> dict[str, Any]:
    connection.settimeout(REQUEST_TIMEOUT_S)
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
        if len(data) > MAX_REQUEST_BYTES:
            raise ForkRefused("request too long")
    request = json.loads(data.decode("utf-8"))
    if not isinstance(request, dict) or not isinstance(request.get("argv"), list):
        raise ForkRefused("a request names the kernel command as a list in 'argv'")
    return request


def _answer(connection: socket.socket, answer: dict[str, Any]) -> None:
    try:
        connection.sendall(json.dumps(answer).encode("utf-8") + b"\n")
    except OSError:
        pass


def _reap(signum: int = 0, frame: object = None) -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def handle(connection: socket.socket, listener: socket.socket, server_pid: int) -> None:
    """Answer one request: fork a kernel and say its pid, or say why not."""
    try:
        request = _read_request(connection)
        kernel_argv(list(request["argv"]))
        unsafe = fork_is_safe()
        if unsafe:
            raise ForkRefused(f"will not fork: {unsafe}")
    except (ForkRefused, OSError, ValueError, KeyError) as error:
        _answer(connection, {"error": str(error)})
        return
    pid = os.fork()
    if pid == 0:
        listener.close()
        connection.close()
        become_kernel(request, server_pid)
    try:
        os.setpgid(pid, pid)  # also done by the child; whichever runs first wins the race
    except OSError:
        pass
    _answer(connection, {"pid": pid})


def serve(socket_path: str, server_pid: int) -> int:
    """Preload, listen on ``socket_path``, and fork kernels until the server is gone."""
    set_process_name(PARENT_NAME)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C in the server's terminal is the server's
    preload()
    signal.signal(signal.SIGCHLD, _reap)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    partial = socket_path + ".partial"
    if os.path.exists(partial):
        os.unlink(partial)
    listener.bind(partial)
    os.chmod(partial, 0o600)
    listener.listen(64)
    os.replace(partial, socket_path)  # the socket appears only once the parent is ready
    try:
        while True:
            if os.getppid() != server_pid:
                return 0
            readable, _, _ = select.select([listener], [], [], 1.0)
            if not readable:
                continue
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection:
                handle(connection, listener, server_pid)
            _reap()
    finally:
        try:
            os.unlink(socket_path)
        except OSError:
            pass


def main(argv: list[str] | None = None) -> int:
    """``python -m mentorforms.server.fork_parent --socket PATH --server-pid PID``."""
    parser = argparse.ArgumentParser(description="fork page kernels from a warm parent")
    parser.add_argument("--socket", required=True)
    parser.add_argument("--server-pid", type=int, required=True)
    args = parser.parse_args(argv)
    return serve(args.socket, args.server_pid)


if __name__ == "__main__":
    raise SystemExit(main())
