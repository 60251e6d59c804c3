"""The ``mentorforms`` command: one subcommand per job, each a thin call into the package.

Every error is one plain line on stderr and a non-zero exit status (1 for a refusal or a failure
of the files, 2 for a bad argument, 70 for a fault of the program itself); ``--debug`` (before
or after the subcommand) also prints the traceback.
"""

from __future__ import annotations

import argparse
import errno
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

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
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="data folder whose office.toml may add forms (default: $MENTORFORMS_DATA)")


@command("forms", "list the forms with their titles and versions")(_forms_arguments)
def run_forms(args: argparse.Namespace) -> int:
    from mentorforms.forms import form_ids, get_form
    from mentorforms.vocabulary.academic_year import AcademicYear

    year = AcademicYear.parse(args.year) if args.year else _current_year()
    for form_id in form_ids():
        form = get_form(form_id, year)
        print(f"{form.id:<{max(map(len, form_ids()))}} v{form.version}  {form.title}")
    return 0


def _current_year():
    import datetime as dt

    from mentorforms.vocabulary.academic_year import AcademicYear

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
    from mentorforms.commands.demo import default_jobs, make_demo
    from mentorforms.records.store import DataFolder

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
    parser.description = (
        "Validate the roster and every workbook; one line per problem, naming the file; exit 1 if there is any. "
        "Named: bad roster rows; roster names or departments that differ only in Unicode form (a problem) or "
        "look alike (a note); unreadable workbooks; workbooks that do not count where they lie (not at "
        "records/YEAR/DEPARTMENT/PERSON/FORM[--INSTANCE]/vNNNN.xlsx, or holding another person's, form's, "
        "year's, instance's or version's record: reports list them as problems and no page shows them); "
        "other files in the records folder. A version filed whose audit entry was never written (a crash or a "
        "full disk) is recorded now, by the account running check, with a note.")
    parser.add_argument("data_dir", type=Path)


@command("check", "validate the roster and every workbook; one line per problem")(_check_arguments)
def run_check(args: argparse.Namespace) -> int:
    from mentorforms.commands.check import check_folder

    found, checked = check_folder(args.data_dir)
    for problem in found:
        print(problem)
    errors = sum(1 for problem in found if not problem.note)
    print(f"checked {checked} workbooks: {errors} problem{'s' if errors != 1 else ''}", file=sys.stderr)
    return 1 if errors else 0


# --------------------------------------------------------------------------- init


def _init_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data_dir", type=Path)


@command("init", "mark a folder as a mentorforms data folder (made if missing); saves are refused elsewhere")(
    _init_arguments)
def run_init(args: argparse.Namespace) -> int:
    from mentorforms import messages
    from mentorforms.records.store import MARKER, mark_data_folder

    args.data_dir.mkdir(parents=True, exist_ok=True)
    template = messages.CLI_INITIALISED if mark_data_folder(args.data_dir) else messages.CLI_ALREADY_INITIALISED
    print(messages.say(template, root=args.data_dir, marker=MARKER))
    return 0


#: Commands whose data folder must exist already (the others make it, or say so themselves).
_NEEDS_ITS_FOLDER = ("check", "report", "import", "blank")


def out_path(path: Path, suffixes: tuple[str, ...] = (".xlsx",), *, folder_made: bool = False) -> Path:
    """``path`` checked as a file a command is asked to write: its name ends as the file will be
    and (unless the command makes it: ``folder_made``) its folder exists. ValueError otherwise,
    in plain words."""
    from mentorforms import messages

    if path.suffix.lower() not in suffixes:
        raise ValueError(messages.say(messages.CLI_OUT_NOT_XLSX, path=path) if suffixes == (".xlsx",) else
                         f"{path} does not end in {' or '.join(suffixes)}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder_made and not folder.is_dir():
        raise ValueError(messages.say(messages.CLI_OUT_FOLDER_MISSING, path=path, folder=folder))
    return path


# --------------------------------------------------------------------------- blank and import


def _blank_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("form_id")
    parser.add_argument("--out", type=Path, required=True, help="the .xlsx to write")
    parser.add_argument("--year", default=None, help="academic year (default: the current one)")
    parser.add_argument("--person", default="", help="roster id to fill in (otherwise typed in the workbook)")
    parser.add_argument("--data-dir", type=Path, default=None, help="data folder whose roster names the person")


@command("blank", "write a fillable blank workbook for a form")(_blank_arguments)
def run_blank(args: argparse.Namespace) -> int:
    from mentorforms.rules.offline import write_blank
    from mentorforms.vocabulary.academic_year import AcademicYear

    year = AcademicYear.parse(args.year) if args.year else _current_year()
    if args.data_dir is not None:
        from mentorforms.errors import MentorformsError
        from mentorforms.rules import trail
        from mentorforms.rules.year_window import check_year

        try:
            check_year(args.data_dir, year)  # a blank for a year the office does not keep would be refused on import
        except MentorformsError as error:
            trail.refused_by_command(args.data_dir, "mentorforms blank", str(error), form_id=args.form_id,
                                     person_id=args.person, year=year.label)
            raise
    write_blank(args.form_id, year, out_path(args.out), person_id=args.person, data_dir=args.data_dir)
    print(f"wrote a blank {args.form_id} for {year.label} to {args.out}")
    return 0


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workbook", type=Path)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--draft", action="store_true", help="file it as a draft (incomplete answers allowed)")
    parser.add_argument("--by", default="", help="who is importing it (recorded as saved_by)")


