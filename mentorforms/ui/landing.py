"""The landing page: every form the viewer may open this year, with where each one stands.

:func:`landing_sections` works out the list (testable without a browser); :func:`landing_app`
shows it. Links carry the form, person, year and (for agreements) mentor; in demo mode they also
carry the identity picked, so the form page does not ask again.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Mapping

import ipywidgets as widgets

from mentorforms import access, pages
from mentorforms.academic_year import AcademicYear
from mentorforms.errors import WorkbookError
from mentorforms.forms import get_form
from mentorforms.print_view import STATUS_WORDS, format_date
from mentorforms.record import Record
from mentorforms.store import DataFolder
from mentorforms.ui.context import PageContent, PageRequest, Session, page_app, server_log
from mentorforms.workbook import read_record

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
    title: str
    entries: tuple[Entry, ...]


def _state(record: Record | None) -> tuple[str, str]:
    if record is None:
        return "Not started", ""
    saved = record.saved_at.astimezone(dt.timezone.utc).date()
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
            record = read_record(stored.path)
        except WorkbookError as error:
            log.error("landing page: %s", error)
            continue
        value = record.values.get(field_id)
        if value:
            values.append(str(value))
    return values


def landing_sections(session: Session, year: AcademicYear) -> list[LandingSection]:
    """Every form the viewer may open in ``year``, grouped by the viewer's part in it."""
    viewer = session.viewer.person
    roster = session.roster
    folder = session.folder
    sections: list[LandingSection] = []

    own: list[Entry] = []
    if viewer.has_role("faculty") or viewer.has_role("mentor") or access.holds_conferences(viewer):
        own.append(_entry(session, get_form("conference_part1", year).title, "conference_part1", year,
                          viewer.person_id, note="You fill it in before the conference."))
        own.append(_entry(session, get_form("conference_part2", year).title, "conference_part2", year,
                          viewer.person_id, note="Your chair fills it in; you sign it."))
        own.append(_entry(session, get_form("network_map", year).title, "network_map", year, viewer.person_id))
        mentor_ids = list(viewer.mentors)
        for mentor_id in _instances(folder, "agreement", year, viewer.person_id, "mentor_id"):
            if mentor_id not in mentor_ids:
                mentor_ids.append(mentor_id)
        for mentor_id in mentor_ids:
            mentor = roster.get(mentor_id)
            name = mentor.name if mentor else mentor_id
            own.append(_entry(session, f"Mentoring agreement with {name}", "agreement", year, viewer.person_id,
                              instance=mentor_id, link={"mentor": mentor_id}))
        for group in _instances(folder, "peer_group", year, viewer.person_id, "group_name"):
            own.append(_entry(session, f"Peer mentoring group: {group}", "peer_group", year, viewer.person_id,
                              instance=group, link={"instance": group}))
        if viewer.has_role("mentor"):
            href = session.link(pages.FORM, form="peer_group", person=viewer.person_id, year=year.label)
            own.append(Entry("Start a new structured peer mentoring group", href, "New"))
    if own:
        sections.append(LandingSection("Your forms", tuple(own)))

    mentees = sorted(roster.mentees_of(viewer.person_id), key=lambda person: person.name)
    if mentees:
        sections.append(LandingSection("Agreements with your mentees", tuple(
            _entry(session, f"Mentoring agreement with {mentee.name}", "agreement", year, mentee.person_id,
                   instance=viewer.person_id, link={"mentor": viewer.person_id})
            for mentee in mentees)))

    if access.holds_conferences(viewer):
        faculty = sorted((person for person in roster.in_department(viewer.department)
                          if person.has_role("faculty") and access.is_chair_of(roster, viewer, person.person_id)),
                         key=lambda person: person.name)
        entries: list[Entry] = []
        for person in faculty:
            entries.append(_entry(session, f"{person.name}: Part II (you fill it in)", "conference_part2", year,
                                  person.person_id))
            entries.append(_entry(session, f"{person.name}: Part I (read-only)", "conference_part1", year,
                                  person.person_id))
        if entries:
            part = "as chair" if viewer.has_role("chair") else "as the chair's designee"
            sections.append(LandingSection(f"Conferences in {viewer.department} ({part})", tuple(entries)))

    reports = _report_entries(session, year)
    if reports:
        sections.append(LandingSection("Reports", reports))
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


def render_sections(session: Session, year: AcademicYear, sections: list[LandingSection]) -> str:
    """The landing page's HTML (every text escaped)."""
    year_links = " · ".join(
        f'<a class="mf-year-link" href="{html.escape(session.link(pages.LANDING, year=other.label))}">'
        f'{other.label}</a>' for other in (year.previous, year.next))
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
                        f'{note}</td><td><span class="mf-state mf-state-{state}">{html.escape(entry.status)}</span></td>'
                        f'<td>{html.escape(entry.saved)}</td></tr>')
        parts.append(f'<h2>{html.escape(section.title)}</h2><table class="mf-links"><thead><tr><th>Form</th>'
                     f'<th>Status</th><th>Last saved</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    parts.append("</div>")
    return "".join(parts)


def landing_app(environ: Mapping[str, str] | None = None, today: dt.date | None = None) -> widgets.VBox:
    """The landing page for this Voila request (or the demo picker, or a plain refusal)."""

    def content(session: Session, asked: PageRequest) -> PageContent:
        year = asked.academic_year(today)
        listing = widgets.HTML(render_sections(session, year, landing_sections(session, year)))
        listing.add_class("mf-landing-list")
        return (listing,), None

    return page_app(environ, content, name="landing page")

