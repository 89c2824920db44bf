"""Demo data of the isolation app for `headwater demo`: about one case per 500 staff — the
people health's demo put in home isolation or observation, and relatives of staff for the
rest — each with a monitor and a volunteer from the person's unit and a follow-up a day
(today's for about half of them). The demo login `monitor` monitors the first three.
Service requests, escalation flows and supervision calls: demo_support.py. Deterministic."""

import datetime as dt
import random
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.utils import timezone

from headwater.core import clock
from headwater.core.demo import extension
from headwater.core.models import HouseholdMember, Organization, User
from headwater.health.models import StatusRecord
from headwater.isolation import demo_support
from headwater.isolation.choices import Channel, EventKind
from headwater.isolation.models import Case, CaseCheck, CaseEvent

PER_STAFF = 500
MONITORED = 3  # cases of the demo login `monitor`
KINDS = {"home_isolation": "home", "centralized": "centralized", "observation": "observation"}
RELATIVES = (("spouse", "配偶"), ("parent", "父母"), ("child", "子女"))
NEEDS = ("", "", "", "代购蔬菜", "代购药品", "清运垃圾")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


@extension
def build(org: Organization, seed: int, history_days: int) -> None:
    rng = random.Random(seed + 53)
    today = clock.today()
    target = max(2, org.people.count() // PER_STAFF)
    with disable_auditlog():  # made-up history, not changes anyone made
        cases = _from_statuses(org, today, target) + _relatives(org, rng, today, target)
        _helpers(org, rng, cases)
        _history(org, rng, cases, today)
        demo_support.build(org, cases)


def _from_statuses(org, today, target) -> list[Case]:
    statuses = (
        StatusRecord.objects.filter(organization=org, kind__in=KINDS, ended_on=None)
        .select_related("person")
        .order_by("pk")[:target]
    )
    return [
        Case.objects.create(
            organization=org,
            person=s.person,
            unit_id=s.person.unit_id,
            kind=KINDS[s.kind],
            reason=s.note or "密切接触者",
            exposure_on=s.exposure_on,
            started_on=s.started_on,
            planned_end=s.started_on + dt.timedelta(days=14),
            status_id=s.pk,
            opened_at=_at(s.started_on, 10),
        )
        for s in statuses
    ]


def _relatives(org, rng, today, target) -> list[Case]:
    cases = []
    taken = set(Case.objects.filter(organization=org).values_list("person_id", flat=True))
    people = list(org.people.exclude(pk__in=taken).order_by("employee_no"))
    rng.shuffle(people)
    for person in people[: max(0, target - Case.objects.filter(organization=org).count())]:
        relation, word = rng.choice(RELATIVES)
        relative = HouseholdMember.objects.create(
            organization=org, person=person, name=f"{person.name[0]}{word}", relation=relation
        )
        started = today - dt.timedelta(days=rng.randint(1, 12))
        cases.append(
            Case.objects.create(
                organization=org,
                person=person,
                household_member=relative,
                unit_id=person.unit_id,
                kind="home",
                reason="武汉返回" if rng.random() < 0.5 else "同住人员为密切接触者",
                started_on=started,
                planned_end=started + dt.timedelta(days=14),
                opened_at=_at(started, 9),
            )
        )
    return cases


def _helpers(org, rng, cases: list[Case]) -> None:
    """A monitor and a volunteer from each case's unit; the demo login `monitor` (plant 1's
    safety officer) monitors the first cases, so that its phone page has something on it."""
    demo_monitor = User.objects.filter(organization=org, username="monitor").first()
    for i, case in enumerate(cases):
        mates = list(
            org.people.filter(unit_id=case.unit_id).exclude(pk=case.person_id).order_by("pk")[:20]
        )
        if len(mates) < 2:
            continue
        case.monitor, case.volunteer = rng.sample(mates, 2)
        if demo_monitor and demo_monitor.person_id and i < MONITORED:
            case.monitor_id = demo_monitor.person_id
        case.save(update_fields=["monitor", "volunteer"])


def _history(org, rng, cases: list[Case], today: dt.date) -> None:
    events, checks = [], []
    for case in cases:
        events.append(
            CaseEvent(
                organization=org,
                case=case,
                kind=EventKind.OPENED,
                at=case.opened_at,
                note=case.reason,
            )
        )
        day = case.started_on
        while day <= today:
            if day < today or rng.random() < 0.5:
                fever = rng.random() < 0.03
                checks.append(
                    CaseCheck(
                        organization=org,
                        case=case,
                        date=day,
                        morning_temperature=Decimal("37.6") if fever else Decimal("36.5"),
                        afternoon_temperature=Decimal("36.6"),
                        symptoms="",
                        needs=rng.choice(NEEDS),
                        channel=rng.choice(Channel.values),
                        is_normal=not fever,
                        recorded_at=_at(day, 16, rng.randint(0, 59)),
                    )
                )
            day += dt.timedelta(days=1)
    CaseEvent.objects.bulk_create(events)
    CaseCheck.objects.bulk_create(checks, batch_size=5000)