@command("import", "validate a filled workbook and file it as a new version")(_import_arguments)
def run_import(args: argparse.Namespace) -> int:
    from mentorforms.rules.offline import ImportProblem, ImportRefused, import_workbook

    notices: list[ImportProblem] = []
    try:
        stored = import_workbook(args.workbook, args.data_dir, draft=args.draft, saved_by=args.by, notices=notices)
    except ImportRefused as refused:
        from mentorforms.rules import trail

        for problem in refused.problems:
            print(problem)
        count = len(refused.problems)
        trail.refused_by_command(args.data_dir, f"importing {args.workbook.name}",
                                 f"{count} problem{'s' if count != 1 else ''}: {refused.problems[0]}")
        print(f"{args.workbook}: nothing was filed ({count} problem{'s' if count != 1 else ''})", file=sys.stderr)
        return 1
    for notice in notices:
        print(notice)
    print(f"filed {args.workbook} as {stored.path}")
    return 0


# --------------------------------------------------------------------------- remind


def _smtp_address(text: str) -> tuple[str, int]:
    from mentorforms.reminders.settings import BadMailSetting, parse_smtp

    try:
        return parse_smtp(text)
    except BadMailSetting as error:
        raise argparse.ArgumentTypeError(str(error)) from error


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
            print(messages.say(messages.REMINDER_PREVIEW_WRITTEN, messages=messages.counted(len(written), "message"),
                               folder=out), file=sys.stderr)
    if outcome is not None:
        held = len(plan.held_back)
        print(messages.say(messages.REMINDER_SENT, messages=messages.counted(len(outcome.sent), "message"),
                           server=f"{args.smtp[0]}:{args.smtp[1]}", skipped=messages.counted(held, "item")),
              file=sys.stderr)
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
    parser.add_argument("--debug", action="store_true", help="print the traceback of an error as well")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (arguments, run, help_text) in _COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="print the traceback of an error as well")
        arguments(sub)
        sub.set_defaults(run=run)
    return parser


def _load_optional_commands() -> None:
    """Import the modules that register ``serve``, ``hub-service``, ``report`` and ``audit`` (they live
    with their features)."""
    import importlib

    for module in ("mentorforms.commands.server_cli", "mentorforms.commands.report_cli",
                   "mentorforms.commands.audit_cli"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            # Only a feature that is not installed yet is skipped; a broken import still fails.
            if not error.name or not module.startswith(error.name):
                raise


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status. Every error prints one plain line."""
    from mentorforms import messages
    from mentorforms.errors import MentorformsError
    from mentorforms.forms import FORM_IDS, UnknownFormError, data_folder_in_use

    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)

    def fail(reason: str, status: int) -> int:
        if debug and sys.exc_info()[1] is not None:
            traceback.print_exc()
        print(messages.say(messages.CLI_ERROR, command=args.command, reason=_one_line(reason)), file=sys.stderr)
        return status

    try:
        data_dir = getattr(args, "data_dir", None)
        if data_dir is not None and args.command in _NEEDS_ITS_FOLDER and not Path(data_dir).is_dir():
            return fail(messages.say(messages.FOLDER_MISSING, root=data_dir), 1)
        if data_dir is None:
            return args.run(args)
        # The command's folder is the data folder in use: its office's forms are known here and in
        # the worker processes the command starts.
        with data_folder_in_use(data_dir):
            return args.run(args)
    except UnknownFormError as error:
        return fail(f"there is no form {error.form_id!r}; the forms are {', '.join(error.known or FORM_IDS)}", 2)
    except MentorformsError as error:
        return fail(str(error), 1)
    except OSError as error:
        # A rename names its target second: that is the file the person asked for, not the temporary.
        where = (error.filename2 or error.filename or getattr(args, "out", None) or getattr(args, "data_dir", None)
                 or "a file")
        if error.errno == errno.ENOSPC:
            return fail(messages.say(messages.CLI_DISK_FULL, path=where), 1)
        return fail(messages.say(messages.CLI_OS_ERROR, path=where, reason=error.strerror or error), 1)
    except ValueError as error:
        return fail(str(error), 2)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except Exception as error:  # noqa: BLE001 - the last line of defence: one plain line, the traceback with --debug
        return fail(messages.say(messages.CLI_UNEXPECTED, command=args.command, kind=type(error).__name__,
                                 reason=error), 70)


def _one_line(text: str) -> str:
    from mentorforms.workbooks.workbook import plain_line

    return plain_line(" ".join(str(text).split("\n")), 2000)


if __name__ == "__main__":
    raise SystemExit(main())
