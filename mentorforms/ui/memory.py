"""A page kernel gives its freed memory back to the system once a page is shown or an action is
done (:func:`release_soon`).

Building a page, or saving and reading workbooks, allocates megabytes that are freed as soon as
the work is done. CPython frees them to the C allocator, and glibc's malloc keeps the freed pages
in its heap for later use instead of giving them back. An open page rarely needs them again, and
with a kernel per visitor that memory decides how many pages a machine holds: measured on Part I
(docs/figures.md), a forked kernel's private memory grew by 22 MB while the page was built, and
12 MB of it was free heap that ``malloc_trim(0)`` returned.

The release runs on the kernel's own event loop a moment after the work (when the page's messages
have gone out and the kernel is idle), once for a burst of actions. Outside a running event loop
(a plain process, most tests) nothing is scheduled; on a C library without ``malloc_trim`` (not
glibc) only the collector runs.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
from collections.abc import Callable

#: Seconds after the last page build or action before the memory is released.
RELEASE_DELAY_S = 1.0

#: Releases done in this process (read by tests and by anyone curious in a kernel).
releases = 0

_pending: asyncio.TimerHandle | None = None


def _find_malloc_trim() -> Callable[[int], int] | None:
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_malloc_trim = _find_malloc_trim()


def can_trim() -> bool:
    """Whether this process's C library can give free heap back (glibc's ``malloc_trim``)."""
    return _malloc_trim is not None


def release_now() -> bool:
    """Collect garbage cycles, then give the C heap's free pages back to the system. True when
    the C library gave some back."""
    global releases
    gc.collect()
    releases += 1
    return bool(_malloc_trim(0)) if _malloc_trim is not None else False


def _release_pending() -> None:
    global _pending
    _pending = None
    release_now()


def release_soon(delay_s: float = RELEASE_DELAY_S) -> bool:
    """Release memory ``delay_s`` seconds from now on the running event loop, moving a release
    already due later instead of adding one. False (and nothing scheduled) without a running loop."""
    global _pending
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    if _pending is not None:
        _pending.cancel()
    _pending = loop.call_later(delay_s, _release_pending)
    return True
