"""Epidemiological statuses: recorded by the office (later by the isolation capability);
the person's code follows in the same transaction."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import availability, clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Person
from headwater.core.writes import Written
from headwater.health.choices import EpiStatus
from headwater.health.models import StatusRecord
from headwater.health.permissions import MANAGE_STATUSES
from headwater.health.services.codes import recompute_code


def _check_permission(by, organization_id: int) -> None:
    """The permission alone is not enough: it must be held in the person's organization."""
    if not by.has_perm(MANAGE_STATUSES) or not (
        by.is_superuser or by.organization_id == organization_id
    ):
        raise NotAllowed(_("Your role may not record epidemiological statuses."))


def set_status(
    person: Person,
    kind: str,
    started_on: dt.date,
    *,
    by,
    exposure_on: dt.date | None = None,
    note: str = "",
) -> Written[StatusRecord]:
    """Record that a person is a close contact, isolated, a case …; the code follows."""
    _check_permission(by, person.organization_id)
    if kind not in EpiStatus.values:
        raise DomainError(_("Unknown status."), fields={"kind": _("Unknown status.")})
    if started_on > clock.today():
        message = _("The start cannot be in the future.")
        raise DomainError(message, fields={"started_on": message})
    with transaction.atomic(), acting_as(by):
        record = StatusRecord.objects.create(
            organization_id=person.organization_id,
            person=person,
            kind=kind,
            started_on=started_on,
            exposure_on=exposure_on,
            note=note,
            recorded_by=by,
        )
        recompute_code(person)
        availability.announce_change([person.pk])
    return record, True


def end_status(record: StatusRecord, ended_on: dt.date, *, by) -> Written[StatusRecord]:
    """The status holds until `ended_on` (that day included); the code follows."""
    _check_permission(by, record.organization_id)
    with transaction.atomic(), acting_as(by):
        # Checked on the locked row: the start may have been changed since the page was read.
        locked = locks.lock_one(
            StatusRecord.objects.select_related("person__organization"), record.pk
        )
        if ended_on < locked.started_on:
            message = _("The end is before the start.")
            raise DomainError(message, fields={"ended_on": message})
        locked.ended_on = ended_on
        locked.save(update_fields=["ended_on"])
        recompute_code(locked.person)
        availability.announce_change([locked.person_id])
    return locked, False
