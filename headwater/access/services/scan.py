"""A scan at a gate (扫码通行): who is shown, whether they pass, and the passage it leaves.

`scan(gate, token=… | staff_number=…, key=…, by guard or device)` decides and records one
passage, idempotent on (organization, key, scan time): a replay returns the first passage and
writes nothing (not a second passage, not a second alert). The order of the checks, what is
recorded and what is refused unrecorded, and the replay rule are in ADR 0025 ("Scanning and
decisions"). In short:

- refused with an error, nothing written: a token that is not a pass of this organization
  (400 `pass_invalid`), expired at the scan time (400 `pass_expired`), a phone pass already
  shown at another gate under another key in its lifetime (409 `pass_replayed`), a scan time
  more than 10 minutes ahead, a caller who may not scan at the gate;
- recorded as a passage, allowed or refused with a `RefusalReason`: everything else (revoked
  card, unknown person, visit not approved or over, fever, site closed to outsiders, red or
  yellow or no code, wrong canteen slot, no bus trip now).

The hot path: the gate's facts come from the process's memory (`scan_reads.gate_context`),
the person and their unit are one query, the code one, the replay check one (phone passes),
and the passage one INSERT in a short transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from headwater.access import buses, dining, signing
from headwater.access.choices import (
    Credential,
    Decision,
    Direction,
    GateKind,
    RefusalReason,
    VisitState,
)
from headwater.access.errors import AccessError
from headwater.access.models import Gate, Passage, PassCard, Visit
from headwater.access.scan_reads import GateContext, device_gate_id, gate_context, may_scan
from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, codes
from headwater.core.choices import EmploymentStatus
from headwater.core.errors import DomainError, NotAllowed, invalid
from headwater.core.models import Person
from headwater.core.roles import Role

FUTURE_LIMIT = dt.timedelta(minutes=10)  # a scanner's clock may run a little ahead
REPLAY_LOOKBACK = dt.timedelta(days=1)  # a retry without a scan time finds its first passage


@dataclass
class Verdict:
    """What the checks found, before the passage is written."""

    credential: str
    person: Person | None = None
    visit: Visit | None = None
    token_id: str = ""
    reason: str = ""
    override_reason: str = ""
    colour: str | None = None
    slot: object = None
    trip: object = None
    fever: bool = False


def scan(
    gate: Gate,
    *,
    token: str | None = None,
    staff_number: str | None = None,
    temperature: Decimal | None = None,
    direction: str = Direction.IN,
    at: dt.datetime | None = None,
    key: str,
    guard=None,
    device=None,
    override_reason: str = "",
    device_decision: str = "",
) -> tuple[Passage, bool]:
    """Decide and record one scan at `gate` by `guard` (a logged-in user) or `device` (its
    enrolled scanner). Returns (passage, created); `passage.code_colour` is the colour shown."""
    ctx = _context(gate)
    _check_caller(ctx.gate, guard, device)
    now = clock.now()
    at_given = at is not None
    at = at or now
    if at > now + FUTURE_LIMIT:
        raise invalid({"at": _("The scan time lies in the future.")})
    if not key or not 8 <= len(key) <= 64:
        raise invalid({"key": _("Send a key of 8 to 64 characters with each scan.")})
    if not at_given:
        earlier = _earlier(ctx, key, now)
        if earlier is not None:
            return earlier, False
    verdict = _identify(ctx, token, staff_number, at, key, queued=bool(device_decision))
    _decide(ctx, verdict, temperature, direction, at, override_reason)
    decision = Decision.REFUSE if verdict.reason and not verdict.override_reason else Decision.ALLOW
    fields = {
        "organization_id": ctx.organization.pk,
        "gate": ctx.gate,
        "at": at,
        "recorded_at": now,
        "person": verdict.person,
        "visit": verdict.visit,
        "credential": verdict.credential,
        "direction": direction,
        "temperature": temperature,
        "decision": decision,
        "reason": verdict.reason,
        "override_reason": verdict.override_reason[:200],
        "slot": verdict.slot,
        "trip": verdict.trip,
        "guard": guard,
        "device": device,
        "device_decision": device_decision if device_decision not in ("", decision) else "",
        "token_id": verdict.token_id,
        "key": key,
    }
    try:
        passage = _record(ctx, fields, verdict)
    except IntegrityError:
        # A replay (or a parallel twin) of this key and scan time: the first one stands.
        passage = Passage.objects.filter(
            organization_id=ctx.organization.pk, key=key, at=at
        ).first()
        if passage is None:
            raise
        passage.code_colour = _colour_now(passage)
        return passage, False
    passage.code_colour = verdict.colour
    return passage, True


def _record(ctx: GateContext, fields: dict, verdict: Verdict) -> Passage:
    """Insert the passage (and raise the fever alert with it, in one transaction). A passage
    alone is one INSERT in autocommit: no BEGIN/COMMIT round trips on the hot path; inside a
    caller's transaction it takes a savepoint, so that a duplicate key leaves it usable."""
    if not verdict.fever and not transaction.get_connection().in_atomic_block:
        return Passage.objects.create(**fields)
    with transaction.atomic():
        passage = Passage.objects.create(**fields)
        if verdict.fever:
            _raise_fever(ctx, passage, verdict)
    return passage


