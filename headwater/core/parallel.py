"""Independent read-only statements of one request, side by side on their own database
connections: PostgreSQL runs one statement on one core, so a request whose answer is two
heavy reads (contact tracing's second level: the gates beside the canteens and buses) waits
for the longer one, not for both.

    first, second = parallel.side_by_side(lambda: read(a), lambda: read(b))

    answer = parallel.begun(lambda: read(a))  # runs while the caller works on
    ...
    first = answer()

The first call runs in the calling thread, the others in threads of their own, each opening
a connection (about 3 ms on the same host) and closing it when done. Only on PostgreSQL and
outside a transaction: inside one (a test, an atomic block) another connection could not see
its rows, so the calls run one after the other on the connection in use — `possible()` says
which, for a caller that would split its work only to run it side by side. An exception in
any call is raised here."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connection, connections


def possible() -> bool:
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _alone(call: Callable[[], Any]) -> Any:
    try:
        return call()
    finally:
        connections.close_all()  # this thread's own connections


def begun(call: Callable[[], Any]) -> Callable[[], Any]:
    """Start `call` in a thread of its own and answer a function that waits for its answer
    (and raises its exception), so that the caller's own work goes on meanwhile; where
    that is not possible, `call` runs when its answer is asked for."""
    if not possible():
        return call
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(_alone, call)
    pool.shutdown(wait=False)  # the thread ends with the call
    return future.result


def side_by_side(*calls: Callable[[], Any]) -> list[Any]:
    """Each call's answer, in the order given: the first here, the others begun beside it."""
    others = [begun(call) for call in calls[1:]]
    first = calls[0]()
    return [first, *(wait() for wait in others)]
