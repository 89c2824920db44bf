"""Moving the one clock in tests (core.clock reads Django's timezone.now, which time-machine
travels)."""

import datetime as dt

import pytest
import time_machine

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of a day in Asia/Shanghai."""
    return dt.datetime.combine(day, dt.time(hour, minute), SHANGHAI)


@pytest.fixture
def clock_at():
    """Move the one clock: `clock_at(dt.datetime(...))`; time stands still until moved again."""
    traveller = None

    def move(when: dt.datetime):
        nonlocal traveller
        if traveller:
            traveller.stop()
        traveller = time_machine.travel(when, tick=False)
        traveller.start()

    yield move
    if traveller:
        traveller.stop()
