"""Who may open a page now: a limit on pages being opened at once, and a queue for the others.

Opening a page costs the server a kernel's start and the run of the page's cells (about 3
CPU-seconds each on this machine); when more pages open at once than there are cores, everyone
waits longer and sees a blank page meanwhile. :class:`Admission` lets at most ``limit`` pages be
opened at once, counting with them the kernels the server is starting on its own (``starting``:
Voila refilling its pools of ready kernels); a visitor over the limit is given a ticket (a random
token the busy page keeps in a cookie) and a place in the queue, and comes in, in the order of
arrival, once a page being opened is done. A ticket nobody has asked about for ``stale_after``
seconds (a closed tab) leaves the queue, so it cannot hold up those behind it.

The class knows nothing of HTTP (:mod:`mentorforms.server.voila_app` wires it to Voila's page handler).
It is used from one thread only (the server's event loop), so it takes no locks.
"""

from __future__ import annotations

import os
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

#: Seconds a waiting ticket is kept without being asked about; the busy page asks every second.
STALE_AFTER_SECONDS = 10.0
#: Tickets kept at most; a visitor beyond this is told the server is busy, without a place.
MAX_WAITING = 5000
#: Seconds a page may take to open (its HTML complete) before the server stops waiting for its
#: kernel, frees its place among the pages being opened, and the page says so in plain words.
DEFAULT_OPENING_TIMEOUT_S = 60.0


def default_limit() -> int:
    """Pages opened at once by default: one per CPU core this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, cores)


@dataclass(frozen=True)
class Decision:
    """What happens to a request for a page.

    ``admitted``: open the page now. Otherwise ``ticket`` is the visitor's place holder (None when
    the queue is full) and ``position`` their place in the queue, counting from 1 (0 with no ticket).
    """

    admitted: bool
    ticket: str | None = None
    position: int = 0


class Admission:
    """At most ``limit`` pages opened at once (0: no limit); the others wait in arrival order."""

    def __init__(self, limit: int, *, stale_after: float = STALE_AFTER_SECONDS, max_waiting: int = MAX_WAITING,
                 clock: Callable[[], float] = time.monotonic,
                 new_ticket: Callable[[], str] = lambda: secrets.token_urlsafe(16),
                 starting: Callable[[], int] = lambda: 0) -> None:
        if limit < 0:
            raise ValueError(f"a limit of pages opened at once cannot be negative ({limit})")
        self.limit = limit
        self.stale_after = stale_after
        self.max_waiting = max_waiting
        self._clock = clock
        self._new_ticket = new_ticket
        self._starting = starting
        self._opening = 0
        self._waiting: OrderedDict[str, float] = OrderedDict()  # ticket -> when it was last asked about

    @property
    def opening(self) -> int:
        """Pages being opened now (admitted and not yet :meth:`leave`)."""
        return self._opening

    @property
    def waiting(self) -> int:
        """Tickets in the queue (after dropping stale ones)."""
        self._drop_stale()
        return len(self._waiting)

    def enter(self, ticket: str | None) -> Decision:
        """A request for a page, carrying the visitor's ticket if they have one.

        Admitted when a place is free and nobody who came earlier is still waiting for it (a ticket
        among the first free places counts as come); then the caller must call :meth:`leave` once
        the page is opened, whatever happens. Otherwise the visitor keeps (or gets) a ticket and is
        told their place. An unknown or expired ticket counts as none: it goes to the back.
        """
        self._drop_stale()
        if ticket is not None and ticket in self._waiting:
            place = self._place(ticket)
            if place < self._free():
                del self._waiting[ticket]
                self._opening += 1
                return Decision(admitted=True)
            self._waiting[ticket] = self._clock()
            return Decision(admitted=False, ticket=ticket, position=place + 1)
        if not self._waiting and self._free() > 0:
            self._opening += 1
            return Decision(admitted=True)
        if len(self._waiting) >= self.max_waiting:
            return Decision(admitted=False)
        ticket = self._new_ticket()
        self._waiting[ticket] = self._clock()
        return Decision(admitted=False, ticket=ticket, position=len(self._waiting))

    def leave(self) -> None:
        """A page admitted by :meth:`enter` has been opened (or failed): its place is free."""
        if self._opening <= 0:
            raise RuntimeError("leave() without a matching admitted enter()")
        self._opening -= 1

    def place(self, ticket: str | None) -> int | None:
        """Where a waiting ticket stands, counting it as asked about: 0 when it would be admitted if
        its page were asked for now, n when n-1 tickets are ahead of it and no place is free for
        it, None when it is not waiting (unknown, expired or already admitted)."""
        self._drop_stale()
        if ticket is None or ticket not in self._waiting:
            return None
        self._waiting[ticket] = self._clock()
        place = self._place(ticket)
        return 0 if place < self._free() else place + 1

    def _free(self) -> int:
        if self.limit == 0:
            return len(self._waiting) + 1
        return max(0, self.limit - self._opening - self._starting())

    def _place(self, ticket: str) -> int:
        for index, held in enumerate(self._waiting):
            if held == ticket:
                return index
        raise KeyError(ticket)

    def _drop_stale(self) -> None:
        now = self._clock()
        for ticket in [held for held, seen in self._waiting.items() if now - seen > self.stale_after]:
            del self._waiting[ticket]
