"""The passages' monthly partitions on PostgreSQL: the coming months are created every day
ahead of time (idempotent), so inserts never fall into the DEFAULT partition in practice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.access import partitions
from headwater.core import clock


@db_periodic_task(crontab(hour="2", minute="17"))
def create_passage_partitions() -> list[str]:
    return partitions.ensure_months(clock.today())