def _context(gate: Gate) -> GateContext:
    ctx = gate_context(gate.organization_id, gate.pk)
    if ctx is None:
        raise DomainError(_("Not found."), code="not_found", status=404)
    if not ctx.gate.active:
        raise DomainError(
            _("This gate post is not in use."), code=AccessError.WRONG_GATE, status=403
        )
    return ctx


def _check_caller(gate: Gate, guard, device) -> None:
    """A device scans for the gate it is enrolled at; a guard where `may_scan` lets them."""
    if device is not None:
        if device.revoked_at is not None:
            raise DomainError(
                _("This scanner has been withdrawn."), code=AccessError.DEVICE_REVOKED, status=401
            )
        if device.organization_id != gate.organization_id or device_gate_id(device) != gate.pk:
            raise DomainError(
                _("This scanner is not enrolled for this gate post."),
                code=AccessError.WRONG_GATE,
                status=403,
            )
        return
    if guard is None or not may_scan(guard, gate):
        raise NotAllowed(_("You do not guard this gate post."))


def _earlier(ctx: GateContext, key: str, now: dt.datetime) -> Passage | None:
    """A passage recorded under `key` lately: a retry that carried no scan time of its own."""
    passage = Passage.objects.filter(
        organization_id=ctx.organization.pk, key=key, at__gte=now - REPLAY_LOOKBACK
    ).first()
    if passage is not None:
        passage.code_colour = _colour_now(passage)
    return passage


def _colour_now(passage: Passage) -> str | None:
    if passage.person_id is None:
        return None
    view = codes.current_many([passage.person_id]).get(passage.person_id)
    return view.colour if view else None


# --- Who is shown -----------------------------------------------------------------------


def _person(ctx: GateContext, **lookup) -> Person | None:
    return (
        Person.objects.select_related("unit")
        .filter(organization_id=ctx.organization.pk, **lookup)
        .first()
    )


def _claims(ctx: GateContext, token: str, at: dt.datetime) -> signing.Claims:
    """The token's claims, signed by the organization and valid at the scan time: a scan
    queued offline is judged at the moment it was made, not when it arrives."""
    try:
        return signing.verify(token, ctx.organization, keys=ctx.keys)
    except DomainError as error:
        if error.code != AccessError.TOKEN_EXPIRED:
            raise
        claims = signing.read(token)  # the signature held: verify checks expiry last
        if claims.expires + signing.SKEW_SECONDS < at.timestamp():
            raise
        return claims


def _identify(ctx, token, staff_number, at, key, *, queued=False) -> Verdict:
    """Who was shown. `queued`: the scan comes from a scanner's offline queue (it carries the
    device's decision), so the gate has already acted on it: a replayed pass is then recorded
    as refused beside what the device did, never dropped (nothing a gate did is lost)."""
    if token:
        claims = _claims(ctx, token, at)
        if claims.kind == signing.KIND_PASS:
            replayed = _refuse_replay(ctx, claims, key, record=queued)
            verdict = Verdict(Credential.PASS, token_id=claims.token_id)
            verdict.person = _person(ctx, pk=claims.subject_id)
            if replayed:
                verdict.reason = RefusalReason.EXPIRED
                return verdict
        elif claims.kind == signing.KIND_CARD:
            verdict = Verdict(Credential.CARD)
            card = (
                PassCard.objects.select_related("person__unit")
                .filter(organization_id=ctx.organization.pk, pk=claims.subject_id)
                .first()
            )
            if card is None or card.serial != claims.nonce or card.revoked_at is not None:
                verdict.person = card.person if card else None
                verdict.reason = RefusalReason.REVOKED_CARD
                return verdict
            verdict.person = card.person
        else:
            return _visit_verdict(ctx, claims, at)
    elif staff_number:
        verdict = Verdict(Credential.TYPED)
        verdict.person = _person(ctx, employee_no=staff_number.strip())
    else:
        raise invalid({"token": _("Scan a pass or type a staff number.")})
    person = verdict.person
    if person is None or person.employment_status == EmploymentStatus.LEFT:
        verdict.reason = RefusalReason.UNKNOWN_PERSON
    return verdict


def _refuse_replay(ctx: GateContext, claims: signing.Claims, key: str, *, record=False) -> bool:
    """A phone pass lives a minute: shown at another gate under another key within its
    lifetime, it is a screenshot passed on (or a second phone), refused unrecorded — or,
    with `record` (an offline scan the gate already acted on), True: recorded as refused."""
    skew = signing.SKEW_SECONDS
    seen = (
        Passage.objects.filter(
            organization_id=ctx.organization.pk,
            token_id=claims.token_id,
            at__gte=dt.datetime.fromtimestamp(claims.issued - skew, tz=dt.UTC),
            at__lte=dt.datetime.fromtimestamp(claims.expires + skew, tz=dt.UTC),
        )
        .exclude(token_id="")
        .exclude(gate_id=ctx.gate.pk)
        .exclude(key=key)
        .exists()
    )
    if seen and record:
        return True
    if seen:
        raise DomainError(
            _("This pass was already shown at another gate: ask for the current one."),
            code=AccessError.TOKEN_REPLAYED,
            status=409,
        )
    return False


