"""The printable HTML department report, rendered from ``templates/department_report.html.j2``.

Autoescaping is on: names and goals typed by users are shown as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from mentorforms.reports import coverage, shown, suppress
from mentorforms.reports.department_cache import summary_from_tables
from mentorforms.reports.numbers import hours_text
from mentorforms.reports.summary import Summary, names_by_completion
from mentorforms.reports.tables import Tables
from mentorforms.vocabulary.academic_year import AcademicYear

TEMPLATE = "department_report.html.j2"
_BAR_PIXELS = 160


def _environment() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(
        lambda name: importlib.resources.files("mentorforms.templates").joinpath(name).read_text(encoding="utf-8"))
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return hours_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _hour_rows(hours, people, suppressed: bool, people_add_up: bool) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows, total = shown.hours(hours, people, suppressed, people_add_up=people_add_up)
    finite = [value for row in rows for value in row[1:3] if isinstance(value, float)]
    top = max(finite, default=0.0) or 1.0

    def width(value: Any) -> int:
        return round(value / top * _BAR_PIXELS) if isinstance(value, float) else 0

    shown_rows = [{"label": row[0], "this": _shown(row[1]), "last": _shown(row[2]), "this_width": width(row[1]),
                   "last_width": width(row[2])} for row in rows]
    return shown_rows, {"label": total[0], "this": _shown(total[1]), "last": _shown(total[2])}


def report_context(summary: Summary, *, published: bool = False) -> dict[str, Any]:
    """What the template shows for one department; ``published``: an aggregate for circulation
    (no names, the small-cell rule with complementary suppression; see mentorforms.reports.suppress)."""
    _, completion_rows, completion_total = shown.completion(summary, published)
    overdue = set(summary.conferences.loc[summary.conferences["overdue"], "person_id"])
    names = {} if published else {
        state: [{"name": name, "division": division, "overdue": person_id in overdue}
                for person_id, name, division in people]
        for state, people in names_by_completion(summary).items()}
    goal_columns, goal_rows = shown.goals(summary, published)
    by_category, category_total = _hour_rows(summary.hours_by_category, summary.hours_by_category_people,
                                             published, False)
    by_division, division_total = _hour_rows(summary.hours_by_division, summary.hours_by_division_people,
                                             published, True)
    with_mentor, without = summary.with_mentor, summary.faculty - summary.with_mentor
    mentor_hidden = published and (suppress.small(with_mentor) or suppress.small(without))
    return {
        "summary": summary, "published": published,
        "due": f"{summary.year.conference_due:%B %-d, %Y}",
        "completion_rows": [[_shown(value) for value in row] for row in [*completion_rows, completion_total]],
        "names": names,
        "hours_by_category": by_category, "hours_category_total": category_total,
        "hours_by_division": by_division, "hours_division_total": division_total,
        "goal_columns": goal_columns, "goal_rows": [[_shown(value) for value in row] for row in goal_rows],
        "with_mentor": (suppress.SUPPRESSED if suppress.small(with_mentor) else suppress.HIDDEN) if mentor_hidden
        else f"{with_mentor:,}",
        "coverage": "" if mentor_hidden or not summary.faculty else f"{with_mentor / summary.faculty:.0%}",
        "without_mentor": [] if published else coverage.without_mentor(summary.mentoring).to_dict("records"),
        "revisit": [] if published else summary.revisit.to_dict("records"),
        "revisit_count": shown.count(len(summary.revisit), published),
        "outlook": [(label, _shown(value)) for label, value in shown.people_counts(summary.outlook, published)],
        "support": [(label, _shown(value)) for label, value in shown.people_counts(summary.support, published)],
        "complement_note": suppress.COMPLEMENT_NOTE,
    }


def render_report(tables: Tables, year: AcademicYear, *, departments: Sequence[str] | None = None,
                  generated_at: dt.datetime | None = None, published: bool = False) -> str:
    """The HTML report for ``year``: one printable section per department (a page each).
    ``published``: for circulation, with no names and small cells suppressed."""
    departments = list(departments) if departments is not None else list(tables.departments)
    conferences = coverage.conferences(tables, [year])
    reports = [report_context(summary_from_tables(tables, year, department, conferences), published=published)
               for department in departments]
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    title = f"Department report {year.label}" + (f": {', '.join(departments)}" if departments else "")
    return _environment().get_template(TEMPLATE).render(
        title=title, reports=reports, states=list(coverage.COMPLETION_ORDER),
        as_of=f"{tables.as_of:%B %-d, %Y}", generated=f"{generated_at:%Y-%m-%d %H:%M}",
        problems=[] if published else tables.problems.to_dict("records"), published=published,
    )


def write_report(path: Path | str, tables: Tables, year: AcademicYear, *,
                 departments: Sequence[str] | None = None, published: bool = False) -> Path:
    """Write the HTML report to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(tables, year, departments=departments, published=published), encoding="utf-8")
    return path
