"""The widgets of a form page, laid out from its declaration: header, status, sections, the
buttons, the side column (another form shown beside, a feature's live panel), the conflict panel,
the print area and the versions kept. :func:`build_layout` sets them as attributes of the page."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.forms import get_form
from mentorforms.ui import form_parts, prefill
from mentorforms.ui.context import message_box, server_log
from mentorforms.ui.print_view import render_print
from mentorforms.ui.table_input import row_min_px
from mentorforms.vocabulary.declaration import Kind
from mentorforms.workbooks.form_extras import extras_for

if TYPE_CHECKING:
    from mentorforms.ui.form_page import FormPage

log = server_log()

#: About how wide the form's own column is beside a side column on a 1280 px screen (px).
MAIN_BESIDE_SIDE_PX = 660


def _button(description: str, icon: str, css: str, tooltip: str, style: str = "") -> widgets.Button:
    button = widgets.Button(description=description, icon=icon, tooltip=tooltip, button_style=style)
    button.add_class(css)
    return button


def _sections(page: FormPage) -> widgets.VBox:
    form = page.form
    parts: list[widgets.Widget] = []
    intro = f'<p class="mf-intro">{html.escape(form.intro)}</p>' if form.intro else ""
    footnote = f'<p class="mf-footnote">{html.escape(form.footnote)}</p>' if form.footnote else ""
    legend = ""
    if any(item.lcme for item in form.fields()):
        legend = f'<p class="mf-legend">{messages.MARKS_LEGEND}</p>'
    if intro or footnote or legend:
        parts.append(widgets.HTML(intro + footnote + legend))
    for section in form.sections:
        section_intro = f'<p class="mf-section-intro">{html.escape(section.intro)}</p>' if section.intro else ""
        writers = section.writers or form.writers
        who = ""
        if len(form.parties) > 1 and not set(writers) & page.case.parties:
            names = " or ".join(form.party(party_id).title for party_id in writers)
            who = f' <span class="mf-readonly-tag">filled in by the {html.escape(names.lower())}</span>'
        children: list[widgets.Widget] = [widgets.HTML(
            f'<h2 class="mf-section-title">{html.escape(section.title)}{who}</h2>{section_intro}')]
        children.extend(page.inputs[item.id].box for item in section.fields)
        box = widgets.VBox(children)
        box.add_class("mf-section")
        box.add_class(f"mf-section-{section.id}")
        parts.append(box)
    main = widgets.VBox(parts)
    main.add_class("mf-main")
    return main


def _reference(page: FormPage, form_id: str) -> widgets.Widget:
    """The subject's latest submitted ``form_id`` of this year, read-only (Part II shows Part I)."""
    name = html.escape(page.subject.name)
    year = page.form.academic_year
    title = html.escape(get_form(form_id, year).title)
    try:
        other = prefill.latest_submitted(page.session.folder, form_id, year, page.subject.person_id)
    except OSError:
        log.exception("%s of %s could not be read", form_id, page.subject.person_id)
        other = None
    if other is None:
        body = f'<p class="mf-empty">{name} has not submitted the {title} for {year.label} yet.</p>'
    else:
        body = render_print(other, person_name=page.subject.name, standalone=False, with_extras=False)
    reference = widgets.HTML(f'<div class="mf-reference"><h2 class="mf-section-title">{title}, as submitted by '
                             f'{name} <span class="mf-readonly-tag">read-only</span></h2>{body}</div>')
    reference.add_class("mf-part1-reference")
    return reference


def _side(page: FormPage) -> list[widgets.Widget]:
    parts: list[widgets.Widget] = []
    if page.form.shown_beside is not None:
        parts.append(_reference(page, page.form.shown_beside))
    page.panel = None
    factory = extras_for(page.form.id).panel
    if factory is not None:
        try:
            page.panel = factory(page.current_values)
            if hasattr(page.panel, "set_context"):  # whose form, which year: see form_extras
                page.panel.set_context(folder=page.session.folder, person_id=page.subject.person_id,
                                       year=page.form.academic_year)
        except Exception:  # another feature's widget must not take the form down with it
            log.exception("the %s panel could not be built", page.form.id)
            parts.append(message_box("The live panel for this form could not be shown; the form itself "
                                     "works as usual.", kind="notice"))
        else:
            parts.append(page.panel)
    return parts


