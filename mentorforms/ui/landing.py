"""The landing page: every form the viewer may open this year, with where each one stands.

:func:`landing_sections` works out the list (testable without a browser); :func:`landing_app`
shows it. Links carry the form, person, year and (for agreements) mentor; in demo mode they also
carry the identity picked, so the form page does not ask again.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.resources
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ipywidgets as widgets
import jinja2
from markupsafe import Markup

from mentorforms.errors import AccessDenied, MentorformsError, WorkbookError
from mentorforms.forms import form_ids, get_form
from mentorforms.records.roster import Person, Roster, load_roster
from mentorforms.records.store import DataFolder
from mentorforms.rules import access, follow_ups, identity, trail, year_window
from mentorforms.rules.parties import Listing, roster_listings
from mentorforms.ui.context import (
    DEMO_NOTE,
    PageContent,
    PageRequest,
    PageUnavailable,
    Session,
    demo_choices,
    identity_html,
    message_html,
    open_folder,
    open_session,
    page_app,
    refusal_title,
    request_from_env,
    server_log,
)
from mentorforms.ui.open_years import in_window
from mentorforms.ui.print_view import STATUS_WORDS, format_date
from mentorforms.ui.style import CSS
from mentorforms.vocabulary import pages
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import LISTS
from mentorforms.vocabulary.record import Record

log = server_log()


@dataclass(frozen=True)
class Entry:
    """One form on the landing page."""

    label: str
    href: str
    status: str  # "Not started", "Draft", "Submitted", "Signed" or "Cannot be read"
    saved: str = ""
    note: str = ""


@dataclass(frozen=True)
class LandingSection:
    """One heading of the landing page and the links under it."""

    title: str
    entries: tuple[Entry, ...]


def _state(record: Record | None) -> tuple[str, str]:
    if record is None:
        return "Not started", ""
    saved = record.saved_at.astimezone(dt.UTC).date()
    return STATUS_WORDS[record.status], format_date(saved)


def _entry(session: Session, label: str, form_id: str, year: AcademicYear, person_id: str,
           instance: str | None = None, note: str = "", link: Mapping[str, str] | None = None) -> Entry:
    """An entry for one form, its link carrying ``link`` as extra query parameters."""
    href = session.link(pages.FORM, form=form_id, person=person_id, year=year.label, **dict(link or {}))
    try:
        record = session.folder.latest(form_id, year, person_id, instance)
    except WorkbookError as error:
        log.error("landing page: %s", error)
        return Entry(label, href, "Cannot be read", note=note)
    status, saved = _state(record)
    return Entry(label, href, status, saved, note)


def _instances(folder: DataFolder, form_id: str, year: AcademicYear, person_id: str, field_id: str) -> list[str]:
    """The values of ``field_id`` that tell apart the person's saved instances of a form."""
    newest = {}
    for stored in folder.versions(form_id, year, person_id):
        newest[stored.path.parent] = stored
    values = []
    for stored in newest.values():
        try:
            record = folder.read(stored)  # a workbook counts only in its place
        except WorkbookError as error:
            log.error("landing page: %s", error)
            continue
        value = record.values.get(field_id)
        if value:
            values.append(str(value))
    return values


def _department_heading(viewer: Person) -> str:
    part = "as chair" if viewer.has_role("chair") else "as the chair's designee"
    return f"Conferences in {viewer.department} ({part})"


def _listing_entry(session: Session, listing: Listing, year: AcademicYear) -> Entry:
    form, party = listing.form, listing.party
    label = party.label.format(form=form.title, subject=listing.subject.name, instance=listing.instance_name,
                               number=listing.number)
    link: dict[str, str] = {}
    if listing.instance is not None:
        link = {"mentor": listing.instance} if form.instance_party and not form.instance_serial \
            else {"instance": listing.instance}
    return _entry(session, label, form.id, year, listing.subject.person_id, instance=listing.instance,
                  note=party.note, link=link)


