"""Driving the form pages as a person would: open a page, fill a field of any kind, press a button.

Everything is located by the CSS classes the page model sets (``mf-field-<id>``, ``mf-row``,
``mf-cell-<column>``, ``mf-choice-<choice>``, ``mf-save-draft``, ...), so the helpers follow the
declarations: a new field needs no new test code.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Locator, Page, expect

from mentorforms.ui.widgets import format_number
from mentorforms.vocabulary.declaration import Field, Form, Kind
from mentorforms.vocabulary.record import CheckNote, Signature

FORM_URL = "/voila/render/form.ipynb"
LANDING_URL = "/voila/render/index.ipynb"
#: A page shows its widgets about 3 s after the request; a cold kernel on a busy machine takes longer.
PAGE_TIMEOUT_MS = 60_000


def form_url(base: str, form_id: str, person_id: str | None = None, *, year, as_: str | None = None,
             **params: str) -> str:
    """The link to a form page; ``year`` (an AcademicYear or its label) is always named."""
    query = {"form": form_id, "year": str(year), **params}
    if person_id:
        query["person"] = person_id
    if as_:
        query["as"] = as_
    return f"{base}{FORM_URL}?{urllib.parse.urlencode(query)}"


def open_form(page: Page, url: str) -> Locator:
    """Go to a form (or landing) page and wait until its content (or a refusal) is on it; returns
    the form."""
    page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
    page.locator(".mf-form, .mf-landing-list, .mf-refusal-box, .mf-notice-box, .mf-mentor-chooser, "
                 ".mf-demo-picker").first.wait_for(
        timeout=PAGE_TIMEOUT_MS)
    return page.locator(".mf-form")


def field(page: Page, field_id: str) -> Locator:
    return page.locator(f".mf-field-{field_id}")


def _fill_cell(cell: Locator, column: Field, value: Any) -> None:
    kind = column.kind
    if kind is Kind.CHECK:
        cell.locator("input[type=checkbox]").set_checked(value is True)
    elif kind is Kind.CHOICE:
        label = column.choice_label(value) if value else "—"
        cell.locator("select").select_option(label=label)
    elif kind is Kind.DATE:
        cell.locator("input").fill(value.isoformat() if isinstance(value, dt.date) else "")
    elif kind is Kind.LONG_TEXT:
        cell.locator("textarea").fill("" if value is None else str(value))
    elif kind in (Kind.HOURS, Kind.WHOLE_NUMBER):
        cell.locator("input").fill(format_number(value))
    else:
        cell.locator("input").fill("" if value is None else str(value))


def set_rows(page: Page, item: Field, count: int) -> Locator:
    """Add or remove rows of a table field until it has ``count``; returns the rows."""
    box = field(page, item.id)
    rows = box.locator(".mf-row")
    while rows.count() > count:
        before = rows.count()
        rows.last.locator(".mf-remove-row").click()
        expect(rows).to_have_count(before - 1)
    while rows.count() < count:
        before = rows.count()
        box.locator(".mf-add-row").click()
        expect(rows).to_have_count(before + 1)
    return rows


def fill_field(page: Page, item: Field, value: Any) -> None:
    """Give ``item`` the answer ``value`` (a record value) through its input, as a user would."""
    box = field(page, item.id)
    kind = item.kind
    if kind is Kind.SHORT_TEXT:
        box.locator("input").first.fill("" if value is None else str(value))
    elif kind is Kind.LONG_TEXT:
        box.locator("textarea").first.fill("" if value is None else str(value))
    elif kind in (Kind.HOURS, Kind.WHOLE_NUMBER):
        box.locator("input").first.fill(format_number(value) if not isinstance(value, str) else value)
    elif kind is Kind.DATE:
        box.locator("input").first.fill(value.isoformat() if value else "")
    elif kind is Kind.CHOICE:
        select = box.locator("select")
        if select.count():
            select.select_option(label=item.choice_label(value))
        else:
            box.get_by_label(item.choice_label(value), exact=True).check()
    elif kind is Kind.MULTI_CHOICE:
        chosen = set(value or ())
        for choice in item.choices:
            box.locator(f".mf-choice-{choice.id} input").set_checked(choice.id in chosen)
    elif kind is Kind.CHECK:
        box.locator("input[type=checkbox]").set_checked(value is True)
    elif kind is Kind.CHECK_NOTE:
        note = value if isinstance(value, CheckNote) else CheckNote(False, None)
        box.locator("input[type=checkbox]").set_checked(note.checked)
        box.locator("textarea").fill(note.note or "")
    elif kind is Kind.RANK:
        for choice_id, rank in sorted((value or {}).items(), key=lambda pair: pair[1]):
            box.locator(f".mf-choice-{choice_id} select").select_option(label=str(rank))
    elif kind is Kind.TABLE:
        rows = set_rows(page, item, len(value or ()))
        for index, row in enumerate(value or ()):
            for column in item.columns:
                _fill_cell(rows.nth(index).locator(f".mf-cell-{column.id}"), column, row.get(column.id))
    elif kind is Kind.SIGNATURE:
        signature = value if isinstance(value, Signature) else Signature("", None)
        box.locator(".mf-signature-name input").fill(signature.name or "")  # the server dates it
    else:  # every kind is handled above
        raise AssertionError(kind)


def fill_form(page: Page, form: Form, values: Mapping[str, Any]) -> None:
    """Fill every field named in ``values``, in the document's order."""
    for item in form.fields():
        if item.id in values:
            fill_field(page, item, values[item.id])


def press(page: Page, button_class: str, expect_text: str, timeout: float = 15_000) -> str:
    """Press a page button and wait for the outcome line to contain ``expect_text``; returns it."""
    result = page.locator(".mf-result")
    page.locator(f".{button_class}").click()
    expect(result).to_contain_text(expect_text, timeout=timeout)
    return result.inner_text()


def full_screenshot(page: Page, path) -> None:
    """A screenshot of the whole page: Voila scrolls inside #rendered_cells, so the viewport is
    stretched to the content's height first, then put back."""
    size = page.viewport_size
    height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 20, 16_000)})
    try:
        page.wait_for_timeout(300)
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)
