"""Compliance figures (quality.reports), the dashboard tiles and the briefing section.

Results are made directly with the ORM (`add_sample`), with the outcome and review state
each test needs, so that these tests do not depend on the evaluator or the services."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core.tests.factories import make_user
from headwater.core.tiles import resolve
from headwater.quality import reports, sections, tiles, trends
from headwater.quality.models import (
    AnalyzerReading,
    Lab,
    Relaxation,
    Result,
    Sample,
    SamplingPoint,
    SamplingTask,
)
from headwater.quality.tests.conftest import at

MARCH = dt.date(2025, 3, 1)
APPROVED = "approved"


def add_sample(point, when, outcomes: dict, *, status=APPROVED, entered_by=None, **fields):
    """A sample at `point` taken `when` with one result per indicator: `outcomes` maps a code
    to an outcome, or to (outcome, {field: value}) for the result's other fields."""
    sample = Sample.objects.create(
        organization=point.organization,
        point=point,
        lab=point.lab,
        sampled_at=when,
        source="task",
        entered_by=entered_by,
    )
    for code, spec in outcomes.items():
        outcome, extra = spec if isinstance(spec, tuple) else (spec, {})
        values = {
            "raw": "0.1",
            "value": "0.1",
            "limit_text": "≤1 NTU",
            "status": status,
            **fields,
            **extra,
        }
        Result.objects.create(
            organization=point.organization,
            sample=sample,
            point=point,
            unit=point.unit,
            point_kind=point.kind,
            sampled_at=when,
            sampled_on=timezone.localdate(when),
            indicator=code,
            outcome=outcome,
            **values,
        )
    return sample


def report(org, user=None, start=MARCH, end=dt.date(2025, 3, 31), **kw):
    return reports.compliance_report(org, date_from=start, date_to=end, user=user, **kw)


@pytest.fixture
def plant2_point(org, tree):
    lab = Lab.objects.create(
        organization=org, code="L2", name="第二水厂化验室", kind="plant", unit=tree["plant2"]
    )
    return SamplingPoint.objects.create(
        organization=org,
        code="FIN-2",
        name="二厂出厂水",
        kind="finished",
        unit=tree["plant2"],
        lab=lab,
    )


@pytest.fixture
def regulator(org):
    return make_user("regulator", organization=org, roles=[("regulator", None)])


# --- Counting ------------------------------------------------------------------------------


def test_test_rate_counts_pass_and_fail_and_keeps_inconclusive_out_of_the_denominator(points):
    fin = points["finished"]
    add_sample(fin, at(MARCH, 8), {"turbidity": "pass", "ph": "pass", "colour": "none"})
    add_sample(fin, at(MARCH, 16), {"turbidity": "fail", "ph": "inconclusive"})

    rep = report(fin.organization)

    assert (rep.tests.passed, rep.tests.failed, rep.tests.inconclusive) == (2, 1, 1)
    assert rep.tests.total == 3
    assert rep.tests.rate == 66.67


def test_a_sample_passes_only_when_all_its_evaluated_results_pass(points):
    fin = points["finished"]
    add_sample(fin, at(MARCH, 8), {"turbidity": "pass", "ph": "pass", "colour": "none"})
    add_sample(fin, at(MARCH, 12), {"turbidity": "pass", "ph": "fail"})
    add_sample(fin, at(MARCH, 16), {"turbidity": "pass", "ph": "inconclusive"})
    add_sample(fin, at(MARCH, 20), {"colour": "none"})  # nothing evaluated: not counted
    add_sample(fin, at(dt.date(2025, 3, 2), 8), {"ph": "inconclusive"})

    rep = report(fin.organization)

    assert (rep.samples.passed, rep.samples.failed, rep.samples.inconclusive) == (2, 1, 1)
    assert rep.samples.rate == 66.67


def test_only_approved_results_of_the_period_count(points):
    fin = points["finished"]
    add_sample(fin, at(MARCH, 8), {"turbidity": "fail"}, status="entered")
    add_sample(fin, at(MARCH, 9), {"turbidity": "fail"}, status="checked")
    add_sample(fin, at(MARCH, 10), {"turbidity": "fail"}, status="returned")
    add_sample(fin, at(dt.date(2025, 2, 28), 23, 30), {"turbidity": "fail"})
    add_sample(fin, at(dt.date(2025, 4, 1), 0, 10), {"turbidity": "fail"})
    add_sample(fin, at(MARCH, 11), {"turbidity": "pass"})

    rep = report(fin.organization)

    assert (rep.tests.passed, rep.tests.failed) == (1, 0)
    assert rep.exceedance_total == 0


