"""Unit daily reports (one a day, zero reports) and check-in reminders."""

import datetime as dt

import pytest

from headwater.alerts.models import Alert, InboxItem
from headwater.core.errors import DomainError, NotAllowed
from headwater.health import services
from headwater.health.models import UnitReport
from headwater.health.overview import report_status
from headwater.health.tests.conftest import NORMAL, at

D = dt.date(2026, 2, 3)


def test_unit_head_files_a_zero_report(unit_head_user, tree, clock_at):
    clock_at(at(D, 9, 30))
    report, created = services.submit_unit_report(
        tree["plant1"], by=unit_head_user, counts={"on_duty": 2}, zero=True
    )
    assert (created, report.date, report.is_zero, report.abnormal, report.on_duty) == (
        True,
        D,
        True,
        0,
        2,
    )


def test_reporting_again_the_same_day_updates_the_one_report(unit_head_user, tree, clock_at):
    clock_at(at(D, 9, 0))
    services.submit_unit_report(tree["plant1"], by=unit_head_user, counts={"on_duty": 2}, zero=True)
    clock_at(at(D, 10, 30))
    report, created = services.submit_unit_report(
        tree["plant1"], by=unit_head_user, counts={"on_duty": 1, "abnormal": 1}
    )
    assert (created, UnitReport.objects.count(), report.abnormal, report.is_zero) == (
        False,
        1,
        1,
        False,
    )
    assert report.submitted_at == at(D, 9, 0)  # a correction does not make it late


def test_a_zero_report_with_abnormal_cases_is_refused(unit_head_user, tree, clock_at):
    clock_at(at(D, 9, 0))
    with pytest.raises(DomainError):
        services.submit_unit_report(tree["plant1"], by=unit_head_user, counts={"abnormal": "abc"})
    assert UnitReport.objects.count() == 0


def test_unit_head_cannot_report_for_another_unit(unit_head_user, tree, clock_at):
    clock_at(at(D, 9, 0))
    with pytest.raises(NotAllowed):
        services.submit_unit_report(tree["plant2"], by=unit_head_user, counts={}, zero=True)
    assert UnitReport.objects.count() == 0


@pytest.mark.parametrize(
    ("submitted", "now", "status"),
    [
        ((9, 59, 59), (11, 0, 0), "on_time"),
        ((10, 0, 0), (11, 0, 0), "on_time"),
        ((10, 0, 1), (11, 0, 0), "late"),
        (None, (10, 0, 1), "missing"),
        (None, (9, 0, 0), ""),
    ],
)
def test_report_status_at_the_deadline(org, tree, submitted, now, status):
    deadline = services.report_deadline(org, D)
    report = None
    if submitted:
        report = UnitReport(
            unit=tree["plant1"],
            date=D,
            submitted_at=dt.datetime.combine(D, dt.time(*submitted), deadline.tzinfo),
        )
    assert (
        report_status(report, deadline, dt.datetime.combine(D, dt.time(*now), deadline.tzinfo))
        == status
    )


def test_deadline_follows_the_per_level_setting(org, office_user):
    from headwater.core import services as core_services

    core_services.set_level_value(org, "health.report_deadline", "normal", "09:30", by=office_user)
    assert services.report_deadline(org, D).time() == dt.time(9, 30)


def test_reminder_goes_to_people_not_checked_in_and_their_unit_head(
    operator_user, unit_head_user, people, org, clock_at, django_capture_on_commit_callbacks
):
    from headwater.core.tests.factories import make_user

    make_user("zhao", person=people["other_plant"], roles=[("staff", None)])
    clock_at(at(D, 8, 0))
    services.submit_checkin(people["other_plant"], NORMAL, by=people["other_plant"].user)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.remind_if_due(org, at(D, 9, 2))
    assert sent == 3  # 王厂长, 李操作, 钱文员 have not checked in; 赵二厂 has
    personal = Alert.objects.get(kind="health.reminder")
    assert set(
        InboxItem.objects.filter(alert=personal).values_list("user__username", flat=True)
    ) == {"head", "li"}
    unit = Alert.objects.get(kind="health.reminder.unit")
    assert (unit.title, unit.body) == ("第一水厂：2 人未打卡", "王厂长、李操作")


def test_reminder_is_sent_once_per_time(operator_user, org, clock_at):
    clock_at(at(D, 9, 0))
    services.remind_if_due(org, at(D, 9, 0))
    services.remind_if_due(org, at(D, 9, 4))
    assert Alert.objects.filter(kind="health.reminder").count() == 1


def test_no_reminder_outside_the_reminder_times(operator_user, org):
    assert services.remind_if_due(org, at(D, 9, 5)) == 0
    assert Alert.objects.count() == 0


def test_trend_counts_closed_days_once_and_today_every_time(
    operator_user, people, org, clock_at, django_assert_num_queries
):
    from headwater.health.overview import trend

    clock_at(at(D - dt.timedelta(1), 8))
    services.submit_checkin(people["operator"], NORMAL, by=operator_user)
    clock_at(at(D, 8))
    first = trend(org, D, days=3)
    services.submit_checkin(people["operator"], {**NORMAL, "temperature": "38.0"}, by=operator_user)
    with django_assert_num_queries(2):  # today's counts and the staff count
        second = trend(org, D, days=3)
    assert [(r["date"], r["done"], r["abnormal"]) for r in first] == [
        (D - dt.timedelta(2), 0, 0),
        (D - dt.timedelta(1), 1, 0),
        (D, 0, 0),
    ]
    assert [(r["date"], r["done"], r["abnormal"]) for r in second] == [
        (D - dt.timedelta(2), 0, 0),
        (D - dt.timedelta(1), 1, 0),
        (D, 1, 1),
    ]


def test_a_large_unit_lists_only_its_abnormal_and_missing_people(
    unit_head_user, operator_user, people, tree, clock_at
):
    from headwater.health.overview import unit_day

    clock_at(at(D, 8))
    services.submit_checkin(people["operator"], {**NORMAL, "temperature": "38.1"}, by=operator_user)
    day = unit_day(unit_head_user, tree["plant1"], D, limit=1)
    assert (day.staff, day.done, day.abnormal, day.hidden) == (2, 1, 1, 0)
    assert [r.person.name for r in day.rows] == ["李操作", "王厂长"]
    small = unit_day(unit_head_user, tree["plant1"], D)
    assert [r.person.name for r in small.rows] == ["李操作", "王厂长"]


def test_a_large_unit_counts_the_normal_checkins_it_does_not_list(
    unit_head_user, operator_user, people, tree, clock_at
):
    from headwater.health.overview import unit_day

    clock_at(at(D, 8))
    services.submit_checkin(people["operator"], {**NORMAL, "temperature": "38.1"}, by=operator_user)
    services.submit_checkin(people["head"], NORMAL, by=unit_head_user)
    day = unit_day(unit_head_user, tree["plant1"], D, limit=1)
    assert (day.staff, day.done, day.abnormal, day.hidden) == (2, 2, 1, 1)
    assert [r.person.name for r in day.rows] == ["李操作"]
