"""A client that connects to a page's kernel without the websocket protocol browsers name
(``v1.kernel.websocket.jupyter.org``) gets the older framing: the server must go on serving it
and everyone else. Voila's own handler read such a message's first bytes as a count near 10**18
and spun at full CPU, growing by gigabytes, as soon as the kernel sent a picture."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from jupyter_server.services.kernels.connection.base import deserialize_binary_message, serialize_msg_to_ws_v1
from kernel_client import TIMEOUT_S, _admitted
from tornado.websocket import websocket_connect

from mentorforms.records.roster import load_roster
from mentorforms.server.kernel_socket import binary_header


def test_the_header_of_a_binary_message_is_read_only_from_the_framing_that_has_one():
    header = {"msg_id": "1", "msg_type": "execute_input", "session": "s", "username": "u", "date": "", "version": "5.3"}
    v1 = serialize_msg_to_ws_v1([json.dumps(header).encode(), b"{}", b"{}", b"{}", b"picture"], "iopub")
    assert binary_header(v1) == header
    older = b"\x00\x00\x00\x02\x00\x00\x00\x0c\x00\x00\x01\x00" + b'{"header": {}}' + b"picture"
    started = time.process_time()
    assert binary_header(older) is None
    assert binary_header(b"\xff" * 64) is None and binary_header(b"") is None
    assert binary_header(b"\x03" + b"\x00" * 7 + b"\xff" * 24) is None  # offsets past the end
    assert time.process_time() - started < 1.0, "reading a header must not depend on what its first bytes claim"


def test_a_page_with_pictures_is_served_over_the_older_framing_and_the_server_goes_on(serve_as, browser_data):
    analyst = next(person for person in load_roster(browser_data / "roster.xlsx") if person.has_role("analyst"))
    base = serve_as(demo=True)
    with _admitted(f"{base}/voila/render/dashboard.ipynb?as={analyst.person_id}") as answer:
        page = answer.read().decode("utf-8", "replace")
    kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page).group(1)
    url = f"{base.replace('http://', 'ws://')}/api/kernels/{kernel_id}/channels?session_id=older-client"

    def message(msg_type: str, content: dict, metadata: dict | None = None) -> str:
        header = {"msg_id": uuid.uuid4().hex, "username": "older", "session": "older-client", "msg_type": msg_type,
                  "version": "5.3", "date": dt.datetime.now(dt.UTC).isoformat()}
        return json.dumps({"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content,
                           "channel": "shell", "buffers": []})

    async def first_binary_message() -> bytes:
        socket = await websocket_connect(url)  # no subprotocol: the older framing
        try:
            # Every widget's state, as a browser asks for it (ipywidgets 8's control comm): the
            # dashboard's charts are pictures, sent as binary parts.
            await socket.write_message(message("comm_open", {"comm_id": "control", "target_name":
                                                             "jupyter.widget.control", "data": {}},
                                               {"version": "1.0.0"}))
            await socket.write_message(message("comm_msg", {"comm_id": "control",
                                                            "data": {"method": "request_states"}}))
            while True:
                raw = await socket.read_message()
                assert raw is not None, "the server closed the kernel's websocket"
                if isinstance(raw, bytes):
                    return raw
        finally:
            socket.close()

    with ThreadPoolExecutor(1) as pool:  # a loop of its own: Playwright's sync API keeps one in this thread
        raw = pool.submit(asyncio.run, asyncio.wait_for(first_binary_message(), TIMEOUT_S)).result()
    received = deserialize_binary_message(raw)
    assert received["buffers"] and received["header"]["msg_type"].startswith("comm_")
    with urllib.request.urlopen(f"{base}/voila/render/index.ipynb?as={analyst.person_id}", timeout=TIMEOUT_S) as answer:
        assert answer.status == 200 and analyst.name in answer.read().decode("utf-8")