def _visit_verdict(ctx: GateContext, claims: signing.Claims, at: dt.datetime) -> Verdict:
    visit = (
        Visit.objects.select_related("host__unit")
        .filter(organization_id=ctx.organization.pk, pk=claims.subject_id)
        .first()
    )
    verdict = Verdict(Credential.VISIT, visit=visit)
    if visit is None or visit.state in (VisitState.ENDED, VisitState.CANCELLED):
        verdict.reason = RefusalReason.VISIT_OVER
    elif visit.state != VisitState.APPROVED:
        verdict.reason = RefusalReason.VISIT_NOT_APPROVED
    elif visit.valid_until is not None and at > visit.valid_until:
        verdict.reason = RefusalReason.VISIT_OVER
    return verdict


# --- Whether they pass --------------------------------------------------------------------


def _decide(ctx, verdict: Verdict, temperature, direction, at, override_reason) -> None:
    """Fill the verdict's reason (the first refusal found), colour, slot and trip."""
    person = verdict.person
    if person is not None and person.employment_status != EmploymentStatus.LEFT:
        view = codes.current_many([person.pk]).get(person.pk)
        verdict.colour = view.colour if view else None
    if verdict.reason:
        return
    if temperature is not None and temperature * 10 >= ctx.fever_tenths:
        verdict.fever = True
        if direction == Direction.IN:
            verdict.reason = RefusalReason.FEVER
    kind = ctx.gate.kind
    local = timezone.localtime(at)
    if kind == GateKind.BUS:
        verdict.trip = buses.trip_at(ctx.gate, at)
    if kind == GateKind.CANTEEN and person is not None:
        verdict.slot = dining.slot_for(person, local.date(), canteen_id=ctx.gate.site_id)
    if direction != Direction.IN or verdict.reason:
        return  # leaving is never refused; the first refusal stands
    if verdict.visit is not None:
        if ctx.closed_to_outsiders:
            # the host's override on the visit lets them in, recorded on the passage
            verdict.reason = RefusalReason.SITE_CLOSED
            verdict.override_reason = verdict.visit.override_reason
        return
    if verdict.colour == "red":
        verdict.reason = RefusalReason.RED_CODE
    elif verdict.colour == "yellow":
        verdict.reason = RefusalReason.YELLOW_CODE
    elif verdict.colour is None:
        verdict.reason = RefusalReason.NO_CODE
    if verdict.reason:
        return
    if kind == GateKind.CANTEEN and not _slot_holds(verdict.slot, local):
        verdict.reason = RefusalReason.WRONG_SLOT
        verdict.override_reason = (override_reason or "").strip()
    elif kind == GateKind.BUS and verdict.trip is None:
        verdict.reason = RefusalReason.NOT_ON_TRIP


def _slot_holds(slot, local: dt.datetime) -> bool:
    if slot is None:
        return False
    starts = dt.datetime.combine(local.date(), slot.starts, tzinfo=local.tzinfo)
    return starts <= local < starts + dt.timedelta(minutes=slot.minutes)


# --- Fever alert --------------------------------------------------------------------------


def _raise_fever(ctx: GateContext, passage: Passage, verdict: Verdict) -> None:
    """A fever at the gate alerts like an abnormal check-in: the office and the person's unit
    head (a visitor's host's), once per person (or visit) per day."""
    day = timezone.localtime(passage.at).date().isoformat()
    where = {
        "temperature": passage.temperature,
        "gate": ctx.gate.name,
        "time": timezone.localtime(passage.at).strftime("%H:%M"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        person, visit = verdict.person, verdict.visit
        if person is not None:
            title = _("Fever at the gate: %(name)s (%(unit)s)") % {
                "name": person.name,
                "unit": person.unit.name,
            }
            unit, link, who = person.unit, reverse("health:person", args=[person.pk]), person.pk
        else:
            title = _("Fever at the gate: visitor %(name)s (%(company)s)") % {
                "name": visit.name,
                "company": visit.company or "-",
            }
            host = visit.host
            unit, link, who = (host.unit if host else None), "", f"v{visit.pk}"
        raise_alert(
            ctx.organization,
            kind="access.fever",
            severity=Severity.CRITICAL,
            title=title,
            body=_("%(temperature)s °C at %(gate)s, %(time)s") % where,
            link=link,
            unit=unit,
            to_roles=[Role.UNIT_HEAD, Role.OFFICE],
            dedup_key=f"access.fever:{who}:{day}",
        )
