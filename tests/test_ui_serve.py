"""`mentorforms serve`, the shipped notebooks and the print view, without a browser."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from ui_answers import complete_answers

from mentorforms.commands.cli import build_parser
from mentorforms.forms import FORM_IDS, get_form
from mentorforms.rules import identity
from mentorforms.rules.validation import check_submission
from mentorforms.server.serve import ServeError, launch, notebooks_dir
from mentorforms.ui.print_view import render_print
from mentorforms.ui.style import UNSAVED_GUARD
from mentorforms.vocabulary.pages import FORM as FORM_PAGE
from mentorforms.vocabulary.pages import LANDING
from mentorforms.vocabulary.record import Record, Signature, Status


def test_serve_listens_on_localhost_hides_tracebacks_and_passes_identity_to_the_kernels(demo_master):
    plan = launch(demo_master, port=8123, person_id="F00001", environ={"MENTORFORMS_DEMO": "1", "PATH": "/bin"})
    argv = " ".join(plan.argv)
    assert "--Voila.ip=127.0.0.1" in argv and "--port=8123" in argv
    assert "--VoilaConfiguration.show_tracebacks=False" in argv
    assert "cull_idle_timeout" in argv
    assert plan.argv[3] == str(notebooks_dir())
    assert plan.env[identity.ENV_DATA] == str(Path(demo_master).resolve())
    assert plan.env[identity.ENV_AS] == "F00001"
    assert identity.ENV_DEMO not in plan.env  # only --demo turns demo mode on
    assert plan.url == "http://127.0.0.1:8123/voila/render/index.ipynb"
    pools = json.loads(next(arg for arg in plan.argv if "kernel_pools_config" in arg).split("=", 1)[1])
    assert pools["default"]["pool_size"] == 0 and pools[FORM_PAGE]["pool_size"] >= 1


def test_serve_demo_mode_and_a_folder_without_roster(demo_master, tmp_path):
    assert launch(demo_master, demo=True, environ={}).env[identity.ENV_DEMO] == "1"
    with pytest.raises(ServeError, match="no roster.xlsx"):
        launch(tmp_path, environ={})


def test_serve_is_a_registered_command_that_prints_the_url(demo_master, monkeypatch, capsys):
    from mentorforms.server import serve

    args = build_parser().parse_args(["serve", str(demo_master), "--port", "8124", "--as", "F00002"])
    started = []
    monkeypatch.setattr(serve.os, "execve", lambda path, argv, env: started.append((argv, env)))
    args.run(args)
    assert "http://127.0.0.1:8124/voila/render/index.ipynb" in capsys.readouterr().out
    assert started and started[0][1][identity.ENV_AS] == "F00002"


@pytest.mark.parametrize("name", [LANDING, FORM_PAGE])
def test_the_pages_are_shipped_and_stay_thin(name):
    notebook = nbformat.read(notebooks_dir() / name, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) <= 3 and sum(len(cell.source.splitlines()) for cell in code) <= 12
    # The leave-warning runs before Voila's scripts only as the page's first (markdown) cell.
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source == UNSAVED_GUARD


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_print_view_shows_every_question_and_answer(form_id):
    form = get_form(form_id, 2026)
    values = complete_answers(form)
    values.update({item.id: Signature("Ana Patel", get_form(form_id, 2026).academic_year.first_day)
                   for item in form.fields() if item.kind.value == "signature"})
    record = Record(form_id, form.version, form.academic_year, "F1", "Pediatrics", Status.SIGNED,
                    check_submission(form, values))
    page = render_print(record, person_name="Ana <Patel>", with_extras=False)
    assert page.startswith("<!DOCTYPE html>") and "Ana &lt;Patel&gt;" in page
    for item in form.fields():
        assert f'data-field="{item.id}"' in page
    assert "<b>&</b>" not in page  # user text is escaped
    fragment = render_print(record, standalone=False, with_extras=False)
    assert "<html" not in fragment and 'class="mfp"' in fragment


def test_serve_on_a_taken_port_refuses_in_plain_words_and_prints_no_link(demo_master):
    import socket
    import subprocess
    import sys

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        port = other_program.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-c", "import sys; from mentorforms.commands.cli import main; sys.exit(main())",
             "serve", str(demo_master), "--port", str(port)],
            capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr and "--port" in done.stderr
    assert "http://" not in done.stdout + done.stderr  # no link that would open the other program


def test_voila_is_told_not_to_move_to_another_port(demo_master):
    # Should the port be taken between the check and Voila's start, Voila stops instead of
    # serving on the next port while the printed link names this one.
    assert "--Voila.port_retries=0" in launch(demo_master, port=8125, environ={}).argv


def test_the_data_folder_and_the_seed_are_explained_in_help(capsys):
    for command in ("serve", "demo"):
        with pytest.raises(SystemExit):
            build_parser().parse_args([command, "--help"])
        text = capsys.readouterr().out
        assert "data folder" in text or "roster" in text
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--help"])
    assert "same seed makes the same" in " ".join(capsys.readouterr().out.split())
