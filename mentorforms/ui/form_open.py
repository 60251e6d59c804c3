"""Opening a form page from a request: which form, whose, under which key, and as whom.

The request (the query string) only *asks*; :func:`mentorforms.rules.parties.open_case` decides from
the roster whether the form exists and who the viewer is in it. A form kept per party (an
agreement per mentor) asked for without its key offers the roster's relationships to choose from.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.errors import AccessDenied, WorkbookError
from mentorforms.forms import UnknownFormError, get_form
from mentorforms.records.roster import Person
from mentorforms.rules import trail
from mentorforms.rules.parties import key_party, next_serial_key, open_case
from mentorforms.ui.context import PageRequest, PageUnavailable, Session, message_box, page_app, refusal_for, server_log
from mentorforms.ui.form_page import FormPage
from mentorforms.ui.form_view import Saved
from mentorforms.ui.open_years import in_window
from mentorforms.vocabulary import pages
from mentorforms.vocabulary.declaration import Form

log = server_log()


def _saved(session: Session, form: Form, subject_id: str, instance: str | None) -> Saved | None:
    """The latest readable version and why any newer one cannot be read (read once: the case
    finds a group's listed members in it and the page shows it), or None for a new form."""
    if form.instance_field is not None and instance is None:
        return None
    return session.folder.latest_readable(form.id, form.academic_year, subject_id, instance)


def saved_keys(session: Session, form: Form, subject_id: str) -> tuple[str, ...]:
    """The keys of the subject's saved records of ``form`` this year (each meeting's)."""
    if form.instance_field is None:
        return ()
    keys = []
    for stored in session.folder.versions(form.id, form.academic_year, subject_id):
        if stored.version == 1:
            keys.append(str(session.folder.read(stored).values.get(form.instance_field) or ""))
    return tuple(key for key in keys if key)


def _serial_instance(session: Session, form: Form, subject: Person, viewer_id: str, request: PageRequest
                     ) -> str | None:
    """A serial form's key: the one asked for ("instance"), or a new one with the mentor asked
    for (the viewer, when a mentor opens their mentee's form)."""
    if request.instance:
        return request.instance
    mentor_id = request.mentor_id or (viewer_id if viewer_id in subject.mentors else None)
    if mentor_id is None:
        return None
    return next_serial_key(form, mentor_id, saved_keys(session, form, subject.person_id))


def open_form_page(session: Session, request: PageRequest, today: dt.date | None = None) -> FormPage | widgets.Widget:
    """The page the request asks for, or a widget asking for what is missing (which mentor).

    AccessDenied when the viewer holds no party in the form (or the key names a relationship the
    roster does not have); PageUnavailable when the request makes no sense.
    """
    if not request.form_id:
        raise PageUnavailable(messages.PAGE_NO_FORM_NAMED)
    year = in_window(session, request.academic_year(today), today)
    try:
        form = get_form(request.form_id, year)
    except UnknownFormError as error:
        raise PageUnavailable(f"There is no form '{request.form_id}'. Open a form from the list of your forms.") \
            from error
    viewer, roster = session.viewer, session.roster
    subject_id = request.person_id or viewer.person_id
    subject = roster.get(subject_id)
    instance = (request.mentor_id or request.instance) if form.instance_field else None
    key = key_party(form)
    if form.instance_serial and subject is not None:
        instance = _serial_instance(session, form, subject, viewer.person_id, request)
    if key is not None and instance is None and subject is not None:
        if subject_id != viewer.person_id and viewer.person_id in subject.mentors:
            instance = viewer.person_id  # a mentor asking for their mentee's agreement: their own
        elif subject_id == viewer.person_id:
            return key_chooser(session, form, subject)
    saved = _saved(session, form, subject_id, instance)
    values = saved[0].values if saved is not None and saved[0] is not None else None
    case = open_case(form, roster, viewer, subject_id, instance, values)
    return FormPage(session, case, today=today, saved=saved)


def key_chooser(session: Session, form: Form, subject: Person) -> widgets.Widget:
    """Links to the subject's form with each person the roster relates them to (each mentor)."""
    links = []
    for mentor_id in subject.mentors:
        mentor = session.roster.get(mentor_id)
        if mentor is None or mentor_id == subject.person_id:
            continue
        href = session.link(pages.FORM, form=form.id, person=subject.person_id, mentor=mentor_id,
                            year=form.academic_year.label)
        label = form.parties[0].label.format(form=form.title, subject=subject.name, instance=mentor.name)
        links.append(f'<li><a class="mf-link" href="{html.escape(href)}">{html.escape(label)}</a></li>')
    if not links:
        party = key_party(form)
        return message_box(f"No {party.title.lower() if party else 'partner'} is assigned to {subject.name} on the "
                           "roster, so there is no such form to open. Ask the faculty-affairs office to record one.",
                           kind="notice")
    box = widgets.HTML(f'<div class="mf-chooser"><h2 class="mf-section-title">Which one?</h2><ul>'
                       f'{"".join(links)}</ul></div>')
    box.add_class("mf-mentor-chooser")
    return box


def form_app(environ: Mapping[str, str] | None = None, today: dt.date | None = None) -> widgets.VBox:
    """The whole form page for this Voila request: identity (or the demo picker), then the form,
    or a plain refusal. Never raises for a bad request."""
    return page_app(environ, lambda session, asked: (page_for(session, asked, today), None), name="form page")


def _asked_year(request: PageRequest, today: dt.date | None) -> str | None:
    """The year a refused request asked for, as the page read it (as typed when it is no year)."""
    try:
        return request.academic_year(today).label
    except PageUnavailable:
        return request.year


def page_for(session: Session, request: PageRequest, today: dt.date | None) -> tuple[widgets.Widget, ...]:
    """The widgets below the identity line: the form, a chooser, or a refusal."""
    try:
        page = open_form_page(session, request, today)
    except (AccessDenied, PageUnavailable) as error:
        log.info("form page refused for %s: %s", session.viewer.person_id, error)
        trail.refused(session.folder, session.viewer.person_id, "opening the form page", str(error),
                      form_id=request.form_id, person_id=request.person_id or session.viewer.person_id,
                      year=_asked_year(request, today), instance=request.mentor_id or request.instance)
        return (refusal_for(error),)
    except WorkbookError as error:
        log.error("form page could not read a workbook: %s", error)
        return (message_box(messages.PAGE_FORM_UNREADABLE, kind="refusal", title=messages.PAGE_FORM_UNREADABLE_TITLE),)
    if isinstance(page, FormPage):
        return (page.widget,)
    return (page,)
