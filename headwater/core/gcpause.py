"""Python's cyclic garbage collector and the few places it costs a request dearly.

`collector_held()`: holding the collector while a block builds tens of thousands of small
objects (tracing's two levels): the collector runs after every 700 new containers and, on its
older generations, walks every object the process holds — a fifth of a trace's time,
measured. Reference counting still frees whatever the block drops (none of it is cyclic), and
the collector resumes as it was.

`settle()`: once a web worker has loaded the application, everything loaded so far (modules,
URL patterns, the API's schemas: about 160,000 objects) is moved out of the collector's
sight (`gc.freeze`). They live as long as the process, and each full collection walked them
all: 60–100 ms, landing on whichever request happened to allocate at the time (ADR 0025,
fourth addendum). Frozen objects are still freed by reference counting; only cycles among
them would never be collected, and those are the application's own modules."""

import gc
from contextlib import contextmanager


@contextmanager
def collector_held():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def settle() -> None:
    """Load every view and endpoint now (Django would at the first request), then collect
    once and freeze what is left."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the property imports the URLconf)
    gc.collect()
    gc.freeze()
