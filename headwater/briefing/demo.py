"""Demo data of the briefing app: the last few days' briefings, so the archive is not empty."""

import datetime as dt

from headwater.core import clock
from headwater.core.demo import extension

DAYS = 3


@extension
def build(organization, seed: int, history_days: int) -> None:
    """The daily briefings of the last DAYS days (each as the task queue would make it)."""
    from headwater.briefing import services

    today = clock.today()
    for back in range(min(DAYS, history_days), 0, -1):
        services.generate(organization, today - dt.timedelta(days=back))
