"""JupyterHub configuration for mentorforms: the Hub signs people in, the app serves the pages.

    MENTORFORMS_DATA=/srv/mentorforms/data .venv/bin/jupyterhub -f deploy/jupyterhub_config.py

Two ways to run (``MENTORFORMS_HUB_MODE``):

* ``service`` (default): one shared server for everyone, a Hub-managed service running
  ``mentorforms hub-service DATA`` (jhsingle-native-proxy in front of Voila) on one data folder.
  Users get no server of their own (their role cannot start one), so nobody gets a notebook or a
  terminal next to the data.
* ``per-user``: each person's own server runs the same command (``Spawner.cmd``) with the local
  process spawner; on Kubernetes see ``deploy/z2jh-values.yaml``.

Every page learns its visitor from the Hub on each request (see ``mentorforms/rules/identity.py``).
Environment read here (all optional except the data folder):

``MENTORFORMS_DATA``         the data folder (roster.xlsx and records/)
``MENTORFORMS_HUB_URL``      where the Hub listens (default ``http://127.0.0.1:8000``)
``MENTORFORMS_PUBLIC_URL``   the address people open, when a TLS proxy stands in front (default: the Hub's)
``MENTORFORMS_SERVICE_PORT`` the shared service's port on 127.0.0.1 (default 8870)
``MENTORFORMS_HUB_API_PORT``, ``MENTORFORMS_PROXY_API_PORT``  the Hub's and its proxy's own loopback ports (8081, 8001)
``MENTORFORMS_HUB_STATE``    folder for the Hub's database and cookie secret (default ``deploy/jupyterhub-state``)
``MENTORFORMS_HUB_PASSWORD`` the shared password (SharedPasswordAuthenticator), for trials and tests;
                             an institution sets ``c.JupyterHub.authenticator_class`` to its own
                             login in a file of its own (see the README, "Deploy")
``MENTORFORMS_SERVICE_ARGS`` extra ``hub-service`` options, such as ``--pool form=4 --host hub.example.edu``
"""

import os
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit

c = get_config()  # noqa: F821  (JupyterHub provides get_config)

HERE = Path(__file__).resolve().parent
DATA = os.environ.get("MENTORFORMS_DATA")
if not DATA:
    raise SystemExit("Set MENTORFORMS_DATA to the data folder (roster.xlsx and records/).")
MODE = os.environ.get("MENTORFORMS_HUB_MODE", "service")
SERVICE = "mentorforms"
SERVICE_PORT = int(os.environ.get("MENTORFORMS_SERVICE_PORT", "8870"))
STATE = Path(os.environ.get("MENTORFORMS_HUB_STATE", HERE / "jupyterhub-state"))
STATE.mkdir(parents=True, exist_ok=True, mode=0o700)
HUB_URL = os.environ.get("MENTORFORMS_HUB_URL", "http://127.0.0.1:8000")
# The name people type in the address bar (the pages refuse requests for any other host name).
PUBLIC_HOST = urlsplit(os.environ.get("MENTORFORMS_PUBLIC_URL", HUB_URL)).hostname or "localhost"
# The `mentorforms` command of the environment the Hub runs in.
CLI = "import sys; from mentorforms.commands.cli import main; sys.exit(main())"
APP = [sys.executable, "-c", CLI, "hub-service", DATA, "--host", PUBLIC_HOST,
       *shlex.split(os.environ.get("MENTORFORMS_SERVICE_ARGS", ""))]

c.JupyterHub.bind_url = HUB_URL
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("MENTORFORMS_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('MENTORFORMS_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
# The proxy installed from deploy/package-lock.json by ./dev.sh (npm ci), else one on PATH.
_proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
if _proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(_proxy)]

# Sign-in. Trials and tests: one shared password, any user name (the roster decides who may see
# what: a name that is not on it is refused by every page). Institutions: replace this with
# OAuthenticator or LDAP (README, "Deploy").
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("MENTORFORMS_HUB_PASSWORD") or None
c.Authenticator.allow_all = True

if MODE == "service":
    c.JupyterHub.services = [{
        "name": SERVICE,
        "url": f"http://127.0.0.1:{SERVICE_PORT}",
        "command": APP,
        "environment": {key: os.environ[key] for key in ("PATH", "LANG", "MENTORFORMS_INDEX_DIR") if key in os.environ},
        "oauth_no_confirm": True,
        "display": True,
    }]
    c.JupyterHub.load_roles = [
        # Every signed-in person may open the service, and nothing else: no server of their own.
        {"name": "user", "scopes": [f"access:services!service={SERVICE}", "read:users:name!user",
                                    "read:users:groups!user"]},
        # The service opens itself once at start, so Voila and its ready kernels start before the
        # first visitor (mentorforms.server.hub_service.warm_up).
        {"name": "mentorforms-warm-up", "services": [SERVICE], "scopes": [f"access:services!service={SERVICE}"]},
    ]
    c.JupyterHub.default_url = f"/services/{SERVICE}/voila/render/index.ipynb"
elif MODE == "per-user":
    c.JupyterHub.spawner_class = "simple"  # every server runs as the Hub's own OS user, for trials
    # One person's server: no kernel is kept ready for the analyst's export, which few people open
    # (on the shared service one is kept, for every analyst at once).
    c.Spawner.cmd = [*APP, "--pool", "analyst=0"]
    c.Spawner.default_url = "/voila/render/index.ipynb"
    c.Spawner.environment = {key: os.environ[key] for key in ("MENTORFORMS_INDEX_DIR",) if key in os.environ}
    c.Spawner.http_timeout = 90
    c.JupyterHub.default_url = "/hub/spawn"
    # An idle server is stopped after 20 minutes by the Hub's culler (jupyterhub-idle-culler) on
    # Kubernetes; here the server's own kernels are culled when tabs close.
else:
    raise SystemExit(f"MENTORFORMS_HUB_MODE must be 'service' or 'per-user', not {MODE!r}")
