"""The ``mentorforms`` command: one subcommand per job, each a thin call into the package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from mentorforms import __version__

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Command, str]] = {}


def command(name: str, help_text: str):
    """Register a subcommand: the decorated function adds its arguments; ``run`` does the work."""

    def register(arguments: Callable[[argparse.ArgumentParser], None]):
        def with_runner(run: Command) -> Command:
            _COMMANDS[name] = (arguments, run, help_text)
            return run

        return with_runner

    return register


# --------------------------------------------------------------------------- forms


def _forms_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", default=None, help="academic year, such as 2025-2026 (default: the current one)")


@command("forms", "list the forms with their titles and versions")(_forms_arguments)
def run_forms(args: argparse.Namespace) -> int:
    from mentorforms.academic_year import AcademicYear
    from mentorforms.forms import form_ids, get_form

    year = AcademicYear.parse(args.year) if args.year else _current_year()
    for form_id in form_ids():
        form = get_form(form_id, year)
        print(f"{form.id:<{max(map(len, form_ids()))}} v{form.version}  {form.title}")
    return 0


def _current_year():
    import datetime as dt

    from mentorforms.academic_year import AcademicYear

    return AcademicYear.containing(dt.date.today())


# --------------------------------------------------------------------------- demo


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data_dir", type=Path, help="the folder to write the roster and workbooks to (made if missing)")
    parser.add_argument("--faculty", type=int, default=60, help="how many faculty (default 60)")
    parser.add_argument("--seed", type=int, default=7,
                        help="number that picks the made-up people and answers: the same seed makes the same "
                             "folder (default 7)")
    parser.add_argument("--years", type=int, default=3, help="academic years, ending with the current one")
    parser.add_argument("--jobs", type=int, default=None, help="processes to save with (default: up to 4)")
    parser.add_argument("--force", action="store_true", help="write even if the folder already has records")


@command("demo", "make a realistic synthetic data folder")(_demo_arguments)
def run_demo(args: argparse.Namespace) -> int:
    from mentorforms.demo import default_jobs, make_demo
    from mentorforms.store import DataFolder

    folder = DataFolder(args.data_dir)
    if any(folder.iter_workbooks()) and not args.force:
        print(f"{args.data_dir} already holds records; use --force to add a demo on top", file=sys.stderr)
        return 2
    summary = make_demo(args.data_dir, faculty=args.faculty, seed=args.seed, years=args.years,
                        jobs=args.jobs or default_jobs())
    years = ", ".join(year.label for year in summary.years)
    print(f"wrote a roster of {summary.people} people ({summary.faculty} faculty) and "
          f"{summary.workbooks} workbooks for {years} to {args.data_dir}")
    return 0


# --------------------------------------------------------------------------- check


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data_dir", type=Path)


@command("check", "validate the roster and every workbook; one line per problem")(_check_arguments)
def run_check(args: argparse.Namespace) -> int:
    from mentorforms.check import check_folder

    found, checked = check_folder(args.data_dir)
    for problem in found:
        print(problem)
    errors = sum(1 for problem in found if not problem.note)
    print(f"checked {checked} workbooks: {errors} problem{'s' if errors != 1 else ''}", file=sys.stderr)
    return 1 if errors else 0


# --------------------------------------------------------------------------- blank and import


def _blank_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("form_id")
    parser.add_argument("--out", type=Path, required=True, help="the .xlsx to write")
    parser.add_argument("--year", default=None, help="academic year (default: the current one)")
    parser.add_argument("--person", default="", help="roster id to fill in (otherwise typed in the workbook)")
    parser.add_argument("--data-dir", type=Path, default=None, help="data folder whose roster names the person")


@command("blank", "write a fillable blank workbook for a form")(_blank_arguments)
def run_blank(args: argparse.Namespace) -> int:
    from mentorforms.academic_year import AcademicYear
    from mentorforms.offline import write_blank

    year = AcademicYear.parse(args.year) if args.year else _current_year()
    write_blank(args.form_id, year, args.out, person_id=args.person, data_dir=args.data_dir)
    print(f"wrote a blank {args.form_id} for {year.label} to {args.out}")
    return 0


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workbook", type=Path)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--draft", action="store_true", help="file it as a draft (incomplete answers allowed)")
    parser.add_argument("--by", default="", help="who is importing it (recorded as saved_by)")


@command("import", "validate a filled workbook and file it as a new version")(_import_arguments)
def run_import(args: argparse.Namespace) -> int:
    from mentorforms.offline import ImportRefused, import_workbook

    try:
        stored = import_workbook(args.workbook, args.data_dir, draft=args.draft, saved_by=args.by)
    except ImportRefused as refused:
        for problem in refused.problems:
            print(problem)
        print(f"{args.workbook}: nothing was filed ({len(refused.problems)} problems)", file=sys.stderr)
        return 1
    print(f"filed {args.workbook} as {stored.path}")
    return 0


# --------------------------------------------------------------------------- remind


def _smtp_address(text: str) -> tuple[str, int]:
    from mentorforms import messages

    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(messages.say(messages.REMINDER_BAD_SMTP, text=text))
    return host.strip("[]"), int(port)


def _remind_arguments(parser: argparse.ArgumentParser) -> None:
    import datetime as dt

    from mentorforms.reminders.mail import DEFAULT_BASE_URL, DEFAULT_SENDER

    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, metavar="DATE",
                        help="the day to remind for, such as 2027-03-11 (default: today)")
    parser.add_argument("--send", action="store_true", help="send the messages (otherwise only write them to look at)")
    parser.add_argument("--smtp", type=_smtp_address, default=("localhost", 25), metavar="HOST:PORT",
                        help="the mail server to send through (default localhost:25)")
    parser.add_argument("--out", type=Path, default=None, metavar="FOLDER",
                        help="write each message as an .eml file here (default without --send: "
                             "DATA_DIR/reminders/preview-DATE)")
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL,
                        help=f"the app's address, for the links in the messages (default {DEFAULT_BASE_URL})")
    parser.add_argument("--from", dest="sender", default=DEFAULT_SENDER, help="the From address of the messages")
    parser.add_argument("--reason", action="append", default=None,
                        help="only this reason (repeat for several; default: every reason)")
    parser.add_argument("--department", action="append", default=None,
                        help="only the faculty of this department (repeat for several; default: all)")


@command("remind", "list who owes what and write (or with --send, send) one reminder per person")(_remind_arguments)
def run_remind(args: argparse.Namespace) -> int:
    import datetime as dt
    import getpass

    from mentorforms import messages
    from mentorforms.reminders import outbox

    as_of = args.as_of or dt.date.today()
    options = dict(reasons=args.reason, departments=args.department, base_url=args.base_url, sender=args.sender)
    if args.send:
        try:
            actor = f"command line ({getpass.getuser()})"
        except (KeyError, OSError):
            actor = "command line"
        outcome = outbox.send(args.data_dir, as_of, smtp_host=args.smtp[0], smtp_port=args.smtp[1], actor=actor,
                              **options)
        plan = outcome.plan
    else:
        outcome = None
        plan = outbox.preview(args.data_dir, as_of, **options)
    _print_owed(plan)
    out = args.out or (None if args.send else Path(args.data_dir) / "reminders" / f"preview-{as_of.isoformat()}")
    if out is not None:
        written = outbox.write_eml(outcome.sent if outcome else plan.reminders, out)
        if outcome is None:
            print(messages.say(messages.REMINDER_PREVIEW_WRITTEN, count=len(written), folder=out), file=sys.stderr)
    if outcome is not None:
        held = len(plan.held_back)
        print(messages.say(messages.REMINDER_SENT, count=len(outcome.sent), server=f"{args.smtp[0]}:{args.smtp[1]}",
                           skipped=held), file=sys.stderr)
        for reminder, reason in outcome.failed:
            print(messages.say(messages.REMINDER_SEND_FAILED, person=reminder.person_id, reason=reason),
                  file=sys.stderr)
        return 1 if outcome.failed else 0
    return 0


def _print_owed(plan) -> None:
    from mentorforms import messages

    if not plan.owed:
        print(messages.say(messages.REMINDER_TABLE_EMPTY, day=plan.as_of.isoformat()))
        return
    header = ("person", "name", "reason", "form", "due", "note")
    table = [header] + [(item.person_id, item.name, item.short, item.form_id, item.due_text,
                         plan.note(item)) for item in plan.owed]
    widths = [max(len(row[column]) for row in table) for column in range(len(header) - 1)]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1])


# --------------------------------------------------------------------------- entry point


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    _load_optional_commands()
    parser = argparse.ArgumentParser(prog="mentorforms", description="Faculty mentoring forms kept as Excel workbooks.")
    parser.add_argument("--version", action="version", version=f"mentorforms {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (arguments, run, help_text) in _COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        arguments(sub)
        sub.set_defaults(run=run)
    return parser


def _load_optional_commands() -> None:
    """Import the modules that register ``serve``, ``hub-service``, ``report`` and ``audit`` (they live
    with their features)."""
    import importlib

    for module in ("mentorforms.serve", "mentorforms.hub_service", "mentorforms.reports.cli", "mentorforms.audit_cli"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            # Only a feature that is not installed yet is skipped; a broken import still fails.
            if not error.name or not module.startswith(error.name):
                raise


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status. Expected errors print one plain line."""
    from mentorforms.errors import MentorformsError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except MentorformsError as error:
        print(f"mentorforms {args.command}: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"mentorforms {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
