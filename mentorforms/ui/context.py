"""What every page needs before it can show anything: the request, the data folder, the roster
and who is using the page.

The query string (``os.environ["QUERY_STRING"]`` in a Voila kernel) is user input: it may name
the form, the person, the year and the agreement's mentor, and in demo mode the identity picked
(``as``). It never decides identity outside demo mode; :mod:`mentorforms.rules.access` does.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import sys
import urllib.parse
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.errors import AccessDenied, MentorformsError
from mentorforms.records.roster import Roster, RosterInvalid, load_roster
from mentorforms.records.store import DataFolder
from mentorforms.rules import identity
from mentorforms.ui import memory
from mentorforms.ui.style import page_style
from mentorforms.vocabulary import pages
from mentorforms.vocabulary.academic_year import AcademicYear

#: Query-string keys a page reads; anything else is ignored.
QUERY_KEYS = ("form", "person", "year", "mentor", "instance", "as")


def server_log() -> logging.Logger:
    """The logger for page callbacks. It writes to the server's own stderr (the kernel's real
    stderr, not the page), so users never see tracebacks and operators do."""
    logger = logging.getLogger("mentorforms.ui")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.__stderr__)
        handler.setFormatter(logging.Formatter("[mentorforms %(levelname)s %(asctime)s] %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


# --------------------------------------------------------------------------- errors stay on the server

#: The frame of the page this kernel shows (Voila runs one kernel per page), for the plain sentence.
_shown_in: list[widgets.VBox] = []
#: The failure notices shown (found again by identity: ipywidgets offers no public way to read a class).
_failure_notices: weakref.WeakSet[widgets.Widget] = weakref.WeakSet()


def keep_errors_on_the_server(root: widgets.VBox | None = None) -> None:
    """Make everything a page's kernel writes to stderr, and every exception a widget callback or
    a malformed widget message raises, go to the server's own log instead of the browser; the
    page (``root``) shows a plain sentence instead of a traceback.

    ipykernel sends ``sys.stderr`` to the browser as a stream, and also watches file descriptor 2
    (where ``sys.__stderr__`` writes) through a pipe that it forwards to the browser as well; an
    exception in a callback is sent as an error message with its traceback. So: descriptor 2 is
    pointed back at the server's stderr, ``sys.stderr`` becomes ``sys.__stderr__``, and the
    shell's ``showtraceback`` (what ipywidgets calls for callback and message errors) logs.
    Safe to call more than once; outside a kernel it changes nothing.
    """
    if root is not None:
        _shown_in[:] = [root]
    if getattr(keep_errors_on_the_server, "done", False):
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return  # not a page's kernel (a test, a script): stderr is already the process's own
    keep_errors_on_the_server.done = True  # type: ignore[attr-defined]
    kernel_stderr = sys.stderr
    try:
        # ipykernel's stream answers with its copy of the process's own stderr (kept for subprocesses).
        original: int | None = kernel_stderr.fileno()
    except (OSError, ValueError):  # io.UnsupportedOperation: the stream keeps no copy
        original = None
    try:
        kernel_stderr.flush()
    except (OSError, ValueError):
        pass
    if original is not None and sys.__stderr__ is not None:
        try:
            os.dup2(original, sys.__stderr__.fileno())  # the pipe to the browser loses its writer
        except OSError as error:
            server_log().warning("could not give stderr back to the server: %s", error)
    if sys.__stderr__ is not None:
        sys.stderr = sys.__stderr__
    shell.showtraceback = _log_traceback


def _log_traceback(exc_tuple=None, filename=None, tb_offset=None, exception_only=False,
                   running_compiled_code=False) -> None:
    """Stands in for the shell's showtraceback: the traceback to the server log, a sentence to the page."""
    import traceback

    kind, error, trace = exc_tuple if exc_tuple is not None else sys.exc_info()
    if error is None:
        return
    server_log().error("a page callback failed:\n%s", "".join(traceback.format_exception(kind, error, trace)).rstrip())
    for root in _shown_in:
        _show_plain_failure(root)


def _show_plain_failure(root: widgets.VBox) -> None:
    notice = next((child for child in root.children if child in _failure_notices), None)
    if notice is None:
        notice = message_box(messages.PAGE_CALLBACK_FAILED, kind="error")
        notice.add_class("mf-failure-notice")
        _failure_notices.add(notice)
        root.children = (*root.children, notice)


class PageUnavailable(MentorformsError):
    """The page cannot be shown; the message says why in plain words."""


