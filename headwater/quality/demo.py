"""Demo data of the water-quality app for `headwater demo`: a lab in each plant and the central
lab; sampling points of every kind; the seeds' plan (raw water 17 indicators daily, finished
water 20 daily, finished turbidity / pH / free chlorine twice a day, network water every Monday
and Tuesday by the central lab, the full 43 monthly, and daily network checks only at response
levels 1 and 2); tasks from the plans; a fortnight of results, approved except for the last
two days (yesterday's checked, today's entered), with a few exceedances; an internal limit and
an approved relaxation. Deterministic."""

import datetime as dt
import random
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.utils import timezone

from headwater.core import clock
from headwater.core.demo import extension
from headwater.core.models import Organization, Site, Unit, User
from headwater.quality import catalog, evaluate, services
from headwater.quality.choices import (
    LabKind,
    PointKind,
    RelaxationStatus,
    ReviewStatus,
    SampleSource,
    TaskStatus,
)
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

RAW_17 = [
    "water_temperature",
    "ph",
    "dissolved_oxygen",
    "permanganate_index",
    "cod",
    "bod5",
    "ammonia",
    "total_phosphorus",
    "total_nitrogen",
    "copper",
    "zinc",
    "fluoride",
    "arsenic",
    "mercury",
    "cadmium",
    "lead",
    "faecal_coliforms",
]
FINISHED_20 = [
    "turbidity",
    "colour",
    "odour",
    "visible_matter",
    "ph",
    "free_chlorine",
    "total_coliforms",
    "e_coli",
    "plate_count",
    "permanganate_index",
    "ammonia",
    "iron",
    "manganese",
    "aluminium",
    "chloride",
    "sulfate",
    "tds",
    "total_hardness",
    "nitrate",
    "fluoride",
]
TWICE_DAILY = ["turbidity", "ph", "free_chlorine"]
NETWORK_7 = [
    "turbidity",
    "colour",
    "odour",
    "free_chlorine",
    "plate_count",
    "total_coliforms",
    "permanganate_index",
]

# Typical values (a centre and a spread) of a well-run surface-water plant.
TYPICAL = {
    "water_temperature": (18, 3),
    "ph": (7.3, 0.2),
    "dissolved_oxygen": (7.8, 0.6),
    "permanganate_index": (2.1, 0.4),
    "cod": (9, 2),
    "bod5": (1.6, 0.4),
    "ammonia": (0.18, 0.06),
    "total_phosphorus": (0.05, 0.015),
    "total_nitrogen": (0.9, 0.2),
    "copper": (0.004, 0.001),
    "zinc": (0.02, 0.005),
    "fluoride": (0.3, 0.05),
    "arsenic": (0.002, 0.0005),
    "mercury": (0.00003, 0.00001),
    "cadmium": (0.0004, 0.0001),
    "lead": (0.003, 0.001),
    "faecal_coliforms": (800, 300),
    "turbidity": (0.25, 0.08),
    "colour": (5, 0),
    "free_chlorine": (0.6, 0.1),
    "plate_count": (8, 4),
    "iron": (0.05, 0.02),
    "manganese": (0.02, 0.005),
    "aluminium": (0.06, 0.02),
    "chloride": (18, 3),
    "sulfate": (25, 4),
    "tds": (160, 20),
    "total_hardness": (95, 10),
    "nitrate": (1.2, 0.3),
}
TEXT = {"odour": "无", "visible_matter": "无", "total_coliforms": "未检出", "e_coli": "未检出"}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


@extension
def build(org: Organization, seed: int, history_days: int) -> None:
    units = {u.code: u for u in Unit.objects.filter(organization=org)}
    if "QC" not in units:
        return
    rng = random.Random(seed + 57)
    today = clock.today()
    with disable_auditlog():  # made-up history, not changes anyone made
        labs = _labs(org, units)
        points = _points(org, units, labs)
        _plans(org, labs, points, today - dt.timedelta(days=max(history_days, 1)))
        _limits(org)
        if history_days:
            _history(org, rng, points, today, history_days)
        services.generate_tasks(org, _at(today, 0), _at(today + dt.timedelta(days=1), 2))
        _task_states(org, today)


def _labs(org, units) -> dict[str, Lab]:
    labs = {
        f"P{n}": Lab.objects.create(
            organization=org,
            code=f"L{n}",
            name=f"{units[f'P{n}'].name}化验室",
            kind=LabKind.PLANT,
            unit=units[f"P{n}"],
        )
        for n in (1, 2, 3)
    }
    labs["QC"] = Lab.objects.create(
        organization=org, code="QC", name="中心化验室", kind=LabKind.CENTRAL, unit=units["QC"]
    )
    return labs


