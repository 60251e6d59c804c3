"""The analyst page: choose a year and departments, then download the formatted workbook (and the
printable HTML report).

Downloads are data-URI links (``<a download href="data:...">``): Voila serves no files from the
kernel, and a FileLink would point at a path the browser cannot reach. Who may export what follows
:func:`mentorforms.rules.access.visible_departments`: an analyst every department, a chair their own.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.errors import AccessDenied, MentorformsError
from mentorforms.records import audit
from mentorforms.reports.index import Index
from mentorforms.reports.numbers import counted_words
from mentorforms.rules import access, trail
from mentorforms.ui import memory
from mentorforms.ui.context import PageContent, PageRequest, Session, page_app, server_log
from mentorforms.vocabulary.academic_year import AcademicYear

if TYPE_CHECKING:
    from mentorforms.reports.tables import Tables

# The report modules (pandas, the workbook writers, the HTML templates) are imported when a
# download is prepared, not when the page opens: the page is up in the time the others take.

log = server_log()

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_link(content: bytes, filename: str, mime: str, text: str) -> str:
    """An HTML anchor that downloads ``content`` as ``filename`` (a data URI; works in Voila)."""
    encoded = base64.b64encode(content).decode("ascii")
    size = f"{len(content) / 1024:,.0f} KB"
    return (f'<a class="mf-download" download="{html.escape(filename)}" href="data:{mime};base64,{encoded}">'
            f'{html.escape(text)}</a> <span class="mf-note">({size})</span>')


class AnalystPage:
    """Year and department choices, and buttons that prepare the downloads."""

    def __init__(self, session: Session, *, index: Index | None = None, as_of: dt.date | None = None) -> None:
        self.session = session
        self.departments = access.visible_departments(session.viewer, session.roster)
        if not self.departments:
            raise AccessDenied(messages.ANALYST_NOT_ALLOWED)
        self.index = index or Index(session.folder.root)
        self.as_of = as_of or dt.date.today()
        self.progress = widgets.IntProgress(value=0, min=0, max=1, layout=widgets.Layout(width="320px"))
        self.status = widgets.HTML('<span class="mf-note">Opening the report index…</span>')
        self.year = widgets.Dropdown(description="Year", options=[], layout=widgets.Layout(width="220px"))
        self.year.add_class("mf-analyst-year")
        self.chosen = widgets.SelectMultiple(description="Departments", options=list(self.departments),
                                             value=list(self.departments), rows=min(8, len(self.departments)),
                                             style={"description_width": "initial"},
                                             layout=widgets.Layout(width="420px"))
        self.chosen.add_class("mf-analyst-departments")
        hint = messages.say(messages.ANALYST_DEPARTMENTS_HINT, count=len(self.departments))
        self.chosen_hint = widgets.HTML(f'<span class="mf-note">{html.escape(hint)}</span>')
        self.chosen_hint.add_class("mf-analyst-departments-hint")
        self.published = widgets.Checkbox(value=False, indent=False, layout=widgets.Layout(width="auto"),
                                          description="For circulation outside the office: no names, counts of 1 to 4 "
                                                      "hidden (with enough others that none can be worked out)")
        self.published.add_class("mf-analyst-published")
        self.workbook_button = widgets.Button(description="Prepare the workbook", button_style="primary",
                                              icon="file-excel-o", layout=widgets.Layout(width="auto"))
        self.workbook_button.add_class("mf-prepare-workbook")
        self.html_button = widgets.Button(description="Prepare the printable report", icon="print",
                                          layout=widgets.Layout(width="auto"))
        self.html_button.add_class("mf-prepare-html")
        # The latest problem, then one link per download: preparing one never removes the other's.
        self.result = widgets.HTML()
        self.result.add_class("mf-analyst-result")
        self._problem = ""
        self._links: dict[str, str] = {"xlsx": "", "html": ""}
        self.workbook_button.on_click(lambda _: self._safely(self.prepare_workbook))
        self.html_button.on_click(lambda _: self._safely(self.prepare_html))
        self.controls = widgets.VBox([self.year, self.chosen, self.chosen_hint, self.published,
                                      widgets.HBox([self.workbook_button, self.html_button]),
                                      self.result])
        self.controls.layout.display = "none"
        self.widget = widgets.VBox([
            widgets.HTML('<h1 class="mf-title">Analyst export</h1><p class="mf-note">One formatted workbook: a '
                         'summary sheet per department with charts, the missing and late conferences, the data '
                         'tables and the files that could not be read.</p>'),
            widgets.HBox([self.progress, self.status]), self.controls])
        self.widget.add_class("mf-analyst")
        self.loaded = False
        self._lock = threading.RLock()

    def _progress(self, done: int, total: int) -> None:
        self.progress.max = max(1, total)
        self.progress.value = done
        if total:
            self.status.value = f'<span class="mf-note">Reading workbooks: {done:,} of {total:,}</span>'

    def load(self, background: bool = False) -> None:
        """Refresh the index (with progress) and offer the years found."""
        if background:
            threading.Thread(target=self._safely, args=(self._load,), daemon=True).start()
        else:
            self._load()

    def _load(self) -> None:
        with self._lock:
            refreshed = self.index.refresh(self._progress)
            years = sorted(self.index.years(), reverse=True)
            self.year.options = [(AcademicYear(start).label, start) for start in years]
            current = AcademicYear.containing(self.as_of).start
            if years:
                self.year.value = current if current in years else years[0]
            self.loaded = True
            self.progress.layout.display = "none"
            counted = counted_words(refreshed.files, refreshed.unreadable)
            self.status.value = f'<span class="mf-note">{html.escape(counted)}</span>'
            self.controls.layout.display = None

    def _selection(self) -> tuple[AcademicYear, list[str]]:
        if not self.loaded or self.year.value is None:
            raise MentorformsError(messages.ANALYST_STILL_LOADING)
        chosen = list(self.chosen.value)
        for department in chosen:
            access.require(department in self.departments,
                           messages.say(messages.ANALYST_DEPARTMENT_REFUSED, department=department))
        if not chosen:
            raise MentorformsError(messages.ANALYST_CHOOSE_DEPARTMENT)
        return AcademicYear(int(self.year.value)), chosen

    def _tables(self, year: AcademicYear, departments: list[str]) -> Tables:
        """Every table of the year and the one before (for the comparisons), for ``departments``."""
        from mentorforms.reports.tables import build_tables

        with self._lock:
            return build_tables(self.index, self.session.roster, years=[year.previous, year],
                                departments=departments, as_of=self.as_of)

    def _name(self, year: AcademicYear, departments: list[str], suffix: str) -> str:
        scope = "all-departments" if len(departments) == len(self.departments) and len(departments) > 1 else \
            "-".join("".join(ch for ch in name.lower() if ch.isalnum()) for name in departments)[:60]
        kind = "-published" if self.published.value else ""
        return f"mentorforms-report-{year.label}-{scope}{kind}.{suffix}"

    def prepare_workbook(self) -> bytes:
        """Build the workbook for the chosen year and departments and offer it as a download."""
        from mentorforms.reports.export import export_bytes

        year, departments = self._selection()
        content = export_bytes(self._tables(year, departments), year, departments=departments,
                               published=self.published.value)
        name = self._name(year, departments, "xlsx")
        self._record(name, content, year, departments)
        self._show(xlsx=download_link(content, name, XLSX_MIME, "Download the workbook"))
        return content

    def prepare_html(self) -> str:
        """Render the printable report for the chosen year and departments and offer it as a download."""
        from mentorforms.reports.html import render_report

        year, departments = self._selection()
        page = render_report(self._tables(year, departments), year, departments=departments,
                             published=self.published.value)
        name = self._name(year, departments, "html")
        self._record(name, page.encode("utf-8"), year, departments)
        self._show(html=download_link(page.encode("utf-8"), name, "text/html;charset=utf-8",
                                      "Download the printable report"))
        return page

    def _record(self, name: str, content: bytes, year: AcademicYear, departments: list[str]) -> None:
        """An "exported" audit entry before the download is offered (no entry, no download)."""
        audit.append(self.session.folder.root, "exported", actor=self.session.viewer.person_id, year=year.label,
                     files={name: audit.sha256_of(content)}, detail=f"analyst page: {', '.join(departments)}")

    def _show(self, problem: str = "", **links: str) -> None:
        self._problem = problem
        self._links.update(links)
        self.result.value = problem + "".join(f'<div class="mf-analyst-{kind}">{link}</div>'
                                              for kind, link in self._links.items() if link)

    def _safely(self, action: Callable[[], object]) -> None:
        try:
            action()
        except MentorformsError as error:
            log.info("analyst page: %s", error)
            if isinstance(error, AccessDenied):  # a department not the viewer's, sent anyway
                trail.refused(self.session.folder, self.session.viewer.person_id, "preparing an export", str(error))
            self._show(problem=f'<div class="mf-banner mf-refusal">{html.escape(str(error))}</div>')
        except Exception:  # callback boundary: log it, say it plainly
            log.exception("analyst page failed for %s", self.session.viewer.person_id)
            self._show(problem=f'<div class="mf-banner mf-refusal">{html.escape(messages.PAGE_FAILED_SEE_LOG)}</div>')
        finally:
            memory.release_soon()


def analyst_app(environ: Mapping[str, str] | None = None, *, background: bool = True,
                as_of: dt.date | None = None) -> widgets.VBox:
    """The whole analyst page for this Voila request (``root.page``); a plain refusal for anyone else."""

    def content(session: Session, asked: PageRequest) -> PageContent:
        try:
            page = AnalystPage(session, as_of=as_of)
        except AccessDenied as error:  # refused: said on the page by page_app, recorded here
            trail.refused(session.folder, session.viewer.person_id, "opening the analyst page", str(error))
            raise
        page.load(background=background)
        return (page.widget,), page

    return page_app(environ, content, name="analyst page", attribute="page")
