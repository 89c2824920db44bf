"""Demo data of the health app for `headwater demo`: a fortnight of check-ins (about 1 in 300
abnormal), a few close contacts and home isolations, risk areas, unit heads for every plant
and department with their daily reports (mostly on time, some late, one missing, one zero
report that contradicts a member's fever), and the codes all this gives. Deterministic."""

import datetime as dt
import random
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from headwater.core import clock
from headwater.core.demo import extension
from headwater.core.models import Organization, RoleGrant, Unit, User
from headwater.core.roles import Role
from headwater.health.choices import CodeColour, EpiStatus, RiskLevel, Slot, Symptom, Whereabouts
from headwater.health.models import (
    CheckIn,
    HealthCode,
    RiskArea,
    StatusRecord,
    UnitReport,
    UnitReportFiling,
)
from headwater.health.services import active_rule_set, follow_up, recompute_code
from headwater.health.services.reports import abnormal_checkins

BATCH = 5000
RISK_AREAS = [
    ("湖北省武汉市", RiskLevel.HIGH),
    ("浙江省温州市", RiskLevel.MEDIUM),
    ("广东省深圳市", RiskLevel.LOW),
]


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


@extension
def build(org: Organization, seed: int, history_days: int) -> None:
    rng = random.Random(seed + 31)
    today = clock.today()
    start = today - dt.timedelta(days=history_days)
    rule_set = active_rule_set(org)
    rule_set.created_at = _at(start, 0, 0)
    rule_set.save(update_fields=["created_at"])
    with disable_auditlog():  # made-up history, not changes anyone made
        heads = _unit_heads(org, rng)
        _risk_areas(org, start)
        _checkins(org, rng, start, today)
        _reports(org, rng, heads, start, today)
        _statuses(org, rng, today)
        _codes(org, today, start)
    _alerts(org, today)


def _unit_heads(org: Organization, rng: random.Random) -> list[Unit]:
    """Each plant and department (depth 2) gets a head with a login head_<code>."""
    units = list(Unit.objects.filter(organization=org, depth=2))
    password = make_password(settings.HEADWATER_DEMO_PASSWORD)
    for unit in units:
        person = org.people.filter(unit=unit).order_by("employee_no").first()
        if person is None or hasattr(person, "user"):
            continue
        user = User.objects.create(
            username=f"head_{unit.code}".lower(), password=password, person=person, organization=org
        )
        RoleGrant.objects.create(user=user, role=Role.UNIT_HEAD, unit=unit)
    return units


def _risk_areas(org: Organization, start: dt.date) -> None:
    RiskArea.objects.bulk_create(
        RiskArea(organization=org, name=name, level=level, valid_from=start - dt.timedelta(30))
        for name, level in RISK_AREAS
    )


def _checkins(org: Organization, rng: random.Random, start: dt.date, today: dt.date) -> None:
    people = list(org.people.active().values_list("id", "unit_id"))
    rows = []
    day = start
    while day <= today:
        for pid, uid in people:
            for slot, hour in ((Slot.MORNING, 7), (Slot.AFTERNOON, 13)):
                if day == today and slot == Slot.AFTERNOON:
                    continue
                if rng.random() < (0.25 if day == today else 0.02):
                    continue
                abnormal = rng.random() < 0.003
                temp = (
                    Decimal(f"{rng.uniform(37.4, 38.6):.1f}")
                    if abnormal
                    else Decimal(f"{rng.uniform(36.0, 36.9):.1f}")
                )
                symptoms = [Symptom.COUGH] if abnormal and rng.random() < 0.4 else []
                at = _at(day, hour, rng.randrange(60))
                rows.append(
                    CheckIn(
                        organization=org,
                        person_id=pid,
                        unit_id=uid,
                        date=day,
                        slot=slot,
                        temperature=temp,
                        symptoms=symptoms,
                        whereabouts=Whereabouts.AT_WORK,
                        is_abnormal=abnormal,
                        submitted_at=at,
                        updated_at=at,
                    )
                )
                if len(rows) >= BATCH:
                    CheckIn.objects.bulk_create(rows)
                    rows = []
        day += dt.timedelta(days=1)
    CheckIn.objects.bulk_create(rows)


