"""Who owes what on a day: the declared rules run over the report tables of that day's year.

The facts come from the reports' derived index (refreshed here, so a form saved a minute ago
counts), never from opening every workbook again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from mentorforms import messages
from mentorforms.errors import MentorformsError
from mentorforms.reminders.rules import RULES, Owed, Rule, Situation, rule_ids
from mentorforms.reports.index import Index
from mentorforms.reports.tables import build_tables
from mentorforms.vocabulary.academic_year import AcademicYear


class UnknownReason(MentorformsError, ValueError):
    """A reminder reason was asked for that no rule declares."""


def select_rules(reasons: Iterable[str] | None, rules: Sequence[Rule] = RULES) -> tuple[Rule, ...]:
    """The rules named in ``reasons`` (all of them for None), in declared order; UnknownReason
    names a reason no rule has."""
    if reasons is None:
        return tuple(rules)
    wanted = set(reasons)
    unknown = sorted(wanted - set(rule_ids(rules)))
    if unknown:
        raise UnknownReason(messages.say(messages.REMINDER_UNKNOWN_REASON, reason=unknown[0],
                                         known=", ".join(rule_ids(rules))))
    return tuple(rule for rule in rules if rule.id in wanted)


def situation(index: Index, as_of: dt.date, departments: Sequence[str] | None = None) -> Situation:
    """The report tables of the academic year ``as_of`` falls in, from an index the caller refreshed."""
    year = AcademicYear.containing(as_of)
    roster = index.roster()
    tables = build_tables(index, roster, years=[year], departments=departments, as_of=as_of, detail=False)
    return Situation(tables, roster, year, as_of, None if departments is None else tuple(departments))


def outstanding(folder: Path | str, as_of: dt.date, *, reasons: Iterable[str] | None = None,
                departments: Sequence[str] | None = None, rules: Sequence[Rule] = RULES) -> list[Owed]:
    """Everything owed on ``as_of`` in the data folder ``folder``: one item per person and reason
    (and per faculty member, for a chair), ordered by person name, then the rules' order.

    ``departments`` limits the faculty considered (a chair's page passes their own); ``reasons``
    limits the rules by id. Reads the index (refreshing it), not the workbooks.
    """
    chosen = select_rules(reasons, rules)
    with Index(folder) as index:
        index.refresh()
        found = find(situation(index, as_of, departments), chosen)
    return found


def find(current: Situation, rules: Sequence[Rule] = RULES) -> list[Owed]:
    """What ``rules`` find in ``current``, each item marked with its rule's calendar flag, in
    the order of :func:`outstanding`."""
    found: list[Owed] = []
    order = {rule.id: position for position, rule in enumerate(rules)}
    for rule in rules:
        for item in rule.find(current):
            found.append(dataclasses.replace(item, rule_id=rule.id, calendar=rule.calendar))
    found.sort(key=lambda item: (item.name.casefold(), item.person_id, order[item.rule_id], item.due, item.key))
    return found
