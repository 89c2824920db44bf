"""A small world shared by the outsider sweep and the query baselines.

The demo organization 星城水务集团 is built by `headwater demo`'s own builder (core, health and
quality plug-ins) at a small size and at a fixed moment, so every capability has data and the
figures are the same on every run. Plant 3 (unit P3) is the *victim unit*: the names of its
people, points and plans (and later of its alerts, follow-ups, codes, status notes, report
notes and robot) start with the marker ``VICTIM-``; the rest of the organization's with
``ORGV-``; the victim unit's own name and its subunits' with ``ORGV-VUNIT-`` (the sites list
shows every member each site's unit, so a unit name is checked apart from the rest).
Then the victim's people act through the API (a fever check-in, a robot channel, an
epidemiological status, a daily report, a returned result, an analyzer reading), so alerts,
inbox items, deliveries, follow-ups and audit entries exist as users make them.

A second organization (外地水司) has units, people, a lab and points with the *same codes* as
the victim's, so a lookup by code or number that forgets the organization shows up.

Only public behaviour is relied upon: the demo builder and its logins, the API, and model
fields that are not being changed (no idempotency keys; rules are left to the demo builder).
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.test import Client, TestCase, override_settings
from django.utils import translation

from headwater.alerts.models import Alert, InboxItem
from headwater.briefing.models import Briefing
from headwater.core import demo
from headwater.core.models import (
    DeviceToken,
    HouseholdMember,
    Organization,
    Person,
    RoleGrant,
    Site,
    Unit,
    User,
)
from headwater.core.tests.factories import OrganizationFactory, PersonFactory, make_unit, make_user
from headwater.core.tests.timing import at
from headwater.health.models import CheckIn, FollowUp, HealthCode, RiskArea
from headwater.isolation.models import Case, Flow
from headwater.quality.models import (
    InternalLimit,
    Lab,
    Relaxation,
    Result,
    Sample,
    SamplingPlan,
    SamplingPoint,
    SamplingTask,
)
from headwater.testing.tests.world_results import victim_retest

# A Tuesday morning: the morning check-in window is open, the daily report not yet due, and
# the network points (sampled on Mondays and Tuesdays) have tasks and results.
MOMENT = at(dt.date(2025, 3, 4), 9, 30)
STAFF = 120
SEED = 2020
HISTORY_DAYS = 2

VICTIM = "VICTIM-"  # names of the victim unit's rows (unit P3's subtree)
ORGV = "ORGV-"  # names of the rest of the victim organization
VICTIM_UNIT_NAME = "VUNIT-"  # after ORGV-: names of the victim unit and its subunits
VICTIM_UNIT, SIBLING_UNIT = "P3", "P2"
API = "/api/v1"


@dataclass
class World:
    """What the tests need of the world: the organizations, the logins, the victim's ids."""

    org: Organization
    other: Organization
    unit: Unit  # the victim unit (P3)
    sibling: Unit  # its sibling (P2)
    users: dict[str, User] = field(default_factory=dict)
    device_token: str = ""  # a device of the other organization
    victim: dict[str, Any] = field(default_factory=dict)  # the victim's ids by meaning
    unit_secrets: frozenset[str] = frozenset()  # phones and ID numbers of the victim unit
    org_secrets: frozenset[str] = frozenset()  # phones and ID numbers of the organization


@contextmanager
def world_context(django_db_blocker):
    """The world inside one transaction, rolled back when the block ends; the clock stands
    still at MOMENT meanwhile. For a module-scoped fixture: each test's own transaction is a
    savepoint inside this one."""
    with ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        traveller = time_machine.travel(MOMENT, tick=False)
        traveller.start()
        stack.callback(traveller.stop)
        stack.enter_context(
            override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                HEADWATER_DEMO_PASSWORD="headwater-demo",
            )
        )
        stack.enter_context(translation.override("zh-hans"))
        stack.enter_context(transaction.atomic())
        try:
            yield build()
        finally:
            transaction.set_rollback(True)


