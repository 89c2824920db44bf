"""Queue numbers (排队号) and the batch caller (叫号).

A desk hands out the next number of its site. Two desks asking at once never get the same
number: the site's counter is advanced and read in one statement (`UPDATE … SET next_number =
next_number + 1 … RETURNING`), which PostgreSQL serializes on the row and SQLite's single
writer serializes anyway; the unique (site, number) constraint is the backstop. A retried
request with the same key answers the number first issued."""

from django.db import connection, transaction
from django.utils.translation import gettext as _

from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError
from headwater.core.writes import Written, idempotent
from headwater.testing.errors import TestingError
from headwater.testing.inputs_desk import CallInput
from headwater.testing.models import Batch, SamplingSite, Ticket
from headwater.testing.services.desk_common import check_open, require_desk


def issue_ticket(site: SamplingSite, *, by, key: str = "") -> Written[Ticket]:
    """The next queue number of the site, for a campaign open today."""
    require_desk(by, site.campaign)
    return idempotent(
        "testing.ticket", by=by, key=key, model=Ticket, write=lambda: _issue(site, by)
    )


def _advance(site: SamplingSite) -> int:
    table = SamplingSite._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET next_number = next_number + 1 WHERE id = %s "  # noqa: S608
            "RETURNING next_number - 1",
            [site.pk],
        )
        return cursor.fetchone()[0]


def _issue(site: SamplingSite, by) -> Written[Ticket]:
    with transaction.atomic(), acting_as(by):
        check_open(site.campaign)
        number = _advance(site)
        ticket = Ticket.objects.create(
            organization_id=site.organization_id,
            campaign_id=site.campaign_id,
            site=site,
            number=number,
            issued_by=by,
        )
    return ticket, True


def call_batch(batch: Batch, *, by) -> Written[Batch]:
    """Call a batch down to its site now; calling it again changes nothing."""
    require_desk(by, batch.campaign)
    with transaction.atomic(), acting_as(by):
        batch = locks.lock_one(Batch, batch.pk)
        if batch.called_at is not None:
            return batch, False
        batch.called_at = clock.now()
        batch.save(update_fields=["called_at"])
    return batch, True


def call_numbers(site: SamplingSite, data: CallInput, *, by) -> list[Ticket]:
    """Call the next `count` queue numbers not called yet, lowest first; refused when every
    number issued has been called."""
    require_desk(by, site.campaign)
    with transaction.atomic(), acting_as(by):
        waiting = Ticket.objects.filter(site_id=site.pk, called_at=None).order_by("number")
        ids = [t.pk for t in waiting[: data.count]]
        tickets = locks.lock(Ticket.objects.filter(pk__in=ids, called_at=None))
        if not tickets:
            raise DomainError(
                _("Every queue number issued at %(site)s has been called.") % {"site": site.name},
                code=TestingError.NOTHING_TO_CALL,
            )
        now = clock.now()
        Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(called_at=now)
        for t in tickets:
            t.called_at = now
    return sorted(tickets, key=lambda t: t.number)
