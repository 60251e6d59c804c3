"""``mentorforms hub-service``: the app as a JupyterHub service (or a per-user server's command).

The Hub starts this command (``deploy/jupyterhub_config.py``). It runs, in this one process,
``jhsingle-native-proxy --forward-user-info`` on the port the Hub gave the service; the proxy
signs every visitor in with the Hub (OAuth), and starts Voila (:func:`mentorforms.server.serve.launch`
with ``behind_hub``) on a free loopback port the first time it is needed.

Why a shared secret and not only the loopback port: anything on this machine can reach a
loopback port and send ``X-CDSDASHBOARDS-JH-USER`` itself, and Voila 0.5 cannot listen on a unix
socket. So this process draws a random secret at start, gives it to Voila in its environment
(``MENTORFORMS_PROXY_SECRET``; only the same OS user can read a process's environment), and makes
the proxy add it to every request it forwards (``X-Mentorforms-Proxy-Secret``, replacing any
copy the browser sent). A page believes the forwarded user only when the secret matches
(:func:`mentorforms.rules.identity.hub_user`). The secret never appears on a command line, so ``ps``
does not show it.

Logging out of the Hub deletes the tokens of that browser session; the proxy asks the Hub again
after :data:`AUTH_CACHE_SECONDS` (JupyterHub's default is five minutes), so a signed-out browser
is refused within that time.
"""

from __future__ import annotations

import argparse
import os
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mentorforms import compat, messages
from mentorforms.rules import identity
from mentorforms.server.serve import ServeError, kernel_arguments, launch, parse_pools
from mentorforms.vocabulary import pages

#: Seconds the proxy trusts the Hub's answer about a browser's token before asking again.
AUTH_CACHE_SECONDS = 10
#: Seconds the proxy waits for Voila to answer its readiness check on first start.
READY_TIMEOUT_SECONDS = 90
#: Path (under the service prefix) the proxy polls until Voila is up; answers without a kernel.
READY_PATH = "voila/static/index.css"  # Voila serves it at the root (server_url=/)
#: The landing page, under the service prefix.
LANDING_PATH = f"voila/render/{pages.LANDING}"
#: Voila runs this long at most for one proxied request (a dashboard's export may take a while).
REQUEST_TIMEOUT_SECONDS = 300


def proxy_template(argv: Sequence[str]) -> list[str]:
    """``argv`` made safe for jhsingle-native-proxy, which fills ``{port}`` and ``{base_url}`` in
    each argument with ``str.format``: literal braces (the JSON options) are doubled."""
    return [arg.replace("{", "{{").replace("}", "}}") for arg in argv]


def service_prefix(environ: Mapping[str, str]) -> str:
    """The URL prefix the Hub gave this service (``/services/mentorforms/``), or a user server's."""
    prefix = environ.get("JUPYTERHUB_SERVICE_PREFIX") or "/"
    return prefix if prefix.endswith("/") else prefix + "/"


@dataclass
class _ProxySecret:
    """The secret the adjusted proxy adds to every request it forwards (None: not adjusted yet)."""

    secret: str | None = None


_PROXY = _ProxySecret()


def harden_proxy(secret: str) -> None:
    """Adjust jhsingle-native-proxy 0.8.3 in this process before it starts:

    * every request it forwards to Voila carries ``secret`` (a copy from the browser is dropped);
    * a websocket is opened only for a signed-in visitor (the proxy checks sign-in for plain
      requests only);
    * a page's own websockets are accepted again under tornado 6.6 (same origin), others refused;
    * the server's root redirects to the landing page (not Voila's list of notebooks);
    * a request without sign-in is redirected to the Hub's login without the proxy's own
      ``TypeError`` (it awaits the ``None`` that tornado's ``authenticated`` returns).
    """
    from jhsingle_native_proxy import proxyhandlers
    from tornado import web

    handler = proxyhandlers.ProxyHandler
    supervisor = proxyhandlers.SuperviseAndProxyHandler
    if _PROXY.secret is not None:  # already adjusted in this process
        _PROXY.secret = secret
        return
    original_filter: Callable = compat.proxy_header_filter(handler)
    original_ws_get: Callable = handler.ws_get

    def filter_with_secret(self, headers, query_args):
        headers, query_args = original_filter(self, headers, query_args)
        while identity.HEADER_SECRET in headers:  # tornado's headers ignore case
            del headers[identity.HEADER_SECRET]
        headers[identity.HEADER_SECRET] = _PROXY.secret
        return headers, query_args

    async def ws_get_signed_in(self, *args, **kwargs):
        if getattr(self, "authtype", "oauth") == "oauth" and not self.current_user:
            self.log.warning("mentorforms: websocket refused without sign-in: %s", self.request.path)
            raise web.HTTPError(403)
        return await original_ws_get(self, *args, **kwargs)

    def same_origin_or_trusted(self, origin: str) -> bool:
        # The proxy's copy of tornado's websocket handshake calls check_origin for every request;
        # since tornado 6.6 check_origin no longer compares Origin with Host itself, so same-origin
        # websockets (every page's kernel connection) would be refused.
        if urllib.parse.urlparse(origin).netloc.lower() == (self.request.headers.get("Host") or "").lower():
            return True
        return self.check_trusted_origin(origin)

    @web.authenticated
    def _signed_in_proxy(self, port, path):
        return self.core_proxy(port, path)

    async def oauth_proxy(self, port, path):
        if self.request.method == "GET" and not path.strip("/"):
            # The server's root (where the Hub sends a person to their own server) is the landing page.
            return self.redirect(f"{self.settings.get('base_url', '')}/{LANDING_PATH}")
        answer = _signed_in_proxy(self, port, path)
        if answer is not None:  # None: tornado has redirected to the login (or refused)
            return await answer

    compat.replace_proxy_header_filter(handler, filter_with_secret)
    handler.ws_get = ws_get_signed_in
    handler.check_origin = same_origin_or_trusted
    supervisor.oauth_proxy = oauth_proxy
    _PROXY.secret = secret