def _points(org, units, labs) -> list[SamplingPoint]:
    sites = {s.code: s for s in Site.objects.filter(organization=org)}
    specs = []
    for n, reservoir in ((1, "RS-1"), (2, "RS-4"), (3, "RS-5")):
        specs += [
            (f"RAW-{n}", f"{n}厂取水口", "raw", f"P{n}", f"P{n}", reservoir, ""),
            (f"FIN-{n}", f"{n}厂出厂水", "finished", f"P{n}", f"P{n}", f"WP-{n}", f"WP{n}-OUT"),
        ]
    network = [
        ("NET-01", "河东泵站出水", "PS-1", "J-101"),
        ("NET-02", "高新区管网末梢", "PS-2", "J-214"),
        ("NET-03", "机场路管网末梢", "PS-3", "J-330"),
        ("NET-04", "南湖片区末梢", "PS-4", "J-412"),
        ("NET-05", "星湖片区末梢", "PS-5", "J-518"),
        ("NET-06", "望月区湘岸路", "HQ", "J-120"),
    ]
    specs += [(c, n, "network", "QC", "QC", s, node) for c, n, s, node in network]
    specs += [
        ("SEC-1", "东城供水站水箱", "secondary", "SS", "QC", "SS-1", ""),
        ("SEC-2", "西城供水站水箱", "secondary", "SS", "QC", "SS-2", ""),
        ("TAP-1", "市第一人民医院龙头水", "tap", "QC", "QC", None, "J-122"),
        ("TAP-2", "市疾控中心龙头水", "tap", "QC", "QC", None, "J-207"),
    ]
    return SamplingPoint.objects.bulk_create(
        SamplingPoint(
            organization=org,
            code=code,
            name=name,
            kind=kind,
            unit=units[unit],
            lab=labs[lab],
            site=sites.get(site) if site else None,
            network_node=node,
        )
        for code, name, kind, unit, lab, site, node in specs
    )


def _plans(org, labs, points, starts_on: dt.date) -> None:
    """Each plant's lab samples its own raw and finished water; the central lab the network,
    the secondary-supply tanks and the critical customers' taps."""
    by_code = {p.code: p for p in points}

    def plan(name, lab, target, indicators, frequency, **fields):
        where = {"point": by_code[target]} if target in by_code else {"point_kind": target}
        return SamplingPlan(
            organization=org,
            name=name,
            lab=labs[lab],
            indicators=indicators,
            frequency=frequency,
            starts_on=starts_on,
            **where,
            **fields,
        )

    plans = []
    for n in (1, 2, 3):
        lab, raw, fin = f"P{n}", f"RAW-{n}", f"FIN-{n}"
        plans += [
            plan(f"{n}厂原水17项日检", lab, raw, RAW_17, "daily", times=["08:00"], window_hours=8),
            plan(
                f"{n}厂出厂水20项日检",
                lab,
                fin,
                FINISHED_20,
                "daily",
                times=["09:00"],
                window_hours=8,
            ),
            plan(
                f"{n}厂出厂水浊度、pH、余氯每日两次",
                lab,
                fin,
                TWICE_DAILY,
                "times",
                times=["08:00", "16:00"],
                window_hours=4,
            ),
        ]
    plans += [
        plan(
            "管网水每周一、二",
            "QC",
            "network",
            NETWORK_7,
            "weekdays",
            weekdays=[0, 1],
            times=["09:00"],
            window_hours=10,
        ),
        plan(
            "出厂水43项月检",
            "QC",
            "finished",
            catalog.routine_codes(),
            "monthly",
            day_of_month=1,
            times=["09:00"],
            window_hours=72,
        ),
        plan(
            "疫情期间管网余氯日检",
            "QC",
            "network",
            ["free_chlorine", "turbidity"],
            "daily",
            times=["10:00"],
            window_hours=8,
            levels=["level1", "level2"],
        ),
        plan(
            "二次供水水箱月检",
            "QC",
            "secondary",
            NETWORK_7,
            "monthly",
            day_of_month=5,
            times=["09:00"],
            window_hours=48,
        ),
        plan(
            "重点用户龙头水每周一",
            "QC",
            "tap",
            NETWORK_7,
            "weekdays",
            weekdays=[0],
            times=["10:00"],
            window_hours=10,
        ),
    ]
    SamplingPlan.objects.bulk_create(plans)


def _limits(org) -> None:
    today = clock.today()
    InternalLimit.objects.create(
        organization=org,
        indicator="turbidity",
        point_kind=PointKind.FINISHED,
        maximum=Decimal("0.5"),
        valid_from=today - dt.timedelta(days=365),
        note="集团内控：出厂水浊度≤0.5 NTU",
    )
    proposer = User.objects.filter(organization=org, username="quality").first()
    decider = User.objects.filter(organization=org, username="leader").first()
    if proposer and decider:
        Relaxation.objects.create(
            organization=org,
            indicator="tds",
            point_kind="",
            maximum=Decimal("1200"),
            valid_from=today - dt.timedelta(days=3),
            valid_until=today + dt.timedelta(days=27),
            reason="咸潮上溯期间原水溶解性总固体升高",
            risk_assessment="经集团水质专家组风险评估：溶解性总固体短期≤1200 mg/L 不影响饮用安全，"
            "已报卫生健康部门备案。",
            status=RelaxationStatus.APPROVED,
            proposed_by=proposer,
            decided_by=decider,
            decided_at=clock.now() - dt.timedelta(days=3),
        )


