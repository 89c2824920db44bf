"""The escalation flow (应急处理流程): reported → unit head informed → office informed →
medical referral or transfer → outcome. TRANSITIONS is the one place the steps are written:
(state, action) → (next state, who may). Each step records its actor, time and the deadline
it was due by; the flow keeps the current step's deadline in `due_at` (per-level minutes).
A step out of order is refused with nothing changed; a retried step from a phone with the
same Idempotency-Key answers the first outcome."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core import clock, levels, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed, invalid
from headwater.core.models import Person
from headwater.core.querysets import grants_for
from headwater.core.writes import Written, idempotent
from headwater.isolation.choices import CaseState
from headwater.isolation.errors import IsolationError
from headwater.isolation.models import Case, CaseCheck
from headwater.isolation.models_flow import OPEN_STATES, Flow, FlowState, FlowStep
from headwater.isolation.permissions import HANDLE_FLOWS
from headwater.isolation.services.common import is_office

S = FlowState
REPORTER, HEAD, OFFICE = "reporter", "head", "office"
FINDING_MAX = 300


@dataclass(frozen=True)
class Transition:
    target: str
    who: frozenset[str]
    label: str


def _t(target, who, label) -> Transition:
    return Transition(target, frozenset(who), label)


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (S.REPORTED, "inform_head"): _t(
        S.HEAD_INFORMED, {REPORTER, HEAD, OFFICE}, gettext_lazy("Inform the unit head")
    ),
    (S.HEAD_INFORMED, "inform_office"): _t(
        S.OFFICE_INFORMED, {HEAD, OFFICE}, gettext_lazy("Inform the office")
    ),
    (S.OFFICE_INFORMED, "refer"): _t(S.REFERRED, {OFFICE}, gettext_lazy("Refer or transfer")),
    (S.OFFICE_INFORMED, "cleared"): _t(S.CLEARED, {OFFICE}, gettext_lazy("Cleared")),
    (S.REFERRED, "cleared"): _t(S.CLEARED, {OFFICE}, gettext_lazy("Cleared")),
    (S.REFERRED, "suspected"): _t(S.SUSPECTED, {OFFICE}, gettext_lazy("Suspected case")),
    (S.REFERRED, "confirmed"): _t(S.CONFIRMED, {OFFICE}, gettext_lazy("Confirmed case")),
    (S.REFERRED, "hospitalized"): _t(S.HOSPITALIZED, {OFFICE}, gettext_lazy("Hospitalized")),
}
ACTIONS = sorted({action for _state, action in TRANSITIONS})

# The minutes allowed for the step that follows a state (the deadline of leaving it).
DEADLINES = {
    S.REPORTED: "isolation.flow_inform_head_minutes",
    S.HEAD_INFORMED: "isolation.flow_inform_office_minutes",
    S.OFFICE_INFORMED: "isolation.flow_refer_minutes",
}


def deadline_after(organization, state: str, moment: dt.datetime) -> dt.datetime | None:
    key = DEADLINES.get(state)
    if key is None:
        return None
    return moment + dt.timedelta(minutes=levels.value(organization, key))


def roles_of(by, flow: Flow) -> set[str]:
    """What `by` is to the flow: its reporter (who opened it, the case's monitor), a head
    of its unit (a grant holding HANDLE_FLOWS over it), the office."""
    roles = set()
    if is_office(by, flow.organization_id):
        roles.add(OFFICE)
    if by.organization_id == flow.organization_id and by.has_perm(HANDLE_FLOWS):
        org_wide, paths = grants_for(by, HANDLE_FLOWS)
        if org_wide or any(flow.unit.path.startswith(p) for p in paths):
            roles.add(HEAD)
    case_monitor = flow.case.monitor_id if flow.case_id else None
    if (flow.opened_by_id and flow.opened_by_id == by.pk) or (
        by.person_id and by.person_id == case_monitor
    ):
        roles.add(REPORTER)
    return roles


def next_actions(flow: Flow, by) -> list[tuple[str, Transition]]:
    """The actions `by` may take on the flow now, in the table's order."""
    mine = roles_of(by, flow)
    return [
        (action, t)
        for (state, action), t in TRANSITIONS.items()
        if state == flow.state and t.who & mine
    ]


def _create(organization, person: Person, case, finding: str, by) -> Flow:
    now = clock.now()
    flow = Flow.objects.create(
        organization_id=organization.pk,
        person=person,
        case=case,
        unit_id=person.unit_id,
        finding=finding[:FINDING_MAX],
        opened_at=now,
        opened_by=by if getattr(by, "pk", None) else None,
        due_at=deadline_after(organization, S.REPORTED, now),
    )
    FlowStep.objects.create(
        organization_id=organization.pk,
        flow=flow,
        step=S.REPORTED,
        actor=flow.opened_by,
        done_at=now,
    )
    return flow


def open_flow(organization, person: Person, finding: str, *, by, key: str = "") -> Written[Flow]:
    """Open a flow by hand for a person on duty (the office, or a head of their unit); their
    open isolation case, if any, is linked. A second open flow for the person is refused."""
    finding = (finding or "").strip()
    if not finding:
        raise invalid({"finding": _("This field is required.")})
    if len(finding) > FINDING_MAX:
        raise invalid({"finding": _("At most %(n)s characters.") % {"n": FINDING_MAX}})
    if person.organization_id != organization.pk:
        raise NotAllowed(_("Only the office or the person's unit head may report a finding."))
    office = is_office(by, organization.pk)
    org_wide, paths = grants_for(by, HANDLE_FLOWS)
    head = by.organization_id == organization.pk and (
        org_wide or any(person.unit.path.startswith(p) for p in paths)
    )
    if not (office or head):
        raise NotAllowed(_("Only the office or the person's unit head may report a finding."))

    def write() -> Written[Flow]:
        with transaction.atomic(), acting_as(by):
            Person.objects.select_for_update().filter(pk=person.pk).first()
            if Flow.objects.filter(person=person, state__in=OPEN_STATES).exists():
                raise DomainError(
                    _("This person already has an open escalation flow."),
                    code=IsolationError.FLOW_ALREADY_OPEN,
                    status=409,
                )
            case = Case.objects.filter(
                person=person, household_member=None, state=CaseState.OPEN
            ).first()
            return _create(organization, person, case, finding, by), True

    return idempotent("isolation.flow_open", by=by, key=key, model=Flow, write=write)


def open_for_check(check: CaseCheck, by) -> Flow | None:
    """A follow-up with a fever or a symptom opens the case's flow (called inside the
    follow-up's transaction); a case with an open flow keeps it. Returns the flow opened."""
    if check.is_normal:
        return None
    case = check.case
    if Flow.objects.filter(case=case, state__in=OPEN_STATES).exists():
        return None
    temps = [t for t in (check.morning_temperature, check.afternoon_temperature) if t]
    parts = [f"{max(temps)}°C"] if temps else []
    if check.symptoms:
        parts.append(check.symptoms)
    finding = _("Follow-up: %(what)s") % {"what": "，".join(parts) or "—"}
    return _create(case.organization, case.person, case, finding, by)


def advance(flow: Flow, action: str, *, by, note: str = "", key: str = "") -> Written[Flow]:
    """Take the flow one step. The step must follow from the flow's state and be one the
    user may take; otherwise it is refused and nothing changes."""

    def write() -> Written[Flow]:
        with transaction.atomic(), acting_as(by):
            # The flow's row only: its case is a nullable (outer) join, which PostgreSQL
            # refuses to lock.
            current = locks.lock_one(Flow.objects.select_related("unit", "case"), flow.pk)
            t = TRANSITIONS.get((current.state, action))
            if t is None:
                raise DomainError(
                    _("This step cannot be taken now: the flow is at “%(state)s”.")
                    % {"state": current.get_state_display()},
                    code=IsolationError.FLOW_OUT_OF_ORDER,
                    status=409,
                )
            if not t.who & roles_of(by, current):
                raise NotAllowed(_("You may not take this step of the flow."))
            now = clock.now()
            FlowStep.objects.create(
                organization_id=current.organization_id,
                flow=current,
                step=t.target,
                actor=by if getattr(by, "pk", None) else None,
                done_at=now,
                deadline=current.due_at,
                note=(note or "").strip()[:300],
            )
            current.state = t.target
            current.due_at = deadline_after(current.organization, t.target, now)
            current.alerted = False
            current.save(update_fields=["state", "due_at", "alerted"])
            return current, True

    return idempotent("isolation.flow_step", by=by, key=key, model=Flow, write=write)
