"""Opening a case (by hand, from a health follow-up item, from a spreadsheet), assigning its
monitor and volunteer and extending it. Opening a staff member's case sets their
epidemiological status through health's service, so their code is recomputed at once."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from headwater.core import locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError
from headwater.core.models import Organization
from headwater.core.writes import Written
from headwater.health import services as health
from headwater.isolation.choices import STATUS_OF_KIND, CaseState, EventKind
from headwater.isolation.errors import IsolationError
from headwater.isolation.inputs import CaseInput
from headwater.isolation.models import Case
from headwater.isolation.services.common import event, require_office

FOLLOW_UP_OUTCOME = "isolated"


def _already_open() -> DomainError:
    return DomainError(
        _("This person already has an open isolation case."),
        code=IsolationError.ALREADY_OPEN,
        status=409,
    )


def _open_exists(data: CaseInput) -> bool:
    if data.household_member:
        return Case.objects.open().filter(household_member=data.household_member).exists()
    return Case.objects.open().filter(person=data.person, household_member=None).exists()


def open_case(organization: Organization, data: CaseInput, *, by, note: str = "") -> Written[Case]:
    """Open a case for a member of staff or one of their household members. A second open
    case for the same subject is refused (and the database refuses one raced in parallel)."""
    require_office(by, organization.pk)
    with transaction.atomic(), acting_as(by):
        return _open(organization, data, by=by, note=note), True


def _open(organization: Organization, data: CaseInput, *, by, note: str = "") -> Case:
    if _open_exists(data):
        raise _already_open()
    case = Case(
        organization=organization,
        person=data.person,
        household_member=data.household_member,
        unit_id=data.person.unit_id,
        kind=data.kind,
        reason=data.reason,
        exposure_on=data.exposure_on,
        started_on=data.started_on,
        planned_end=data.planned_end,
        address=data.address,
        monitor=data.monitor,
        volunteer=data.volunteer,
        opened_by=by,
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as e:
        raise _already_open() from e
    case.household_isolated.set(data.household_isolated)
    event(case, EventKind.OPENED, by, note or data.reason)
    if data.monitor or data.volunteer:
        event(case, EventKind.ASSIGNED, by, _names(case))
    if not data.household_member:
        record, _created = health.set_status(
            data.person,
            STATUS_OF_KIND[data.kind],
            data.started_on,
            by=by,
            exposure_on=data.exposure_on,
            note=data.reason[:200],
        )
        case.status_id = record.pk
        case.save(update_fields=["status_id"])
    return case


def open_from_follow_up(item, data: CaseInput, *, by) -> Written[Case]:
    """Open a case from a health follow-up item (an abnormal check-in) and close the item
    with the outcome "isolated", in one transaction: both or neither."""
    require_office(by, item.organization_id)
    if item.closed_at is not None:
        raise DomainError(
            _("This follow-up item is already closed."), code=IsolationError.FOLLOW_UP_CLOSED
        )
    with transaction.atomic(), acting_as(by):
        case = _open(item.person.organization, data, by=by)
        health.close_follow_up(item, FOLLOW_UP_OUTCOME, by=by)
        case.followup_id = item.pk
        case.save(update_fields=["followup_id"])
    return case, True


def _names(case: Case) -> str:
    monitor = case.monitor.name if case.monitor else "—"
    volunteer = case.volunteer.name if case.volunteer else "—"
    return _("Monitor %(m)s, volunteer %(v)s") % {"m": monitor, "v": volunteer}


def _locked_open(case: Case) -> Case:
    locked = locks.lock_one(Case.objects.select_related("monitor", "volunteer"), case.pk)
    if locked.state != CaseState.OPEN:
        raise DomainError(
            _("This isolation case has been released."), code=IsolationError.CASE_RELEASED
        )
    return locked


def assign(case: Case, monitor, volunteer, *, by) -> Written[Case]:
    """Set the case's monitor and volunteer (people of the organization)."""
    require_office(by, case.organization_id)
    for who in (monitor, volunteer):
        if who is not None and who.organization_id != case.organization_id:
            raise DomainError(_("No such member of staff."))
    with transaction.atomic(), acting_as(by):
        locked = _locked_open(case)
        locked.monitor, locked.volunteer = monitor, volunteer
        locked.save(update_fields=["monitor", "volunteer"])
        event(locked, EventKind.ASSIGNED, by, _names(locked))
    return locked, False


def extend(case: Case, planned_end: dt.date, reason: str, *, by) -> Written[Case]:
    """A new planned end, later than the current one, for a reason (a new exposure, a
    household member tested positive)."""
    require_office(by, case.organization_id)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for the extension.")
    elif len(reason) > 300:
        errors["reason"] = _("At most %(n)s characters.") % {"n": 300}
    if planned_end <= case.planned_end:
        errors["planned_end"] = _("The new end must be after the planned end.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    with transaction.atomic(), acting_as(by):
        locked = _locked_open(case)
        before = locked.planned_end
        locked.planned_end = planned_end
        locked.release_proposed_at = None
        locked.save(update_fields=["planned_end", "release_proposed_at"])
        event(locked, EventKind.EXTENDED, by, f"{before} → {planned_end}: {reason}")
    return locked, False


def import_cases(organization: Organization, uploaded_file, filename: str, *, by):
    """Open the cases of an isolation list, all or nothing; every bad row is named. The
    planned end is the kind's default."""
    from headwater.core.importer import Tally, run_import
    from headwater.isolation.imports import spec

    require_office(by, organization.pk)

    def apply(rows) -> Tally:
        tally = Tally()
        with acting_as(by):
            for row in rows:
                data = CaseInput.parse(
                    {
                        "person_id": row["person"].pk,
                        "kind": row["kind"],
                        "reason": row["reason"],
                        "exposure_on": row.get("exposure_on"),
                        "started_on": row.get("started_on"),
                        "address": row.get("address", ""),
                        "monitor_id": getattr(row.get("monitor_no"), "pk", None),
                        "volunteer_id": getattr(row.get("volunteer_no"), "pk", None),
                    },
                    organization,
                )
                _open(
                    organization, data, by=by, note=_("Imported from %(file)s") % {"file": filename}
                )
                tally.created += 1
            tally.record(organization, by=by, filename=filename, what="isolation_import")
        return tally

    return run_import(uploaded_file, filename, spec(organization), apply=apply)
