"""Individual retests after a positive or invalid pool: the retest swab, taken into a printed
single tube (capacity 1, kind SINGLE — not created on the fly, so every tube the laboratory
reports on was labelled by the app), and its result, which is the person's own:

- negative: the entry is cleared and the retest closed;
- invalid: the swab does not count — the retest stays open without a sample, to be taken
  again;
- positive: the entry is positive and the retest closed; a member of staff's status becomes
  "confirmed case" through health's services and an isolation case (centralized) is opened
  through isolation's, so the health code follows the code rules; an outside person has no
  health status here, so the office is alerted (it is alerted for staff too: a positive
  person is news whoever it is)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.writes import Written, idempotent
from headwater.health.choices import EpiStatus
from headwater.health.services.statuses import set_status
from headwater.isolation.choices import CaseKind
from headwater.isolation.errors import IsolationError
from headwater.isolation.inputs import CaseInput
from headwater.isolation.services.cases import open_case
from headwater.testing.choices import (
    CampaignState,
    EntryStatus,
    RetestState,
    TubeKind,
    TubeResult,
    TubeState,
)
from headwater.testing.errors import TestingError
from headwater.testing.inputs_results import RetestSampleInput
from headwater.testing.models import CampaignOperator, Retest, Sample, Tube
from headwater.testing.permissions import MANAGE_CAMPAIGNS
from headwater.testing.services.results import campaign_closed, unknown_tube


def may_take_retests(by, campaign) -> bool:
    """The office, or a desk operator listed for the campaign."""
    if by.organization_id != campaign.organization_id and not by.is_superuser:
        return False
    if by.has_perm(MANAGE_CAMPAIGNS):
        return True
    return bool(by.person_id) and (
        CampaignOperator.objects.filter(campaign=campaign, person_id=by.person_id).exists()
    )


def take_retest_sample(
    retest: Retest, data: RetestSampleInput, *, by, key: str = ""
) -> Written[Sample]:
    """The retest swab of one person, in a printed single tube of the campaign: the tube is
    closed (its one place is taken), the retest holds the sample and the entry is
    "retest sampled"."""
    if not may_take_retests(by, retest.campaign):
        raise NotAllowed(_("Only the office or the campaign's desk may take retest samples."))
    return idempotent(
        "testing.retest_sample",
        by=by,
        key=key,
        model=Sample,
        write=lambda: _take(retest, data, by=by),
    )


def _refuse(message: str, code: TestingError, field: str = "barcode") -> DomainError:
    return DomainError(message, code=code, status=409, fields={field: message})


def _take(retest: Retest, data: RetestSampleInput, *, by) -> Written[Sample]:
    with transaction.atomic(), acting_as(by):
        retest = locks.lock_one(Retest.objects.select_related("campaign", "entry"), retest.pk)
        campaign = retest.campaign
        if campaign.state == CampaignState.CLOSED:
            raise campaign_closed(campaign)
        if retest.state == RetestState.CLOSED:
            raise _refuse(_("This retest is already closed."), TestingError.RETEST_CLOSED)
        if retest.sample_id:
            raise _refuse(
                _("The retest sample of this person was already taken."),
                TestingError.RETEST_SAMPLED,
            )
        tube = _single_tube(retest, data.barcode)
        now = clock.now()
        sample = Sample.objects.create(
            organization_id=retest.organization_id,
            campaign=campaign,
            entry=retest.entry,
            tube=tube,
            retest_of=Sample.objects.filter(entry=retest.entry, tube=retest.pool).first(),
            taken_at=data.taken_at,
            registered_by=by,
        )
        tube.state = TubeState.CLOSED
        tube.opened_at = tube.closed_at = now
        tube.closed_by = by
        tube.save(update_fields=["state", "opened_at", "closed_at", "closed_by"])
        retest.sample = sample
        retest.save(update_fields=["sample"])
        entry = retest.entry
        entry.status = EntryStatus.RETESTING
        entry.save(update_fields=["status"])
    return sample, True


def _single_tube(retest: Retest, barcode: str) -> Tube:
    found = locks.lock(Tube.objects.filter(organization_id=retest.organization_id, barcode=barcode))
    if not found:
        raise unknown_tube(barcode)
    tube = found[0]
    if tube.campaign_id != retest.campaign_id:
        raise _refuse(
            _("The tube %(barcode)s belongs to another campaign.") % {"barcode": barcode},
            TestingError.TUBE_OTHER_CAMPAIGN,
        )
    if tube.kind != TubeKind.SINGLE:
        raise _refuse(
            _("The tube %(barcode)s is a pooled tube: use an individual retest tube.")
            % {"barcode": barcode},
            TestingError.NOT_A_RETEST_TUBE,
        )
    if tube.state != TubeState.UNUSED or Sample.objects.filter(tube=tube).exists():
        raise _refuse(
            _("The tube %(barcode)s has already been used.") % {"barcode": barcode},
            TestingError.TUBE_USED,
        )
    return tube


# --- The individual result ------------------------------------------------------------------


def individual_result(organization, tube: Tube, *, by) -> None:
    """Apply a single tube's result to the retest whose swab it holds (inside the caller's
    transaction)."""
    retests = locks.lock(
        Retest.objects.filter(sample__tube=tube, state=RetestState.OPEN).select_related(
            "campaign", "entry__person", "entry__outsider", "entry__unit"
        ),
        of=("self",),
    )
    for retest in retests:
        entry = retest.entry
        if tube.result == TubeResult.INVALID:
            retest.sample = None
            retest.save(update_fields=["sample"])
            entry.status = EntryStatus.RETEST
            entry.save(update_fields=["status"])
            continue
        retest.state = RetestState.CLOSED
        retest.result = tube.result
        retest.closed_at = clock.now()
        retest.save(update_fields=["state", "result", "closed_at"])
        positive = tube.result == TubeResult.POSITIVE
        entry.status = EntryStatus.POSITIVE if positive else EntryStatus.CLEARED
        entry.save(update_fields=["status"])
        if positive:
            _positive(organization, retest, tube, by=by)


def positive_reason(campaign) -> str:
    """Stored on the status and the case in the site's language (Chinese), whatever the
    language of the request that recorded the result."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Positive nucleic acid test (%(campaign)s)") % {"campaign": campaign.name}


