"""Visitors (访客登记): registered at a gate by its guard, approved or refused by the host on
their phone where the level requires it (`access.visit_needs_host`) or the site is closed to
outsiders (`access.closed_site_kinds`, 封闭管理: only the host's override reason lets the
visitor in), refused at once with a fever; ended by the guard at the exit.

The visitor pass is valid from approval to `valid_until` (approval + `access.visit_hours`);
the scan service reads the visit's state and `valid_until` (`visit_pass.py` signs the QR)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.access.choices import VisitState
from headwater.access.errors import AccessError
from headwater.access.inputs_visits import RefuseInput, VisitInput
from headwater.access.models import Gate, Visit
from headwater.access.permissions import MANAGE_GATES
from headwater.access.querysets_visitors import may_guard
from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import audit, clock, levels, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Person, Site, User
from headwater.core.roles import Role
from headwater.core.writes import Written, idempotent


def is_fever(org, temperature: Decimal | None) -> bool:
    if temperature is None:
        return False
    return temperature * 10 >= levels.value(org, "access.fever_tenths")


def is_closed(site: Site) -> bool:
    """Whether the site's kind is closed to outside people and vehicles at the current level."""
    return site.kind in levels.value(site.organization, "access.closed_site_kinds")


def find_host(organization, text: str = "", pk: int | None = None) -> Person | None:
    """The member of staff a visitor names: by id (the API), staff number, phone or name (a
    name two people share is refused, asking for the staff number). None when nothing is
    named; a DomainError on the `host` field when nobody or several match."""
    people = Person.objects.filter(organization=organization).active()
    if pk is not None:
        found = list(people.filter(pk=pk)[:1])
    elif text:
        found = list(people.filter(Q(employee_no=text) | Q(phone=text))[:2])
        if not found:
            found = list(people.filter(name=text)[:2])
    else:
        return None
    if len(found) == 1:
        return found[0]
    if not found:
        message = _("Nobody of the organization is called or numbered %(host)s.") % {
            "host": text or pk
        }
    else:
        message = _("Several people are called %(host)s: give the staff number.") % {"host": text}
    raise DomainError(message, fields={"host": message})


def _users_of(person: Person) -> list[int]:
    return list(User.objects.filter(person=person, is_active=True).values_list("pk", flat=True))


def visit_path(visit: Visit) -> str:
    return reverse("access:visit", args=[visit.pk])


def register_visit(gate: Gate, data: VisitInput, *, by, key: str = "") -> Written[Visit]:
    """A visitor at `gate`, registered by its guard. Refused (nothing written) without a host
    where one is required (the level asks for approval, or the site is closed), without a
    temperature at a gate that takes it. A fever is recorded as refused and alerts the office;
    a visit that needs the host waits (pending) and tells the host; otherwise it is approved
    at once."""
    if not may_guard(by, gate):
        raise NotAllowed(_("Only the guards of this gate may register its visitors."))
    return idempotent(
        "access.visit",
        by=by,
        key=key,
        model=Visit,
        write=lambda: _register(gate, data, by=by, key=key),
    )


def _register(gate: Gate, data: VisitInput, *, by, key: str) -> Written[Visit]:
    org, site = gate.organization, gate.site
    host = find_host(org, data.host, data.host_id)
    closed = is_closed(site)
    needs_host = closed or levels.value(org, "access.visit_needs_host")
    if needs_host and host is None:
        message = (
            _("This site is closed to outsiders: only a host's approval lets a visitor in.")
            if closed
            else _("A visitor needs a host here: name the member of staff visited.")
        )
        raise DomainError(
            message, code=AccessError.HOST_REQUIRED, fields={"host": message}, status=400
        )
    if gate.checks_temperature and data.temperature is None:
        message = _("Take the visitor's temperature first.")
        raise DomainError(message, fields={"temperature": message})
    now = clock.now()
    visit = Visit(
        organization=org,
        site=site,
        gate=gate,
        host=host,
        registered_at=now,
        registered_by=by,
        key=(key or "").strip()[:64],
        **{f: getattr(data, f) for f in _COPIED},
    )
    with acting_as(by):
        if is_fever(org, data.temperature):
            visit.state = VisitState.REFUSED
            visit.decided_at = now
            visit.decision_note = _("Fever at registration: %(t)s °C") % {"t": data.temperature}
            visit.save()
            _alert_fever(visit)
            return visit, True
        if needs_host:
            visit.state = VisitState.PENDING
            visit.save()
            _tell_host(visit, closed=closed)
            return visit, True
        _approve(visit, by=by, at=now)
        visit.save()
    return visit, True


_COPIED = (
    "name",
    "phone",
    "id_number",
    "company",
    "reason",
    "plate",
    "temperature",
    "travel_history",
    "contact_history",
)


def _approve(visit: Visit, *, by, at: dt.datetime, override: str = "") -> None:
    hours = levels.value(visit.organization, "access.visit_hours")
    visit.state = VisitState.APPROVED
    visit.decided_at = at
    visit.decided_by = by
    visit.valid_until = at + dt.timedelta(hours=hours)
    visit.override_reason = override


def _alert_fever(visit: Visit) -> None:
    raise_alert(
        visit.organization,
        kind="access.visitor_fever",
        title=_("Visitor with a fever refused at %(gate)s: %(name)s, %(t)s °C")
        % {"gate": visit.gate, "name": visit.name, "t": visit.temperature},
        body=visit.reason,
        severity=Severity.CRITICAL,
        link=visit_path(visit),
        unit=visit.site.unit,
        to_roles=[Role.OFFICE],
        dedup_key=f"access.visit_fever:{visit.pk}",
    )


