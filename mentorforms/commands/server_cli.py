"""``mentorforms serve`` and ``mentorforms hub-service``: the server layer's two ways to run, as
subcommands (the server does not know the command line; the command line calls the server)."""

from __future__ import annotations

from mentorforms.commands.cli import command
from mentorforms.server import hub_service, serve

command("serve", "serve the form pages with Voila on 127.0.0.1")(serve.serve_arguments)(serve.run_serve)
command("hub-service", "serve the pages behind JupyterHub (started by the Hub, see deploy/)")(
    hub_service.hub_service_arguments)(hub_service.run_hub_service)
