"""When plans fall due (quality.schedule): pure, on unsaved plans, over whole months."""

import datetime as dt

from django.utils import timezone

from headwater.quality.models import SamplingPlan
from headwater.quality.schedule import occurrences
from headwater.quality.tests.conftest import at

NOV_1 = dt.date(2026, 11, 1)
DEC_1 = dt.date(2026, 12, 1)
NOVEMBER = (at(NOV_1, 0), at(DEC_1, 0))


def plan(frequency, **fields) -> SamplingPlan:
    fields.setdefault("starts_on", dt.date(2026, 1, 1))
    return SamplingPlan(frequency=frequency, **fields)


def test_daily_plan_falls_due_at_eight_every_day_of_november():
    found = occurrences(plan("daily"), *NOVEMBER)

    assert len(found) == 30
    assert found[0] == at(NOV_1, 8)
    assert found[-1] == at(dt.date(2026, 11, 30), 8)


def test_daily_plan_uses_its_first_time():
    found = occurrences(plan("daily", times=["09:30", "15:00"]), *NOVEMBER)

    assert len(found) == 30
    assert {timezone.localtime(t).time() for t in found} == {dt.time(9, 30)}


def test_twice_daily_plan_falls_due_at_both_times():
    found = occurrences(plan("times", times=["16:00", "08:00"]), *NOVEMBER)

    assert len(found) == 60
    assert found[:3] == [at(NOV_1, 8), at(NOV_1, 16), at(dt.date(2026, 11, 2), 8)]


def test_monday_and_tuesday_plan_falls_due_on_the_nine_dates_of_november():
    found = occurrences(plan("weekdays", weekdays=[0, 1]), *NOVEMBER)

    days = [2, 3, 9, 10, 16, 17, 23, 24, 30]
    assert found == [at(dt.date(2026, 11, d), 8) for d in days]


def test_every_six_hours_counts_from_local_midnight():
    found = occurrences(plan("hours", every_hours=6), *NOVEMBER)

    assert len(found) == 120
    assert found[:5] == [
        at(NOV_1, 0),
        at(NOV_1, 6),
        at(NOV_1, 12),
        at(NOV_1, 18),
        at(dt.date(2026, 11, 2), 0),
    ]


def test_monthly_on_the_31st_falls_on_the_last_day_of_shorter_months():
    monthly = plan("monthly", day_of_month=31, times=["10:00"])

    assert occurrences(monthly, *NOVEMBER) == [at(dt.date(2026, 11, 30), 10)]
    year = (at(dt.date(2026, 1, 1), 0), at(dt.date(2027, 1, 1), 0))
    found = occurrences(monthly, *year)
    assert len(found) == 12
    assert found[1] == at(dt.date(2026, 2, 28), 10)
    assert found[3] == at(dt.date(2026, 4, 30), 10)
    assert found[0] == at(dt.date(2026, 1, 31), 10)


def test_monthly_in_a_leap_february_falls_on_the_29th():
    monthly = plan("monthly", day_of_month=30, starts_on=dt.date(2028, 1, 1))

    found = occurrences(monthly, at(dt.date(2028, 2, 1), 0), at(dt.date(2028, 3, 1), 0))

    assert found == [at(dt.date(2028, 2, 29), 8)]


def test_half_yearly_plan_falls_due_twice_a_year():
    half_yearly = plan("half_yearly", day_of_month=1)

    found = occurrences(half_yearly, at(dt.date(2026, 1, 1), 0), at(dt.date(2027, 1, 1), 0))

    assert found == [at(dt.date(2026, 1, 1), 8), at(dt.date(2026, 7, 1), 8)]


def test_half_yearly_plan_uses_its_months():
    half_yearly = plan("half_yearly", day_of_month=15, months=[3, 9])

    found = occurrences(half_yearly, at(dt.date(2026, 1, 1), 0), at(dt.date(2027, 1, 1), 0))

    assert found == [at(dt.date(2026, 3, 15), 8), at(dt.date(2026, 9, 15), 8)]


def test_nothing_falls_due_before_the_plan_starts():
    found = occurrences(plan("daily", starts_on=dt.date(2026, 11, 20)), *NOVEMBER)

    assert len(found) == 11
    assert found[0] == at(dt.date(2026, 11, 20), 8)


def test_window_includes_its_start_and_excludes_its_end():
    daily = plan("daily")

    assert occurrences(daily, at(NOV_1, 8), at(dt.date(2026, 11, 2), 8)) == [at(NOV_1, 8)]
    assert occurrences(daily, at(NOV_1, 8, 1), at(dt.date(2026, 11, 2), 8)) == []


def test_times_are_local_shanghai_times_even_for_a_window_given_in_utc():
    start = dt.datetime(2026, 10, 31, 16, 0, tzinfo=dt.UTC)  # 1 November 00:00 in Shanghai

    found = occurrences(plan("daily"), start, start + dt.timedelta(days=1))

    assert found == [dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)]
