"""The landing page served by the page server itself, without a kernel.

The landing page only lists links and statuses, so a kernel for it (a process, its widgets and
their messages) was most of what it cost. The server renders it instead at the same address
(``/voila/render/index.ipynb``) with the same plain functions the kernel page used
(:func:`mentorforms.ui.landing.landing_document`), from the same inputs: the server's
environment (data folder, ``--as``, demo mode, the Hub's proxy secret) with the request's query
string and, behind the Hub, the two headers the Hub's proxy forwards, exactly as Voila hands them
to a page's kernel. It is a jupyter_server handler, so the Host check and the Hub's sign-in apply
as to every page, and identity is decided by :mod:`mentorforms.rules.identity` as before.
"""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from tornado import web

from mentorforms import messages
from mentorforms.records.roster import Roster, load_roster
from mentorforms.rules import identity
from mentorforms.ui.landing import landing_document

#: Headers the Hub's proxy forwards (the same as Voila's ``http_header_envs`` behind the Hub).
FORWARDED = (identity.HEADER_USER, identity.HEADER_SECRET)


class RosterCache:
    """The roster as last read, kept while the file is unchanged (same inode, size and time), so
    a landing page does not parse the roster on every request. A file changing while it is read
    is read again next time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[Path, tuple[tuple[int, int, int], Roster]] = {}

    @staticmethod
    def _stamp(path: Path) -> tuple[int, int, int]:
        stat = path.stat()
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def __call__(self, path: Path) -> Roster:
        before = self._stamp(path)
        with self._lock:
            kept = self._kept.get(path)
        if kept is not None and kept[0] == before:
            return kept[1]
        roster = load_roster(path)
        if self._stamp(path) == before:
            with self._lock:
                self._kept[path] = (before, roster)
        return roster


def request_environ(query: str, headers: dict[str, str], environ: dict[str, str] | None = None) -> dict[str, str]:
    """What a page's kernel would see for this request: the server's environment, the query
    string, and (behind the Hub only) the forwarded headers, each as ``HTTP_<NAME>``."""
    seen = dict(os.environ if environ is None else environ)
    for header in FORWARDED:
        seen.pop(identity.header_env(header), None)
    seen["QUERY_STRING"] = query
    if identity.behind_hub(seen):
        by_name = {name.lower(): value for name, value in headers.items()}  # header names ignore case
        for header in FORWARDED:
            value = by_name.get(header.lower())
            if value is not None:
                seen[identity.header_env(header)] = value
    return seen


class LandingHandler(JupyterHandler):
    """``GET /voila/render/index.ipynb``: the landing page, rendered here (see the module docstring)."""

    def initialize(self, rosters: RosterCache) -> None:
        self.rosters = rosters

    @web.authenticated
    async def get(self) -> None:
        environ = request_environ(self.request.query, dict(self.request.headers.get_all()))
        loop = asyncio.get_running_loop()
        try:
            # The listing reads the data folder: off the event loop, so other pages are not held up.
            page = await loop.run_in_executor(None, landing_document, environ, None, self.rosters)
        except Exception:
            self.log.exception("mentorforms: the landing page failed")
            self.set_status(500)
            page = f"<!DOCTYPE html><html><body><p>{messages.say(messages.PAGE_CALLBACK_FAILED)}</p></body></html>"
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.finish(page)