def landing_sections(session: Session, year: AcademicYear) -> list[LandingSection]:
    """Every form the viewer may open in ``year``, grouped as the declarations list them (each
    form's parties name the list), with the reports first for those who have them."""
    viewer = session.viewer
    lists: dict[str, list[tuple[tuple, Entry]]] = {list_id: [] for list_id, _ in LISTS}
    ended = follow_ups.ended_relationships(session.folder, year, [viewer.person_id, *(
        mentee.person_id for mentee in session.roster.mentees_of(viewer.person_id))])
    for order, form_id in enumerate(form_ids()):
        form = get_form(form_id, year)
        saved: dict[str, tuple[str, ...]] = {viewer.person_id: ()}
        if form.instance_field and (not form.instance_party or form.instance_serial):
            subjects = [viewer.person_id]
            if form.instance_serial:  # a mentor's mentees' meetings are listed too
                subjects += [mentee.person_id for mentee in session.roster.mentees_of(viewer.person_id)]
            saved = {subject_id: tuple(_instances(session.folder, form.id, year, subject_id, form.instance_field))
                     for subject_id in subjects}
        seen: set[tuple] = set()
        for listing in roster_listings(form, session.roster, viewer, saved, ended):
            key = (listing.party.listed, listing.subject.person_id, listing.instance)
            if key in seen:
                continue  # one entry per form, whichever parties the viewer holds in it
            seen.add(key)
            entry = _listing_entry(session, listing, year)
            lists[listing.party.listed].append(((listing.subject.name, order, entry.label), entry))
        subject = form.parties[0]
        if form.instance_field and not form.instance_party and subject.listed and subject.roles \
                and any(viewer.person.has_role(role) for role in subject.roles):
            href = session.link(pages.FORM, form=form.id, person=viewer.person_id, year=year.label)
            lists[subject.listed].append(((viewer.person.name, order, "~"), Entry(f"Start a new {form.title.lower()}",
                                                                               href, "New")))
    sections: list[LandingSection] = []
    reports = _report_entries(session, year)
    if reports:
        sections.append(LandingSection("Reports", reports))
    for list_id, heading in LISTS:
        entries = lists[list_id]
        if list_id == "own":
            entries.sort(key=lambda item: item[0][1])
        else:
            entries.sort(key=lambda item: item[0])
        if entries:
            title = _department_heading(viewer.person) if list_id == "department" else heading
            sections.append(LandingSection(title, tuple(entry for _, entry in entries)))
    return sections


def _report_entries(session: Session, year: AcademicYear) -> tuple[Entry, ...]:
    """The report pages the viewer may open: the dashboard for chairs and analysts (with the
    departments it shows), the Excel export for analysts."""
    viewer = session.viewer
    departments = access.visible_departments(viewer, session.roster)
    if not departments:
        return ()
    scope = departments[0] if len(departments) == 1 else f"all {len(departments)} departments"
    entries = [Entry(f"Department dashboard: {scope}", session.link(pages.DASHBOARD, year=year.label), "Report",
                     note="Conference completion, teaching hours, goals, mentoring coverage and promotion outlook.")]
    if viewer.is_analyst:
        entries.append(Entry("Excel export of department summaries", session.link(pages.ANALYST), "Report",
                             note="A formatted workbook with a summary sheet per department and its charts."))
    return tuple(entries)


def other_years(folder: DataFolder, year: AcademicYear) -> list[AcademicYear]:
    """The years to offer beside ``year``: every year the data folder has records for, and the
    years just before and after, that the office keeps forms for (:mod:`mentorforms.rules.year_window`)."""
    years = {year.previous, year.next}
    try:
        open_years = year_window.window(folder.root)
    except year_window.YearSettingsInvalid:
        open_years = None
    try:
        names = [entry.name for entry in folder.records_root.iterdir() if entry.is_dir()]
    except OSError:
        names = []
    for name in names:
        try:
            years.add(AcademicYear.parse(name))
        except ValueError:
            continue  # not a year's folder
    return sorted((other for other in years - {year} if open_years is None or other in open_years),
                  key=lambda other: other.start)