def test_rates_below_95_percent_are_flagged_and_95_exactly_is_not(points, plant2_point):
    for n in range(19):
        add_sample(points["finished"], at(MARCH, 0) + dt.timedelta(hours=n), {"turbidity": "pass"})
        add_sample(plant2_point, at(MARCH, 0) + dt.timedelta(hours=n), {"turbidity": "pass"})
    add_sample(points["finished"], at(dt.date(2025, 3, 2), 8), {"turbidity": "fail"})
    add_sample(plant2_point, at(dt.date(2025, 3, 2), 8), {"turbidity": "fail"})
    add_sample(plant2_point, at(dt.date(2025, 3, 2), 9), {"turbidity": "pass"}, status="entered")
    add_sample(plant2_point, at(dt.date(2025, 3, 3), 8), {"turbidity": "inconclusive"})

    rows = {r.label: r for r in report(points["finished"].organization).by_plant}

    assert rows["第一水厂"].tests.rate == 95.0
    assert not rows["第一水厂"].tests.below_target
    assert (rows["第二水厂"].tests.passed, rows["第二水厂"].tests.failed) == (19, 1)
    assert rows["第二水厂"].tests.rate == 95.0
    add_sample(plant2_point, at(dt.date(2025, 3, 4), 8), {"turbidity": "fail"})
    rows = {r.label: r for r in report(points["finished"].organization).by_plant}
    assert rows["第二水厂"].tests.rate == 90.48
    assert rows["第二水厂"].tests.below_target
    flagged = report(points["finished"].organization).flagged
    assert [r.key for r in flagged] == [str(plant2_point.unit_id), "finished", "turbidity"]


def test_tables_by_plant_kind_indicator_and_month(points, tree):
    add_sample(points["finished"], at(MARCH, 8), {"turbidity": "pass", "ph": "fail"})
    add_sample(points["network"], at(MARCH, 9), {"turbidity": "pass", "free_chlorine": "pass"})
    add_sample(points["tap"], at(dt.date(2025, 4, 2), 9), {"free_chlorine": "fail"})

    rep = report(points["network"].organization, end=dt.date(2025, 4, 30))

    assert [(r.label, r.tests.passed, r.tests.failed) for r in rep.by_plant] == [
        ("金溪水务集团", 2, 1),
        ("第一水厂", 1, 1),
    ]
    assert [(r.key, r.samples.passed, r.samples.failed) for r in rep.by_kind] == [
        ("finished", 0, 1),
        ("network", 1, 0),
        ("tap", 0, 1),
    ]
    by_indicator = {r.key: (r.tests.passed, r.tests.failed) for r in rep.by_indicator}
    assert by_indicator == {"turbidity": (2, 0), "ph": (0, 1), "free_chlorine": (1, 1)}
    assert [(r.key, r.tests.total, r.samples.total) for r in rep.by_month] == [
        ("2025-03", 4, 2),
        ("2025-04", 1, 1),
    ]


def test_one_plant_s_report_counts_only_its_subtree(points, tree):
    add_sample(points["finished"], at(MARCH, 8), {"turbidity": "pass"})
    add_sample(points["network"], at(MARCH, 9), {"turbidity": "fail"})

    rep = report(points["network"].organization, unit=tree["plant1"])

    assert (rep.tests.passed, rep.tests.failed) == (1, 0)
    assert [r.label for r in rep.by_plant] == ["第一水厂"]


def test_network_composite_rate_averages_the_seven_items_and_the_rest(points):
    net = points["network"]
    seven = ["turbidity", "colour", "odour", "free_chlorine", "plate_count", "total_coliforms"]
    for hour in range(4):
        outcomes = dict.fromkeys([*seven, "permanganate_index", "iron"], "pass")
        if hour == 0:
            outcomes["turbidity"] = "fail"  # turbidity 3/4 = 75%
            outcomes["iron"] = "fail"
            outcomes["manganese"] = "fail"  # others: iron 3/4 + manganese 0/1 = 3/5 = 60%
        add_sample(net, at(MARCH, 8 + hour), outcomes)
    add_sample(points["finished"], at(MARCH, 8), {"turbidity": "fail"})  # not network water

    c = report(net.organization).composite

    assert [(i.label, i.tests.rate) for i in c.items] == [
        ("浑浊度", 75.0),
        ("色度", 100.0),
        ("臭和味", 100.0),
        ("余氯", 100.0),
        ("菌落总数", 100.0),
        ("总大肠菌群", 100.0),
        ("高锰酸盐指数", 100.0),
    ]
    assert c.others.rate == 60.0
    assert c.rate == round((75 + 6 * 100 + 60) / 8, 2) == 91.88
    assert c.below_target


