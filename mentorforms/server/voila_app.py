"""The Voila server every page runs in, with admission in front of the pages (``python -m
mentorforms.server.voila_app``, started by :func:`mentorforms.server.serve.launch`).

This is Voila 0.5.13's own application with these handlers changed:

* the page handler (``/voila/render/<page>.ipynb``) asks :class:`mentorforms.server.admission.Admission`
  first. Over the limit (pages being opened, plus the ready kernels Voila is starting for its
  pools, which cost as much) it answers at once, without starting a kernel, with the busy page
  (``templates/busy.html.j2``, status 503 and ``Retry-After``): the visitor's place in the queue,
  kept in a cookie holding a random ticket, and a few lines of script that ask
  ``/mentorforms/queue`` every second and reload the same address (query string included) when it
  is their turn; without script the page reloads itself.
* ``/mentorforms/queue`` answers that question for the ticket in the cookie.
* the kernel websocket reads the header of a kernel's message without trusting its first bytes
  (:mod:`mentorforms.server.kernel_socket`); template files are served only from a template's
  static folders (:class:`TemplateFilesHandler`).

Both are jupyter_server handlers, so the Host check (``mentorforms/server/voila_config/voila.py``) and,
behind JupyterHub, the proxy's sign-in apply to them as to every page. Neither says anything about
who the visitor is: identity is checked, as before, by the page once it is admitted.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import json
import re
import sys
from functools import lru_cache

import jinja2
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.web import StaticFileHandler
from traitlets import Float, Integer
from voila.app import Voila
from voila.paths import collect_static_paths
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from mentorforms import compat, messages
from mentorforms.server.admission import (
    DEFAULT_OPENING_TIMEOUT_S,
    STALE_AFTER_SECONDS,
    Admission,
    Decision,
    default_limit,
)
from mentorforms.server.kernel_socket import KernelSocketHandler
from mentorforms.server.landing_handler import LandingHandler, RosterCache
from mentorforms.server.open_files import FILES_PER_PAGE, raise_open_file_limit

#: The cookie holding a waiting visitor's ticket (a random token; it says nothing about them).
TICKET_COOKIE = "mentorforms-queue"
#: Where the busy page asks whether it is its turn (under the server's URL).
QUEUE_PATH = "mentorforms/queue"
#: Milliseconds between the busy page's questions; well under the ticket's staleness.
POLL_MS = 1000
#: Seconds between reloads of the busy page without script (and its Retry-After).
REFRESH_SECONDS = 3
#: What the server sends when it stops waiting: the page's template shows the plain message
#: (mentorforms/server/jupyter_data/voila/templates/mentorforms/index.html.j2).
#: The output type of a widget shown by a page's cell, as it appears in the page's HTML.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NOT_OPENED_SNIPPET = "<script>window.mentorformsNotOpened && window.mentorformsNotOpened();</script>\n"

assert REFRESH_SECONDS < STALE_AFTER_SECONDS  # a page without script must keep its ticket alive


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    templates = importlib.resources.files("mentorforms.templates")
    return jinja2.Environment(loader=jinja2.FunctionLoader(lambda name: templates.joinpath(name).read_text("utf-8")),
                              autoescape=True, undefined=jinja2.StrictUndefined)


def place_text(position: int | None) -> str:
    """What the busy page says about a visitor's place (0: their turn; None: no place given)."""
    if position is None:
        return messages.say(messages.BUSY_NO_POSITION)
    if position == 0:
        return messages.say(messages.BUSY_NEXT)
    return messages.say(messages.BUSY_POSITION, position=position)


def busy_page(decision: Decision, status_url: str) -> str:
    """The busy page's HTML for a visitor who was not admitted."""
    return _templates().get_template("busy.html.j2").render(
        title=messages.say(messages.BUSY_TITLE), explained=messages.say(messages.BUSY_EXPLAINED),
        place=place_text(decision.position if decision.ticket else None),
        # Without a ticket (the queue is full) there is nothing to ask about: try again less often.
        no_script=messages.say(messages.BUSY_NO_SCRIPT), status_url=status_url,
        poll_ms=POLL_MS if decision.ticket else REFRESH_SECONDS * 1000,
        refresh_seconds=REFRESH_SECONDS)


class AdmittedVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler behind :class:`Admission`: see the module docstring."""

    def initialize(self, **kwargs) -> None:
        self.admission: Admission = kwargs.pop("admission")
        self.opening_timeout: float = kwargs.pop("opening_timeout", DEFAULT_OPENING_TIMEOUT_S)
        super().initialize(**kwargs)

    @web.authenticated
    async def get(self, path: str | None = None) -> None:
        # Every request counts, not only names ending in .ipynb: Voila renders "form.ipynb/" too.
        decision = self.admission.enter(self.get_cookie(TICKET_COOKIE))
        if not decision.admitted:
            self._answer_busy(decision)
            return
        self.clear_cookie(TICKET_COOKIE, path=self.base_url)
        try:
            await self._render_within_time(path)
        finally:
            self.admission.leave()

    async def _render_within_time(self, path: str | None) -> None:
        """Voila's page, snippet by snippet as Voila sends it; if it is not complete within the
        opening time (a kernel that does not answer: under a profiler, a paused or overloaded
        machine), stop waiting, free the visitor's place and let the page say so."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.opening_timeout
        snippets = self.get_generator(path=path).__aiter__()
        drew_widgets = False
        while True:
            try:
                html = await asyncio.wait_for(snippets.__anext__(), max(0.0, deadline - loop.time()))
            except StopAsyncIteration:
                if not drew_widgets and path and path.endswith(".ipynb"):
                    # Every page ends by showing its widgets; a page without any lost its
                    # output on the way (nbclient's "Timeout waiting for IOPub output").
                    self.log.warning("mentorforms: %s ended without its widgets; the visitor was told and "
                                     "offered to open it again", self.request.path)
                    self.write(NOT_OPENED_SNIPPET)
                return
            except TimeoutError:
                self.log.warning("mentorforms: %s did not open within %.0f s (its kernel did not answer); the "
                                 "visitor was told and offered to open it again", self.request.path,
                                 self.opening_timeout)
                self.write(NOT_OPENED_SNIPPET)
                self.flush()
                return
            drew_widgets = drew_widgets or WIDGET_VIEW in html
            self.write(html)
            self.flush()

    def _answer_busy(self, decision: Decision) -> None:
        if decision.ticket:
            # Lax, not Strict: a visitor who came by a link from elsewhere (a reminder in their
            # mail) must still send it when the busy page reloads itself.
            self.set_cookie(TICKET_COOKIE, decision.ticket, path=self.base_url, httponly=True, samesite="Lax")
        self.log.info("mentorforms: busy (%d page(s) opening, at most %d): a visitor waits at place %d",
                      self.admission.opening, self.admission.limit, decision.position)
        self.set_status(503)
        self.set_header("Retry-After", str(REFRESH_SECONDS))
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(busy_page(decision, url_path_join(self.base_url, QUEUE_PATH)))


#: A template's name in a static file's address: letters, digits, ``-`` and ``_``.
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9_-]+")


@lru_cache(maxsize=16)
def _template_static_roots(template: str) -> tuple[str, ...]:
    """The folders a template's static files come from (Voila walks the Jupyter paths for them on
    every request; they change only with the installation, so once per template name)."""
    return tuple(collect_static_paths(["voila", "nbconvert"], template))