def warm_up(url: str, token: str, *, timeout: float = READY_TIMEOUT_SECONDS + 30) -> threading.Thread:
    """Ask the proxy for ``url`` with this server's own Hub token until it answers 200, in a
    thread: the proxy starts Voila (and its ready kernels) now, not when the first visitor comes.
    The token is the service's; a page asked with it names no user and refuses."""

    def ask() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
            try:
                with urllib.request.urlopen(request, timeout=READY_TIMEOUT_SECONDS) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(1)

    thread = threading.Thread(target=ask, name="mentorforms-warm-up", daemon=True)
    thread.start()
    return thread


def hub_service_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``mentorforms hub-service``."""
    parser.add_argument("data_dir", type=Path, nargs="?", default=None,
                        help="the data folder (default: $MENTORFORMS_DATA)")
    parser.add_argument("--port", type=int, default=None,
                        help="port of the service on 127.0.0.1 (default: the one in $JUPYTERHUB_SERVICE_URL)")
    kernel_arguments(parser)


def run_hub_service(args: argparse.Namespace) -> int:
    """``mentorforms hub-service``: the pages behind JupyterHub, started by the Hub; the exit status."""
    if not os.environ.get("JUPYTERHUB_API_TOKEN"):
        raise ServeError("hub-service is started by JupyterHub (it needs the Hub's API token); "
                         "see deploy/jupyterhub_config.py, or use 'mentorforms serve' on your own machine")
    try:
        from jhsingle_native_proxy import main as proxy_main
        from jupyterhub.services.auth import HubOAuth
    except ModuleNotFoundError as error:
        raise ServeError(f"{error.name} is not installed: pip install 'mentorforms[hub]'") from None
    missing = compat.check()
    if missing:
        raise ServeError(messages.say(messages.SERVER_LIBRARY_CHANGED, missing="; ".join(missing)))
    data_dir = args.data_dir or Path(os.environ.get(identity.ENV_DATA) or ".")
    prefix = service_prefix(os.environ)
    plan = launch(data_dir, port="{port}", cull_seconds=args.cull_idle, preheat=not args.no_preheat,
                  pools=parse_pools(args.pool), hosts=args.host, behind_hub=True, base_url="{base_url}/",
                  smtp=args.smtp, mail_from=args.mail_from, max_opening=args.max_opening,
                  opening_timeout=args.opening_timeout)
    secret = secrets.token_urlsafe(32)
    # The proxy starts Voila with a copy of this process's environment.
    os.environ.clear()
    os.environ.update(plan.env)
    os.environ[identity.ENV_PROXY_SECRET] = secret
    harden_proxy(secret)
    HubOAuth.instance(cache_max_age=AUTH_CACHE_SECONDS)
    port = args.port or proxy_main.get_port_from_env()
    print("mentorforms: " + messages.say(messages.SERVING, folder=plan.env[identity.ENV_DATA],
                                         who=f" behind JupyterHub at {prefix}"), flush=True)
    warm_up(f"http://127.0.0.1:{port}{prefix}{READY_PATH}", os.environ["JUPYTERHUB_API_TOKEN"])
    command_template = proxy_template(plan.argv)
    # The proxy fills {base_url} with the prefix without its slash; put the placeholders back.
    command_template = [arg.replace("{{port}}", "{port}").replace("{{base_url}}", "{base_url}")
                        for arg in command_template]
    proxy_main.run.main(
        args=["--port", str(port), "--ip", "127.0.0.1", "--destport", "0", "--authtype", "oauth",
              "--forward-user-info", "--progressive", "--ready-check-path", "/" + READY_PATH,
              "--ready-timeout", str(READY_TIMEOUT_SECONDS), "--request-timeout", str(REQUEST_TIMEOUT_SECONDS),
              "--last-activity-interval", "60" if os.environ.get("JUPYTERHUB_ACTIVITY_URL") else "0",
              "--no-force-alive", "--", *command_template],
        prog_name="mentorforms hub-service", standalone_mode=True)
    return 0
