"""Acting on a trace in one step: the office marks the chosen contacts as close contacts to
follow up (health's epidemiological status "close contact", through health's services) or
opens an isolation case for each (isolation's services, medical observation by default).

Health's follow-up *items* belong to an abnormal check-in (one item per check-in) and cannot
be opened for a contact without one: the close-contact status is health's way to follow a
contact up (their code turns and the office's lists show them), so that is what "follow-up"
writes here. Idempotent: a person who already has an open close-contact status (or any open
isolation case, for cases) is counted as already done and nothing is written for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.access.permissions import TRACE
from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, require
from headwater.core.models import Person
from headwater.health import services as health
from headwater.health.choices import EpiStatus
from headwater.health.models import StatusRecord
from headwater.isolation import services as isolation
from headwater.isolation.choices import CaseKind
from headwater.isolation.inputs import CaseInput
from headwater.isolation.models import Case

FOLLOWUP, ISOLATION = "followup", "isolation"
MAX_PEOPLE = 500


@dataclass
class Opened:
    action: str
    opened: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)


def _people(person_ids, by) -> list[Person]:
    ids = sorted({int(i) for i in person_ids})
    if not ids:
        message = _("Choose at least one contact.")
        raise DomainError(message, fields={"person_ids": message})
    if len(ids) > MAX_PEOPLE:
        message = _("Choose at most %(n)s contacts at a time.") % {"n": MAX_PEOPLE}
        raise DomainError(message, fields={"person_ids": message})
    people = list(Person.objects.visible_to(by).filter(pk__in=ids).order_by("pk"))
    if len(people) != len(ids):
        message = _("Some of the chosen people do not exist or are not yours to see.")
        raise DomainError(message, fields={"person_ids": message}, status=404)
    return people


def _has_followup(person_ids: list[int], today: dt.date) -> set[int]:
    return set(
        StatusRecord.objects.filter(person_id__in=person_ids, kind=EpiStatus.CLOSE_CONTACT)
        .open_on(today)
        .values_list("person_id", flat=True)
    )


def _has_case(person_ids: list[int], today: dt.date) -> set[int]:
    return set(
        Case.objects.open()
        .filter(person_id__in=person_ids, household_member=None)
        .values_list("person_id", flat=True)
    )


def open_followups(
    person_ids, *, by, reason: str, action: str = FOLLOWUP, exposure_on: dt.date | None = None
) -> Opened:
    """Open a follow-up (close-contact status) or an isolation case for each chosen contact
    that has none open, all in one transaction; the others are reported as already done."""
    require(by, TRACE)
    if action not in (FOLLOWUP, ISOLATION):
        raise DomainError(_("Unknown action."), fields={"action": _("Unknown action.")})
    reason = (reason or "").strip()[:200]
    if not reason:
        message = _("Say why (e.g. the trace of whom).")
        raise DomainError(message, fields={"reason": message})
    people = _people(person_ids, by)
    today = clock.today()
    done = Opened(action)
    with transaction.atomic(), acting_as(by):
        # Locked in pk order: a second office user opening the same people waits, then
        # finds them done.
        locked = locks.lock(Person.objects.filter(pk__in=[p.pk for p in people]))
        done_before = _has_followup if action == FOLLOWUP else _has_case
        already = done_before([p.pk for p in locked], today)
        for person in locked:
            if person.pk in already:
                done.already.append(person.pk)
                continue
            if action == FOLLOWUP:
                health.set_status(
                    person,
                    EpiStatus.CLOSE_CONTACT,
                    today,
                    by=by,
                    exposure_on=exposure_on,
                    note=reason,
                )
            else:
                data = CaseInput.parse(
                    {
                        "person_id": person.pk,
                        "kind": CaseKind.OBSERVATION,
                        "reason": reason,
                        "exposure_on": exposure_on.isoformat() if exposure_on else "",
                    },
                    person.organization,
                )
                isolation.open_case(person.organization, data, by=by)
            done.opened.append(person.pk)
    return done
