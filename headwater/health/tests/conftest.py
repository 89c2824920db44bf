import datetime as dt

import pytest
import time_machine

from headwater.core.tests.factories import make_user

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
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


@pytest.fixture
def operator_user(people):
    """The staff member 李操作 (shift A of plant 1) as a login."""
    return make_user("li", person=people["operator"], roles=[("staff", None)])


NORMAL = {"temperature": "36.5", "whereabouts": "at_work"}
