"""``mentorforms audit verify DATA_DIR``, ``audit adopt DATA_DIR`` and
``audit show DATA_DIR [--person ID] [--form FORM]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mentorforms import messages
from mentorforms.commands.cli import command
from mentorforms.errors import AuditError


def _audit_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify", help="check the chain of entries, the head that pins it, and every recorded workbook",
        description="Check the audit trail: one line per problem; exit 1 if there is any. Fails on an entry "
                    "edited, removed, duplicated or moved; on entries removed from the end or added past the "
                    "last one audit/head.json names (it says how many; one may be an append interrupted "
                    "before head.json was written); on a line holding no entry, unless the app closed it as an "
                    "interrupted append (a note); on a recorded workbook whose bytes changed or that vanished; "
                    "and on a version workbook no entry records.")
    verify.add_argument("data_dir", type=Path)
    adopt = actions.add_parser("adopt", help="record, once, the workbooks the trail does not know",
                               description="Record in the audit trail, once each, the readable workbooks no "
                                           "entry records (a folder kept before the trail existed), so verify "
                                           "checks them from now on. Unreadable ones are listed and left out.")
    adopt.add_argument("data_dir", type=Path)
    show = actions.add_parser("show", help="list the entries, one line each",
                              description="List the audit trail's entries: time, who, action, form, person, "
                                          "year, version, detail.")
    show.add_argument("data_dir", type=Path)
    show.add_argument("--person", default=None, help="only entries about this roster id, or done by it")
    show.add_argument("--form", default=None, help="only entries about this form id")
    show.add_argument("--year", default=None, help="only entries about this academic year, such as 2025-2026")


@command("audit", "verify or list the audit trail of a data folder")(_audit_arguments)
def run_audit(args: argparse.Namespace) -> int:
    if not args.data_dir.is_dir():
        raise AuditError(args.data_dir, messages.AUDIT_NOT_A_FOLDER)
    try:
        if args.audit_command == "adopt":
            return _adopt(args)
        return _verify(args) if args.audit_command == "verify" else _show(args)
    except BrokenPipeError:  # the reader stopped early (``| head``): not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _verify(args: argparse.Namespace) -> int:
    from mentorforms.records.audit_verify import check

    report = check(args.data_dir)
    for problem in report.problems:
        print(printable(str(problem)))
    for note in report.notes:
        print(printable(f"note: {note}"))
    print(report.summary(), file=sys.stdout if report.intact else sys.stderr)
    return 0 if report.intact else 1


def _adopt(args: argparse.Namespace) -> int:
    from mentorforms.records import audit
    from mentorforms.records.audit_adopt import adopt

    done = adopt(args.data_dir, audit.command_line_actor())
    for path, reason in done.refused:
        print(printable(messages.say(messages.AUDIT_ADOPT_REFUSED, path=path, reason=reason)), file=sys.stderr)
    print(messages.say(messages.AUDIT_ADOPT_DONE, workbooks=messages.counted(len(done.recorded), "workbook"),
                       refused=len(done.refused)))
    return 0


def _show(args: argparse.Namespace) -> int:
    from mentorforms.records import audit

    def skipped(line: audit.Line) -> None:
        print(printable(messages.say(messages.AUDIT_SHOW_SKIPPED, log=audit.log_path(args.data_dir),
                                     line=line.number, reason=line.problem)), file=sys.stderr)

    shown = 0
    for entry in audit.entries(args.data_dir, person=args.person, form=args.form, year=args.year,
                               on_problem=skipped):
        shown += 1
        form = entry.form_id or "-"
        if entry.instance:
            form = f"{form} ({entry.instance})"
        version = f"v{entry.version}" if entry.version is not None else "-"
        cells = (entry.at, entry.actor or "-", entry.action, form, entry.person_id or "-", entry.year or "-",
                 version, entry.detail)
        print(printable("  ".join(cells)).rstrip())
    if not shown:
        which = "".join(f" {name} {value}" for name, value in
                        (("for person", args.person), ("for form", args.form), ("for year", args.year)) if value)
        print(messages.say(messages.AUDIT_SHOW_NOTHING, which=printable(which)), file=sys.stderr)
    return 0


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (line breaks, escape sequences a
    crafted entry could carry) are shown as escapes, never sent as they are."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)
