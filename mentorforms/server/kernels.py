"""The kernel manager every page server uses: a closed tab's kernel goes, a page being opened stays.

jupyter_server culls a kernel by its last activity. A kernel Voila kept ready in its pool has none
from the end of its start-up until a request takes it, so with a short idle limit the culler shut
down kernels that had just been handed to a visitor, before their browser connected (measured:
five visitors at once with six ready kernels all saw a blank page). Here a kernel is judged by its
connections instead:

* while a browser is connected it is never culled;
* once its last browser has gone (a closed tab) it is shut down after ``cull_idle_timeout``;
* a kernel no browser has connected to yet (a page being opened, or a request that never opened
  its page) is shut down :attr:`PageKernelManager.unconnected_grace` seconds after the culler first
  saw it outside Voila's pool.

Voila's own kernel manager (``VoilaKernelManager``) builds on this class and keeps its pooled
kernels out of the culler's reach before asking this class.
"""

from __future__ import annotations

import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer


class PageKernelManager(AsyncMappingKernelManager):
    """Culls by connections: see the module docstring."""

    unconnected_grace = Integer(
        90, config=True,
        help="Seconds a kernel no browser has connected to yet is kept (a page still opening).")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._first_seen: dict[str, float] = {}
        self._left_at: dict[str, float] = {}

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._left_at.pop(kernel_id, None)

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        if self._connections(kernel_id) <= 0:
            self._left_at[kernel_id] = time.monotonic()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id not in self:
            self._forget(kernel_id)
            return
        now = time.monotonic()
        first_seen = self._first_seen.setdefault(kernel_id, now)
        if self._connections(kernel_id) > 0:
            return
        left_at = self._left_at.get(kernel_id)
        waited = now - (left_at if left_at is not None else first_seen)
        limit = self.cull_idle_timeout if left_at is not None else max(self.unconnected_grace, self.cull_idle_timeout)
        if waited < limit:
            return
        self.log.warning("Culling kernel %s: %s for %.0f s", kernel_id,
                         "its page was closed" if left_at is not None else "no browser connected", waited)
        self._forget(kernel_id)
        await self.shutdown_kernel(kernel_id)

    def _connections(self, kernel_id: str) -> int:
        # The browsers connected now, as the kernels REST API reports them (0 for a kernel gone).
        return self.kernel_model(kernel_id)["connections"] if kernel_id in self else 0

    def _forget(self, kernel_id: str) -> None:
        self._first_seen.pop(kernel_id, None)
        self._left_at.pop(kernel_id, None)
