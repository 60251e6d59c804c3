"""``mentorforms serve``: the form pages, served by Voila on this machine only.

Voila runs the notebooks shipped in ``mentorforms.notebooks`` (the landing page ``index.ipynb``
and the form page ``form.ipynb``). Each page runs in its own kernel, which inherits the server's
environment: the data folder goes in ``MENTORFORMS_DATA``, the identity given with ``--as`` in
``MENTORFORMS_AS``, and ``--demo`` sets ``MENTORFORMS_DEMO=1`` (see :mod:`mentorforms.rules.access`).
Tracebacks are never shown to users; a page's kernel is shut down soon after its tab closes.
Behind JupyterHub, :mod:`mentorforms.server.hub_service` runs the same server behind the Hub's proxy.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import os
import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mentorforms import compat, messages
from mentorforms.errors import MentorformsError
from mentorforms.records.store import ROSTER
from mentorforms.rules import identity
from mentorforms.server.admission import DEFAULT_OPENING_TIMEOUT_S, default_limit
from mentorforms.vocabulary import pages

DEFAULT_PORT = 8866
#: Seconds a page's kernel may sit with no browser attached and nothing running before it is shut
#: down: a closed tab frees its kernel within this plus :data:`CULL_INTERVAL_SECONDS`. A tab left
#: open keeps its kernel (its connection counts); a closed laptop drops the connection.
DEFAULT_CULL_SECONDS = 20
CULL_INTERVAL_SECONDS = 5
#: Pages that keep kernels ready, and how many. Two form kernels let someone open a second form
#: while the first is replaced; a chair's dashboard and the analyst's export are opened often
#: enough in a season to keep one each ready (the analyst page's kernel is a light one: the report
#: modules are imported when a download is prepared), so every page opens in about the same time.
PREHEATED = {pages.FORM: 2, pages.DASHBOARD: 1, pages.ANALYST: 1}
#: Seconds Voila waits before refilling a pool whose ready kernel was just taken.
REFILL_DELAY_S = 0.0
#: Short names for ``--pool PAGE=N``. The landing page has none: the server renders it without a
#: kernel (mentorforms/server/landing_handler.py).
POOL_NAMES = {"form": pages.FORM, "dashboard": pages.DASHBOARD, "analyst": pages.ANALYST}
#: Host names the server answers to besides loopback addresses and ``localhost`` (comma-separated,
#: read by ``mentorforms/server/voila_config/voila.py``); any other Host header is refused, so a web page
#: elsewhere cannot reach this server through DNS rebinding.
ENV_HOSTS = "MENTORFORMS_HOSTS"
#: Request headers Voila hands a page's kernel behind the Hub (see :mod:`mentorforms.rules.identity`).
HUB_HEADERS = (identity.HEADER_USER, identity.HEADER_SECRET)


class ServeError(MentorformsError):
    """The server cannot be started as asked (no roster in the data folder, say)."""


@dataclass(frozen=True)
class Launch:
    """How to start Voila: the command, its environment, and the URL of the landing page."""

    argv: tuple[str, ...]
    env: dict[str, str]
    url: str


def notebooks_dir() -> Path:
    """The folder holding the shipped page notebooks."""
    return Path(str(importlib.resources.files("mentorforms.notebooks")))


def jupyter_data_dir() -> Path:
    """The folder put first on the page server's ``JUPYTER_PATH``: its kernel spec (page kernels
    forked from a warm parent, :mod:`mentorforms.server.fork_provisioner`) and its Voila template
    (Voila's lab template without links to a public CDN)."""
    return Path(str(importlib.resources.files("mentorforms.server"))) / "jupyter_data"


def voila_config_dir() -> Path:
    """The folder holding the ``voila.py`` configuration file every server reads."""
    return Path(str(importlib.resources.files("mentorforms.server.voila_config")))


def landing_path(base: str = "/") -> str:
    """The URL path of the landing page on a server started by :func:`launch`."""
    return f"{base.rstrip('/')}/voila/render/{pages.LANDING}"


def form_path(base: str = "/") -> str:
    """The URL path of the form page (add ``?form=...&person=...&year=...``)."""
    return f"{base.rstrip('/')}/voila/render/{pages.FORM}"


def pool_sizes(asked: Mapping[str, int] | None = None) -> dict[str, int]:
    """Ready kernels per page notebook: :data:`PREHEATED` with ``asked`` (short page names of
    :data:`POOL_NAMES` or notebook names) put over it; ServeError for an unknown page or a
    negative size."""
    sizes = dict(PREHEATED)
    for name, size in (asked or {}).items():
        page = POOL_NAMES.get(name, name)
        if page not in POOL_NAMES.values():
            raise ServeError(f"--pool: no page called {name!r}; use one of {', '.join(POOL_NAMES)}")
        if size < 0:
            raise ServeError(f"--pool {name}={size}: a pool size cannot be negative")
        sizes[page] = size
    return sizes


def launch(data_dir: Path, *, port: int | str = DEFAULT_PORT, person_id: str | None = None, demo: bool = False,
           cull_seconds: int = DEFAULT_CULL_SECONDS, preheat: bool = True, environ: Mapping[str, str] | None = None,
           pools: Mapping[str, int] | None = None, hosts: Sequence[str] = (), behind_hub: bool = False,
           base_url: str = "/", smtp: str | None = None, mail_from: str | None = None,
           max_opening: int | None = None, opening_timeout: float = DEFAULT_OPENING_TIMEOUT_S) -> Launch:
    """The Voila command for serving ``data_dir``; ServeError if the folder has no roster.

    The server listens on 127.0.0.1 only, hides tracebacks and refuses requests whose Host header
    is not a loopback address, ``localhost`` or one of ``hosts``. ``person_id`` is who every page
    is opened as; without it and without ``demo`` every page refuses with a plain message.
    ``behind_hub``: identity comes only from the Hub's proxy (:mod:`mentorforms.server.hub_service`
    adds the proxy secret to the environment); ``person_id`` and ``demo`` are refused then.
    ``smtp`` (HOST:PORT) and ``mail_from`` are the mail server and From address the dashboard's
    "Send reminders" uses (:mod:`mentorforms.reminders.settings`); without them the environment's
    ``MENTORFORMS_SMTP`` and ``MENTORFORMS_MAIL_FROM`` are kept, if set.
    ``max_opening``: pages opened at once before visitors see the busy page and wait their turn
    (:mod:`mentorforms.server.voila_app`; None: one per CPU core, 0: no limit).
    ``opening_timeout``: seconds a page may take to open before it says so and offers to open again.
    """
    data_dir = Path(data_dir).resolve()
    if not (data_dir / ROSTER).is_file():
        raise ServeError(f"{data_dir} has no {ROSTER}; make one with 'mentorforms demo {data_dir}' "
                         "or copy the office's roster there")
    if behind_hub and (person_id or demo):
        raise ServeError("behind JupyterHub the Hub names the visitor: --as and --demo cannot be used")
    env = dict(os.environ if environ is None else environ)
    env[identity.ENV_DATA] = str(data_dir)
    # Identity is given only by the options below, never by whatever the caller's environment held
    # (a forwarded header is a request's, never the server's).
    for name in (identity.ENV_AS, identity.ENV_DEMO, identity.ENV_BEHIND_HUB,
                 *(identity.header_env(header) for header in HUB_HEADERS)):
        env.pop(name, None)
    if not behind_hub:
        env.pop(identity.ENV_PROXY_SECRET, None)
    if person_id:
        env[identity.ENV_AS] = person_id
    if demo:
        env[identity.ENV_DEMO] = "1"
    if behind_hub:
        env[identity.ENV_BEHIND_HUB] = "1"
    from mentorforms.reminders import settings as mail_settings  # only here: serve starts without pandas

    if smtp:
        try:
            mail_settings.parse_smtp(smtp)
        except mail_settings.BadMailSetting as error:
            raise ServeError(str(error)) from error
        env[mail_settings.ENV_SMTP] = smtp
    if mail_from:
        env[mail_settings.ENV_MAIL_FROM] = mail_from
    # traitlets calls a JSON dict on the command line deprecated; it is the only way to give
    # per-page pool sizes without a config file, and the warning would only alarm users.
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning:traitlets.traitlets")
    sizes = pool_sizes(pools)
    if max_opening is not None and max_opening < 0:
        raise ServeError(f"--max-opening {max_opening}: the number of pages opened at once cannot be negative")
    if opening_timeout <= 0:
        raise ServeError(f"--opening-timeout {opening_timeout:g}: give a number of seconds above 0")
    env[ENV_HOSTS] = ",".join(hosts)
    # After any JUPYTER_PATH the operator set (their own kernel spec or template wins), before the
    # installed ones.
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [env.get("JUPYTER_PATH", ""), str(jupyter_data_dir())]))
    argv = [
        # Voila itself, with admission in front of its page handler (the busy page).
        sys.executable, "-m", "mentorforms.server.voila_app", str(notebooks_dir()),
        "--no-browser",
        f"--port={port}",
        # Voila would otherwise move to the next free port while we print the asked one.
        "--Voila.port_retries=0",
        "--Voila.ip=127.0.0.1",
        f"--MentorformsVoila.max_opening={default_limit() if max_opening is None else max_opening}",
        f"--MentorformsVoila.opening_timeout={opening_timeout:g}",
        # How long the page's render waits for a cell's output once the kernel has answered
        # (nbclient's default, 4 s, dropped the form's widgets on a busy machine: a blank page).
        f"--VoilaExecutor.iopub_timeout={max(4, int(opening_timeout // 2))}",
        # What a page that did not open says (the template's watchdog; the server's own time-out
        # comes first, the browser's covers a page whose widgets never arrive).
        "--VoilaConfiguration.resources=" + json.dumps({"mentorforms": {
            "not_opened": messages.say(messages.PAGE_NOT_OPENED), "reopen": messages.say(messages.PAGE_REOPEN),
            "timeout_ms": int((opening_timeout + 5) * 1000)}}),
        "--VoilaConfiguration.show_tracebacks=False",
        # Voila's lab template without its links to a public CDN (mentorforms/server/jupyter_data).
        "--template=mentorforms",
        # Voila turns jupyter_server's Host check off; this file turns it back on (DNS rebinding).
        f"--Voila.config_file_paths={voila_config_dir()}",
        # A pre-started kernel per page has run the imports before anyone asks (the notebooks call
        # voila.utils.wait_for_request before reading the query string): pages open in about a
        # second instead of four.
        f"--preheat_kernel={preheat}",
        "--pool_size=1",
        "--VoilaKernelManager.kernel_pools_config=" + json.dumps(
            {"default": {"pool_size": 0}, **{page: {"pool_size": size} for page, size in sizes.items()}}),
        # Refill at once: a kernel forked from the warm parent costs a tenth of a CPU-second, so a
        # refill no longer competes with the page just served (it waited 3 s when a kernel start
        # cost 6), and the next visitor of a burst waits for no delay.
        f"--VoilaKernelManager.fill_delay={REFILL_DELAY_S:g}",
        # Culled by connections (mentorforms.server.kernels): a closed tab's kernel after cull_seconds, one
        # no browser ever connected to after a grace; ready kernels in the pools never.
        "--VoilaConfiguration.multi_kernel_manager_class=mentorforms.server.kernels.PageKernelManager",
        f"--MappingKernelManager.cull_idle_timeout={cull_seconds}",
        f"--MappingKernelManager.cull_interval={min(CULL_INTERVAL_SECONDS, max(1, cull_seconds))}",
        "--MappingKernelManager.cull_connected=False",
        "--MappingKernelManager.cull_busy=False",
    ]
    if behind_hub:
        argv += [
            "--VoilaConfiguration.http_header_envs=" + json.dumps(list(HUB_HEADERS)),
            "--Voila.server_url=/",
            f"--Voila.base_url={base_url}",
        ]
    return Launch(tuple(argv), env, f"http://127.0.0.1:{port}{landing_path(base_url)}")