def test_composite_leaves_untested_items_out_of_the_divisor(points):
    add_sample(points["secondary"], at(MARCH, 8), {"turbidity": "pass", "free_chlorine": "fail"})

    c = report(points["network"].organization).composite

    assert c.terms == [100.0, 0.0]
    assert c.rate == 50.0


def test_raw_water_is_classified_not_rated(points):
    raw = points["raw"]
    add_sample(raw, at(MARCH, 8), {"ammonia": ("classified", {"source_class": 2})})
    add_sample(raw, at(MARCH, 9), {"ammonia": ("classified", {"source_class": 3})})
    add_sample(raw, at(MARCH, 10), {"ammonia": ("fail", {"source_class": 6})})
    add_sample(raw, at(MARCH, 11), {"ammonia": ("classified", {"source_class": 2})})

    rep = report(raw.organization)

    assert rep.tests.total == 0 and rep.samples.total == 0
    assert [(r.unit, r.indicator, r.label, r.counts) for r in rep.raw_classes] == [
        ("第一水厂", "ammonia", "氨（以N计）", [0, 2, 1, 0, 0, 1])
    ]
    assert rep.raw_class_totals == [0, 2, 1, 0, 0, 1]


def test_exceedances_list_the_failing_approved_results_with_the_relaxation_marker(points, approver):
    relaxation = Relaxation.objects.create(
        organization=points["network"].organization,
        indicator="turbidity",
        maximum="2",
        valid_from=MARCH,
        valid_until=dt.date(2025, 3, 15),
        reason="洪水",
        risk_assessment="…",
        status="approved",
        proposed_by=approver,
    )
    add_sample(
        points["network"],
        at(MARCH, 9),
        {"turbidity": ("fail", {"raw": "2.6", "limit_text": "≤2 NTU", "relaxation": relaxation})},
    )
    add_sample(points["finished"], at(MARCH, 8), {"ph": ("fail", {"raw": "9.1"})})

    rep = report(points["network"].organization)

    assert [(e.point, e.label, e.raw, e.limit_text, e.relaxed) for e in rep.exceedances] == [
        ("FIN-1 一厂出厂水", "pH", "9.1", "≤1 NTU", False),
        ("NET-1 河东管网末梢", "浑浊度", "2.6", "≤2 NTU", True),
    ]
    assert rep.exceedances[0].sampled_at == at(MARCH, 8)
    assert rep.exceedance_total == 2
    assert [(r.relaxation.pk, r.results) for r in rep.relaxations] == [(relaxation.pk, 1)]


