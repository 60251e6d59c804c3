"""A page's kernel imports only what that page needs: every kernel a crowd opens costs memory."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "matplotlib")


def imported_after(module: str) -> dict[str, bool]:
    code = (f"import sys, json; import {module}; "
            f"print(json.dumps({{name: name in sys.modules for name in {list(HEAVY)!r}}}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["mentorforms.ui.form_page", "mentorforms.ui.landing"])
def test_the_form_and_landing_pages_load_neither_pandas_nor_matplotlib(module):
    assert imported_after(module) == {name: False for name in HEAVY}
