"""Writes of the water-quality app: entering a sample's results (evaluated at once, exceedances
alerted and re-sampled), the three-level review, internal limits, relaxations, analyzer readings.

Every write is audited (the models are tracked by django-auditlog); every refusal a user can
act on is a DomainError with a message in their language.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, levels
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed, require
from headwater.core.models import Site, Unit
from headwater.core.querysets import unit_scope
from headwater.core.roles import Role
from headwater.quality import catalog, evaluate
from headwater.quality import permissions as perms
from headwater.quality.choices import (
    Outcome,
    PointKind,
    RelaxationStatus,
    ReviewStatus,
    SampleSource,
    TaskStatus,
)
from headwater.quality.models import (
    InternalLimit,
    Lab,
    Relaxation,
    Result,
    Sample,
    SamplingPoint,
    SamplingTask,
)

ESCALATION_DAYS = 30
# Exceedances in water sampled longer ago than this are history (an import of old results):
# reported, not alerted or re-sampled.
RECENT_DAYS = 7
MAX_LINES = 20


# --- Evaluation --------------------------------------------------------------------------


def evaluation_context(point: SamplingPoint, on: dt.date, *, limits=None) -> evaluate.Context:
    """What a result at `point` on `on` is held against: the national limits (in the catalog),
    the organization's internal limits and its approved relaxations. `limits` (from
    `organization_limits`) saves the two queries when evaluating many points."""
    internal, relaxations = limits or organization_limits(point.organization_id)
    return evaluate.Context(
        kind=point.kind,
        supply_type=point.supply_type,
        on=on,
        internal=internal,
        relaxations=relaxations,
    )


def organization_limits(organization_id: int) -> tuple[list, list]:
    internal = list(InternalLimit.objects.filter(organization_id=organization_id))
    relaxations = list(
        Relaxation.objects.filter(organization_id=organization_id, status=RelaxationStatus.APPROVED)
    )
    return internal, relaxations


def result_fields(sample: Sample, code: str, measured, evaluation) -> dict:
    """The columns of a Result row, shared by entry, the import and the bulk path."""
    return {
        "organization_id": sample.organization_id,
        "sample_id": sample.pk,
        "point_id": sample.point_id,
        "unit_id": sample.point.unit_id,
        "point_kind": sample.point.kind,
        "sampled_at": sample.sampled_at,
        "sampled_on": timezone.localdate(sample.sampled_at),
        "indicator": code,
        "raw": measured.raw[:40],
        "qualifier": measured.qualifier,
        "value": measured.value,
        "outcome": evaluation.outcome,
        "limit_text": evaluation.limit_text[:80],
        "standard": evaluation.standard,
        "source_class": evaluation.source_class,
        "internal_outcome": evaluation.internal_outcome,
        "relaxation_id": evaluation.relaxation_id,
    }


def parse_values(values: dict[str, str], allowed: Iterable[str] | None = None) -> dict:
    """Parse the submitted texts by indicator code; blank ones are skipped. Raises DomainError
    naming every bad field at once."""
    measured, errors = {}, {}
    allowed = set(allowed) if allowed is not None else None
    for code, text in values.items():
        text = (text or "").strip()
        if not text:
            continue
        try:
            ind = catalog.indicator(code)
        except KeyError:
            errors[code] = _("Unknown indicator.")
            continue
        if allowed is not None and code not in allowed:
            errors[code] = _("This indicator is not part of the task.")
            continue
        try:
            measured[code] = evaluate.parse_value(text, ind)
        except ValueError as e:
            errors[code] = str(e)
    if errors:
        raise DomainError(_("Please correct the marked values."), fields=errors)
    if not measured:
        raise DomainError(_("Enter at least one result."), code="empty")
    return measured


# --- Entering results --------------------------------------------------------------------


def record_sample(
    point: SamplingPoint,
    *,
    sampled_at: dt.datetime,
    values: dict[str, str],
    by,
    task: SamplingTask | None = None,
    source: str = SampleSource.TASK,
    key: str = "",
) -> Sample:
    """Store a sample's results, each evaluated against the limits in force on its date;
    exceedances alert at once and open a re-sampling task. Entering the same task again
    corrects the results still at the technician's level; a request retried with the same
    `key` returns the first sample and writes nothing."""
    _require(by, perms.ENTER_RESULTS, point)
    key = (key or "")[:64]
    if key:
        first = Sample.objects.filter(entered_by=by, idempotency_key=key).first()
        if first is not None:
            return first
    if sampled_at > clock.now() + dt.timedelta(minutes=5):
        raise DomainError(
            _("The sampling time is in the future."), fields={"sampled_at": _("In the future.")}
        )
    allowed = task.indicators if task else None
    measured = parse_values(values, allowed)
    on = timezone.localdate(sampled_at)
    ctx = evaluation_context(point, on)
    evaluations = evaluate.evaluate_sample(measured, ctx)
    measured |= evaluate.derived(measured, ctx)  # the trihalomethane ratio sum
    with transaction.atomic(), acting_as(by):
        sample = _sample_for(point, sampled_at, task=task, by=by, source=source, key=key)
        existing = {r.indicator: r for r in sample.results.select_for_update()}
        changed = []
        for code, evaluation in evaluations.items():
            fields = result_fields(sample, code, measured[code], evaluation)
            old = existing.get(code)
            if old is None:
                changed.append(Result.objects.create(**fields))
            elif old.status in (ReviewStatus.ENTERED, ReviewStatus.RETURNED):
                if old.raw != fields["raw"] or old.outcome != fields["outcome"]:
                    for k, v in fields.items():
                        setattr(old, k, v)
                    old.status, old.return_reason = ReviewStatus.ENTERED, ""
                    old.save()
                    changed.append(old)
            else:
                raise DomainError(
                    _("%(indicator)s has already been checked; it can no longer be changed.")
                    % {"indicator": catalog.indicator(code).name_zh},
                    code="already_checked",
                )
        if task is not None and task.status != TaskStatus.DONE:
            task.status, task.done_at = TaskStatus.DONE, clock.now()
            task.save(update_fields=["status", "done_at"])
        handle_exceedances([r for r in changed if should_alert(r)])
    return sample


def _sample_for(point, sampled_at, *, task, by, source, key) -> Sample:
    if task is not None and hasattr(task, "sample"):
        return task.sample
    try:
        with transaction.atomic():
            return Sample.objects.create(
                organization_id=point.organization_id,
                point=point,
                lab=task.lab if task else point.lab,
                task=task,
                sampled_at=sampled_at,
                source=source,
                entered_by=by,
                idempotency_key=key,
            )
    except IntegrityError:
        if key:
            first = Sample.objects.filter(entered_by=by, idempotency_key=key).first()
            if first is not None:
                return first
        sample = Sample.objects.get(point=point, sampled_at=sampled_at)
        if task is not None and sample.task_id not in (None, task.pk):
            raise DomainError(
                _("Another sample of this point was taken at the same time."), code="duplicate"
            ) from None
        return sample


def should_alert(result: Result) -> bool:
    """Whether a stored result alerts: an exceedance, or raw water of a poor GB 3838 class."""
    if result.outcome == Outcome.FAIL:
        return True
    if result.point_kind == PointKind.RAW and result.source_class:
        threshold = levels.value(result.point.organization, "quality.raw_alert_class")
        return result.source_class >= threshold
    return False


# --- Exceedances -------------------------------------------------------------------------


def handle_exceedances(results: Sequence[Result]) -> None:
    """Alert at once on each point's exceedances (lab head, the plant, the office, the quality
    department; robots if configured) and open one re-sampling task per point. The same
    indicator exceeding at the same point `quality.escalate_after` times in 30 days turns the
    alert critical and adds the leaders.

    Only water sampled in the last RECENT_DAYS days alerts: an import of last year's results
    is history to report, not something to re-sample now. One alert per point however many
    results a call brings (an import may bring hundreds), its body capped at MAX_LINES."""
    from headwater.quality.planning import open_resample_task

    since = clock.today() - dt.timedelta(days=RECENT_DAYS)
    by_point: dict[int, list[Result]] = defaultdict(list)
    for r in results:
        if r.sampled_on >= since:
            by_point[r.point_id].append(r)
    if not by_point:
        return
    points = SamplingPoint.objects.select_related("organization", "unit").in_bulk(by_point)
    for point_id, failed in by_point.items():
        point = points[point_id]
        org = point.organization
        codes = list(dict.fromkeys(r.indicator for r in failed))
        repeated = _repeated(point, codes)
        lines = [_exceedance_line(r) for r in failed[:MAX_LINES]]
        if len(failed) > MAX_LINES:
            lines.append(_("… and %(count)s more.") % {"count": len(failed) - MAX_LINES})
        if repeated:
            lines.append(
                _("Repeated: %(names)s exceeded %(count)s times or more in %(days)s days.")
                % {
                    "names": "、".join(_name(c) for c in repeated),
                    "count": levels.value(org, "quality.escalate_after"),
                    "days": ESCALATION_DAYS,
                }
            )
        roles = [Role.LAB_REVIEWER, Role.UNIT_HEAD, Role.OFFICE, Role.QUALITY]
        if repeated:
            roles.append(Role.LEADER)
        latest = max(failed, key=lambda r: (r.sampled_at, r.pk))
        # The same results never alert twice (a corrected entry keeps its result rows).
        ids = ",".join(str(r.pk) for r in sorted(failed, key=lambda r: r.pk))
        digest = hashlib.sha256(ids.encode()).hexdigest()[:24]
        raise_alert(
            org,
            kind="quality.exceedance",
            title=_("Water quality exceedance at %(point)s: %(names)s")
            % {"point": point.name, "names": "、".join(_name(c) for c in codes)},
            body="\n".join(lines),
            severity=Severity.CRITICAL
            if repeated or point.kind != PointKind.RAW
            else Severity.WARNING,
            link=f"/quality/samples/{latest.sample_id}/",
            unit=point.unit,
            to_roles=roles,
            dedup_key=f"quality.exceedance:{point.pk}:{digest}",
        )
        hours = levels.value(org, "quality.resample_within_hours")
        open_resample_task(latest, codes, hours)


def _repeated(point: SamplingPoint, codes: list[str]) -> list[str]:
    org = point.organization
    threshold = levels.value(org, "quality.escalate_after")
    raw_class = levels.value(org, "quality.raw_alert_class")
    since = clock.today() - dt.timedelta(days=ESCALATION_DAYS)
    counts = defaultdict(int)
    for code in (
        Result.objects.filter(point=point, indicator__in=codes, sampled_on__gte=since)
        .filter(Q(outcome=Outcome.FAIL) | Q(point_kind=PointKind.RAW, source_class__gte=raw_class))
        .values_list("indicator", flat=True)
    ):
        counts[code] += 1
    return [c for c in codes if counts[c] >= threshold]


def _name(code: str) -> str:
    try:
        return catalog.indicator(code).name_zh
    except KeyError:
        return code


def _exceedance_line(r: Result) -> str:
    ind = catalog.indicator(r.indicator)
    limit = r.limit_text or "—"
    if r.source_class:
        return _("%(name)s %(value)s %(unit)s: GB 3838 class %(cls)s") % {
            "name": ind.name_zh,
            "value": r.raw,
            "unit": ind.unit,
            "cls": class_label(r.source_class),
        }
    return _("%(name)s %(value)s %(unit)s (limit %(limit)s)") % {
        "name": ind.name_zh,
        "value": r.raw,
        "unit": ind.unit,
        "limit": limit,
    }


def class_label(cls: int | None) -> str:
    return {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ", 6: _("worse than V")}.get(cls or 0, "")


# --- Three-level review ------------------------------------------------------------------


def check_results(results: Iterable[Result], *, by) -> int:
    """Level 2: the plant lab head checks entered results."""
    return _review(results, by, perms.CHECK_RESULTS, [ReviewStatus.ENTERED], ReviewStatus.CHECKED)


def approve_results(results: Iterable[Result], *, by) -> int:
    """Level 3: the central lab / quality department approves checked results; only approved
    results count in official figures."""
    return _review(
        results, by, perms.APPROVE_RESULTS, [ReviewStatus.CHECKED], ReviewStatus.APPROVED
    )


def return_results(results: Iterable[Result], *, by, reason: str) -> int:
    """Either reviewer sends results back to the technician with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why the results are returned."), fields={"reason": _("This field is required.")}
        )
    results = list(results)
    can = [p for p in (perms.CHECK_RESULTS, perms.APPROVE_RESULTS) if by.has_perm(p)]
    if not can:
        raise NotAllowed(_("Your role may not review results."))
    states = []
    if by.has_perm(perms.CHECK_RESULTS):
        states.append(ReviewStatus.ENTERED)
    if by.has_perm(perms.APPROVE_RESULTS):
        states += [ReviewStatus.ENTERED, ReviewStatus.CHECKED]
    return _review(results, by, can[0], states, ReviewStatus.RETURNED, reason=reason)


