"""Reading workbooks for the derived index: one file into its index row and facts (``read_one``,
which worker processes run), and the reader that hands files to a pool of workers as a cold
build finds them."""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from mentorforms.errors import WorkbookError
from mentorforms.forms import get_form
from mentorforms.records.store import RECORDS, instance_key, misplaced
from mentorforms.reports import facts as facts_module
from mentorforms.reports.load import content_hash, record_from_bytes
from mentorforms.vocabulary.record import Record
from mentorforms.workbooks.workbook import read_bounded

#: Below this many files to read, reading happens in this process (starting workers costs ~1 s).
PARALLEL_THRESHOLD = 400
_BATCH = 250
_VERSION_NAME = re.compile(r"^v(\d+)\.xlsx$")

Progress = Callable[[int, int], None]


def _version_of(name: str) -> int:
    match = _VERSION_NAME.match(name)
    return int(match.group(1)) if match else 0


def _header(record: Record) -> tuple:
    form = get_form(record.form_id, record.academic_year)
    return (record.form_id, record.academic_year.start, record.person_id, record.department, record.status.value,
            instance_key(form, record) or "", record.saved_at.isoformat(), record.saved_by)


def read_one(root: str, rel: str, size: int, mtime_ns: int, racy: int) -> tuple:
    """Read, hash, parse and extract one file (relative to the records folder ``root``).

    Returns ``(path, size, mtime_ns, racy, sha, problem, header, facts, version)``: plain tuples,
    cheap to send back from a worker process.
    """
    version = _version_of(os.path.basename(rel))
    try:
        # Never more than the reading boundary's size limit (a larger file is named, not read).
        content = read_bounded(os.path.join(root, rel), Path(RECORDS) / rel)
    except WorkbookError as error:
        again = 1 if isinstance(error.__cause__, OSError) else racy  # a file that vanished: look again
        return rel, size, mtime_ns, again, "", error.reason, None, None, version
    sha = content_hash(content)
    try:
        record = record_from_bytes(content, Path(RECORDS) / rel)
    except WorkbookError as error:
        return rel, size, mtime_ns, racy, sha, error.reason, None, None, version
    wrong_place = misplaced(tuple(rel.split("/")), record)
    if wrong_place:  # a copy or a file moved by hand: listed among the problems, never counted
        return rel, size, mtime_ns, racy, sha, wrong_place, None, None, version
    found = facts_module.extract(record)
    return (rel, size, mtime_ns, racy, sha, None, _header(record),
            (found.teaching, found.goals, found.conference, found.people, found.promotion, found.support,
             found.agreement, found.record), version)


def _read_batch(root: str, items: list[tuple[str, int, int, int]]) -> list[tuple]:
    return [read_one(root, *item) for item in items]


class Reader:
    """Reads files, handed in as they are found, in batches: in this process while there are few,
    in ``jobs`` worker processes once there are enough to repay starting them (about a second).
    A cold build hands files in while it is still listing folders, so the workers start and read
    meanwhile."""

    def __init__(self, root: str, jobs: int) -> None:
        self.root = root
        self.jobs = jobs
        self.count = 0
        self._pool: ProcessPoolExecutor | None = None
        self._partial: list[tuple[str, int, int, int]] = []
        self._batches: list[list[tuple[str, int, int, int]]] = []  # not sent to a worker
        self._futures: list[Future] = []

    def add(self, items: Iterable[tuple[str, int, int, int]]) -> None:
        """Hand in files to read: (path relative to the records folder, size, mtime_ns, racy)."""
        for item in items:
            self._partial.append(item)
            self.count += 1
            if len(self._partial) >= _BATCH:
                self._batches.append(self._partial)
                self._partial = []
        if self._pool is None and self.jobs > 1 and self.count >= PARALLEL_THRESHOLD:
            # "spawn": forking a Jupyter kernel (threads, sockets) is not safe.
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"))
        self._send()

    def _send(self) -> None:
        if self._pool is not None:
            self._futures.extend(self._pool.submit(_read_batch, self.root, batch) for batch in self._batches)
            self._batches = []

    def results(self, progress: Progress | None) -> Iterator[list[tuple]]:
        """Every file read, parsed and extracted, batch by batch in the order handed in."""
        if self._partial:
            self._batches.append(self._partial)
            self._partial = []
        self._send()
        total, done = self.count, 0
        if progress:
            progress(0, total)
        for results in self._all_results():
            done += len(results)
            if progress:
                progress(done, total)
            yield results

    def _all_results(self) -> Iterator[list[tuple]]:
        for future in self._futures:
            yield future.result()
        for batch in self._batches:  # the few files read in this process
            yield _read_batch(self.root, batch)

    def close(self) -> None:
        """Stop the worker processes, if any (files not yet read are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
