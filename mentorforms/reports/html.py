"""The printable HTML department report, rendered from ``templates/department_report.html.j2``.

Autoescaping is on: names and goals typed by users are shown as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import math
from pathlib import Path
from typing import Any, Sequence

import jinja2

from mentorforms.academic_year import AcademicYear
from mentorforms.reports import coverage
from mentorforms.reports.summary import LAST_YEAR, THIS_YEAR, Summary, names_by_completion, summarise
from mentorforms.reports.tables import Tables

TEMPLATE = "department_report.html.j2"
_BAR_PIXELS = 160


def _environment() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(
        lambda name: importlib.resources.files("mentorforms.templates").joinpath(name).read_text(encoding="utf-8"))
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{float(value):,.1f}"


def _hour_rows(hours, labels_blank: str = "(no division)") -> list[dict[str, Any]]:
    finite = [float(value) for value in hours.to_numpy().ravel() if value == value]
    top = max(finite, default=0.0) or 1.0
    rows = []
    for label, row in hours.iterrows():
        this, last = row[THIS_YEAR], row[LAST_YEAR]
        rows.append({
            "label": label or labels_blank, "this": _number(this), "last": _number(last),
            "this_width": 0 if this != this else round(float(this) / top * _BAR_PIXELS),
            "last_width": 0 if last != last else round(float(last) / top * _BAR_PIXELS),
        })
    return rows


def report_context(summary: Summary) -> dict[str, Any]:
    """What the template shows for one department."""
    states = list(coverage.COMPLETION_ORDER)
    counts = summary.completion_by_division
    completion_rows = [[division or "(no division)", *[int(counts.loc[division, state]) for state in states],
                        int(counts.loc[division].sum())] for division in counts.index]
    total = summary.completion.iloc[0]
    completion_rows.append(["All divisions", *[int(total[state]) for state in states], int(total.sum())])
    overdue = set(summary.conferences.loc[summary.conferences["overdue"], "person_id"])
    names = {state: [{"name": name, "division": division, "overdue": person_id in overdue}
                     for person_id, name, division in people]
             for state, people in names_by_completion(summary).items()}
    goals = summary.goal_status
    return {
        "summary": summary,
        "due": f"{summary.year.conference_due:%B %-d, %Y}",
        "completion_rows": completion_rows,
        "names": names,
        "hours_by_category": _hour_rows(summary.hours_by_category),
        "hours_by_division": _hour_rows(summary.hours_by_division),
        "goal_columns": list(goals.columns),
        "goal_rows": [[area, *[int(goals.loc[area, status]) for status in goals.columns]] for area in goals.index],
        "coverage": f"{summary.with_mentor / summary.faculty:.0%}" if summary.faculty else "",
        "without_mentor": coverage.without_mentor(summary.mentoring).to_dict("records"),
        "revisit": summary.revisit.to_dict("records"),
        "outlook": [(label, int(count)) for label, count in summary.outlook["people"].items()],
        "support": [(label, int(count)) for label, count in summary.support["people"].items()],
    }


def render_report(tables: Tables, year: AcademicYear, *, departments: Sequence[str] | None = None,
                  generated_at: dt.datetime | None = None) -> str:
    """The HTML report for ``year``: one printable section per department (a page each)."""
    departments = list(departments) if departments is not None else list(tables.departments)
    conferences = coverage.conferences(tables, [year])
    reports = [report_context(summarise(tables, year, department=department, conferences=conferences))
               for department in departments]
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    title = f"Department report {year.label}: {', '.join(departments)}" if departments else f"Department report {year.label}"
    return _environment().get_template(TEMPLATE).render(
        title=title, reports=reports, states=list(coverage.COMPLETION_ORDER),
        as_of=f"{tables.as_of:%B %-d, %Y}", generated=f"{generated_at:%Y-%m-%d %H:%M}",
        problems=tables.problems.to_dict("records"),
    )


def write_report(path: Path | str, tables: Tables, year: AcademicYear, *,
                 departments: Sequence[str] | None = None) -> Path:
    """Write the HTML report to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(tables, year, departments=departments), encoding="utf-8")
    return path