def _review(results, by, perm, from_states, to_state, *, reason: str = "") -> int:
    if not by.has_perm(perm):
        raise NotAllowed(_("Your role may not review results."))
    results = list(results)
    if not results:
        raise DomainError(_("Choose at least one result."), code="empty")
    visible = set(
        Result.objects.visible_to(by)
        .filter(pk__in=[r.pk for r in results])
        .values_list("pk", flat=True)
    )
    if len(visible) != len(results):
        raise NotAllowed(_("Some of these results are outside your units."))
    wrong = [r for r in results if r.status not in from_states]
    if wrong:
        raise DomainError(
            _("%(count)s of the chosen results are not waiting for this step.")
            % {"count": len(wrong)},
            code="wrong_state",
        )
    _different_person(results, by, to_state)
    now = clock.now()
    with transaction.atomic(), acting_as(by):
        for r in results:
            r.status = to_state
            if to_state == ReviewStatus.CHECKED:
                r.checked_by, r.checked_at = by, now
            elif to_state == ReviewStatus.APPROVED:
                r.approved_by, r.approved_at = by, now
            elif to_state == ReviewStatus.RETURNED:
                r.return_reason = reason[:200]
            r.save()
    if to_state == ReviewStatus.RETURNED:
        _notify_returned(results, by, reason)
    return len(results)