def render_sections(session: Session, year: AcademicYear, sections: list[LandingSection]) -> str:
    """The landing page's HTML (every text escaped)."""
    year_links = " · ".join(
        f'<a class="mf-year-link" href="{html.escape(session.link(pages.LANDING, year=other.label))}">'
        f'{other.label}</a>' for other in other_years(session.folder, year))
    parts = [f'<div class="mf-landing"><header class="mf-header"><h1 class="mf-title">Mentoring forms, '
             f'academic year {year.label}</h1><div class="mf-subject">Other years: {year_links}</div></header>']
    if not sections:
        parts.append('<div class="mf-banner mf-notice">There are no forms for you to open. If that seems wrong, '
                     'ask the faculty-affairs office to check your roles on the roster.</div>')
    for section in sections:
        rows = []
        for entry in section.entries:
            note = f'<div class="mf-help">{html.escape(entry.note)}</div>' if entry.note else ""
            state = entry.status.lower().replace(" ", "-")
            rows.append(f'<tr><td><a class="mf-link" href="{html.escape(entry.href)}">{html.escape(entry.label)}</a>'
                        f'{note}</td><td><span class="mf-state mf-state-{state}">'
                        f'{html.escape(entry.status)}</span></td><td>{html.escape(entry.saved)}</td></tr>')
        parts.append(f'<h2>{html.escape(section.title)}</h2><table class="mf-links"><thead><tr><th>Form</th>'
                     f'<th>Status</th><th>Last saved</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    parts.append("</div>")
    return "".join(parts)


def landing_year(session: Session, asked: PageRequest, today: dt.date | None) -> AcademicYear:
    """The year the landing page lists: the one asked for (or the current one) if the office keeps
    forms for it; otherwise PageUnavailable in plain words, recorded in the audit trail."""
    try:
        return in_window(session, asked.academic_year(today), today)
    except PageUnavailable as error:
        trail.refused(session.folder, session.viewer.person_id, "opening the landing page", str(error),
                      year=asked.year)
        raise


def landing_app(environ: Mapping[str, str] | None = None, today: dt.date | None = None) -> widgets.VBox:
    """The landing page for this Voila request (or the demo picker, or a plain refusal)."""

    def content(session: Session, asked: PageRequest) -> PageContent:
        year = landing_year(session, asked, today)
        listing = widgets.HTML(render_sections(session, year, landing_sections(session, year)))
        listing.add_class("mf-landing-list")
        return (listing,), None

    return page_app(environ, content, name="landing page")



# --------------------------------------------------------------------------- without a kernel


def _demo_picker_html(roster: Roster, year: str | None) -> str:
    """The demo-mode identity picker as a plain form: it asks for the same page with ``?as=``."""
    options = "".join(f'<option value="{html.escape(person_id)}">{html.escape(label)}</option>'
                      for label, person_id in demo_choices(roster))
    keep_year = f'<input type="hidden" name="year" value="{html.escape(year)}">' if year else ""
    return (f'<form class="mf-demo-picker" method="get" action="{pages.LANDING}">{DEMO_NOTE}'
            f'<div class="mf-demo-select"><label for="mf-demo-as">Use the app as</label> '
            f'<select id="mf-demo-as" name="as" required><option value="">— choose a person —</option>{options}'
            f'</select> <button class="mf-demo-continue" type="submit">Continue</button></div>{keep_year}</form>')


def _refusal_box(error: MentorformsError) -> str:
    return f'<div class="mf-refusal-box">{message_html(str(error), title=refusal_title(error))}</div>'


def landing_body(environ: Mapping[str, str], today: dt.date | None = None,
                 load: Callable[[Path], Roster] = load_roster) -> str:
    """What the landing page shows for this request (the same as :func:`landing_app`'s widgets,
    as HTML, every text escaped): who the viewer is and their forms, or the demo picker, or a
    plain refusal. ``environ`` is the server's environment with the request's query string and
    forwarded headers, as a page's kernel would see them. Never raises for a bad request."""
    asked = request_from_env(environ)
    try:
        session = open_session(environ, asked, load)
        year = landing_year(session, asked, today)
        listing = render_sections(session, year, landing_sections(session, year))
        return (f'<div class="mf-identity-line">{identity_html(session)}</div>'
                f'<div class="mf-landing-list">{listing}</div>')
    except AccessDenied as error:
        if identity.demo_mode(environ) and not asked.demo_as:
            try:
                _, roster = open_folder(environ, load)
            except MentorformsError as unavailable:
                return _refusal_box(unavailable)
            return _demo_picker_html(roster, asked.year)
        log.info("landing page refused: %s", error)
        return _refusal_box(error)
    except MentorformsError as error:
        log.info("landing page unavailable: %s", error)
        return _refusal_box(error)


@lru_cache(maxsize=1)
def _document() -> jinja2.Template:
    templates = importlib.resources.files("mentorforms.templates")
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.from_string(templates.joinpath("landing.html.j2").read_text("utf-8"))


def landing_document(environ: Mapping[str, str], today: dt.date | None = None,
                     load: Callable[[Path], Roster] = load_roster) -> str:
    """The whole landing page as the server sends it without a kernel (templates/landing.html.j2)."""
    return _document().render(css=Markup(CSS), body=Markup(landing_body(environ, today, load)))
