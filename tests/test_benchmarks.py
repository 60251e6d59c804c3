"""The report benchmark runs end to end on a small dataset and prints every figure the issue asks
for (the figures themselves are measured on a quiet machine, never asserted here)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIGURES = ("cold_s", "naive_s", "ratio", "warm_s", "warm_one_department_s", "one_change_s", "peak_mb",
           "export_s", "export_openpyxl_s", "export_ratio")


@pytest.mark.slow
def test_the_report_benchmark_prints_every_figure_and_its_index_agrees_with_the_naive_loop(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(HERE.parent / "benchmarks" / "aggregate.py"), "--faculty", "30",
                           "--seed", "5", "--jobs", "2", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    printed = dict(re.findall(r"^(\w+): ([0-9.]+)$", done.stdout, flags=re.MULTILINE))
    assert set(FIGURES) <= set(printed), done.stdout[-2000:]
    assert all(float(printed[name]) > 0 for name in FIGURES)
    assert "teaching totals agree with the index" in done.stdout
    assert float(printed["export_ratio"]) == pytest.approx(
        float(printed["export_openpyxl_s"]) / float(printed["export_s"]), rel=0.02)