def build_layout(page: FormPage) -> None:
    """Create the page's widgets and set them on ``page``."""
    page.header = widgets.HTML(form_parts.header_html(page.form, page.subject, page.mentor, page.case.title))
    page.status = widgets.HTML()
    page.status.add_class("mf-status-line")
    page.notice = widgets.HTML()
    page.notice.add_class("mf-notice-line")
    page.main = _sections(page)

    page.save_button = _button("Save draft", "save", "mf-save-draft", "Save what you have typed")
    page.submit_button = _button("Submit", "check", "mf-submit", "Check every answer and submit this form", "primary")
    page.edit_button = _button("Edit", "pencil", "mf-edit", "Change a signed form (it will need signing again)")
    page.progress_button = _button("Save goal status", "save", "mf-save-progress",
                                   "Record the goals' progress as a new version")
    page.print_button = widgets.ToggleButton(description="Print view", icon="print", value=False)
    page.print_button.add_class("mf-print-toggle")
    page.download_button = _button("Download workbook", "download", "mf-download-button",
                                   "The saved workbook (recorded in the audit trail)")
    page.download_button.layout.display = "none"  # shown once a version is on the page
    page.download = widgets.HTML()
    page.download.add_class("mf-download-box")
    page.result = widgets.HTML()
    page.result.add_class("mf-result")
    page.save_button.on_click(lambda _: page.save_draft())
    page.submit_button.on_click(lambda _: page.submit())
    page.edit_button.on_click(lambda _: page.edit())
    page.progress_button.on_click(lambda _: page.save_progress())
    page.print_button.observe(lambda change: page.show_print(change["new"]), names="value")
    page.download_button.on_click(lambda _: page.offer_download())
    buttons = widgets.HBox([page.save_button, page.submit_button, page.edit_button, page.progress_button,
                            page.print_button, page.download_button, page.download])
    buttons.add_class("mf-buttons")
    rule = widgets.HTML(f'<div class="mf-help mf-draft-rule">{html.escape(messages.DRAFT_RULE)}</div>')

    page.conflict_box = widgets.HTML()
    page.conflict_box.add_class("mf-conflict-box")
    keep = _button("Keep mine", "check", "mf-keep-mine", "Save your changes on top of the newer version", "warning")
    theirs = _button("Use theirs", "refresh", "mf-use-theirs", "Show the newer version")
    keep.on_click(lambda _: page.keep_mine())
    theirs.on_click(lambda _: page.use_theirs())
    page.conflict_actions = widgets.HBox([keep, theirs], layout=widgets.Layout(display="none"))
    page.conflict_actions.add_class("mf-conflict-actions")
    page.actions = widgets.VBox([page.conflict_box, page.conflict_actions, buttons, page.result, rule])
    page.actions.add_class("mf-actions")

    page.print_area = widgets.HTML(layout=widgets.Layout(display="none"))
    page.print_area.add_class("mf-print")
    page.history = widgets.HTML()
    page.history.add_class("mf-history")

    side = _side(page)
    widest = max((row_min_px(item) for item in page.form.fields() if item.kind is Kind.TABLE), default=0)
    if side and widest > MAIN_BESIDE_SIDE_PX:
        # A table this wide would scroll sideways beside the side column: the column goes below.
        page.side = widgets.VBox(side)
        page.side.add_class("mf-side-below")
        body = widgets.VBox([page.main, page.side])
    elif side:
        page.side = widgets.VBox(side)
        page.side.add_class("mf-side")
        body = widgets.HBox([page.main, page.side])
        body.add_class("mf-body-split")
    else:
        page.side = None
        body = widgets.HBox([page.main])
    body.add_class("mf-body")
    page.widget = widgets.VBox([page.header, page.status, page.notice, body, page.actions, page.print_area,
                                page.history])
    page.widget.add_class("mf-form")
    page.widget.add_class(f"mf-form-{page.form.id}")
