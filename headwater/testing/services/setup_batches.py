"""Batches (time windows): one per unit on the roster and one per outside company, laid out
over the campaign's sites and days; each entry of the unit or company gets the batch and its
site. Editable afterwards (label, site, window). Notices before the day: services/
setup_notices.py."""

import datetime as dt
import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core.audit import acting_as
from headwater.core.errors import DomainError
from headwater.core.models import Unit
from headwater.testing.errors import TestingError
from headwater.testing.inputs_setup import BatchInput, BatchPlanInput
from headwater.testing.models import Batch, Campaign, RosterEntry, SamplingSite
from headwater.testing.services.setup import locked_campaign, require_manager


def _groups(campaign: Campaign) -> list[tuple[Unit | None, str]]:
    """The units (in tree order) and the companies of the roster's entries that have no batch
    yet."""
    waiting = RosterEntry.objects.filter(campaign=campaign, batch__isnull=True)
    unit_ids = set(waiting.filter(unit__isnull=False).values_list("unit_id", flat=True))
    units = Unit.objects.filter(pk__in=unit_ids).order_by("path")
    companies = sorted(
        set(waiting.filter(unit__isnull=True).exclude(company="").values_list("company", flat=True))
    )
    return [(u, "") for u in units] + [(None, c) for c in companies]


def plan(
    campaign: Campaign, sites: list[SamplingSite], count: int, data: BatchPlanInput
) -> list[tuple[SamplingSite, dt.datetime, dt.datetime]]:
    """`count` windows spread evenly over the campaign's days; within a day the groups take
    the sites in turn, each site's windows one after the other from `start`. Refused when a
    day's windows would run past `day_end`."""
    days = (campaign.ends_on - campaign.starts_on).days + 1
    per_day = math.ceil(count / days) if count else 0
    per_site = math.ceil(per_day / len(sites)) if per_day else 0
    window = dt.timedelta(minutes=data.minutes)
    first = dt.datetime.combine(campaign.starts_on, data.start)
    if first + window * per_site > dt.datetime.combine(campaign.starts_on, data.day_end):
        raise DomainError(
            _(
                "%(n)s batches do not fit into the campaign's days before %(end)s: shorten the "
                "window, add a site or a day."
            )
            % {"n": count, "end": data.day_end.strftime("%H:%M")},
            code=TestingError.BATCHES_DO_NOT_FIT,
            fields={"minutes": _("The windows do not fit into the days.")},
        )
    slots = []
    for i in range(count):
        day, nth = divmod(i, per_day)
        slot, site = divmod(nth, len(sites))
        starts = timezone.make_aware(
            dt.datetime.combine(campaign.starts_on + dt.timedelta(days=day), data.start)
            + window * slot
        )
        slots.append((sites[site], starts, starts + window))
    return slots


def generate_batches(campaign: Campaign, data: BatchPlanInput, *, by) -> tuple[int, bool]:
    """A batch for every unit and company of the roster whose people have none yet (batches
    made before are kept), and its people given the batch and its site. Returns the number
    of batches made; a second run with nobody new makes none."""
    require_manager(by, campaign.organization_id)
    with transaction.atomic(), acting_as(by):
        locked = locked_campaign(campaign)
        sites = list(locked.sites.order_by("pk"))
        if not sites:
            raise DomainError(
                _("Add a sampling site before making batches."),
                code=TestingError.CAMPAIGN_NO_SITE,
            )
        groups = _groups(locked)
        waiting = RosterEntry.objects.filter(campaign=locked, batch__isnull=True)
        for (unit, company), (site, starts, ends) in zip(
            groups, plan(locked, sites, len(groups), data), strict=True
        ):
            batch = Batch.objects.create(
                organization_id=locked.organization_id,
                campaign=locked,
                site=site,
                label=unit.name if unit else company,
                unit=unit,
                company=company,
                starts_at=starts,
                ends_at=ends,
            )
            members = (
                waiting.filter(unit=unit)
                if unit
                else waiting.filter(unit__isnull=True, company=company)
            )
            members.update(batch=batch, site=site)
    return len(groups), bool(groups)


def edit_batch(batch: Batch, data: BatchInput, *, by) -> tuple[Batch, bool]:
    """Change a batch's label, site or window; its people move to the new site."""
    require_manager(by, batch.organization_id)
    with transaction.atomic(), acting_as(by):
        locked_campaign(batch.campaign)
        moved = batch.site_id != data.site_id
        batch.label, batch.site_id = data.label, data.site_id
        batch.starts_at, batch.ends_at = data.starts_at, data.ends_at
        batch.save(update_fields=["label", "site", "starts_at", "ends_at"])
        if moved:
            RosterEntry.objects.filter(batch=batch).update(site_id=data.site_id)
    return batch, False