def parse_pools(values: Sequence[str]) -> dict[str, int]:
    """``["form=4", "dashboard=0"]`` as ``{"form": 4, "dashboard": 0}``; ServeError for a bad one."""
    sizes: dict[str, int] = {}
    for value in values:
        name, _, size = value.partition("=")
        try:
            sizes[name.strip()] = int(size)
        except ValueError:
            raise ServeError(f"--pool {value!r}: write it as PAGE=N, such as form=4") from None
    return sizes


def kernel_arguments(parser: argparse.ArgumentParser) -> None:
    """The options ``serve`` and ``hub-service`` share: kernels, pools and accepted host names."""
    parser.add_argument("--no-preheat", action="store_true",
                        help="start each page's kernel on request instead of keeping one ready (slower pages)")
    parser.add_argument("--cull-idle", type=int, default=DEFAULT_CULL_SECONDS, metavar="SECONDS",
                        help="shut down a page's kernel once no browser has been attached for this long "
                             f"(a closed tab; default {DEFAULT_CULL_SECONDS})")
    parser.add_argument("--pool", action="append", default=[], metavar="PAGE=N",
                        help="ready kernels kept for a page (form, dashboard, analyst; the landing page needs none); "
                             "default "
                             + ", ".join(f"{name}={PREHEATED.get(page, 0)}" for name, page in POOL_NAMES.items()))
    parser.add_argument("--max-opening", type=int, default=None, metavar="N",
                        help=messages.say(messages.BUSY_MAX_OPENING_HELP, default=default_limit()))
    parser.add_argument("--opening-timeout", type=float, default=DEFAULT_OPENING_TIMEOUT_S, metavar="SECONDS",
                        help=messages.say(messages.OPENING_TIMEOUT_HELP, default=f"{DEFAULT_OPENING_TIMEOUT_S:g}"))
    parser.add_argument("--host", action="append", default=[], metavar="NAME",
                        help="a host name the server answers to besides localhost and loopback addresses "
                             "(the public name behind a proxy); requests naming any other host are refused")
    parser.add_argument("--smtp", default=None, metavar="HOST:PORT",
                        help="the mail server the dashboard's 'Send reminders' uses (default: $MENTORFORMS_SMTP; "
                             "without one, sending from the dashboard is off)")
    parser.add_argument("--mail-from", default=None, metavar="ADDRESS",
                        help="the From address of reminders sent from the dashboard (default: $MENTORFORMS_MAIL_FROM)")


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on ``host:port`` now (tornado sets SO_REUSEADDR, so do we:
    a port left in TIME_WAIT by a stopped server counts as free, as it does for Voila)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _free_port_near(port: int) -> int:
    for candidate in range(port + 1, min(port + 50, 65535)):
        if port_is_free(candidate):
            return candidate
    return 0


def serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``mentorforms serve``."""
    parser.add_argument("data_dir", type=Path, nargs="?", default=None,
                        help="the data folder to serve: the one holding roster.xlsx and the saved workbooks, as made "
                             "by 'mentorforms demo' (default: $MENTORFORMS_DATA, else the current folder)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    parser.add_argument("--as", dest="person_id", default=None, metavar="PERSON_ID",
                        help="open every page as this roster id: anyone who can reach the port is that person")
    parser.add_argument("--demo", action="store_true",
                        help="demo mode: each page offers a picker to choose who you are")
    kernel_arguments(parser)


def run_serve(args: argparse.Namespace) -> int:
    """``mentorforms serve``: serve the pages on this machine until stopped; the exit status."""
    missing = compat.check(compat.SERVE_NEEDS)
    if missing:
        raise ServeError(messages.say(messages.SERVER_LIBRARY_CHANGED, missing="; ".join(missing)))
    data_dir = args.data_dir or Path(os.environ.get(identity.ENV_DATA) or ".")
    plan = launch(data_dir, port=args.port, person_id=args.person_id, demo=args.demo, cull_seconds=args.cull_idle,
                  preheat=not args.no_preheat, pools=parse_pools(args.pool), hosts=args.host, smtp=args.smtp,
                  mail_from=args.mail_from, max_opening=args.max_opening, opening_timeout=args.opening_timeout)
    if not port_is_free(args.port):
        raise ServeError(messages.say(messages.PORT_TAKEN, port=args.port, suggestion=_free_port_near(args.port)))
    who = f" as {args.person_id}" if args.person_id else (" in demo mode" if args.demo else "")
    print("mentorforms: " + messages.say(messages.SERVING, folder=plan.env[identity.ENV_DATA], who=who), flush=True)
    if args.person_id:
        print(messages.say(messages.SERVE_AS_WARNING, person_id=args.person_id, port=args.port), flush=True)
    # If another program takes the port between this check and Voila's start, Voila (told not to
    # move to another port) stops with an error instead of serving elsewhere.
    print("mentorforms: " + messages.say(messages.OPEN_AT, url=plan.url), flush=True)
    sys.stderr.flush()
    # Replace this process with Voila, so a signal to this process reaches the server directly.
    os.execve(plan.argv[0], list(plan.argv), plan.env)
    return 0  # not reached
