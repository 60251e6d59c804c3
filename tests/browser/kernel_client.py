"""A hostile browser, without the browser: talks to a Voila page's kernel over its websocket the
way a crafted client could (widget ``update`` messages to disabled inputs, clicks on disabled or
hidden buttons), using the Jupyter messaging protocol and the ipywidgets 8 comm protocol.

``HostilePage(url)`` renders the page (a GET, as a browser does), connects to its kernel and reads
every widget's state; ``find(css)`` finds a widget by the CSS class the page gives it (and,
inside it, by model name); ``set(model, **state)`` and ``click(model)`` send what a crafted client
would; ``settle()`` waits until the kernel has handled everything sent so far (a round trip of
``kernel_info_request``, which the kernel answers only after earlier shell messages).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import threading
import uuid
from typing import Any

from tornado.websocket import websocket_connect

TIMEOUT_S = 120.0  # a generous bound on a busy machine; each wait ends as soon as its answer arrives


def _admitted(url: str):
    """The page's response, once the server admits the request: while it answers with the busy
    page (503, the server opening as many pages as it may) ask again with its ticket cookie, as the
    busy page does without script."""
    import http.cookiejar
    import time
    import urllib.error

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        try:
            return opener.open(url, timeout=TIMEOUT_S)
        except urllib.error.HTTPError as error:
            if error.code != 503 or time.monotonic() > deadline:
                raise
            error.close()
            time.sleep(0.5)


class HostilePage:
    def __init__(self, url: str) -> None:
        with _admitted(url) as answer:
            page = answer.read().decode("utf-8", "replace")
        found = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page)
        assert found, "the rendered page names no kernel"
        base = url.split("/voila/", 1)[0].replace("http://", "ws://")
        self.ws_url = f"{base}/api/kernels/{found.group(1)}/channels?session_id={uuid.uuid4().hex}"
        self.session = uuid.uuid4().hex
        # The client's own event loop, in a thread of its own: Playwright's sync API keeps a loop
        # running in the test's thread, where no second loop may run.
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

        async def connect():
            return await websocket_connect(self.ws_url)

        self.ws = self._run(connect())
        self.states: dict[str, dict[str, Any]] = {}
        self.refresh()

    # ----------------------------------------------------------------- protocol

    def _run(self, coroutine) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(TIMEOUT_S + 5)

    def _message(self, msg_type: str, content: dict, channel: str = "shell", metadata: dict | None = None) -> dict:
        return {"header": {"msg_id": uuid.uuid4().hex, "username": "hostile", "session": self.session,
                           "msg_type": msg_type, "version": "5.3",
                           "date": dt.datetime.now(dt.UTC).isoformat()},
                "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": channel, "buffers": []}

    def _send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        message = self._message(msg_type, content, metadata=metadata)

        async def write() -> None:
            await self.ws.write_message(json.dumps(message))

        self._run(write())
        return message["header"]["msg_id"]

    def _until(self, predicate) -> dict:
        async def wait() -> dict:
            while True:
                raw = await self.ws.read_message()
                assert raw is not None, "the kernel's websocket closed"
                if isinstance(raw, bytes):
                    continue
                message = json.loads(raw)
                if predicate(message):
                    return message
        return self._run(asyncio.wait_for(wait(), TIMEOUT_S))

    def settle(self) -> None:
        """Return once the kernel has handled every message sent before."""
        msg_id = self._send("kernel_info_request", {})
        self._until(lambda m: m.get("msg_type", m["header"]["msg_type"]) == "kernel_info_reply"
                    and m["parent_header"].get("msg_id") == msg_id)
        # a reply on shell can overtake iopub output of the same request: wait for the kernel to go idle
        msg_id = self._send("kernel_info_request", {})
        self._until(lambda m: m["header"]["msg_type"] == "status"
                    and m["parent_header"].get("msg_id") == msg_id and m["content"].get("execution_state") == "idle")

    def refresh(self) -> None:
        """Read every widget's state again (ipywidgets 8: request_states on the control comm)."""
        comm_id = uuid.uuid4().hex
        self._send("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                   metadata={"version": "1.0.0"})  # ipywidgets 8's control protocol
        self._send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        reply = self._until(lambda m: m["header"]["msg_type"] == "comm_msg"
                            and m["content"].get("comm_id") == comm_id
                            and m["content"]["data"].get("method") == "update_states")
        self.states = reply["content"]["data"]["states"]

    # ----------------------------------------------------------------- widgets

    def find(self, css: str, model: str | None = None, **state: Any) -> str:
        """The id of the widget with CSS class ``css``, or of the first widget inside it whose
        model name is ``model`` and whose state has the given values."""
        top = [key for key, value in self.states.items() if css in value["state"].get("_dom_classes", ())]
        assert top, f"no widget has the class {css}"
        if model is None:
            return top[0]
        seen, queue = set(), list(top)
        while queue:
            key = queue.pop(0)
            if key in seen or key not in self.states:
                continue
            seen.add(key)
            entry = self.states[key]
            if entry["model_name"] == model and all(entry["state"].get(k) == v for k, v in state.items()):
                return key
            for child in entry["state"].get("children", ()):
                queue.append(child.replace("IPY_MODEL_", ""))
        raise AssertionError(f"no {model} {state} inside {css}")

    def state(self, model_id: str) -> dict[str, Any]:
        return self.states[model_id]["state"]

    def set(self, model_id: str, **state: Any) -> None:
        """What a crafted client sends to change a widget's value, disabled or not."""
        self._send("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": state,
                                                              "buffer_paths": []}}, metadata={"version": "2.1.0"})

    def click(self, model_id: str) -> None:
        """What a crafted client sends to press a button, disabled or hidden or not."""
        self._send("comm_msg", {"comm_id": model_id, "data": {"method": "custom", "content": {"event": "click"}}},
                   metadata={"version": "2.1.0"})

    def text(self, css: str) -> str:
        """The text of the HTML widget with class ``css`` (tags removed), as it is now."""
        self.refresh()
        return re.sub(r"<[^>]+>", " ", self.state(self.find(css))["value"])

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.ws.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