def build() -> World:
    with TestCase.captureOnCommitCallbacks(execute=True):
        org = demo.run(staff=STAFF, seed=SEED, history_days=HISTORY_DAYS).organization
    unit = Unit.objects.get(organization=org, code=VICTIM_UNIT)
    sibling = Unit.objects.get(organization=org, code=SIBLING_UNIT)
    world = World(org=org, other=_other_organization(org), unit=unit, sibling=sibling)
    _mark(org, unit)
    _logins(world)
    with TestCase.captureOnCommitCallbacks(execute=True):
        _victim_activity(world)
    with TestCase.captureOnCommitCallbacks(execute=True):
        _other_activity(world)
    _mark_activity(org, unit)
    _victim_ids(world)
    _testing_desk(world)
    _access_visits(world)
    _network_map(world)
    world.unit_secrets = _secrets(Person.objects.filter(unit__in=_subtree(unit)))
    world.org_secrets = _secrets(Person.objects.filter(organization=org))
    return world


def _subtree(unit: Unit):
    return Unit.objects.filter(organization_id=unit.organization_id, path__startswith=unit.path)


def _secrets(people) -> frozenset[str]:
    values = people.values_list("phone", "id_number")
    return frozenset(v for pair in values for v in pair if v)


def _prefix(qs, marker: str, *fields: str) -> None:
    qs.update(**{f: Concat(Value(marker), F(f)) for f in fields})


def _mark(org: Organization, unit: Unit) -> None:
    """Names of the victim unit's rows start with VICTIM-, the rest of the organization's with
    ORGV-. Only fields that the refactor keeps are touched."""

    units = _subtree(unit)
    labs = Lab.objects.filter(unit__in=units)
    points = SamplingPoint.objects.filter(unit__in=units)
    plans = SamplingPlan.objects.filter(Q(lab__in=labs) | Q(point__in=points))
    # Lab names are the organization's (the setup page lists every lab to every member); unit
    # names get a marker of their own, as the sites list shows every site's unit by design.
    _prefix(Unit.objects.filter(organization=org).exclude(pk__in=units), ORGV, "name")
    _prefix(units, ORGV + VICTIM_UNIT_NAME, "name")
    _prefix(Lab.objects.filter(organization=org), ORGV, "name")
    mine = {
        Person: Person.objects.filter(unit__in=units),
        SamplingPoint: points,
        SamplingPlan: plans,
    }
    for model, qs in mine.items():
        rest = model.objects.filter(organization=org).exclude(
            pk__in=list(qs.values_list("pk", flat=True))
        )
        _prefix(rest, ORGV, "name")
        _prefix(qs, VICTIM, "name")
    _prefix(Organization.objects.filter(pk=org.pk), ORGV, "name", "short_name")
    _prefix(Site.objects.filter(organization=org), ORGV, "name")
    _org_rows(org)


def _org_rows(org: Organization) -> None:

    _prefix(RiskArea.objects.filter(organization=org), ORGV, "name")
    _prefix(InternalLimit.objects.filter(organization=org), ORGV, "note")
    _prefix(Relaxation.objects.filter(organization=org), ORGV, "reason", "risk_assessment")


def _logins(world: World) -> None:
    """The actors: victims (a staff member and the head of P3), the organization's office and
    superuser, the sibling unit's head and lab, and the other organization's office."""
    org, unit, sibling = world.org, world.unit, world.sibling
    victims = list(
        Person.objects.filter(unit__in=_subtree(unit), user__isnull=True).order_by("employee_no")
    )
    neighbours = list(
        Person.objects.filter(unit__in=_subtree(sibling), user__isnull=True).order_by("employee_no")
    )
    office_person = (
        Person.objects.filter(organization=org, user__isnull=True)
        .exclude(unit__in=_subtree(unit))
        .exclude(unit__in=_subtree(sibling))
        .order_by("employee_no")
        .first()
    )
    u = world.users
    u["victim_staff"] = make_user("sweep_victim", person=victims[1], roles=[("staff", None)])
    u["victim_head"] = make_user(
        "sweep_victim_head", person=victims[0], roles=[("unit_head", unit)]
    )
    u["victim_office"] = make_user(
        "sweep_office", person=office_person, roles=[("office", None), ("quality", None)]
    )
    u["victim_admin"] = User.objects.create_superuser(
        "sweep_admin", password=None, organization=org
    )
    u["sibling_head"] = make_user(
        "sweep_sibling_head",
        person=neighbours[0],
        roles=[("unit_head", sibling), ("monitor", sibling)],
    )
    u["sibling_lab"] = make_user(
        "sweep_sibling_lab",
        person=neighbours[1],
        roles=[("lab_tech", sibling), ("lab_reviewer", sibling)],
    )
    u["outsider"] = make_user(
        "sweep_outsider",
        person=world.other.people.order_by("employee_no").first(),
        roles=[("office", None), ("leader", None), ("quality", None), ("regulator", None)],
    )
    _, world.device_token = DeviceToken.issue(world.other, "外地在线仪表")


