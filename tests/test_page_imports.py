"""A page's kernel imports only what that page needs: every kernel a crowd opens costs memory."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import nbformat
import pytest

from mentorforms.server.serve import notebooks_dir
from mentorforms.vocabulary.pages import ANALYST, FORM, LANDING

HEAVY = ("pandas", "matplotlib")


def page_imports(name: str) -> list[str]:
    """The modules a shipped page notebook imports before it waits for its request."""
    notebook = nbformat.read(notebooks_dir() / name, as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    return re.findall(r"^from (mentorforms[\w.]*) import", code, re.M)


def imported_after(modules: list[str]) -> dict[str, bool]:
    code = ("import sys, json\n" + "".join(f"import {module}\n" for module in modules)
            + f"print(json.dumps({{name: name in sys.modules for name in {list(HEAVY)!r}}}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", [FORM, LANDING, ANALYST])
def test_the_form_landing_and_analyst_pages_open_without_pandas_or_matplotlib(name):
    # The analyst page imports the report modules when a download is prepared, not to open.
    modules = page_imports(name)
    assert modules, f"{name} imports nothing from mentorforms?"
    assert imported_after(modules) == dict.fromkeys(HEAVY, False)
