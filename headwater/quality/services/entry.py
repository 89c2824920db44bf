"""Entering a sample's results: each evaluated at once against the limits in force on its
sampling date; exceedances alert and open a re-sampling task, in the same transaction."""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.writes import Written, idempotent
from headwater.quality import catalog, evaluate
from headwater.quality import permissions as perms
from headwater.quality.choices import RelaxationStatus, ReviewStatus, SampleSource, TaskStatus
from headwater.quality.errors import QualityError
from headwater.quality.models import (
    InternalLimit,
    Relaxation,
    Result,
    Sample,
    SamplingPoint,
    SamplingTask,
)
from headwater.quality.services.exceedances import handle_exceedances, should_alert

ACTION = "quality.sample"
# The columns of a result that its value decides: what a correction rewrites.
EVALUATED = (
    "raw",
    "qualifier",
    "value",
    "outcome",
    "limit_text",
    "standard",
    "source_class",
    "internal_outcome",
    "relaxation_id",
)


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
    """The organization's internal limits and approved relaxations (evaluation_context)."""
    internal = list(InternalLimit.objects.of(organization_id).readable())
    relaxations = list(
        Relaxation.objects.of(organization_id).filter(status=RelaxationStatus.APPROVED)
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
        raise DomainError(_("Enter at least one result."), code=QualityError.EMPTY)
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
) -> Written[Sample]:
    """Store a sample's results, each evaluated against the limits in force on its date;
    exceedances alert at once and open a re-sampling task — sample, results, task and alert in
    one transaction. Returns (sample, created): entering the same task (or the same point and
    time) again corrects the results still at the technician's level and is not a creation. A
    request retried with the same `key` returns the first outcome and writes nothing."""
    _require_point(by, point)
    return idempotent(
        ACTION,
        by=by,
        key=key,
        model=Sample,
        write=lambda: _record(point, sampled_at, values, by=by, task=task, source=source),
    )


def _record(point, sampled_at, values, *, by, task, source) -> Written[Sample]:
    if sampled_at > clock.now() + dt.timedelta(minutes=5):
        raise DomainError(
            _("The sampling time is in the future."), fields={"sampled_at": _("In the future.")}
        )
    measured = parse_values(values, task.indicators if task else None)
    ctx = evaluation_context(point, timezone.localdate(sampled_at))
    evaluations = evaluate.evaluate_sample(measured, ctx)
    measured |= evaluate.derived(measured, ctx)  # the trihalomethane ratio sum
    with acting_as(by):
        sample, created = _sample_for(point, sampled_at, task=task, by=by, source=source)
        changed = _store_results(sample, evaluations, measured)
        if task is not None and task.status != TaskStatus.DONE:
            task.status, task.done_at = TaskStatus.DONE, clock.now()
            task.save(update_fields=["status", "done_at"])
        handle_exceedances([r for r in changed if should_alert(r)])
    return sample, created


def _sample_for(point, sampled_at, *, task, by, source) -> Written[Sample]:
    """The task's sample, or a new one; a sample already stored at the point and time (a
    parallel entry, a hand entry before an import) takes the results instead."""
    if task is not None and (sample := Sample.objects.filter(task=task).first()) is not None:
        return sample, False
    try:
        with transaction.atomic():
            sample = Sample.objects.create(
                organization_id=point.organization_id,
                point=point,
                lab=task.lab if task else point.lab,
                task=task,
                sampled_at=sampled_at,
                source=source,
                entered_by=by,
            )
            return sample, True
    except IntegrityError:
        sample = Sample.objects.filter(task=task).first() if task is not None else None
        sample = sample or Sample.objects.filter(point=point, sampled_at=sampled_at).first()
        if sample is None:
            raise
        if task is not None and sample.task_id not in (None, task.pk):
            raise DomainError(
                _("Another sample of this point was taken at the same time."),
                code=QualityError.DUPLICATE,
            ) from None
        return sample, False


def _store_results(sample: Sample, evaluations: dict, measured: dict) -> list[Result]:
    """New results are created; stored ones are corrected only while they are still the
    technician's (entered or returned), decided on the locked rows so that a reviewer's check
    committed meanwhile is seen. Returns the results created or changed."""
    existing = {r.indicator: r for r in locks.lock(sample.results.all())}
    changed = []
    for code, evaluation in evaluations.items():
        fields = result_fields(sample, code, measured[code], evaluation)
        old = existing.get(code)
        if old is None:
            changed.append(Result.objects.create(**fields))
        elif not ReviewStatus.is_correctable(old.status):
            raise DomainError(
                _("%(indicator)s has already been checked; it can no longer be changed.")
                % {"indicator": catalog.indicator(code).name_zh},
                code=QualityError.ALREADY_CHECKED,
            )
        elif old.raw != fields["raw"] or old.outcome != fields["outcome"]:
            for name in EVALUATED:
                setattr(old, name, fields[name])
            old.status, old.return_reason = ReviewStatus.ENTERED, ""
            old.save(update_fields=[*EVALUATED, "status", "return_reason"])
            changed.append(old)
    return changed


def _require_point(user, point: SamplingPoint) -> None:
    if not user.has_perm(perms.ENTER_RESULTS):
        raise NotAllowed(_("Your role may not enter results."))
    if not SamplingPoint.objects.visible_to(user).filter(pk=point.pk).exists():
        raise NotAllowed(_("This sampling point is outside your units."))