def _other_organization(org: Organization) -> Organization:
    """外地水司: the same unit, lab, point codes and employee numbers as the victim's."""

    other = OrganizationFactory(name="外地水司", short_name="外地", slug="sweep-elsewhere")
    hq = make_unit(other, "外地水司", "HQ")
    plant = make_unit(other, "外地三厂", VICTIM_UNIT, hq)
    numbers = Person.objects.filter(organization=org, unit__code__startswith=VICTIM_UNIT)
    for n, employee_no in enumerate(numbers.order_by("employee_no")[:3].values_list("employee_no")):
        PersonFactory(unit=plant, name=f"外地员工{n}", employee_no=employee_no[0])
    lab = Lab.objects.create(
        organization=other, code="L3", name="外地化验室", kind="plant", unit=plant
    )
    for point in SamplingPoint.objects.filter(organization=org, unit__code=VICTIM_UNIT):
        SamplingPoint.objects.create(
            organization=other,
            code=point.code,
            name=f"外地{point.code}",
            kind=point.kind,
            unit=plant,
            lab=lab,
        )
    return other


def api(client: Client, method: str, path: str, body=None, **headers):
    """One JSON API call; a failure in setting up the world stops the test at once."""
    response = client.generic(
        method,
        API + path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        **headers,
    )
    assert response.status_code < 300, (method, path, response.status_code, response.content)
    return response.json() if response.content else None


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _victim_activity(world: World) -> None:
    """What the victim's people do on a morning, through the API as they would."""

    org, unit, u = world.org, world.unit, world.users
    office = client_for(u["victim_office"])
    channel = api(
        office,
        "POST",
        "/alerts/robots",
        {
            "name": VICTIM + "机器人",
            "kind": "dingtalk",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=VICTIM",
            "unit_id": unit.pk,
        },
    )
    world.victim["channel"] = channel["id"]
    relative = api(
        client_for(u["victim_staff"]),
        "POST",
        "/household",
        {"name": VICTIM + "家属", "relation": "spouse", "address": VICTIM + "住址"},
    )
    world.victim["household"] = relative["id"]
    api(
        client_for(u["victim_staff"]),
        "POST",
        "/health/checkins",
        {
            "temperature": "38.6",
            "symptoms": ["cough"],
            "whereabouts": "at_work",
            "location_note": VICTIM + "位置",
            "relatives": [
                {
                    "member_id": relative["id"],
                    "temperature": "38.1",
                    "travel": True,
                    "note": VICTIM + "行程",
                }
            ],
        },
    )
    status = api(
        office,
        "POST",
        "/health/statuses",
        {
            "person_id": u["victim_staff"].person_id,
            "kind": "close_contact",
            "started_on": MOMENT.date().isoformat(),
            "note": VICTIM + "备注",
        },
    )
    world.victim["status"] = status["id"]
    report = api(
        client_for(u["victim_head"]),
        "POST",
        "/health/unit-reports",
        {"unit_id": unit.pk, "notes": VICTIM + "日报", "counts": {"on_duty": 3}},
    )
    world.victim["report"] = report["id"]
    notice = api(
        client_for(u["victim_head"]),
        "POST",
        "/notices",
        {"kind": "rules", "title": VICTIM + "通知", "body": VICTIM + "正文", "unit_ids": [unit.pk]},
    )
    world.victim["notice"] = notice["id"]
    api(client_for(u["victim_staff"]), "POST", f"/notices/mine/{notice['id']}/confirm", {})
    staff = u["victim_staff"].person_id
    HouseholdMember.objects.get_or_create(
        organization=org, person_id=staff, name=VICTIM + "家属", relation="spouse"
    )
    if not Case.objects.filter(person_id=staff, state="open", household_member=None).exists():
        api(
            office,
            "POST",
            "/isolation/cases",
            {"person_id": staff, "kind": "home", "reason": VICTIM + "隔离"},
        )
    case_id = Case.objects.get(person_id=staff, state="open", household_member=None).pk
    booked = api(
        client_for(u["victim_staff"]),
        "POST",
        f"/isolation/cases/{case_id}/requests",
        {
            "kind": "shopping",
            "details": VICTIM + "代购清单",
            "window_start": MOMENT.isoformat(),
            "window_end": (MOMENT + dt.timedelta(hours=2)).isoformat(),
        },
    )
    world.victim["request"] = booked["id"]
    if not Flow.objects.filter(person_id=staff).exists():
        api(office, "POST", "/isolation/flows", {"person_id": staff, "finding": VICTIM + "发热"})
    _supervision(world, office, staff)
    api(office, "POST", f"/people/{u['victim_staff'].person_id}/reveal", {"purpose": "回访"})
    entered = Result.objects.filter(
        organization=org, unit__in=_subtree(unit), status="entered"
    ).order_by("pk")
    api(
        office,
        "POST",
        "/quality/results/return",
        {"ids": [entered[0].pk], "reason": VICTIM + "退回"},
    )
    point = SamplingPoint.objects.filter(unit__in=_subtree(unit), kind="finished").first()
    _, token = DeviceToken.issue(org, VICTIM + "在线浊度仪")
    api(
        Client(),
        "POST",
        "/quality/readings",
        {
            "readings": [
                {
                    "point": point.code,
                    "indicator": "turbidity",
                    "at": MOMENT.isoformat(),
                    "value": 0.2,
                }
            ]
        },
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _supervision(world: World, office: Client, staff: int) -> None:
    """The victim's case was called by a supervisor and one answer was "no": a correction."""
    from headwater.isolation.models_supervision import Correction, SupervisionCall

    case = Case.objects.get(person_id=staff, state="open", household_member=None)
    call, _ = SupervisionCall.objects.get_or_create(
        organization=world.org, case=case, date=MOMENT.date()
    )
    answers = {f"{f}_ok": f != "family" for f in ("temperature", "family", "supplies", "helpers")}
    if call.called_at is None:
        api(
            office,
            "POST",
            f"/isolation/supervision/calls/{call.pk}",
            answers | {"family_note": VICTIM + "家属未隔离"},
        )
    world.victim["call"] = call.pk
    world.victim["correction"] = Correction.objects.get(call=call).pk


def _other_activity(world: World) -> None:
    """The other organization has its own morning: a check-in and a sample at its FIN-3."""
    outsider = client_for(world.users["outsider"])
    api(outsider, "POST", "/health/checkins", {"temperature": "36.5", "whereabouts": "at_work"})
    api(outsider, "POST", "/quality/samples", {"point": "FIN-3", "values": {"turbidity": "0.3"}})


def _mark_activity(org: Organization, unit: Unit) -> None:
    """Rows the activity made about the victim unit carry the marker too."""

    units = _subtree(unit)
    _prefix(Alert.objects.filter(organization=org, unit__in=units), VICTIM, "title", "body")
    people = Person.objects.filter(unit__in=units)
    _prefix(FollowUp.objects.filter(person__in=people), VICTIM, "reason")
    _prefix(HealthCode.objects.filter(person__in=people), VICTIM, "reason")
    _prefix(Case.objects.filter(unit__in=units), VICTIM, "reason", "address")


def _campaign(org: Organization, person: Person) -> int:
    """The demo's test campaign, with the victim on its roster."""
    from headwater.testing.models import Campaign, RosterEntry

    campaign = Campaign.objects.filter(organization=org).order_by("pk").first()
    RosterEntry.objects.get_or_create(
        organization=org,
        campaign=campaign,
        person=person,
        defaults={"unit_id": person.unit_id, "source": "unit"},
    )
    return campaign.pk


def _victim_ids(world: World) -> None:
    """The ids a path, query or body parameter is filled with: the victim unit's rows, or the
    organization's where the row belongs to the organization as a whole."""

    org, units, v = world.org, _subtree(world.unit), world.victim
    person = world.users["victim_staff"].person
    point = SamplingPoint.objects.filter(unit__in=units, kind="finished").first()
    lab = Lab.objects.filter(unit__in=units).first()
    site = Site.objects.filter(organization=org).order_by("pk").first()
    v |= {
        "briefing": Briefing.objects.filter(organization=org).order_by("pk").first().pk,
        "person": person.pk,
        "employee_no": person.employee_no,
        "unit": world.unit.pk,
        "units": [world.unit.pk],
        "site": site.pk,
        "lab": lab.pk,
        "point": point.pk,
        "point_code": point.code,
        "plan": SamplingPlan.objects.filter(lab=lab).order_by("pk").first().pk,
        "task": SamplingTask.objects.filter(point=point).order_by("-due_at").first().pk,
        "sample": Sample.objects.filter(point=point).order_by("-sampled_at").first().pk,
        "results": list(
            Result.objects.filter(unit__in=units)
            .exclude(status="approved")
            .order_by("pk")
            .values_list("pk", flat=True)[:5]
        ),
        "checkin": CheckIn.objects.filter(person=person).order_by("-date").first().pk,
        "inbox": list(
            InboxItem.objects.filter(user=world.users["victim_head"]).values_list("pk", flat=True)
        ),
        "relaxation": Relaxation.objects.filter(organization=org).first().pk,
        "risk_area": RiskArea.objects.filter(organization=org).first().pk,
        "grant": RoleGrant.objects.get(user=world.users["victim_head"], unit=world.unit).pk,
        "device": DeviceToken.objects.filter(organization=org).order_by("pk").first().pk,
        "case": Case.objects.filter(person=person, household_member=None).first().pk,
        "followup": FollowUp.objects.filter(person=person).first().pk,
        "household": HouseholdMember.objects.filter(person=person).first().pk,
        "flow": Flow.objects.filter(person=person).first().pk,
        "campaign": _campaign(org, person),
    }
    v |= victim_retest(org, person)
    from headwater.duty.tests.sweep_now import victim_duty

    v |= victim_duty(world, MOMENT)
    assert v["inbox"], "the victim's fever check-in should have alerted the head of P3"
    from headwater.testing.tests.sweep_world import victim_rows  # a campaign of the victim's

    v |= victim_rows(world)
    from headwater.duty.tests.sweep_world import victim_rows as duty_rows  # a post, a roster

    v |= duty_rows(world)
    from headwater.access.tests.sweep_dining import victim_rows as dining_rows  # a canteen's

    v |= dining_rows(world)
    from headwater.access.tests.sweep_buses import victim_rows as bus_rows  # a route, a trip

    v |= bus_rows(world, MOMENT)

    _duty_ids(world)
    from headwater.access.tests.sweep_passes import victim_passes  # a card, a signing key

    v |= victim_passes(world)
    from headwater.access.tests.sweep_scan import victim_rows as scan_rows  # a gate, a passage

    v |= scan_rows(world, MOMENT)
    _gates_ids(world)
    from headwater.network.tests.sweep_pressure import victim_rows as pressure_rows

    v |= pressure_rows(world, MOMENT)  # a pressure point, its device and a reading
    from headwater.network.tests.sweep_customers import victim_rows as customer_rows

    v |= customer_rows(world)  # a critical customer (issue 17)
    from headwater.network.tests.sweep_ranking import victim_rows as ranking_rows  # a ranking

    world.victim |= ranking_rows(world)
    _network_models_ids(world)


def _testing_desk(world: World) -> None:
    """An open test campaign with the victim on its roster, a sampling site, a tube with the
    victim's swab in it and a batch (the desk's routes, issue 14)."""
    from headwater.testing.models import Batch, Sample
    from headwater.testing.tests.factories import make_campaign, make_tubes, roster_people

    person = world.users["victim_staff"].person
    campaign = make_campaign(world.org, name=ORGV + "核酸检测")
    site = campaign.sites.get()
    (entry,) = roster_people(campaign, [person])
    tube = make_tubes(campaign, count=1, prefix="VT")[0]
    Sample.objects.create(
        organization=world.org, campaign=campaign, entry=entry, tube=tube, taken_at=MOMENT
    )
    batch = Batch.objects.create(
        organization=world.org,
        campaign=campaign,
        site=site,
        label=ORGV + "批次",
        unit=world.unit,
        starts_at=MOMENT,
        ends_at=MOMENT,
    )
    world.victim |= {
        "sampling_site": site.pk,
        "tube": tube.pk,
        "batch": batch.pk,
        "roster_entry": entry.pk,
    }


def _duty_ids(world: World) -> None:
    """Duty's rows of the victim unit: a post (the demo's control room of P3), a shift of a
    published roster with the victim's person flagged on it, a closed-loop group."""
    import datetime as dt

    from headwater.duty.models import Assignment, LoopGroup, Roster, Shift, ShiftFlag
    from headwater.duty.models import Post as DutyPost

    org, v = world.org, world.victim
    person = world.users["victim_staff"].person
    post = DutyPost.objects.filter(unit__in=_subtree(world.unit)).order_by("pk").first()
    if post is None:
        post = DutyPost.objects.create(
            organization=org, name=VICTIM + "中控室", kind="control_room", unit=world.unit
        )
    flag = ShiftFlag.objects.filter(assignment__shift__post=post).order_by("pk").first()
    if flag is None:
        day = MOMENT.date() + dt.timedelta(days=1)
        roster = Roster.objects.create(
            organization=org, unit=world.unit, starts_on=day, ends_on=day, state="published"
        )
        shift = Shift.objects.create(
            organization=org,
            roster=roster,
            post=post,
            label="白班",
            starts_at=MOMENT + dt.timedelta(days=1),
            ends_at=MOMENT + dt.timedelta(days=1, hours=12),
        )
        assignment = Assignment.objects.create(organization=org, shift=shift, person=person)
        flag = ShiftFlag.objects.create(
            organization=org, assignment=assignment, person=person, reason=VICTIM + "病假"
        )
    group = LoopGroup.objects.filter(post=post).order_by("pk").first()
    if group is None:
        group = LoopGroup.objects.create(
            organization=org,
            post=post,
            name=VICTIM + "组",
            starts_on=MOMENT.date(),
            ends_on=MOMENT.date() + dt.timedelta(days=13),
        )
        group.members.set([person])
    v |= {
        "duty_post": post.pk,
        "duty_shift": flag.assignment.shift_id,
        "duty_flag": flag.pk,
        "duty_group": group.pk,
        "duty_members": [person.pk],
    }


def _access_visits(world: World) -> None:
    """A gate at a site of the victim unit, a visit there hosted by the victim (approved, so
    its slip prints) and a vehicle entry (issue 15, visitors and vehicles)."""
    from headwater.access.models import Gate, VehicleEntry, Visit

    org, person = world.org, world.users["victim_staff"].person
    site = Site.objects.create(
        organization=org, unit=world.unit, name=ORGV + "访客厂区", code="SWEEP-V", kind="office"
    )
    gate = Gate.objects.create(organization=org, site=site, name=ORGV + "访客门", kind="gate")
    visit = Visit.objects.create(
        organization=org,
        site=site,
        gate=gate,
        name=VICTIM + "访客",
        phone="13800009999",
        id_number="330784199001019999",
        reason=VICTIM + "来访",
        host=person,
        state="approved",
        decided_at=MOMENT,
        valid_until=MOMENT + dt.timedelta(hours=8),
    )
    vehicle = VehicleEntry.objects.create(
        organization=org,
        gate=gate,
        at=MOMENT,
        plate="浙A99999",
        driver_name=VICTIM + "司机",
        decision="allow",
        key="sweep-vehicle",
    )
    world.victim.setdefault("gate", gate.pk)
    world.victim |= {
        "visitor_gate": gate.pk,
        "visitor_site": site.pk,
        "visit": visit.pk,
        "vehicle": vehicle.pk,
    }


def _gates_ids(world: World) -> None:
    """A gate post at a site of the victim unit, its scanner, team and a day's ledger (issue 15)."""
    from headwater.access.tests.sweep_gates import victim_rows as gates_rows

    world.victim |= gates_rows(world, MOMENT)


def _network_models_ids(world: World) -> None:
    """The demo's current network model (Net3) with its valve layer (issue 17)."""
    from headwater.network.tests.sweep_models import victim_rows as models_rows

    world.victim |= models_rows(world)


def _network_map(world: World) -> None:
    """A network model, a critical customer and a burst work order of the victim organization
    (issue 17, the map part)."""
    from headwater.network.tests.sweep_map import victim_rows as map_rows

    world.victim |= map_rows(world)
