"""Pooling at a desk: a tube scanned to start filling it (unused → open at this site), closed
by hand before it is full. Registration (services/desk.py) fills it and closes it when full.

Every step locks the tube row first, so two desks writing into one tube take turns."""

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError
from headwater.core.writes import Written, idempotent
from headwater.testing.choices import TubeState
from headwater.testing.errors import TestingError
from headwater.testing.inputs_desk import TubeInput
from headwater.testing.models import Campaign, Sample, SamplingSite, Tube
from headwater.testing.services.desk_common import check_open, require_desk


def locked_tube(campaign: Campaign, barcode: str) -> Tube:
    """The tube of `barcode`, locked, with its campaign read fresh; refused when no tube of
    the organization has it, or when it belongs to another campaign."""
    tube = (
        Tube.objects.select_related("campaign")
        .select_for_update(of=("self",))
        .filter(organization_id=campaign.organization_id, barcode=barcode)
        .first()
    )
    if tube is None:
        raise DomainError(
            _("No tube has the barcode %(barcode)s.") % {"barcode": barcode},
            code=TestingError.UNKNOWN_TUBE,
            fields={"barcode": _("Unknown tube.")},
        )
    if tube.campaign_id != campaign.pk:
        raise DomainError(
            _("The tube %(barcode)s belongs to the campaign %(other)s, not to this one.")
            % {"barcode": barcode, "other": tube.campaign.name},
            code=TestingError.TUBE_OTHER_CAMPAIGN,
            fields={"barcode": _("Tube of another campaign.")},
        )
    return tube


def members(tube: Tube) -> int:
    return Sample.objects.filter(tube_id=tube.pk).count()


def closed_refusal(tube: Tube) -> DomainError:
    return DomainError(
        _("The tube %(barcode)s is closed: scan a new tube.") % {"barcode": tube.barcode},
        code=TestingError.TUBE_CLOSED,
        fields={"barcode": _("Closed tube.")},
    )


def full_refusal(tube: Tube) -> DomainError:
    return DomainError(
        _("The tube %(barcode)s is full (%(n)s places): scan a new tube.")
        % {"barcode": tube.barcode, "n": tube.capacity},
        code=TestingError.TUBE_FULL,
        fields={"barcode": _("Full tube.")},
    )


def open_tube(tube: Tube, site: SamplingSite) -> None:
    """unused → open at `site` (the tube row is locked by the caller)."""
    tube.state, tube.site, tube.opened_at = TubeState.OPEN, site, clock.now()
    tube.save(update_fields=["state", "site", "opened_at"])


def close(tube: Tube, by) -> None:
    tube.state, tube.closed_at, tube.closed_by = TubeState.CLOSED, clock.now(), by
    tube.save(update_fields=["state", "closed_at", "closed_by"])


def start_tube(site: SamplingSite, data: TubeInput, *, by) -> Written[Tube]:
    """Start filling the scanned tube at this site: an unused tube opens (created True); an
    open one with room is simply taken up again (False). Refused for an unknown tube, one of
    another campaign, a closed or full one, and outside the campaign's days."""
    require_desk(by, site.campaign)
    with transaction.atomic(), acting_as(by):
        tube = locked_tube(site.campaign, data.barcode)
        check_open(tube.campaign)
        if tube.state == TubeState.CLOSED:
            raise closed_refusal(tube)
        if tube.state == TubeState.OPEN:
            if members(tube) >= tube.capacity:
                raise full_refusal(tube)
            return tube, False
        open_tube(tube, site)
    return tube, True


def close_tube(tube: Tube, *, by, key: str = "") -> Written[Tube]:
    """Close a tube by hand before it is full (the last people of a batch). Closing a closed
    tube again answers it unchanged; a tube nobody was registered into is refused."""
    require_desk(by, tube.campaign)
    return idempotent(
        "testing.close_tube", by=by, key=key, model=Tube, write=lambda: _close(tube, by)
    )


def _close(tube: Tube, by) -> Written[Tube]:
    with transaction.atomic(), acting_as(by):
        tube = locks.lock_one(Tube, tube.pk)
        if tube.state == TubeState.CLOSED:
            return tube, False
        if tube.state == TubeState.UNUSED or members(tube) == 0:
            raise DomainError(
                _("Nobody is registered in the tube %(barcode)s: there is nothing to close.")
                % {"barcode": tube.barcode},
                code=TestingError.NO_OPEN_TUBE,
            )
        close(tube, by)
    return tube, True
