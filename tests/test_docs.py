"""The README and docs/ point at things that exist: links, anchors, paths, modules and commands.

A reader follows a link or opens a path the docs name; when a file moves or a subcommand changes,
these tests name the sentence that went stale.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from mentorforms.commands.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
#: Pages the README links to that another branch of issue 21 writes; checked like any other once there.
#: Folders of the repository a path in the docs may start with.
ROOTS = ("mentorforms", "deploy", "benchmarks", "templates", "tests", "notebooks", "docs", ".ci")

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
PATH = re.compile(r"(?<![\w./-])((?:" + "|".join(re.escape(root) for root in ROOTS) + r")/[\w./*-]*)")
DOTTED = re.compile(r"(?<![\w./-])(mentorforms(?:\.[A-Za-z_]\w*)+)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def _generated() -> tuple[str, ...]:
    """Folders the setup or the tests make (ignored by git), which a fresh clone does not have yet."""
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip().endswith("/") and "/" in line.strip()[:-1])


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {_slug(match) for match in re.findall(r"^#+\s+(.*)$", text, re.M)}


def _links(page: Path) -> list[str]:
    return LINK.findall(FENCE.sub("", page.read_text(encoding="utf-8")))


def test_the_readme_is_short_and_the_rest_is_in_docs():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move the detail into docs/"
    assert len(list(DOCS.glob("*.md"))) >= 4, "docs/ should hold at least four pages"
    linked = {(README.parent / target).resolve() for target in _links(README)}
    unlinked = [page.name for page in DOCS.glob("*.md") if page.resolve() not in linked]
    assert not unlinked, f"README.md does not link to {unlinked}"


def test_the_readme_shows_the_two_commands_and_ci_runs_the_test_one():
    readme = README.read_text(encoding="utf-8")
    assert re.search(r"^\./dev\.sh start\s+# ", readme, re.M)
    assert re.search(r"^\./dev\.sh test\s+# ", readme, re.M)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^\./dev\.sh test$", ci, re.M), ".ci/run no longer runs the README's test command"


def test_every_relative_link_and_anchor_resolves():
    broken = []
    for page in PAGES:
        for target in _links(page):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            file_part, _, anchor = target.partition("#")
            destination = (page.parent / file_part).resolve() if file_part else page
            if not destination.exists():
                broken.append(f"{page.name}: {target} (no such file)")
            elif anchor and destination.suffix == ".md" and anchor not in _anchors(destination):
                broken.append(f"{page.name}: {target} (no such heading in {destination.name})")
    assert not broken, "\n".join(broken)


def test_every_path_the_docs_name_exists():
    generated = _generated()
    missing = []
    for page in PAGES:
        for path in PATH.findall(page.read_text(encoding="utf-8")):
            path = path.rstrip(".,")
            if path.startswith(generated):
                continue
            found = list(ROOT.glob(path)) if "*" in path else [ROOT / path] if (ROOT / path).exists() else []
            if not found:
                missing.append(f"{page.name}: {path}")
    assert not missing, "\n".join(missing)


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_every_module_and_name_the_docs_name_exists():
    missing = []
    for page in PAGES:
        for dotted in DOTTED.findall(page.read_text(encoding="utf-8")):
            if not _resolves(dotted):
                missing.append(f"{page.name}: {dotted}")
    assert not missing, "\n".join(missing)


def test_the_command_line_page_covers_every_subcommand_and_option():
    page = (DOCS / "command-line.md").read_text(encoding="utf-8")
    headings = " ".join(re.findall(r"^## (.*)$", page, re.M))
    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "command").choices
    missing = []
    for name, sub in commands.items():
        if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", headings):
            missing.append(f"no section for '{name}'")
        for action in sub._actions:
            if action.dest == "action" and action.choices:  # audit verify / adopt / show
                for verb, verb_parser in action.choices.items():
                    if f"audit {verb}" not in page:
                        missing.append(f"'audit {verb}' is not described")
                    missing += [f"'audit {verb} {option}' is not described" for option in _options(verb_parser)
                                if option not in page]
        missing += [f"'{name} {option}' is not described" for option in _options(sub) if option not in page]
    assert not missing, "\n".join(missing)


def _options(parser) -> list[str]:
    return [option for action in parser._actions for option in action.option_strings
            if option.startswith("--") and option != "--help"]