def _value(rng: random.Random, code: str) -> str:
    if code in TEXT:
        return TEXT[code]
    centre, spread = TYPICAL.get(code, (0.01, 0.002))
    if code == "colour":
        return "<5"
    value = max(rng.gauss(centre, spread), centre / 4)
    digits = (
        5 if value < 0.001 else 3 if value < 1 else 2 if value < 10 else 1 if value < 100 else 0
    )
    return f"{value:.{digits}f}"


def _history(org, rng, points, today, days) -> None:
    """Samples as the plans would have produced them, with their results evaluated."""
    limits = services.organization_limits(org.pk)
    by_kind: dict[str, list[SamplingPoint]] = {}
    for p in points:
        by_kind.setdefault(p.kind, []).append(p)
    reviewer = User.objects.filter(organization=org, username="lab_reviewer").first()
    approver = User.objects.filter(organization=org, username="quality").first()
    samples, values = [], []
    for offset in range(days, -1, -1):
        day = today - dt.timedelta(days=offset)
        visits = []
        for p in by_kind["raw"]:
            visits.append((p, _at(day, 8, 10), RAW_17))
        for p in by_kind["finished"]:
            visits.append((p, _at(day, 9, 5), FINISHED_20))
            visits.append((p, _at(day, 16, 5), TWICE_DAILY))
        if day.weekday() in (0, 1):
            visits += [
                (p, _at(day, 9, 40 + i), NETWORK_7) for i, p in enumerate(by_kind["network"])
            ]
        if day.weekday() == 0:
            visits += [(p, _at(day, 10, 30 + i), NETWORK_7) for i, p in enumerate(by_kind["tap"])]
        for point, when, codes in visits:
            if when > clock.now():
                continue
            samples.append(
                Sample(
                    organization=org,
                    point=point,
                    lab=point.lab,
                    sampled_at=when,
                    source=SampleSource.TASK,
                    entered_at=when + dt.timedelta(hours=2),
                )
            )
            values.append({c: _value(rng, c) for c in codes})
    # A few exceedances, as in real life: turbidity after a storm, chlorine at a network end.
    _spoil(samples, values, "FIN-2", "turbidity", "1.3", today - dt.timedelta(days=5))
    _spoil(samples, values, "NET-04", "free_chlorine", "0.03", None)
    _spoil(samples, values, "RAW-3", "ammonia", "1.12", today - dt.timedelta(days=2))
    Sample.objects.bulk_create(samples, batch_size=2000)
    rows = []
    for sample, vals in zip(samples, values, strict=True):
        on = timezone.localdate(sample.sampled_at)
        measured = {c: evaluate.parse_value(v, catalog.indicator(c)) for c, v in vals.items()}
        ctx = services.evaluation_context(sample.point, on, limits=limits)
        age = (today - on).days
        status = (
            ReviewStatus.APPROVED
            if age >= 2
            else ReviewStatus.CHECKED
            if age == 1
            else ReviewStatus.ENTERED
        )
        evaluations = evaluate.evaluate_sample(measured, ctx)
        measured |= evaluate.derived(measured, ctx)
        for code, ev in evaluations.items():
            fields = services.result_fields(sample, code, measured[code], ev)
            done = sample.sampled_at + dt.timedelta(hours=5)
            rows.append(
                Result(
                    **fields,
                    status=status,
                    checked_by=reviewer if status != ReviewStatus.ENTERED else None,
                    checked_at=done if status != ReviewStatus.ENTERED else None,
                    approved_by=approver if status == ReviewStatus.APPROVED else None,
                    approved_at=done + dt.timedelta(hours=20)
                    if status == ReviewStatus.APPROVED
                    else None,
                )
            )
    Result.objects.bulk_create(rows, batch_size=5000)


def _spoil(samples, values, code, indicator, value, day) -> None:
    for sample, vals in zip(samples, values, strict=True):
        if (
            sample.point.code == code
            and indicator in vals
            and (day is None or timezone.localdate(sample.sampled_at) == day)
        ):
            vals[indicator] = value
            return


def _task_states(org, today) -> None:
    """Today's tasks already sampled are done; earlier open ones were missed."""
    start = _at(today, 0)
    tasks = SamplingTask.objects.of(org).filter(status=TaskStatus.OPEN)
    sampled = set(
        Sample.objects.of(org).filter(sampled_at__gte=start).values_list("point_id", flat=True)
    )
    for task in tasks.filter(due_at__lt=clock.now() - dt.timedelta(hours=1)):
        if task.point_id in sampled:
            task.status, task.done_at = TaskStatus.DONE, clock.now()
            task.save(update_fields=["status", "done_at"])
