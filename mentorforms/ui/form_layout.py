"""The widgets of a form page, laid out from its declaration: header, status, sections, the
buttons, the side column (another form shown beside, a feature's live panel), the conflict panel,
the print area and the versions kept. :func:`build_layout` draws a gathered
:class:`~mentorforms.ui.form_view.FormView` and returns the widgets it made as a :class:`FormLayout`;
the buttons call the page's actions."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.records.roster import Person
from mentorforms.rules.parties import Case
from mentorforms.ui import form_parts
from mentorforms.ui.context import message_box, server_log
from mentorforms.ui.form_print import PrintArea
from mentorforms.ui.form_status import StatusLines
from mentorforms.ui.form_versions import ConflictPanel, History
from mentorforms.ui.form_view import FormView, PanelContext, Reference
from mentorforms.ui.print_view import render_print
from mentorforms.ui.table_input import row_min_px
from mentorforms.ui.widgets import FieldInput, button
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form, Kind
from mentorforms.workbooks.form_extras import extras_for

log = server_log()

#: About how wide the form's own column is beside a side column on a 1280 px screen (px).
MAIN_BESIDE_SIDE_PX = 660


class PageActions(Protocol):
    """What the page's buttons do (a form page)."""

    def save_draft(self) -> object: ...
    def submit(self) -> object: ...
    def edit(self) -> object: ...
    def save_progress(self) -> object: ...
    def show_print(self, visible: bool) -> None: ...
    def offer_download(self) -> object: ...
    def current_values(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Parts:
    """The parts of a form page that keep their own state, made by the page and placed here."""

    lines: StatusLines
    conflicts: ConflictPanel
    printing: PrintArea
    history: History


@dataclass(frozen=True)
class FormLayout:
    """The widgets of a form page that the page changes after drawing."""

    header: widgets.HTML
    status: widgets.HTML
    main: widgets.VBox
    save_button: widgets.Button
    submit_button: widgets.Button
    edit_button: widgets.Button
    progress_button: widgets.Button
    print_button: widgets.ToggleButton
    download_button: widgets.Button
    #: The link saving the workbook, once its download is recorded.
    download: widgets.HTML
    actions: widgets.VBox
    #: The column beside (or below) the form: the form shown beside it and the live panel; None without.
    side: widgets.VBox | None
    #: The form's live panel (FormExtras.panel), None when it has none or it could not be built.
    panel: Any
    #: The form shown beside this one, read-only (None when there is none).
    reference: widgets.HTML | None
    widget: widgets.VBox


def _sections(form: Form, case: Case, inputs: Mapping[str, FieldInput]) -> widgets.VBox:
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
        if len(form.parties) > 1 and not set(writers) & case.parties:
            names = " or ".join(form.party(party_id).title for party_id in writers)
            who = f' <span class="mf-readonly-tag">filled in by the {html.escape(names.lower())}</span>'
        children: list[widgets.Widget] = [widgets.HTML(
            f'<h2 class="mf-section-title">{html.escape(section.title)}{who}</h2>{section_intro}')]
        children.extend(inputs[item.id].box for item in section.fields)
        box = widgets.VBox(children)
        box.add_class("mf-section")
        box.add_class(f"mf-section-{section.id}")
        parts.append(box)
    main = widgets.VBox(parts)
    main.add_class("mf-main")
    return main


def reference_html(shown: Reference, subject: Person, year: AcademicYear) -> str:
    """Another form of the subject, read-only, as submitted (or a line saying it is not yet)."""
    name = html.escape(subject.name)
    title = html.escape(shown.title)
    if shown.record is None:
        body = f'<p class="mf-empty">{name} has not submitted the {title} for {year.label} yet.</p>'
    else:
        body = render_print(shown.record, person_name=subject.name, standalone=False, with_extras=False)
    return (f'<div class="mf-reference"><h2 class="mf-section-title">{title}, as submitted by '
            f'{name} <span class="mf-readonly-tag">read-only</span></h2>{body}</div>')


def _panel(form: Form, context: PanelContext, values: PageActions) -> tuple[Any, list[widgets.Widget]]:
    """The form's live panel (None if it has none) and what the side column shows for it."""
    factory = extras_for(form.id).panel
    if factory is None:
        return None, []
    try:
        panel = factory(values.current_values)
        if hasattr(panel, "set_context"):  # whose form, which year: see form_extras
            panel.set_context(folder=context.folder, person_id=context.person_id, year=context.year)
    except Exception:  # another feature's widget must not take the form down with it
        log.exception("the %s panel could not be built", form.id)
        return None, [message_box("The live panel for this form could not be shown; the form itself "
                                  "works as usual.", kind="notice")]
    return panel, [panel]


def build_layout(case: Case, inputs: Mapping[str, FieldInput], view: FormView, parts: Parts,
                 page: PageActions) -> FormLayout:
    """Draw the page of ``case`` showing ``view``: its widgets, the buttons wired to ``page``."""
    form = case.form
    header = widgets.HTML(form_parts.header_html(form, case.subject, case.instance_person, case.title))
    status = widgets.HTML()
    status.add_class("mf-status-line")
    main = _sections(form, case, inputs)

    save_button = button("Save draft", "save", "mf-save-draft", "Save what you have typed")
    submit_button = button("Submit", "check", "mf-submit", "Check every answer and submit this form", "primary")
    edit_button = button("Edit", "pencil", "mf-edit", "Change a signed form (it will need signing again)")
    progress_button = button("Save goal status", "save", "mf-save-progress",
                             "Record the goals' progress as a new version")
    print_button = widgets.ToggleButton(description="Print view", icon="print", value=False)
    print_button.add_class("mf-print-toggle")
    download_button = button("Download workbook", "download", "mf-download-button",
                             "The saved workbook (recorded in the audit trail)")
    download_button.layout.display = "none"  # shown once a version is on the page
    download = widgets.HTML()
    download.add_class("mf-download-box")
    save_button.on_click(lambda _: page.save_draft())
    submit_button.on_click(lambda _: page.submit())
    edit_button.on_click(lambda _: page.edit())
    progress_button.on_click(lambda _: page.save_progress())
    print_button.observe(lambda change: page.show_print(change["new"]), names="value")
    download_button.on_click(lambda _: page.offer_download())
    buttons = widgets.HBox([save_button, submit_button, edit_button, progress_button, print_button,
                            download_button, download])
    buttons.add_class("mf-buttons")
    rule = widgets.HTML(f'<div class="mf-help mf-draft-rule">{html.escape(messages.DRAFT_RULE)}</div>')
    actions = widgets.VBox([parts.conflicts.box, parts.conflicts.actions, buttons, parts.lines.result, rule])
    actions.add_class("mf-actions")

    side_parts: list[widgets.Widget] = []
    reference = None
    if view.reference is not None:
        reference = widgets.HTML(reference_html(view.reference, case.subject, form.academic_year))
        reference.add_class("mf-part1-reference")
        side_parts.append(reference)
    panel, shown = _panel(form, view.panel, page)
    side_parts.extend(shown)
    widest = max((row_min_px(item) for item in form.fields() if item.kind is Kind.TABLE), default=0)
    side: widgets.VBox | None = None
    if side_parts and widest > MAIN_BESIDE_SIDE_PX:
        # A table this wide would scroll sideways beside the side column: the column goes below.
        side = widgets.VBox(side_parts)
        side.add_class("mf-side-below")
        body: widgets.Box = widgets.VBox([main, side])
    elif side_parts:
        side = widgets.VBox(side_parts)
        side.add_class("mf-side")
        body = widgets.HBox([main, side])
        body.add_class("mf-body-split")
    else:
        body = widgets.HBox([main])
    body.add_class("mf-body")
    widget = widgets.VBox([header, status, parts.lines.notice, body, actions, parts.printing.widget,
                           parts.history.widget])
    widget.add_class("mf-form")
    widget.add_class(f"mf-form-{form.id}")
    return FormLayout(header, status, main, save_button, submit_button, edit_button, progress_button, print_button,
                      download_button, download, actions, side, panel, reference, widget)
