"""Holding Python's cyclic garbage collector while a block builds tens of thousands of small
objects (tracing's two levels): the collector runs after every 700 new containers and, on its
older generations, walks every object the process holds — a fifth of a trace's time,
measured. Reference counting still frees whatever the block drops (none of it is cyclic), and
the collector resumes as it was."""

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