@dataclass(frozen=True)
class PageRequest:
    """What the page was asked to show (every part optional, every part untrusted)."""

    form_id: str | None = None
    person_id: str | None = None
    year: str | None = None
    mentor_id: str | None = None
    instance: str | None = None
    demo_as: str | None = None

    @classmethod
    def from_query(cls, query: str) -> PageRequest:
        """Parse a query string; the first value of each known key counts, blanks are ignored."""
        parsed = urllib.parse.parse_qs(query or "", keep_blank_values=False)

        def first(key: str) -> str | None:
            values = parsed.get(key)
            return values[0].strip() or None if values else None

        return cls(first("form"), first("person"), first("year"), first("mentor"), first("instance"), first("as"))

    def academic_year(self, today: dt.date | None = None) -> AcademicYear:
        """The year asked for, or the current one; PageUnavailable for a year that is not one."""
        if self.year is None:
            return AcademicYear.containing(today or dt.date.today())
        try:
            return AcademicYear.parse(self.year)
        except ValueError:
            raise PageUnavailable(f"'{self.year}' is not an academic year; use one such as 2025-2026.") from None


def request_from_env(environ: Mapping[str, str] | None = None) -> PageRequest:
    """The request of the current Voila page (empty outside Voila)."""
    environ = os.environ if environ is None else environ
    return PageRequest.from_query(environ.get("QUERY_STRING", ""))


@dataclass(frozen=True)
class Session:
    """The data folder, its roster, and the identified viewer."""

    folder: DataFolder
    roster: Roster
    viewer: identity.Viewer
    demo: bool

    def link(self, page: str, **params: str | None) -> str:
        """A relative link to another page (one of :mod:`mentorforms.vocabulary.pages`); in demo mode it
        carries the chosen identity so the next page does not ask again."""
        query = {key: value for key, value in params.items() if value}
        if self.demo and self.viewer.chosen_in_demo:
            query["as"] = self.viewer.person_id
        return f"{page}?{urllib.parse.urlencode(query)}" if query else page


def open_folder(environ: Mapping[str, str], load: Callable[[Path], Roster] = load_roster) -> tuple[DataFolder, Roster]:
    """The data folder named by the server and its roster (read with ``load``: the page server
    keeps one it has read while the file is unchanged); PageUnavailable with the reason."""
    root = environ.get(identity.ENV_DATA)
    if not root:
        raise PageUnavailable("This page was opened without a data folder. Start the app with "
                              "'mentorforms serve DATA_DIR'.")
    folder = DataFolder(root)
    if not folder.roster_path.is_file():
        raise PageUnavailable(f"The data folder has no roster ({folder.roster_path.name}); "
                              "ask the faculty-affairs office.")
    try:
        roster = load(folder.roster_path)
    except RosterInvalid as error:
        server_log().error("roster unusable: %s", error)
        raise PageUnavailable("The roster cannot be read, so nobody can be identified; the faculty-affairs "
                              "office has been told what is wrong with it (see the server log).") from error
    return folder, roster


def open_session(environ: Mapping[str, str], request: PageRequest,
                 load: Callable[[Path], Roster] = load_roster) -> Session:
    """The session for this page; AccessDenied or PageUnavailable, each with a plain reason."""
    folder, roster = open_folder(environ, load)
    demo = identity.demo_mode(environ)
    viewer = identity.identify(roster, environ, request.demo_as if demo else None)
    return Session(folder, roster, viewer, demo)


# --------------------------------------------------------------------------- shared widgets


def message_html(text: str, *, kind: str = "refusal", title: str = "") -> str:
    """A plain message in a box (``kind``: refusal, notice or error) as HTML, every text escaped."""
    heading = f"<strong>{html.escape(title)}</strong><br>" if title else ""
    return f'<div class="mf-banner mf-{kind}" role="alert">{heading}{html.escape(text)}</div>'


def message_box(text: str, *, kind: str = "refusal", title: str = "") -> widgets.HTML:
    """A plain message in a box (``kind``: refusal, notice or error), for whole-page answers."""
    box = widgets.HTML(message_html(text, kind=kind, title=title))
    box.add_class(f"mf-{kind}-box")
    return box


#: The label above the demo-mode identity picker.
DEMO_NOTE = ('<div class="mf-demo-label"><strong>DEMO MODE</strong> — synthetic data only. '
             'Anyone can pick any identity here; a real server uses JupyterHub or '
             '<code>mentorforms serve --as</code>.</div>')


def demo_choices(roster: Roster) -> list[tuple[str, str]]:
    """The demo picker's people as (label, person id), by department and name."""
    people = sorted(roster, key=lambda person: (person.department, person.name))
    return [(f"{person.name} — {person.department} ({', '.join(sorted(person.roles))})", person.person_id)
            for person in people]