def test_relaxations_in_force_are_the_approved_ones_overlapping_the_period(org, approver):
    def relaxation(start, end, status="approved"):
        return Relaxation.objects.create(
            organization=org,
            indicator="turbidity",
            maximum="2",
            valid_from=start,
            valid_until=end,
            reason="r",
            risk_assessment="a",
            status=status,
            proposed_by=approver,
        )

    inside = relaxation(dt.date(2025, 2, 20), MARCH)
    relaxation(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    relaxation(MARCH, dt.date(2025, 3, 5), status="proposed")
    later = relaxation(dt.date(2025, 3, 31), dt.date(2025, 4, 30))

    found = reports.relaxations_in_force(org, MARCH, dt.date(2025, 3, 31))

    assert [r.relaxation for r in found] == [inside, later]


# --- Scope ---------------------------------------------------------------------------------


def test_a_plant_lab_head_counts_only_the_plant_s_results(points, lab_head):
    add_sample(points["finished"], at(MARCH, 8), {"turbidity": "pass"})
    add_sample(points["network"], at(MARCH, 9), {"turbidity": "fail"})

    rep = report(points["network"].organization, user=lab_head)

    assert (rep.tests.passed, rep.tests.failed) == (1, 0)
    assert rep.exceedances == []


def test_a_regulator_sees_the_organization_s_official_figures(points, regulator):
    add_sample(points["finished"], at(MARCH, 8), {"turbidity": "pass"})
    add_sample(points["network"], at(MARCH, 9), {"turbidity": "fail"})
    add_sample(points["network"], at(MARCH, 10), {"turbidity": "fail"}, status="checked")

    rep = report(points["network"].organization, user=regulator)

    assert (rep.tests.passed, rep.tests.failed) == (1, 1)


def test_people_without_report_permission_or_from_elsewhere_count_nothing(
    points, technician, outsider, staff_user
):
    add_sample(points["finished"], at(MARCH, 8), {"turbidity": "pass"})
    org = points["finished"].organization

    assert report(org, user=outsider).tests.total == 0
    assert report(org, user=staff_user).tests.total == 0
    # A technician sees results (quality.view) but the pages ask for view_reports.
    assert report(org, user=technician).tests.total == 1


# --- Periods and limits --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, reports.Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31), "month")),
        ({"month": "2024-02"}, reports.Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month")),
        ({"year": "2024"}, reports.Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year")),
        (
            {"from": "2025-01-10", "to": "2025-02-09"},
            reports.Period(dt.date(2025, 1, 10), dt.date(2025, 2, 9)),
        ),
        ({"from": "2025-01-10"}, reports.Period(dt.date(2025, 1, 10), dt.date(2025, 1, 10))),
    ],
)
def test_periods_are_a_month_a_year_or_a_range(params, expected):
    assert reports.parse_period(params, dt.date(2025, 3, 20)) == expected


@pytest.mark.parametrize(
    "params", [{"month": "2025-13"}, {"from": "2025-02-10", "to": "2025-02-01"}, {"year": "x"}]
)
def test_a_bad_period_is_refused(params):
    from headwater.core.errors import DomainError

    with pytest.raises(DomainError):
        reports.parse_period(params, dt.date(2025, 3, 20))


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("≤1 NTU", (None, 1.0)),
        ("≥0.05 mg/L", (0.05, None)),
        ("6.5–8.5", (6.5, 8.5)),
        ("Ⅲ类 ≤1.0", (None, 1.0)),
        ("0.3~4 mg/L", (0.3, 4.0)),
        ("不得检出", (None, None)),
        ("", (None, None)),
    ],
)
def test_limit_bounds_are_read_from_the_limit_text(text, bounds):
    assert trends.limit_bounds(text) == bounds


# --- Trend ---------------------------------------------------------------------------------


def test_trend_has_the_official_results_the_readings_and_the_limit(points):
    net = points["network"]
    add_sample(
        net,
        at(MARCH, 8),
        {"free_chlorine": ("pass", {"value": "0.30", "limit_text": "≥0.05 mg/L"})},
    )
    add_sample(
        net,
        at(MARCH, 20),
        {"free_chlorine": ("fail", {"value": "0.02", "limit_text": "≥0.05 mg/L"})},
    )
    add_sample(net, at(dt.date(2025, 3, 2), 8), {"free_chlorine": "pass"}, status="entered")
    for minute in (0, 5):
        AnalyzerReading.objects.create(
            organization=net.organization,
            point=net,
            indicator="free_chlorine",
            at=at(MARCH, 9, minute),
            value="0.28",
            outcome="pass",
        )

    t = trends.trend(
        net.organization, net, "free_chlorine", date_from=MARCH, date_to=dt.date(2025, 3, 3)
    )

    assert [(r[0], r[1], r[3]) for r in t.results] == [
        (at(MARCH, 8), 0.3, "pass"),
        (at(MARCH, 20), 0.02, "fail"),
    ]
    assert t.readings == [(at(MARCH, 9, 0), 0.28), (at(MARCH, 9, 5), 0.28)]
    assert not t.readings_hourly
    assert (t.minimum, t.maximum, t.limit_text) == (0.05, None, "≥0.05 mg/L")


def test_a_long_trend_shows_hourly_means_of_the_readings(points):
    net = points["network"]
    for minute, value in ((0, "0.20"), (30, "0.40")):
        AnalyzerReading.objects.create(
            organization=net.organization,
            point=net,
            indicator="free_chlorine",
            at=at(MARCH, 9, minute),
            value=value,
            outcome="pass",
        )

    t = trends.trend(
        net.organization, net, "free_chlorine", date_from=MARCH, date_to=dt.date(2025, 3, 31)
    )

    assert t.readings_hourly
    assert [(timezone.localtime(a).hour, round(v, 2)) for a, v in t.readings] == [(9, 0.3)]


# --- Query counts --------------------------------------------------------------------------


