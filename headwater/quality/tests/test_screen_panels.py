"""The water-quality panels of the command dashboard, through GET /api/v1/dashboard: the
month's and the day's pass rates of approved results, and the open exceedances with point
and value (the fixtures' points; samples as in test_reports.py)."""

import datetime as dt

from headwater.quality.models import SamplingPoint, SamplingTask
from headwater.quality.tests.conftest import at
from headwater.quality.tests.test_reports import add_sample

DAY = dt.date(2025, 3, 20)


def _panels(client, user) -> dict[str, dict]:
    client.force_login(user)
    response = client.get("/api/v1/dashboard")
    assert response.status_code == 200
    return {p["key"]: p for p in response.json()["panels"]}


def test_rates_of_the_month_and_the_day_and_the_open_exceedances(
    client, points, office_user, technician, clock_at
):
    clock_at(at(DAY, 16))
    fin, net, raw = points["finished"], points["network"], points["raw"]
    add_sample(fin, at(dt.date(2025, 3, 2), 8), {"turbidity": "pass", "ph": "pass"})
    add_sample(fin, at(dt.date(2025, 2, 27), 8), {"turbidity": "fail"})  # last month, open
    add_sample(raw, at(DAY, 7), {"turbidity": "classified"})  # raw water: not rated
    add_sample(fin, at(DAY, 8), {"turbidity": "pass", "ph": "pass", "colour": "pass"})
    failed = add_sample(
        net, at(DAY, 9), {"free_chlorine": ("fail", {"raw": "0.02", "limit_text": "≥0.05 mg/L"})}
    ).results.get()
    add_sample(fin, at(DAY, 11), {"ph": "fail"}, status="entered", entered_by=technician)
    resampled = add_sample(fin, at(dt.date(2025, 3, 5), 9), {"ph": "fail"}).results.get()
    SamplingTask.objects.create(
        organization=fin.organization,
        point=fin,
        lab=fin.lab,
        kind="resample",
        due_at=at(dt.date(2025, 3, 5), 11),
        deadline=at(dt.date(2025, 3, 6), 11),
        status="done",
        cause=resampled,
    )

    panels = _panels(client, office_user)

    compliance = panels["quality.compliance"]
    assert (compliance["title"], compliance["note"]) == ("水质合格率", "已审批结果，目标 95%")
    assert [(f["label"], f["text"], f["colour"]) for f in compliance["data"]["items"]] == [
        # The month: 5 passes, the network failure and the re-sampled failure: 5 of 7.
        ("本月", "71.43", "danger"),
        # The day: 3 passes and the network failure (the entered result is not approved).
        ("今日", "75.00", "danger"),
        # Open: the network failure, the entered one, last month's (within 30 days).
        ("未闭合超标", "3", "danger"),
    ]
    exceedances = panels["quality.exceedances"]
    assert exceedances["note"] == "近 30 天"
    assert [(i["time"], i["text"], i["note"]) for i in exceedances["data"]["items"]] == [
        ("03-20 11:00", "一厂出厂水 · pH", "0.1（限值 ≤1 NTU）"),
        ("03-20 09:00", "河东管网末梢 · 游离氯", "0.02（限值 ≥0.05 mg/L）"),
        ("02-27 08:00", "一厂出厂水 · 浑浊度", "0.1（限值 ≤1 NTU）"),
    ]
    assert exceedances["data"]["items"][1]["id"] == f"result-{failed.pk}"
    assert exceedances["data"]["more"] == 0


def test_a_day_without_approved_results_has_no_rate_and_no_exceedance_says_so(
    client, points, office_user, clock_at
):
    clock_at(at(DAY, 16))

    panels = _panels(client, office_user)

    items = panels["quality.compliance"]["data"]["items"]
    assert [(f["text"], f["colour"]) for f in items] == [
        ("—", "secondary"),
        ("—", "secondary"),
        ("0", "success"),
    ]
    assert panels["quality.exceedances"]["data"]["items"] == []
    assert panels["quality.exceedances"]["data"]["empty"] == "暂无未闭合的超标。"


def test_no_quality_panels_without_an_active_sampling_point(client, points, office_user):
    SamplingPoint.objects.update(active=False)

    assert [k for k in _panels(client, office_user) if k.startswith("quality.")] == []