def _reports(org, rng, units: list[Unit], start: dt.date, today: dt.date) -> None:
    rows = []
    day = start
    # Today's reports too once today's deadline has passed, as they would be by then.
    last = today if clock.now() > _at(today, 10, 0) else today - dt.timedelta(days=1)
    while day <= last:
        for unit in units:
            roll = rng.random()
            if roll < 0.04:
                continue  # missing (漏报)
            at = (
                _at(day, 10, rng.randrange(5, 59))
                if roll < 0.12
                else _at(day, 8, rng.randrange(60))
            )
            abnormal = CheckIn.objects.filter(
                unit__path__startswith=unit.path, date=day, is_abnormal=True, submitted_at__lte=at
            )
            n = abnormal.values("person_id").distinct().count()
            staff = org.people.filter(unit__path__startswith=unit.path).count()
            rows.append(
                UnitReport(
                    organization=org,
                    unit=unit,
                    date=day,
                    on_duty=staff - n,
                    abnormal=n,
                    is_zero=n == 0,
                    submitted_at=at,
                )
            )
        day += dt.timedelta(days=1)
    # Yesterday one unit sent a zero report although a member had checked in with a fever.
    yesterday = today - dt.timedelta(days=1)
    concealed = next((r for r in rows if r.date == yesterday and not r.is_zero), None)
    if concealed:
        concealed.is_zero, concealed.abnormal = True, 0
        concealed.on_duty += 1
    UnitReport.objects.bulk_create(rows)
    _filings(org, rows, concealed)


def _filings(org, reports: list[UnitReport], concealed: UnitReport | None) -> None:
    """One filing per report, as sent; the concealing one judged and flagged (the others
    agree with the check-ins by construction)."""
    counts = ("on_duty", "working_from_home", "on_leave", "isolated", "abnormal")
    filings = [
        UnitReportFiling(
            organization=org,
            report=r,
            filed_at=r.submitted_at,
            is_zero=r.is_zero,
            abnormal_known=r.abnormal,
            **{name: getattr(r, name) for name in counts},
        )
        for r in reports
        if r is not concealed
    ]
    UnitReportFiling.objects.bulk_create(filings, batch_size=BATCH)
    if concealed is not None:
        evidence = abnormal_checkins(
            concealed.unit, concealed.date, known_at=concealed.submitted_at
        )
        flag = UnitReportFiling.objects.create(
            organization=org,
            report=concealed,
            filed_at=concealed.submitted_at,
            is_zero=True,
            abnormal_known=len({e["person"] for e in evidence}),
            evidence=evidence,
            contradicts=bool(evidence),
            **{name: getattr(concealed, name) for name in counts},
        )
        if flag.contradicts:
            UnitReport.objects.filter(pk=concealed.pk).update(flag=flag)


def _statuses(org: Organization, rng: random.Random, today: dt.date) -> None:
    people = list(org.people.active().order_by("employee_no")[100:2000:211])
    kinds = [
        EpiStatus.CLOSE_CONTACT,
        EpiStatus.CLOSE_CONTACT,
        EpiStatus.HOME_ISOLATION,
        EpiStatus.OBSERVATION,
        EpiStatus.HOME_ISOLATION,
    ]
    StatusRecord.objects.bulk_create(
        StatusRecord(
            organization=org,
            person=p,
            kind=kind,
            started_on=today - dt.timedelta(days=3 + i),
            exposure_on=today - dt.timedelta(days=4 + i),
            note="社区排查",
        )
        for i, (p, kind) in enumerate(zip(people, kinds, strict=False))
    )


def _codes(org: Organization, today: dt.date, start: dt.date) -> None:
    """Green for everyone since the history's first day (so the briefing's codes at the end
    of past days have something to count), then the rules for those with something to look
    at."""
    version = active_rule_set(org).version
    since = clock.day_bounds(start)[0]
    HealthCode.objects.bulk_create(
        HealthCode(
            organization=org,
            person_id=pid,
            colour=CodeColour.GREEN,
            reason="近期打卡未见风险",
            rule_set_version=version,
            since=since,
        )
        for pid in org.people.active().values_list("id", flat=True)
    )
    watch = set(
        CheckIn.objects.of(org).filter(is_abnormal=True).values_list("person_id", flat=True)
    ) | set(StatusRecord.objects.of(org).values_list("person_id", flat=True))
    for person in org.people.filter(pk__in=watch).select_related("organization"):
        recompute_code(person, today=today)


def _alerts(org: Organization, today: dt.date) -> None:
    """Today's abnormal check-ins alert the unit heads and the office, as they would have."""
    abnormal = CheckIn.objects.of(org).filter(date=today, is_abnormal=True)
    for checkin in abnormal.select_related("person__unit", "person__organization"):
        follow_up(checkin)
