"""Preparing a campaign (the office, before the day): create and edit it, open and close it,
its sampling sites and desk operators. Every write checks `testing.manage_campaigns` in the
campaign's organization, runs in one transaction on the locked campaign row and is audited."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Organization
from headwater.core.writes import Written
from headwater.testing.choices import CampaignState, TubeKind, TubeState
from headwater.testing.errors import TestingError
from headwater.testing.inputs_setup import CampaignInput, OperatorInput, SiteInput
from headwater.testing.models import Campaign, CampaignOperator, SamplingSite, Tube
from headwater.testing.permissions import MANAGE_CAMPAIGNS


def may_manage(by, organization_id: int) -> bool:
    return by.has_perm(MANAGE_CAMPAIGNS) and (
        by.is_superuser or by.organization_id == organization_id
    )


def require_manager(by, organization_id: int) -> None:
    if not may_manage(by, organization_id):
        raise NotAllowed(_("Only the epidemic-prevention office may prepare test campaigns."))


def locked_campaign(campaign: Campaign, *, allow=(CampaignState.DRAFT, CampaignState.OPEN)):
    """The campaign's row locked and re-read; refused when its state does not allow a change
    (nothing of a closed campaign changes)."""
    locked = locks.lock_one(Campaign, campaign.pk)
    if locked.state not in allow:
        if locked.state == CampaignState.CLOSED:
            raise DomainError(
                _("The campaign is closed; nothing of it can be changed."),
                code=TestingError.CAMPAIGN_CLOSED,
                status=409,
            )
        raise DomainError(
            _("The campaign is already open."), code=TestingError.CAMPAIGN_NOT_DRAFT, status=409
        )
    return locked


def create_campaign(organization: Organization, data: CampaignInput, *, by) -> Written[Campaign]:
    """A new campaign, being prepared (DRAFT) until the office opens it."""
    require_manager(by, organization.pk)
    with transaction.atomic(), acting_as(by):
        campaign = Campaign.objects.create(
            organization=organization,
            name=data.name,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            pool_size=data.pool_size,
            bring=data.bring,
            notes=data.notes,
            created_by=by if getattr(by, "pk", None) else None,
        )
    return campaign, True


def edit_campaign(campaign: Campaign, data: CampaignInput, *, by) -> Written[Campaign]:
    """Change a campaign that is not closed. The pooling size changes the places of its unused
    pooled tubes too; once a tube is being filled it can no longer change."""
    require_manager(by, campaign.organization_id)
    with transaction.atomic(), acting_as(by):
        locked = locked_campaign(campaign)
        pools = Tube.objects.filter(campaign=locked, kind=TubeKind.POOL)
        if data.pool_size != locked.pool_size:
            if pools.exclude(state=TubeState.UNUSED).exists():
                raise DomainError(
                    _("Tubes are already being filled; the pooling size can no longer change."),
                    code=TestingError.POOL_SIZE_IN_USE,
                    fields={"pool_size": _("Tubes are already being filled.")},
                    status=409,
                )
            pools.update(capacity=data.pool_size)
        for name in ("name", "starts_on", "ends_on", "pool_size", "bring", "notes"):
            setattr(locked, name, getattr(data, name))
        locked.save()
    return locked, False


def open_campaign(campaign: Campaign, *, by) -> Written[Campaign]:
    """DRAFT → OPEN: the desks may register from its first day. It needs a sampling site."""
    require_manager(by, campaign.organization_id)
    with transaction.atomic(), acting_as(by):
        locked = locked_campaign(campaign, allow=(CampaignState.DRAFT,))
        if not locked.sites.exists():
            raise DomainError(
                _("Add a sampling site before opening the campaign."),
                code=TestingError.CAMPAIGN_NO_SITE,
            )
        locked.state = CampaignState.OPEN
        locked.save(update_fields=["state"])
    return locked, False


def close_campaign(campaign: Campaign, *, by) -> Written[Campaign]:
    """OPEN → CLOSED, stamped: no more registrations or results."""
    require_manager(by, campaign.organization_id)
    with transaction.atomic(), acting_as(by):
        locked = locks.lock_one(Campaign, campaign.pk)
        if locked.state != CampaignState.OPEN:
            message = (
                _("The campaign is already closed.")
                if locked.state == CampaignState.CLOSED
                else _("Only an open campaign can be closed.")
            )
            raise DomainError(message, code=TestingError.CAMPAIGN_NOT_OPEN, status=409)
        locked.state = CampaignState.CLOSED
        locked.closed_at = clock.now()
        locked.save(update_fields=["state", "closed_at"])
    return locked, False


def save_site(
    campaign: Campaign, data: SiteInput, *, by, site: SamplingSite | None = None
) -> Written[SamplingSite]:
    """Add a sampling site to the campaign, or change one of its sites."""
    require_manager(by, campaign.organization_id)
    with transaction.atomic(), acting_as(by):
        locked = locked_campaign(campaign)
        created = site is None
        site = site or SamplingSite(organization_id=locked.organization_id, campaign=locked)
        site.name, site.address, site.site, site.desks = (
            data.name,
            data.address,
            data.site,
            data.desks,
        )
        site.save()
    return site, created


def add_operator(campaign: Campaign, data: OperatorInput, *, by) -> Written[CampaignOperator]:
    """List a person as a desk operator of the campaign (at a site): they then see the
    campaign. Listing them again changes their site."""
    require_manager(by, campaign.organization_id)
    with transaction.atomic(), acting_as(by):
        locked = locked_campaign(campaign)
        site_id = data.site_id or locked.sites.values_list("pk", flat=True).first()
        try:
            with transaction.atomic():
                operator, created = CampaignOperator.objects.get_or_create(
                    campaign=locked,
                    person=data.person,
                    defaults={"organization_id": locked.organization_id, "site_id": site_id},
                )
        except IntegrityError:  # listed in parallel
            operator, created = (
                CampaignOperator.objects.get(campaign=locked, person=data.person),
                False,
            )
        if not created and operator.site_id != site_id:
            operator.site_id = site_id
            operator.save(update_fields=["site"])
    return operator, created


def remove_operator(operator: CampaignOperator, *, by) -> Written[CampaignOperator]:
    require_manager(by, operator.organization_id)
    with transaction.atomic(), acting_as(by):
        locked_campaign(operator.campaign)
        operator.delete()
    return operator, False
