"""A tube's result and what it does to the people in it (the results part of ADR 0023).

A pooled tube's result moves its members' entries: negative → cleared; positive or invalid →
retest, with one `Retest` per member and pool and one alert to the office per tube. An
individual (single) retest tube's result is the person's own (`results_retests`).

Recorded once: the same result again changes nothing (a retry, a re-import); a different
result for a tube that has one is a correction — only for a pooled tube whose members have
not given their retest swab yet, with a reason, audited — and an individual result is never
corrected here (the person's status and isolation case are changed where they live).

The effects work on many tubes at once (`apply_effects`): the import of a laboratory's
20,000-row sheet runs the same code as a result typed at the office, a few statements per
result kind rather than a few per tube."""

from collections.abc import Iterable

from auditlog.models import LogEntry
from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import audit, clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Organization
from headwater.core.writes import Written, idempotent
from headwater.testing.choices import (
    CampaignState,
    EntryStatus,
    RetestState,
    TubeKind,
    TubeResult,
)
from headwater.testing.errors import TestingError
from headwater.testing.inputs_results import ResultInput
from headwater.testing.models import Retest, RosterEntry, Sample, Tube
from headwater.testing.permissions import MANAGE_CAMPAIGNS

CHUNK = 5000
FLAGGING = (TubeResult.POSITIVE, TubeResult.INVALID)
ALERT_KIND = {
    TubeResult.POSITIVE: "testing.positive_pool",
    TubeResult.INVALID: "testing.invalid_pool",
}


def require_results(by, organization_id: int) -> None:
    """Results are the office's: the permission, held in the tube's organization."""
    if not by.has_perm(MANAGE_CAMPAIGNS) or not (
        by.is_superuser or by.organization_id == organization_id
    ):
        raise NotAllowed(_("Your role may not record test results."))


def unknown_tube(barcode: str) -> DomainError:
    message = _("No tube has the barcode %(barcode)s.") % {"barcode": barcode}
    return DomainError(message, code=TestingError.UNKNOWN_TUBE, fields={"barcode": message})


def campaign_closed(campaign) -> DomainError:
    message = _("The campaign %(name)s is closed: its results can no longer change.") % {
        "name": campaign.name
    }
    return DomainError(message, code=TestingError.CAMPAIGN_CLOSED, fields={"barcode": message})


def record_result(
    organization: Organization, data: ResultInput, *, by, key: str = ""
) -> Written[Tube]:
    """Record a tube's result and apply it to its members (see the module docstring).
    `(tube, True)` when the result was recorded or corrected, `(tube, False)` when it was
    already the tube's (or the same key was seen before)."""
    require_results(by, organization.pk)
    return idempotent(
        "testing.result",
        by=by,
        key=key,
        model=Tube,
        write=lambda: _record(organization, data, by=by),
    )


def _record(organization, data: ResultInput, *, by) -> Written[Tube]:
    with transaction.atomic(), acting_as(by):
        found = locks.lock(
            Tube.objects.visible_to(by)
            .filter(organization=organization, barcode=data.barcode)
            .select_related("campaign"),
            of=("self",),
        )
        if not found:
            raise unknown_tube(data.barcode)
        tube = found[0]
        if tube.campaign.state == CampaignState.CLOSED:
            raise campaign_closed(tube.campaign)
        if tube.result == data.result:
            return tube, False
        if tube.result != TubeResult.PENDING:
            _correct(tube, data, by=by)
            return tube, True
        set_result(tube, data, by=by)
        tube.save(update_fields=["result", "result_at", "result_by", "lab_members"])
        apply_effects(organization, [tube], by=by)
    return tube, True


def set_result(tube: Tube, data: ResultInput, *, by) -> None:
    tube.result = data.result
    tube.result_at = data.result_at
    tube.result_by = by
    if data.lab_members is not None:
        tube.lab_members = data.lab_members


def _correct(tube: Tube, data: ResultInput, *, by) -> None:
    """A different result for a tube that has one: a pooled tube only, with a reason, and
    only while none of its members has given the retest swab (after that the individual
    result is what counts)."""
    old = tube.result
    if tube.kind == TubeKind.SINGLE:
        raise _refused(
            _(
                "An individual retest result cannot be changed: change the person's health "
                "status or isolation case instead."
            )
        )
    if not data.correction_reason:
        message = _(
            "This tube's result is already recorded as %(result)s. To correct it, give the reason."
        ) % {"result": TubeResult(old).label}
        raise DomainError(
            message,
            code=TestingError.RESULT_ALREADY,
            status=409,
            fields={"correction_reason": message},
        )
    if Retest.objects.filter(pool=tube, sample__isnull=False).exists():
        raise _refused(
            _("Members of this tube have already given their retest swab: it cannot be corrected.")
        )
    set_result(tube, data, by=by)
    tube.save(update_fields=["result", "result_at", "result_by", "lab_members"])
    if old in FLAGGING and data.result == TubeResult.NEGATIVE:
        _withdraw_retests(tube)
    apply_effects(tube.campaign.organization, [tube], by=by)
    audit.record(
        tube,
        actor=by,
        action=LogEntry.Action.UPDATE,
        correction=f"{TubeResult(old).label} → {TubeResult(data.result).label}",
        reason=data.correction_reason,
    )


def _refused(message: str) -> DomainError:
    return DomainError(
        message, code=TestingError.RESULT_CORRECTION, status=409, fields={"result": message}
    )