def test_the_report_takes_the_same_few_queries_however_many_results(
    points, plant2_point, django_assert_max_num_queries
):
    for day in range(1, 29):
        for point in (points["finished"], points["network"], plant2_point):
            add_sample(point, at(dt.date(2025, 3, day), 8), {"turbidity": "pass", "ph": "fail"})
        add_sample(
            points["raw"],
            at(dt.date(2025, 3, day), 8),
            {"ammonia": ("classified", {"source_class": 2})},
        )

    with django_assert_max_num_queries(10):
        rep = report(points["network"].organization)

    assert rep.tests.total == 3 * 28 * 2
    assert rep.samples.failed == 3 * 28


# --- Tiles and the briefing ----------------------------------------------------------------


def test_tiles_show_the_month_rate_open_exceedances_and_review_work(
    points, lab_head, technician, clock_at
):
    clock_at(at(dt.date(2025, 3, 20), 10))
    fin = points["finished"]
    add_sample(fin, at(MARCH, 8), {"turbidity": "pass", "ph": "pass"})
    failed = add_sample(fin, at(MARCH, 9), {"turbidity": "fail"}).results.get()
    resampled = add_sample(fin, at(MARCH, 10), {"ph": "fail"}).results.get()
    SamplingTask.objects.create(
        organization=fin.organization,
        point=fin,
        lab=fin.lab,
        kind="resample",
        due_at=at(MARCH, 11),
        deadline=at(MARCH, 19),
        status="done",
        cause=resampled,
    )
    add_sample(
        fin,
        at(MARCH, 12),
        {"ph": "pass", "colour": "pass"},
        status="entered",
        entered_by=technician,
    )
    add_sample(fin, at(MARCH, 13), {"ph": "pass"}, status="entered", entered_by=lab_head)

    shown = {t.title: t for t in tiles.quality_tiles(lab_head, fin.organization)}

    assert shown[_("Water quality this month")].value == "50.00%"
    assert shown[_("Water quality this month")].colour == "danger"
    assert shown[_("Open exceedances this month")].value == "1"
    assert failed.status == "approved"
    assert shown[_("Results awaiting your review")].value == "2"  # not the one they entered


def test_no_tiles_without_the_report_permission(points, technician, outsider):
    assert tiles.quality_tiles(technician, points["finished"].organization) == []


def test_the_briefing_has_yesterday_the_month_and_pending_review(points, org):
    fin = points["finished"]
    day = dt.date(2025, 3, 10)
    add_sample(fin, at(day - dt.timedelta(days=1), 8), {"turbidity": "pass", "ph": "fail"})
    add_sample(fin, at(MARCH, 8), {"turbidity": "pass", "ph": "pass"})
    add_sample(fin, at(day - dt.timedelta(days=1), 9), {"ph": "pass"}, status="checked")

    section = resolve(sections.quality_section(org, day), "en")

    assert section["lines"][:3] == [
        "03-09: tests 50.00%, samples 0.00% pass.",
        "Month to date: tests 75.00%, samples 50.00% pass (target 95%).",
        "Exceedances: 1; results awaiting review: 1.",
    ]
    assert section["tables"][0]["rows"] == [
        ["FIN-1 一厂出厂水", "08:00", "pH", "0.1", "≤1 NTU", "Approved"]
    ]


def test_no_briefing_section_before_any_result(org):
    assert sections.quality_section(org, dt.date(2025, 3, 10)) is None


def test_a_regulator_gets_the_rate_tile_only(points, regulator, clock_at):
    clock_at(at(dt.date(2025, 3, 20), 10))
    add_sample(points["network"], at(MARCH, 8), {"turbidity": "pass"})

    shown = tiles.quality_tiles(regulator, points["network"].organization)

    assert [(t.title, t.value) for t in shown] == [(_("Water quality this month"), "100.00%")]


def test_a_composite_rate_shown_as_95_00_but_truly_94_996_is_below_target():
    # 23,749 of 25,000 turbidity tests pass: 94.996%, shown rounded as 95.00.
    c = reports.composite({"turbidity": reports.Tally(passed=23_749, failed=1_251)})
    assert (c.rate, c.below_target) == (95.0, True)
    assert reports.Tally(passed=23_749, failed=1_251).below_target


def test_a_composite_rate_of_exactly_95_is_not_below_target():
    tally = reports.Tally(passed=19, failed=1)
    c = reports.composite({"turbidity": tally, "iron": tally})
    assert (c.rate, c.below_target) == (95.0, False)
