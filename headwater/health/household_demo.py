"""Demo relatives (家属) for `headwater demo`: about 1.35 per member of staff (the staff demo
login gets two), and their health lines of the last week in the morning check-ins (about 1 in
200 abnormal, a few not reported). Bulk inserts, so the 100,000-staff build stays fast;
deterministic. Registered after health.demo, whose check-ins the lines belong to."""

import datetime as dt
import random
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.utils import timezone

from headwater.core import clock
from headwater.core.choices import Relation
from headwater.core.demo import extension
from headwater.core.models import HouseholdMember, Organization, User
from headwater.health.choices import Slot, Symptom
from headwater.health.models import CheckIn, HouseholdCheckIn
from headwater.health.services import follow_up

BATCH = 5000
LINE_DAYS = 7
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "丽娟敏静芳秀英华明强军磊洋勇艳杰涛超霞平刚"
RELATIONS = [
    (Relation.SPOUSE, 0.45),
    (Relation.CHILD, 0.3),
    (Relation.PARENT, 0.15),
    (Relation.PARENT_IN_LAW, 0.05),
    (Relation.GRANDPARENT, 0.05),
]
HOUSEHOLD_SIZES = ([0, 1, 2, 3], [0.25, 0.3, 0.3, 0.15])


@extension
def build(org: Organization, seed: int, history_days: int) -> None:
    rng = random.Random(seed + 47)
    today = clock.today()
    with disable_auditlog():  # made-up history, not changes anyone made
        _members(org, rng, history_days)
        _lines(org, rng, today)
    abnormal = HouseholdCheckIn.objects.of(org).filter(date=today, is_abnormal=True)
    for line in abnormal.select_related("member", "checkin__person__unit"):
        follow_up(line.checkin, [line])


def _members(org: Organization, rng: random.Random, history_days: int) -> None:
    login = User.objects.filter(organization=org, username="staff").values("person_id").first()
    registered = timezone.make_aware(
        dt.datetime.combine(clock.today() - dt.timedelta(days=history_days + 1), dt.time(9))
    )
    relations, weights = zip(*RELATIONS, strict=True)
    rows = []
    for pid in org.people.active().order_by("id").values_list("id", flat=True):
        size = rng.choices(*HOUSEHOLD_SIZES)[0]
        if login and pid == login["person_id"]:
            size = 2
        for _ in range(size):
            rows.append(
                HouseholdMember(
                    organization=org,
                    person_id=pid,
                    name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                    relation=rng.choices(relations, weights)[0],
                    phone=f"13{rng.randrange(10**9):09d}",
                    created_at=registered,
                )
            )
    HouseholdMember.objects.bulk_create(rows, batch_size=BATCH)


def _lines(org: Organization, rng: random.Random, today: dt.date) -> None:
    """Each relative's line in the morning check-in of the staff member, on the last days."""
    since = today - dt.timedelta(days=LINE_DAYS - 1)
    checkins: dict[int, list[tuple[dt.date, int, dt.datetime]]] = {}
    for pid, day, pk, at in (
        CheckIn.objects.of(org)
        .filter(date__gte=since, slot=Slot.MORNING)
        .order_by("person_id", "date")
        .values_list("person_id", "date", "id", "submitted_at")
    ):
        checkins.setdefault(pid, []).append((day, pk, at))
    rows = []
    # Read whole before writing: a read held open across writes is slow on SQLite.
    members = list(HouseholdMember.objects.of(org).order_by("id").values_list("id", "person_id"))
    for member_id, pid in members:
        for day, checkin_id, at in checkins.get(pid, ()):
            if rng.random() < 0.03:
                continue  # not reported that day
            abnormal = rng.random() < 0.005
            temperature = Decimal(
                f"{rng.uniform(37.4, 38.6) if abnormal else rng.uniform(36.0, 36.9):.1f}"
            )
            rows.append(
                HouseholdCheckIn(
                    organization=org,
                    member_id=member_id,
                    person_id=pid,
                    checkin_id=checkin_id,
                    date=day,
                    temperature=temperature,
                    symptoms=[Symptom.COUGH] if abnormal and rng.random() < 0.4 else [],
                    is_abnormal=abnormal,
                    updated_at=at,
                )
            )
            if len(rows) >= BATCH:
                HouseholdCheckIn.objects.bulk_create(rows)
                rows = []
    HouseholdCheckIn.objects.bulk_create(rows)
