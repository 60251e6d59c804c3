"""The base of every field's input: the question (worded as the document words it, with its
LCME and required marks), its help text, the input and a place for messages next to it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import ipywidgets as widgets

from mentorforms.errors import FieldProblem
from mentorforms.vocabulary.declaration import Field, Kind

Listener = Callable[[], None]


def _question_html(item: Field, *, tag: str = "div") -> str:
    """The question (with its LCME and required marks) and its help text, as HTML."""
    label = html.escape(item.label)
    marks = ""
    if item.lcme:
        marks += '<span class="mf-lcme" title="LCME-required topic">*</span>'
    if item.required:
        marks += ' <span class="mf-required">required</span>'
    help_text = f'<{tag} class="mf-help">{html.escape(item.help)}</{tag}>' if item.help else ""
    return f'<{tag} class="mf-question-text">{label}{marks}</{tag}>{help_text}'


def input_label_html(item: Field) -> str:
    """The label of a simple input as HTML (it stays a <label for=...> pointing at the input)."""
    return _question_html(item, tag="span")


class FieldInput:
    """The input for one field: ``box`` is the widget to show; ``value()``/``set_value()`` speak
    record value types; ``on_change`` listeners run after every change the user makes."""

    def __init__(self, item: Field) -> None:
        self.field = item
        self._listeners: list[Listener] = []
        self._quiet = 0
        self._enabled = True
        #: Created when the first message is shown (fewer widgets make a faster page).
        self.message: widgets.HTML | None = None
        self.box = widgets.VBox()
        self.box.add_class("mf-field")
        self.box.add_class(f"mf-field-{item.id}")
        self.box.add_class(f"mf-kind-{item.kind.value}")

    # ----------------------------------------------------------------- to implement per kind

    def value(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _set(self, value: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _controls(self) -> Iterable[widgets.Widget]:  # pragma: no cover - abstract
        """Every widget the user can change (enabled and disabled together)."""
        raise NotImplementedError

    def focus(self) -> None:
        """Move the keyboard focus (and so the scroll position) to the first control."""
        for control in self._controls():
            control.focus()
            return

    # ----------------------------------------------------------------- shared behaviour

    def set_value(self, value: Any) -> None:
        """Show ``value`` (a record value, or None for empty) without notifying listeners."""
        self._quiet += 1
        try:
            self._set(value)
        finally:
            self._quiet -= 1

    def enter(self, value: Any) -> None:
        """Show ``value`` as if the user had typed or picked it (listeners are told)."""
        self.set_value(value)
        self._changed()

    def on_change(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _changed(self, change: Any = None) -> None:
        if self._quiet:
            return
        for listener in list(self._listeners):
            listener()

    def _watch(self, control: widgets.Widget, name: str = "value") -> widgets.Widget:
        control.observe(self._changed, names=name)
        return control

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Allow or prevent changes (a signed form, or a field this viewer may not change)."""
        self._enabled = enabled
        for control in self._controls():
            control.disabled = not enabled

    def notices(self) -> list[str]:
        """What the input itself changed on the last change, to say next to it (none by default)."""
        return []

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        """Show these problems next to the field, in plain words (none: hide the message)."""
        if not problems:
            if self.message is not None and self.message.value:
                self.message.value = ""
                self.message.layout.display = "none"
                self.box.remove_class("mf-invalid")
            return
        if self.message is None:
            self.message = widgets.HTML()
            self.message.add_class("mf-message")
            self.box.children = self.box.children + (self.message,)
        lines = []
        for problem in problems:
            where = []
            if problem.row is not None:
                where.append(f"Row {problem.row}")
            if problem.column is not None and self.field.kind is Kind.TABLE:
                where.append(problem.column)
            if problem.item is not None and self.field.kind is Kind.RANK:
                where.append(self.field.choice_label(problem.item))
            prefix = f"{', '.join(where)}: " if where else ""
            lines.append(f"<li>{html.escape(prefix + problem.message)}</li>")
        self.message.value = f'<ul class="mf-message-list" role="alert">{"".join(lines)}</ul>'
        self.message.layout.display = ""
        self.box.add_class("mf-invalid")

    @property
    def message_text(self) -> str:
        """The message shown now, as plain text ('' when none): for tests and the status line."""
        if self.message is None:
            return ""
        return html.unescape(re.sub(r"<[^>]+>", " ", self.message.value)).strip()

    def _layout(self, *parts: widgets.Widget | None, question: bool = False) -> None:
        """Lay out the box: the question with its help (as one HTML, unless the first part is an
        input that carries them in its own label), then the parts."""
        children: list[widgets.Widget] = []
        if question:
            children.append(widgets.HTML(_question_html(self.field)))
        children.extend(part for part in parts if part is not None)
        self.box.children = tuple(children)


def labelled(control: widgets.Widget, item: Field) -> widgets.Widget:
    """``control`` with the question's label beside it, as every simple input shows it."""
    control.description = input_label_html(item)
    control.description_allow_html = True
    control.style.description_width = "initial"
    control.add_class("mf-q")
    return control