class TemplateFilesHandler(TemplateStaticFileHandler):
    """Voila's handler of ``/voila/templates/<template>/static/<file>``, answering 404 to any other
    shape of address (``/voila/templates/../x`` raised an assertion and answered 500 in Voila) and
    finding a template's folders once."""

    def parse_url_path(self, path: str) -> str:
        parts = path.split("/", 2)
        if (len(parts) != 3 or parts[1] != "static" or not _TEMPLATE_NAME.fullmatch(parts[0])
                or any(part in ("", ".", "..") for part in parts[2].split("/"))):
            raise web.HTTPError(404)
        try:
            # What Voila's handler reads (compat.VOILA_STATIC_ROOTS).
            self.roots = list(_template_static_roots(parts[0]))
        except ValueError:
            raise web.HTTPError(404) from None
        return StaticFileHandler.parse_url_path(self, path)


class QueueHandler(JupyterHandler):
    """``GET /mentorforms/queue``: whether the visitor holding the cookie's ticket may come in now.

    Answers ``{"go": bool, "text": str}``; ``go`` is also true for a ticket no longer waiting
    (expired, say), so the page asks for itself again and is given a new place.
    """

    def initialize(self, admission: Admission) -> None:
        self.admission = admission

    @web.authenticated
    def get(self) -> None:
        place = self.admission.place(self.get_cookie(TICKET_COOKIE))
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"go": place in (None, 0), "text": place_text(0 if place is None else place)}))


class MentorformsVoila(Voila):
    """Voila with admission in front of its pages (``--MentorformsVoila.max_opening=N``)."""

    max_opening = Integer(
        default_limit(), config=True,
        help="Pages opened at once (a kernel starting and the page's cells running); 0 for no limit.")
    opening_timeout = Float(
        DEFAULT_OPENING_TIMEOUT_S, config=True,
        help="Seconds a page may take to open before the server stops waiting and the page says so.")

    def initialize(self, argv: list[str] | None = None) -> None:
        missing = compat.check(compat.SERVE_NEEDS)
        if missing:
            print("mentorforms: " + messages.say(messages.SERVER_LIBRARY_CHANGED, missing="; ".join(missing)),
                  file=sys.stderr, flush=True)
            raise SystemExit(1)
        compat.compile_templates_once()
        limit = raise_open_file_limit()
        super().initialize(argv)
        self.log.info("mentorforms: at most %s files open at once, room for about %s open pages", limit,
                      limit // FILES_PER_PAGE)

    def init_handlers(self) -> list:
        self.admission = Admission(self.max_opening, starting=self._pool_kernels_starting)
        handlers = []
        for route in super().init_handlers():
            if len(route) == 3 and route[1] is TornadoVoilaHandler:
                route = (route[0], AdmittedVoilaHandler,
                         {**route[2], "admission": self.admission, "opening_timeout": self.opening_timeout})
            elif len(route) >= 2 and route[1] is TemplateStaticFileHandler:
                route = (route[0], TemplateFilesHandler, *route[2:])
            elif len(route) >= 2 and route[1] is VoilaKernelWebsocketHandler:
                route = (route[0], KernelSocketHandler, *route[2:])
            handlers.append(route)
        self.log.info("mentorforms: at most %s page(s) opened at once", self.max_opening or "any number of")
        return [(url_path_join(self.server_url, QUEUE_PATH), QueueHandler, {"admission": self.admission}),
                # The landing page needs no kernel: rendered here, at the address it always had.
                (url_path_join(self.server_url, r"/voila/render/index\.ipynb/?"), LandingHandler,
                 {"rosters": RosterCache()}),
                *handlers]


    def _pool_kernels_starting(self) -> int:
        """Ready kernels Voila is still starting (or about to start) for its pools: each costs a
        page's start, so it counts against the limit as a page being opened does."""
        pools = compat.voila_pools(self.kernel_manager)
        return sum(1 for pool in pools.values() for item in pool if hasattr(item, "done") and not item.done())


def main() -> None:
    """Run the page server until it is stopped; a second Ctrl-C while it shuts its kernels down
    ends it without a traceback (its forked kernels end with it: they watch the server)."""
    try:
        MentorformsVoila.launch_instance()
    except KeyboardInterrupt:
        print("mentorforms: stopped", file=sys.stderr, flush=True)
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