def demo_picker(roster: Roster, on_choose: Callable[[str], None], current: str | None = None) -> widgets.Widget:
    """The clearly labelled demo-mode identity picker; calls ``on_choose(person_id)``."""
    options = [("— choose a person —", "")] + demo_choices(roster)
    select = widgets.Dropdown(options=options, value=current if current in roster else "",
                              description="Use the app as", style={"description_width": "initial"},
                              layout=widgets.Layout(width="auto", min_width="420px"))
    select.add_class("mf-demo-select")
    go = widgets.Button(description="Continue", button_style="primary")
    go.add_class("mf-demo-continue")
    hint = widgets.HTML()
    hint.add_class("mf-demo-hint")

    def choose(_=None) -> None:
        if select.value:
            hint.value = ""
            on_choose(select.value)
        else:
            hint.value = f'<div class="mf-say mf-say-error" role="status">{html.escape(messages.PICK_SOMEONE)}</div>'

    go.on_click(choose)
    note = widgets.HTML(DEMO_NOTE)
    box = widgets.VBox([note, widgets.HBox([select, go]), hint])
    box.add_class("mf-demo-picker")
    return box


def identity_line(session: Session) -> widgets.HTML:
    """Who the page thinks you are (marked clearly in demo mode)."""
    line = widgets.HTML(identity_html(session))
    line.add_class("mf-identity-line")
    return line


def identity_html(session: Session) -> str:
    """Who the page thinks you are (marked clearly in demo mode), as HTML."""
    person = session.viewer.person
    who = f"{html.escape(person.name)} ({html.escape(person.person_id)}, {html.escape(person.department)})"
    if session.demo and session.viewer.chosen_in_demo:
        home = html.escape(session.link(pages.LANDING))
        text = (f'<span class="mf-demo-tag">DEMO MODE</span> You are using the app as {who}. '
                f'<a href="{pages.LANDING}">Choose someone else</a> · <a href="{home}">All your forms</a>')
    else:
        home = html.escape(session.link(pages.LANDING))
        text = f'Signed in as {who} · <a href="{home}">All your forms</a>'
    return f'<div class="mf-identity">{text}</div>'


def refusal_title(error: MentorformsError) -> str:
    """The heading of a refusal: refused to this viewer, or not possible at all."""
    return "You cannot open this page" if isinstance(error, AccessDenied) else "This page cannot be shown"


def refusal_for(error: MentorformsError) -> widgets.HTML:
    """The page shown when a request is refused or cannot be served."""
    return message_box(str(error), kind="refusal", title=refusal_title(error))


#: What a page shows below the identity line, and an object tests may reach as ``root.<attribute>``.
PageContent = tuple[tuple[widgets.Widget, ...], object | None]


def page_app(environ: Mapping[str, str] | None, content: Callable[[Session, PageRequest], PageContent], *,
             name: str, attribute: str | None = None) -> widgets.VBox:
    """The frame every page shares: who the viewer is (in demo mode, the labelled picker until
    someone is picked), then ``content(session, request)`` below the identity line, or a plain
    refusal. ``content`` may raise any MentorformsError: it becomes the refusal, logged under
    ``name``. Never raises for a bad request."""
    environ = dict(os.environ if environ is None else environ)
    request = request_from_env(environ)
    root = widgets.VBox()
    root.add_class("mf-page")
    keep_errors_on_the_server(root)
    style = page_style()

    def build(demo_choice: str | None) -> None:
        asked = replace(request, demo_as=demo_choice)
        try:
            session = open_session(environ, asked)
            shown, handle = content(session, asked)
        except AccessDenied as error:
            if identity.demo_mode(environ) and not demo_choice:
                root.children = (style, demo_picker_for(environ, build))
            else:
                server_log().info("%s refused: %s", name, error)
                root.children = (style, refusal_for(error))
            return
        except MentorformsError as error:
            server_log().info("%s unavailable: %s", name, error)
            root.children = (style, refusal_for(error))
            return
        root.children = (style, identity_line(session), *shown)
        if attribute is not None:
            setattr(root, attribute, handle)

    build(request.demo_as)
    memory.release_soon()
    return root


def demo_picker_for(environ: Mapping[str, str], build: Callable[[str | None], None]) -> widgets.Widget:
    """The demo-mode identity picker over the data folder's roster (a refusal if there is none)."""
    try:
        _, roster = open_folder(environ)
    except PageUnavailable as error:
        return refusal_for(error)
    return demo_picker(roster, build)
