"""What every desk action checks: who may work a campaign's desks, and that the campaign is
open on the day."""

import datetime as dt

from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.querysets import grants_for
from headwater.testing.choices import CampaignState
from headwater.testing.errors import TestingError
from headwater.testing.models import Campaign, CampaignOperator
from headwater.testing.permissions import MANAGE_CAMPAIGNS


def runs_campaigns(user) -> bool:
    """The office: runs every campaign's desks."""
    return grants_for(user, MANAGE_CAMPAIGNS)[0]


def may_work(user, campaign: Campaign) -> bool:
    """The office, or a person listed as the campaign's desk operator."""
    if user.organization_id != campaign.organization_id:
        return False
    if runs_campaigns(user):
        return True
    if not user.person_id:
        return False
    # Asked twice in one request (the page's read, then the service): remembered on the user.
    known = user.__dict__.setdefault("_desk_campaigns", {})
    if campaign.pk not in known:
        known[campaign.pk] = CampaignOperator.objects.filter(
            campaign_id=campaign.pk, person_id=user.person_id
        ).exists()
    return known[campaign.pk]


def require_desk(user, campaign: Campaign) -> None:
    if not may_work(user, campaign):
        raise NotAllowed(_("Only the campaign's desk operators or the office may do this."))


def check_open(campaign: Campaign, day: dt.date | None = None) -> None:
    """Refuse unless the campaign is open and `day` (today) lies within its dates."""
    day = day or clock.today()
    if campaign.state != CampaignState.OPEN:
        raise DomainError(
            _("The campaign %(name)s is not open: nothing can be registered.")
            % {"name": campaign.name},
            code=TestingError.CAMPAIGN_CLOSED,
        )
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise DomainError(
            _("The campaign %(name)s runs from %(start)s to %(end)s, not on %(day)s.")
            % {
                "name": campaign.name,
                "start": campaign.starts_on.isoformat(),
                "end": campaign.ends_on.isoformat(),
                "day": day.isoformat(),
            },
            code=TestingError.OUTSIDE_DATES,
        )