def _different_person(results: list[Result], by, to_state: str) -> None:
    """Three levels mean three people: nobody checks what they entered, nor approves what they
    checked."""
    if to_state == ReviewStatus.CHECKED:
        entered = Sample.objects.filter(
            pk__in={r.sample_id for r in results}, entered_by=by
        ).exists()
        if entered:
            raise NotAllowed(_("Results you entered must be checked by someone else."))
    if to_state == ReviewStatus.APPROVED and any(r.checked_by_id == by.pk for r in results):
        raise NotAllowed(_("Results you checked must be approved by someone else."))


def _notify_returned(results: list[Result], by, reason: str) -> None:
    samples = {r.sample_id for r in results}
    for sample in Sample.objects.filter(pk__in=samples).select_related("point", "organization"):
        if sample.entered_by_id:
            raise_alert(
                sample.organization,
                kind="quality.returned",
                title=_("Results returned: %(point)s") % {"point": sample.point.name},
                body=reason,
                severity=Severity.INFO,
                link=f"/quality/samples/{sample.pk}/",
                to_users=[sample.entered_by_id],
            )


# --- Sampling points ---------------------------------------------------------------------


def save_point(point: SamplingPoint, *, by) -> SamplingPoint:
    """Save a sampling point (pages and API): owned by a unit the user manages, sampled by a
    lab of the organization, at one of its sites, its code unique in it."""
    require(by, perms.MANAGE)
    org_id = point.organization_id
    errors = {}
    units = Unit.objects.filter(unit_scope(by, perms.MANAGE) or Q(), organization_id=org_id)
    if not units.filter(pk=point.unit_id).exists():
        errors["unit"] = _("Choose a unit.")
    if not Lab.objects.filter(organization_id=org_id, pk=point.lab_id).exists():
        errors["lab"] = _("Choose a lab.")
    if point.site_id and not Site.objects.filter(organization_id=org_id, pk=point.site_id).exists():
        errors["site"] = _("Choose a site.")
    taken = SamplingPoint.objects.filter(organization_id=org_id, code=point.code)
    if point.code and taken.exclude(pk=point.pk).exists():
        errors["code"] = _("Another sampling point has this code.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    with acting_as(by):
        point.save()
    return point


# --- Internal limits and relaxations -----------------------------------------------------


def save_internal_limit(limit: InternalLimit, *, by) -> InternalLimit:
    if not by.has_perm(perms.MANAGE_LIMITS):
        raise NotAllowed(_("Your role may not change limits."))
    _check_indicator_and_bounds(limit)
    with acting_as(by):
        limit.save()
    return limit


def propose_relaxation(relaxation: Relaxation, *, by) -> Relaxation:
    """GB 5749-2022 lets sensory and general-chemical limits be relaxed for a while during a
    public-health emergency, after a risk assessment. A relaxation is proposed with its
    assessment and period, and counts only once someone else has approved it."""
    if not by.has_perm(perms.MANAGE):
        raise NotAllowed(_("Your role may not propose relaxations."))
    ind = _check_indicator_and_bounds(relaxation)
    errors = {}
    if ind.category != "general":
        errors["indicator"] = _(
            "Only sensory and general-chemical indicators may be relaxed (GB 5749-2022)."
        )
    if relaxation.valid_until < relaxation.valid_from:
        errors["valid_until"] = _("The end is before the start.")
    elif (relaxation.valid_until - relaxation.valid_from).days > 90:
        errors["valid_until"] = _("A relaxation may last at most 90 days; propose it again after.")
    if not (relaxation.risk_assessment or "").strip():
        errors["risk_assessment"] = _("This field is required.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    relaxation.proposed_by = by
    relaxation.status = RelaxationStatus.PROPOSED
    with acting_as(by):
        relaxation.save()
    raise_alert(
        relaxation.organization,
        kind="quality.relaxation_proposed",
        title=_("Relaxation of %(name)s proposed") % {"name": ind.name_zh},
        body=relaxation.reason,
        link="/quality/limits/",
        to_roles=[Role.LEADER, Role.OFFICE],
    )
    return relaxation


def decide_relaxation(relaxation: Relaxation, *, by, approve: bool) -> Relaxation:
    if (
        not by.has_perm(perms.APPROVE_RELAXATION)
        or relaxation.organization_id != by.organization_id
    ):
        raise NotAllowed(_("Your role may not approve relaxations."))
    if relaxation.proposed_by_id == by.pk:
        raise NotAllowed(_("A relaxation must be approved by someone other than its proposer."))
    if relaxation.status != RelaxationStatus.PROPOSED:
        raise DomainError(_("This relaxation has already been decided."), code="wrong_state")
    relaxation.status = RelaxationStatus.APPROVED if approve else RelaxationStatus.REJECTED
    relaxation.decided_by, relaxation.decided_at = by, clock.now()
    with acting_as(by):
        relaxation.save()
    return relaxation


def revoke_relaxation(relaxation: Relaxation, *, by) -> Relaxation:
    if not (by.has_perm(perms.APPROVE_RELAXATION) or by.has_perm(perms.MANAGE)):
        raise NotAllowed(_("Your role may not revoke relaxations."))
    if relaxation.status != RelaxationStatus.APPROVED:
        raise DomainError(_("Only an approved relaxation can be revoked."), code="wrong_state")
    relaxation.status = RelaxationStatus.REVOKED
    relaxation.valid_until = min(relaxation.valid_until, clock.today())
    with acting_as(by):
        relaxation.save()
    return relaxation


def _check_indicator_and_bounds(obj):
    try:
        ind = catalog.indicator(obj.indicator)
    except KeyError:
        raise DomainError(
            _("Please correct the marked fields."), fields={"indicator": _("Unknown indicator.")}
        ) from None
    if obj.minimum is None and obj.maximum is None:
        raise DomainError(
            _("Please correct the marked fields."),
            fields={"maximum": _("Give a minimum, a maximum or both.")},
        )
    if obj.minimum is not None and obj.maximum is not None and obj.minimum > obj.maximum:
        raise DomainError(
            _("Please correct the marked fields."),
            fields={"maximum": _("The maximum is below the minimum.")},
        )
    return ind


def _require(user, perm: str, point: SamplingPoint) -> None:
    if not user.has_perm(perm):
        raise NotAllowed(_("Your role may not enter results."))
    if not SamplingPoint.objects.visible_to(user).filter(pk=point.pk).exists():
        raise NotAllowed(_("This sampling point is outside your units."))
