"""The roster (不落一人): whole units added at once (the unit and its subtree's active
people; adding again skips whoever is on it already), an entry removed while it has no
sample. Outside people come from a spreadsheet: services/setup_outsiders.py."""

from dataclasses import dataclass

from auditlog.models import LogEntry
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from headwater.core import audit, clock
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, invalid
from headwater.core.models import Person, Unit
from headwater.testing.choices import EntrySource, EntryStatus
from headwater.testing.errors import TestingError
from headwater.testing.models import Batch, Campaign, RosterEntry, Sample
from headwater.testing.services.setup import locked_campaign, require_manager


@dataclass
class Added:
    """What adding units did: people put on the roster, people already on it."""

    added: int = 0
    skipped: int = 0


def add_units(campaign: Campaign, unit_ids: list[int], *, by) -> tuple[Added, bool]:
    """Put the active people of the units (and their subtrees) on the roster, at the first
    sampling site and in their unit's batch if it has one. Idempotent: people already on it
    are skipped. A few statements whatever the size: a count and one INSERT … SELECT."""
    require_manager(by, campaign.organization_id)
    units = list(Unit.objects.filter(organization_id=campaign.organization_id, pk__in=unit_ids))
    if not unit_ids or len(units) != len(set(unit_ids)):
        raise invalid({"unit_ids": _("Choose units of the organization.")})
    with transaction.atomic(), acting_as(by):
        locked = locked_campaign(campaign)
        under = Q()
        for unit in units:
            under |= Q(unit__path__startswith=unit.path)
        people = Person.objects.active().filter(under, organization_id=locked.organization_id)
        on_roster = RosterEntry.objects.filter(campaign=locked, person_id=OuterRef("pk"))
        waiting = people.filter(~Exists(on_roster))
        total = people.count()
        added = _insert(locked, waiting, by=by)
        result = Added(added=added, skipped=total - added)
        if added:
            audit.record(
                locked,
                actor=by,
                action=LogEntry.Action.UPDATE,
                roster=_("%(n)s people added from %(units)s")
                % {"n": added, "units": "、".join(u.name for u in units)},
            )
    return result, bool(added)


def _insert(campaign: Campaign, people, *, by) -> int:
    """The entries of `people` in one INSERT … SELECT (no row passes through Python: 20,000
    people take well under a second), at the first site and in their unit's batch."""
    batch = Batch.objects.filter(campaign=campaign, unit_id=OuterRef("unit_id")).order_by("pk")
    columns = people.order_by().values(
        pid=F("pk"), uid=F("unit_id"), bid=Subquery(batch.values("pk")[:1])
    )
    select, params = columns.query.sql_with_params()
    table = connection.ops.quote_name(RosterEntry._meta.db_table)
    site_id = campaign.sites.order_by("pk").values_list("pk", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organization_id, campaign_id, person_id, unit_id, batch_id, "
            "site_id, company, source, added_reason, added_by_id, status, created_at) "
            f"SELECT %s, %s, a.pid, a.uid, a.bid, %s, '', %s, '', %s, %s, %s FROM ({select}) a",
            (
                campaign.organization_id,
                campaign.pk,
                site_id,
                EntrySource.UNIT.value,
                getattr(by, "pk", None),
                EntryStatus.PENDING.value,
                connection.ops.adapt_datetimefield_value(clock.now()),
                *params,
            ),
        )
        return cursor.rowcount


def remove_entry(entry: RosterEntry, *, by) -> tuple[RosterEntry, bool]:
    """Take a person off the roster; refused once they have a sample (the swab is in a tube
    and the completeness view needs them)."""
    require_manager(by, entry.organization_id)
    with transaction.atomic(), acting_as(by):
        locked_campaign(entry.campaign)
        if entry.status != EntryStatus.PENDING or Sample.objects.filter(entry=entry).exists():
            raise DomainError(
                _("%(name)s has been sampled and stays on the roster.") % {"name": entry},
                code=TestingError.ENTRY_HAS_SAMPLE,
                status=409,
            )
        entry.delete()
    return entry, False
