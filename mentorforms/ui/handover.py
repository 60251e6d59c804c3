"""The request hand-over a pre-started page kernel waits for, without importing Voila.

Voila keeps kernels ready for each page (``--preheat_kernel``): it runs the page's first cell
ahead of any visitor, and when a request comes it sends that request's details (query string,
the headers it was told to pass) over a websocket at ``voila/query/<kernel id>``; the page reads
them from ``os.environ``. Voila's own helper for this, ``voila.utils.wait_for_request``, lives in
a module whose import loads Voila's server extension, jupyter_server, jupyterlab_server and
jsonschema (6 CPU-seconds and 40 MB in every kernel, measured); this module does the same with a
websocket client and nothing else. The variable names are Voila 0.5.13's (``voila/utils.py``).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Mapping, MutableMapping
from typing import NoReturn

#: Set by Voila in a kernel it keeps ready ("True"); anything else: the request is already here.
ENV_PREHEAT = "VOILA_PREHEAT"
ENV_KERNEL_ID = "VOILA_KERNEL_ID"
ENV_WS_PROTOCOL = "VOILA_WS_PROTOCOL"
ENV_APP_IP = "VOILA_APP_IP"
ENV_APP_PORT = "VOILA_APP_PORT"
ENV_SERVER_URL = "VOILA_SERVER_URL"
ENV_WS_BASE_URL = "VOILA_WS_BASE_URL"
#: Seconds to open the websocket (the server is on this machine).
OPEN_TIMEOUT_S = 30.0


def request_url(environ: Mapping[str, str] = os.environ) -> str:
    """Where a ready kernel asks for its request, from the variables Voila set."""
    protocol = environ.get(ENV_WS_PROTOCOL, "ws")
    ip = environ.get(ENV_APP_IP, "127.0.0.1")
    port = environ.get(ENV_APP_PORT, "8866")
    base = environ.get(ENV_WS_BASE_URL) or environ.get(ENV_SERVER_URL, "/")
    return f"{protocol}://{ip}:{port}{base}voila/query/{environ.get(ENV_KERNEL_ID, '')}"


def apply_request(message: str | bytes, environ: MutableMapping[str, str] = os.environ) -> int:
    """Put the request's details (a JSON object of strings) into ``environ``; how many were given.
    Anything that is not a string-to-string object is ignored."""
    try:
        payload = json.loads(message)
    except ValueError:
        return 0
    if not isinstance(payload, dict):
        return 0
    count = 0
    for key, value in payload.items():
        if isinstance(key, str) and isinstance(value, str) and key and "\x00" not in key + value and "=" not in key:
            environ[key] = value
            count += 1
    return count


def wait_for_request() -> None:
    """In a kernel Voila keeps ready, wait for the request this page is opened for and put its
    details into ``os.environ``; otherwise (a kernel started for the request) return at once.
    A failure is written to the server's log; the page then finds no request and says so."""
    if os.environ.get(ENV_PREHEAT, "False") != "True":
        return
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    url = request_url()
    try:
        socket = connect(url, open_timeout=OPEN_TIMEOUT_S, max_size=2**20)
    except (OSError, TimeoutError, ValueError) as error:
        logging.getLogger("mentorforms.ui").error("no request reached this page's kernel from %s: %s", url, error)
        print(f"[mentorforms] no request reached this page's kernel from {url}: {error}", file=sys.__stderr__)
        return
    except KeyboardInterrupt:
        _end_quietly()
    try:
        with socket:
            message = socket.recv()
    except (ConnectionClosed, OSError, KeyboardInterrupt):
        _end_quietly()
    apply_request(message)


def _end_quietly() -> NoReturn:
    """No request will come: the server closed the hand-over, went away, or is shutting this ready
    kernel down (jupyter_client interrupts a busy kernel first). No page will be drawn here, so the
    kernel ends now, quietly: returning would let it answer this cell on sockets its shutdown has
    closed, a ZMQError traceback in the server log for every ready kernel."""
    sys.stdout.flush()
    os._exit(0)
