"""The demo stamps nothing in the future: no save time after the moment it runs, no signature or
form dated after its day (issue 20: some demo forms were stamped hours ahead of the clock)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mentorforms.commands.demo import make_demo
from mentorforms.records.store import DataFolder
from mentorforms.vocabulary.record import Signature
from mentorforms.workbooks.workbook import read_record


@pytest.mark.parametrize("now", [
    dt.datetime(2026, 8, 20, 7, 15, tzinfo=dt.UTC),   # before the working day, before the peer season
    dt.datetime(2026, 2, 10, 9, 5, tzinfo=dt.UTC),    # early in a working day
])
def test_nothing_in_the_demo_is_stamped_after_the_moment_it_was_made(tmp_path: Path, now: dt.datetime) -> None:
    make_demo(tmp_path / "data", faculty=24, years=1, today=now.date(), now=now)
    records = [read_record(path) for path in DataFolder(tmp_path / "data").iter_workbooks()]
    assert records
    late = [(record.form_id, record.person_id, record.saved_at) for record in records
            if record.saved_at > now or record.created_at > now]
    assert late == []
    signed_late = [(record.form_id, record.person_id, value) for record in records
                   for field_id, value in record.values.items() if isinstance(value, Signature)
                   and value.date > now.date()]
    assert signed_late == []
    assert any(record.saved_at.date() == now.date() for record in records)  # forms saved today are there