def _tell_host(visit: Visit, *, closed: bool) -> None:
    users = _users_of(visit.host)
    if not users:
        return
    title = _("A visitor waits for you at %(gate)s: %(name)s (%(company)s)") % {
        "gate": visit.gate,
        "name": visit.name,
        "company": visit.company or "-",
    }
    body = _("Closed site: approving needs your override reason.") if closed else visit.reason
    raise_alert(
        visit.organization,
        kind="access.visit_pending",
        title=title,
        body=body,
        severity=Severity.INFO,
        link=reverse("access:my_visits"),
        to_users=users,
        dedup_key=f"access.visit_pending:{visit.pk}",
        robots=False,
    )


def may_decide(user, visit: Visit) -> bool:
    """The host, or the office (a host without a phone, or away)."""
    if user.organization_id != visit.organization_id and not user.is_superuser:
        return False
    return (user.person_id is not None and user.person_id == visit.host_id) or user.has_perm(
        MANAGE_GATES
    )


def _locked(visit: Visit) -> Visit:
    return locks.lock_one(Visit.objects.select_related("site", "gate", "organization"), visit.pk)


def _wrong_state(visit: Visit, wanted: str) -> DomainError:
    messages = {
        VisitState.APPROVED: _("This visit was already approved."),
        VisitState.REFUSED: _("This visit was already refused: register the visitor again."),
        VisitState.CANCELLED: _("This visit was cancelled."),
        VisitState.ENDED: _("This visit has already ended."),
        VisitState.PENDING: _("This visit still waits for the host."),
    }
    message = messages[visit.state]
    if visit.decided_at and visit.state in (VisitState.APPROVED, VisitState.REFUSED):
        message += " " + _("(%(time)s)") % {
            "time": timezone.localtime(visit.decided_at).strftime("%m-%d %H:%M")
        }
    return DomainError(message, code=AccessError.VISIT_STATE, status=409)


def approve_visit(visit: Visit, *, by, override_reason: str = "") -> Written[Visit]:
    """The host lets the visitor in: the pass is valid from now for `access.visit_hours`. At a
    closed site the host's override reason is required, recorded and audited. Approving an
    approved visit again changes nothing; a refused, cancelled or ended one is refused."""
    if not may_decide(by, visit):
        raise NotAllowed(_("Only the host or the office may approve this visit."))
    override_reason = (override_reason or "").strip()[:200]
    with transaction.atomic(), acting_as(by):
        visit = _locked(visit)
        if visit.state == VisitState.APPROVED:
            return visit, False
        if visit.state != VisitState.PENDING:
            raise _wrong_state(visit, VisitState.APPROVED)
        closed = is_closed(visit.site)
        if closed and not override_reason:
            message = _(
                "This site is closed to outsiders: give the reason this visitor must enter."
            )
            raise DomainError(message, fields={"override_reason": message})
        _approve(visit, by=by, at=clock.now(), override=override_reason if closed else "")
        visit.save(
            update_fields=["state", "decided_at", "decided_by", "valid_until", "override_reason"]
        )
        if visit.override_reason:
            audit.record(visit, actor=by, override_reason=visit.override_reason)
    return visit, True


def refuse_visit(visit: Visit, note: RefuseInput | str, *, by) -> Written[Visit]:
    """The host turns the visitor away, saying why. Refusing again changes nothing; an
    approved visit is ended at the exit or cancelled, not refused."""
    if not may_decide(by, visit):
        raise NotAllowed(_("Only the host or the office may refuse this visit."))
    if isinstance(note, str):
        note = RefuseInput.parse({"note": note})
    with transaction.atomic(), acting_as(by):
        visit = _locked(visit)
        if visit.state == VisitState.REFUSED:
            return visit, False
        if visit.state != VisitState.PENDING:
            raise _wrong_state(visit, VisitState.REFUSED)
        visit.state = VisitState.REFUSED
        visit.decided_at = clock.now()
        visit.decided_by = by
        visit.decision_note = note.note
        visit.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
    return visit, True


def may_end(user, visit: Visit) -> bool:
    """A guard of the visit's gate, the host or the office."""
    if visit.gate_id and may_guard(user, visit.gate):
        return True
    return may_decide(user, visit)


def end_visit(visit: Visit, *, by) -> Written[Visit]:
    """The visitor leaves (the guard at the exit): the pass stops at once."""
    if not may_end(by, visit):
        raise NotAllowed(_("Only a guard of the gate, the host or the office may end a visit."))
    with transaction.atomic(), acting_as(by):
        visit = _locked(visit)
        if visit.state == VisitState.ENDED:
            return visit, False
        if visit.state != VisitState.APPROVED:
            raise _wrong_state(visit, VisitState.ENDED)
        visit.state = VisitState.ENDED
        now = clock.now()
        if visit.valid_until is None or visit.valid_until > now:
            visit.valid_until = now
        visit.save(update_fields=["state", "valid_until"])
    return visit, True


def cancel_visit(visit: Visit, *, by) -> Written[Visit]:
    """The visit will not happen (the visitor left before the host answered, a mistake): a
    pending or approved visit is cancelled and its pass stops."""
    if not may_end(by, visit):
        raise NotAllowed(_("Only a guard of the gate, the host or the office may cancel a visit."))
    with transaction.atomic(), acting_as(by):
        visit = _locked(visit)
        if visit.state == VisitState.CANCELLED:
            return visit, False
        if visit.state not in (VisitState.PENDING, VisitState.APPROVED):
            raise _wrong_state(visit, VisitState.CANCELLED)
        visit.state = VisitState.CANCELLED
        now = clock.now()
        if visit.valid_until is not None and visit.valid_until > now:
            visit.valid_until = now
        visit.save(update_fields=["state", "valid_until"])
    return visit, True
