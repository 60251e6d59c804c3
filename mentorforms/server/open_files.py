"""How many files the page server may hold open at once.

Each open page holds about 30 of them in the page server (its kernel's five zmq channels, their
signalling descriptors, nbclient's channels while the page opens, the browser's websocket), so the
1,024 many systems give a process by default stops a server at about 30 open pages: measured at 120
visits a minute (about 40 pages open), the server held 1,305. The server raises its own limit to
the most the system allows it, and says what that is.
"""

from __future__ import annotations

import resource

#: A limit beyond this is plenty (about 2,000 open pages) and is not asked for.
ENOUGH = 65536
#: Files the page server holds for each open page, measured (for the log line's estimate).
FILES_PER_PAGE = 30


def raise_open_file_limit(enough: int = ENOUGH) -> int:
    """Raise this process's limit of open files to the most the system allows (at most ``enough``);
    the limit now in force. Its children, the page kernels, inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = enough if hard == resource.RLIM_INFINITY else min(hard, enough)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return soft if soft != resource.RLIM_INFINITY else enough
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError):
        return soft
    return wanted