def _withdraw_retests(tube: Tube) -> None:
    """A flagging result corrected to negative: its open retests close unsampled and members
    waiting for no other retest are cleared."""
    now = clock.now()
    entry_ids = list(
        Retest.objects.filter(pool=tube, state=RetestState.OPEN).values_list("entry_id", flat=True)
    )
    Retest.objects.filter(pool=tube, state=RetestState.OPEN).update(
        state=RetestState.CLOSED, closed_at=now
    )
    still = Retest.objects.filter(entry_id__in=entry_ids, state=RetestState.OPEN)
    RosterEntry.objects.filter(pk__in=entry_ids, status=EntryStatus.RETEST).exclude(
        pk__in=still.values("entry_id")
    ).update(status=EntryStatus.CLEARED)


# --- Effects on the members, for many tubes at once -----------------------------------------


def apply_effects(organization, tubes: Iterable[Tube], *, by, negative_ids=()) -> None:
    """What recorded results do: pooled tubes by result kind in bulk, individual tubes one by
    one (a handful: they are the retests). `negative_ids`: more negative pooled tubes, by id
    (the import does not load 20,000 tubes to clear them)."""
    from headwater.testing.services.results_retests import individual_result

    negative, flagging, single = list(negative_ids), [], []
    for tube in tubes:
        if tube.kind == TubeKind.SINGLE:
            single.append(tube)
        elif tube.result == TubeResult.NEGATIVE:
            negative.append(tube.pk)
        elif tube.result in FLAGGING:
            flagging.append(tube)
    clear_members(negative)
    flag_members(organization, flagging)
    for tube in single:
        individual_result(organization, tube, by=by)


def clear_members(tube_ids: list[int]) -> int:
    """Members of negative pools still awaiting a result are cleared: on PostgreSQL one
    UPDATE … FROM the samples per chunk of tubes, elsewhere an UPDATE … WHERE id IN (…)."""
    cleared = 0
    for i in range(0, len(tube_ids), CHUNK * 4):
        chunk = tube_ids[i : i + CHUNK * 4]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE testing_rosterentry AS e SET status = %s FROM testing_sample AS s "
                    "WHERE s.entry_id = e.id AND s.tube_id = ANY(%s::bigint[]) "
                    "AND s.retest_of_id IS NULL AND e.status = %s",
                    [EntryStatus.CLEARED.value, chunk, EntryStatus.SAMPLED.value],
                )
                cleared += cursor.rowcount
            continue
        members = Sample.objects.filter(tube_id__in=chunk, retest_of__isnull=True).values(
            "entry_id"
        )
        cleared += RosterEntry.objects.filter(pk__in=members, status=EntryStatus.SAMPLED).update(
            status=EntryStatus.CLEARED
        )
    return cleared


def flag_members(organization, tubes: list[Tube]) -> int:
    """Members of positive or invalid pools need an individual retest: their entries move to
    retest (unless already further on) and each gets one Retest per pool; the office gets
    one alert per tube."""
    if not tubes:
        return 0
    by_pk = {t.pk: t for t in tubes}
    members: list[tuple[int, int, int]] = []  # (entry, tube, campaign)
    ids = list(by_pk)
    for i in range(0, len(ids), CHUNK):
        members += Sample.objects.filter(
            tube_id__in=ids[i : i + CHUNK], retest_of__isnull=True
        ).values_list("entry_id", "tube_id", "campaign_id")
    now = clock.now()
    entry_ids = sorted({e for e, _t, _c in members})
    for i in range(0, len(entry_ids), CHUNK):
        RosterEntry.objects.filter(
            pk__in=entry_ids[i : i + CHUNK],
            status__in=(EntryStatus.SAMPLED, EntryStatus.CLEARED),
        ).update(status=EntryStatus.RETEST)
    Retest.objects.bulk_create(
        (
            Retest(
                organization_id=organization.pk,
                campaign_id=campaign_id,
                entry_id=entry_id,
                pool_id=tube_id,
                opened_at=now,
            )
            for entry_id, tube_id, campaign_id in members
        ),
        batch_size=CHUNK,
        ignore_conflicts=True,
    )
    # A retest withdrawn by a correction to negative opens again when corrected back.
    Retest.objects.filter(pool_id__in=ids, state=RetestState.CLOSED, sample__isnull=True).update(
        state=RetestState.OPEN, closed_at=None
    )
    names = _member_names(ids)
    for tube in tubes:
        _alert_pool(organization, tube, names.get(tube.pk, []))
    return len(members)


def _member_names(tube_ids: list[int]) -> dict[int, list[str]]:
    rows = Sample.objects.filter(tube_id__in=tube_ids, retest_of__isnull=True).values_list(
        "tube_id", "entry__person__name", "entry__outsider__name"
    )
    names: dict[int, list[str]] = {}
    for tube_id, staff, outsider in rows:
        names.setdefault(tube_id, []).append(staff or outsider or "")
    return names


def _alert_pool(organization, tube: Tube, names: list[str]) -> None:
    positive = tube.result == TubeResult.POSITIVE
    values = {"barcode": tube.barcode, "campaign": tube.campaign.name, "n": len(names)}
    if positive:
        title = _("Positive pooled tube %(barcode)s (%(campaign)s)") % values
    else:
        title = _("Invalid pooled tube %(barcode)s (%(campaign)s)") % values
    if names:
        body = _("%(n)s people need an individual retest: %(names)s") % {
            **values,
            "names": "、".join(names),
        }
    else:
        body = _("nobody was registered in this tube")
    raise_alert(
        organization,
        kind=ALERT_KIND[tube.result],
        title=title,
        body=body,
        severity=Severity.CRITICAL if positive else Severity.WARNING,
        link=reverse("testing:retests") + f"?campaign={tube.campaign_id}",
        to_roles=["office"],
        dedup_key=f"testing.pool:{tube.pk}:{tube.result}",
    )
