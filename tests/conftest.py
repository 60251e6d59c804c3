"""Fixtures shared by every test: data folders, a small demo dataset, the form declarations."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from mentorforms.commands.demo import make_demo
from mentorforms.records.store import DataFolder, mark_data_folder
from mentorforms.vocabulary.academic_year import AcademicYear

#: The day the shared demo dataset is made "as of": fixed so tests do not depend on the calendar.
DEMO_TODAY = dt.date(2026, 11, 22)
DEMO_YEAR = AcademicYear.containing(DEMO_TODAY)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data folder (marked as one, as ``mentorforms init`` does)."""
    folder = tmp_path / "data"
    folder.mkdir()
    mark_data_folder(folder)
    return folder


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo data folder made once per test run; copy it (``demo_dir``) before changing it."""
    folder = tmp_path_factory.mktemp("demo-master") / "data"
    make_demo(folder, faculty=24, seed=11, years=3, today=DEMO_TODAY)
    return folder


@pytest.fixture
def demo_dir(demo_master: Path, tmp_path: Path) -> Path:
    """A private copy of the demo data folder that a test may change."""
    target = tmp_path / "demo"
    shutil.copytree(demo_master, target)
    return target


@pytest.fixture
def demo_folder(demo_dir: Path) -> DataFolder:
    return DataFolder(demo_dir)
