"""The kernel websocket a page's browser talks to (``/api/kernels/<id>/channels``), reading each
message's header without trusting it.

Voila 0.5.13's handler reads the header of every binary message the kernel sends to the browser
to hold back ``execute_input`` (the page's code). It takes the message's first eight bytes as the
number of parts of the websocket protocol ``v1.kernel.websocket.jupyter.org``; but a browser that
connects without that protocol (any client may) gets the older framing, whose first eight bytes
read as a number near 10**18. The server then spent all its CPU and gigabytes of memory building
a list of that length, for every visitor at once, measured on a dashboard with its pictures:
100% CPU and 3.3 GB within a minute, and the server no longer stopped on SIGTERM. Here a message
whose parts do not fit within it has no header to read.
"""

from __future__ import annotations

import json
from typing import Any

from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

#: Bytes of each number in the v1 framing: the count of parts, then each part's offset.
WORD = 8


def _number(message: bytes, index: int) -> int:
    return int.from_bytes(message[WORD * index:WORD * (index + 1)], "little")


def binary_header(message: bytes) -> dict[str, Any] | None:
    """The header of a message in the ``v1.kernel.websocket.jupyter.org`` framing, or None when
    the message is not one (the older framing, or anything whose parts do not fit within it)."""
    # The framing: the count of parts, each part's offset (the channel's, the header's, ...), the parts.
    count = _number(message, 0)
    if count < 3 or WORD * (count + 1) > len(message):
        return None
    start, end = _number(message, 2), _number(message, 3)
    if not WORD * (count + 1) <= start <= end <= len(message):
        return None
    try:
        header = json.loads(message[start:end].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return header if isinstance(header, dict) else None


class KernelSocketHandler(VoilaKernelWebsocketHandler):
    """Voila's kernel websocket, with the header of a binary message read by :func:`binary_header`."""

    def write_message(self, message: bytes | str | dict[str, Any], binary: bool = False) -> Any:
        if isinstance(message, bytes):
            header = binary_header(message)
            if header is not None and header.get("msg_type") == "execute_input":
                return None  # as Voila does: the page's code is not sent to the browser
            return super(VoilaKernelWebsocketHandler, self).write_message(message, binary)
        return super().write_message(message, binary)
