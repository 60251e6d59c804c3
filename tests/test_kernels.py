"""Which page kernels the culler shuts down (mentorforms.server.kernels), without starting any."""

from __future__ import annotations

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from mentorforms.server import kernels
from mentorforms.server.kernels import PageKernelManager


@pytest.fixture
def manager(monkeypatch):
    clock = {"now": 1000.0}
    monkeypatch.setattr(kernels.time, "monotonic", lambda: clock["now"])
    manager = PageKernelManager(cull_idle_timeout=20, unconnected_grace=90)
    manager.shut = []

    async def shutdown_kernel(kernel_id, *args, **kwargs):
        manager.shut.append(kernel_id)
        manager._kernels.pop(kernel_id, None)
        manager._kernel_connections.pop(kernel_id, None)

    manager.shutdown_kernel = shutdown_kernel
    manager.clock = clock
    return manager


def tick(manager, seconds: float) -> None:
    manager.clock["now"] += seconds
    for kernel_id in list(manager._kernels):
        # In a thread of its own: after the browser tests, Playwright's sync API keeps an event
        # loop running in the test's thread, where asyncio.run refuses to start another.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, manager.cull_kernel_if_idle(kernel_id)).result()


def add(manager, kernel_id: str) -> None:
    # What jupyter_server's kernel model reads of a kernel (the culler reads its connections there).
    manager._kernels[kernel_id] = SimpleNamespace(kernel_name="python3", last_activity=dt.datetime.now(dt.UTC),
                                                  execution_state="idle")
    manager._kernel_connections[kernel_id] = 0


def test_a_kernel_just_handed_to_a_visitor_is_kept_until_their_browser_connects(manager):
    add(manager, "opening")  # idle since its start-up in the pool, no browser yet
    tick(manager, 0)
    tick(manager, 60)
    assert manager.shut == []
    manager.notify_connect("opening")
    tick(manager, 3600)  # an open tab, however long
    assert manager.shut == []


def test_a_closed_tab_frees_its_kernel_after_the_idle_limit(manager):
    add(manager, "tab")
    tick(manager, 0)
    manager.notify_connect("tab")
    tick(manager, 5)
    manager.notify_disconnect("tab")
    tick(manager, 15)
    assert manager.shut == []
    manager.notify_connect("tab")  # a reconnect (a network blip) keeps it
    manager.notify_disconnect("tab")
    tick(manager, 21)
    assert manager.shut == ["tab"]


def test_a_page_nobody_ever_connected_to_goes_after_the_grace(manager):
    add(manager, "never")
    tick(manager, 0)
    tick(manager, 89)
    assert manager.shut == []
    tick(manager, 2)
    assert manager.shut == ["never"]
