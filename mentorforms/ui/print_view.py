"""The print view: a filled form as one clean HTML page, from ``templates/print_form.html.j2``.

:func:`print_model` turns a record into plain display data (every value already worded as the
reader should see it, in the document's order); the template only lays it out. The template is
loaded from the package ``mentorforms.templates`` with importlib.resources, so an installed copy
finds it. Per-form extras (the network map's picture) append their own trusted HTML.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from mentorforms.forms import get_form
from mentorforms.vocabulary.declaration import Field, Form, Kind
from mentorforms.vocabulary.record import CheckNote, Record, Signature, Status
from mentorforms.workbooks.form_extras import extras_for

TEMPLATE = "print_form.html.j2"
STATUS_WORDS = {Status.DRAFT: "Draft", Status.SUBMITTED: "Submitted", Status.SIGNED: "Signed"}
TICKED, UNTICKED = "☒", "☐"


@dataclass(frozen=True)
class PrintField:
    """One question as printed: its label and its answer in one of a few shapes."""

    id: str
    label: str
    kind: str
    lcme: bool = False
    text: str = ""  # a single answer ("" when unanswered)
    items: tuple[tuple[bool, str], ...] = ()  # ticked?, label: multiple choice, check with note
    ranked: tuple[tuple[int, str], ...] = ()  # rank, label
    columns: tuple[str, ...] = ()  # table column labels
    rows: tuple[tuple[str, ...], ...] = ()  # table cells as text
    help: str = ""


@dataclass(frozen=True)
class PrintSection:
    title: str
    intro: str
    fields: tuple[PrintField, ...]


@dataclass(frozen=True)
class PrintModel:
    """Everything the template shows."""

    title: str
    source: str
    intro: str
    footnote: str
    year: str
    person_name: str
    department: str
    status: str
    saved: str
    sections: tuple[PrintSection, ...]
    extra_html: str = ""
    meta: dict[str, str] = field(default_factory=dict)


def format_date(value: dt.date | None) -> str:
    """A date as printed on the form: 'November 22, 2026'."""
    return f"{value:%B} {value.day}, {value.year}" if value else ""


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, (int, float)):
        return f"{value:,}"
    return str(value)


def cell_text(item: Field, value: Any) -> str:
    """A single value of ``item`` (or of a table column) as plain text ('' for none)."""
    if value is None:
        return ""
    kind = item.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        return str(value)
    if kind is Kind.HOURS:
        return f"{_number(value)} hours" if isinstance(value, (int, float)) else str(value)
    if kind is Kind.WHOLE_NUMBER:
        return _number(value)
    if kind is Kind.DATE:
        return format_date(value) if isinstance(value, dt.date) else str(value)
    if kind is Kind.CHOICE:
        return item.choice_label(str(value))
    if kind is Kind.CHECK:
        return TICKED if value is True else ""
    if kind is Kind.SIGNATURE and isinstance(value, Signature):
        if value.signed_at is not None:
            when = value.signed_at.astimezone(dt.UTC)
            return (f"{value.name} ({value.signer_id}), {format_date(value.date)} at {when:%H:%M} UTC: "
                    f"\u201c{value.meaning}\u201d")
        return ", ".join(part for part in (value.name or "", format_date(value.date)) if part)
    return str(value)


def print_field(item: Field, value: Any) -> PrintField:
    """How one field of a record prints."""
    def shaped(**shape: Any) -> PrintField:
        return PrintField(id=item.id, label=item.label, kind=item.kind.value, lcme=item.lcme, **shape)

    kind = item.kind
    if kind is Kind.MULTI_CHOICE:
        chosen = set(value or ())
        return shaped(items=tuple((choice.id in chosen, choice.label) for choice in item.choices))
    if kind is Kind.CHECK_NOTE:
        note = value if isinstance(value, CheckNote) else None
        return shaped(items=((bool(note and note.checked), item.label),),
                      text=(note.note or "") if note else "")
    if kind is Kind.RANK:
        ranks = value if isinstance(value, dict) else {}
        ordered = sorted((rank, item.choice_label(choice_id)) for choice_id, rank in ranks.items())
        return shaped(ranked=tuple(ordered))
    if kind is Kind.TABLE:
        rows = tuple(tuple(cell_text(column, row.get(column.id)) for column in item.columns) for row in (value or ()))
        return shaped(columns=tuple(column.label for column in item.columns), rows=rows)
    if kind is Kind.CHECK:
        return shaped(items=((value is True, item.label),))
    return shaped(text=cell_text(item, value))


def print_model(form: Form, record: Record, person_name: str = "") -> PrintModel:
    """The display data of ``record`` filled in ``form``."""
    sections = tuple(
        PrintSection(section.title, section.intro,
                     tuple(print_field(item, record.values.get(item.id)) for item in section.fields))
        for section in form.sections
    )
    saved = record.saved_at.astimezone(dt.UTC)
    return PrintModel(
        title=form.title, source=form.source, intro=form.intro, footnote=form.footnote,
        year=record.academic_year.label, person_name=person_name or record.person_id,
        department=record.department, status=STATUS_WORDS.get(record.status, str(record.status)),
        saved=f"{format_date(saved.date())} {saved:%H:%M} UTC", sections=sections,
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    templates = importlib.resources.files("mentorforms.templates")

    def load(name: str) -> str:
        return templates.joinpath(name).read_text(encoding="utf-8")

    return jinja2.Environment(loader=jinja2.FunctionLoader(load), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_print(record: Record, form: Form | None = None, *, person_name: str = "", standalone: bool = True,
                 with_extras: bool = True) -> str:
    """The print view of ``record`` as HTML: a whole page (``standalone``) or a fragment to embed.

    All user text is escaped; only the form's extras (trusted code) add raw HTML.
    """
    form = form or get_form(record.form_id, record.academic_year)
    model = print_model(form, record, person_name)
    extra = ""
    if with_extras:
        print_html = extras_for(form.id).print_html
        if print_html is not None:
            extra = print_html(form, record)
    template = _environment().get_template(TEMPLATE)
    return template.render(model=model, extra_html=Markup(extra), standalone=standalone)