def _positive(organization, retest: Retest, tube: Tube, *, by) -> None:
    entry, campaign = retest.entry, retest.campaign
    reason = positive_reason(campaign)
    day = timezone.localdate(tube.result_at or clock.now())
    if entry.person_id:
        set_status(entry.person, EpiStatus.CONFIRMED, day, by=by, note=reason[:200])
        _open_case(organization, entry.person, reason, day, by=by)
    name = entry.person.name if entry.person_id else entry.outsider.name
    where = entry.unit.name if entry.unit_id else entry.company
    raise_alert(
        organization,
        kind="testing.positive_person",
        title=_("Positive individual retest: %(name)s (%(campaign)s)")
        % {"name": name, "campaign": campaign.name},
        body=(
            _("%(name)s of %(where)s tested positive in tube %(barcode)s.")
            % {"name": name, "where": where, "barcode": tube.barcode}
            + " "
            + (
                _("Status set to confirmed case; an isolation case was opened.")
                if entry.person_id
                else _("An outside person: contact their company and the local CDC.")
            )
        ),
        severity=Severity.CRITICAL,
        link=reverse("testing:retests") + f"?campaign={campaign.pk}&state=closed",
        to_roles=["office"],
        dedup_key=f"testing.positive_person:{retest.pk}",
    )


def _open_case(organization, person, reason: str, day: dt.date, *, by) -> None:
    """A centralized-isolation case; one already open for the person is left as it is."""
    data = CaseInput.parse(
        {
            "person_id": person.pk,
            "kind": CaseKind.CENTRALIZED,
            "reason": reason,
            "started_on": day.isoformat(),
        },
        organization,
    )
    try:
        open_case(organization, data, by=by, note=reason)
    except DomainError as e:
        if e.code != IsolationError.ALREADY_OPEN:
            raise
