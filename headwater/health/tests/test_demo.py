"""The health app's demo data: a fortnight of check-ins, codes for everyone, reports with a
zero report that contradicts a fever, today's alerts and relatives' lines. The demo of 1,000
staff takes about 14 s to build: it is built once and each part checked on it."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Q

from headwater.alerts.models import Alert
from headwater.core.models import Organization
from headwater.health.models import CheckIn, FollowUp, HealthCode, UnitReport
from headwater.health.tests.conftest import at

D = dt.date(2026, 2, 3)


@pytest.fixture
def demo_org(db, clock_at):
    clock_at(at(D, 11, 0))
    call_command("demo", staff=1000, stdout=open("/dev/null", "w"))
    return Organization.objects.get(slug="demo")


def has_a_fortnight_of_checkins_and_a_code_for_everyone(demo_org):
    days = set(CheckIn.objects.filter(organization=demo_org).values_list("date", flat=True))
    assert days == {D - dt.timedelta(days=i) for i in range(15)}
    active = demo_org.people.active().count()
    assert HealthCode.objects.filter(organization=demo_org, is_current=True).count() == active


def has_a_zero_report_that_contradicts_a_fever(demo_org):
    yesterday = D - dt.timedelta(days=1)
    flagged = UnitReport.objects.filter(organization=demo_org, flag__isnull=False)
    assert [(r.date, r.is_zero, r.flag.contradicts) for r in flagged] == [(yesterday, True, True)]
    assert flagged[0].flag.evidence
    assert UnitReport.objects.filter(organization=demo_org, date=D).exists()


def alerts_today_for_each_abnormal_checkin(demo_org):
    # An abnormal check-in: the person's own answers, or a relative's line in it (ADR 0017).
    today = CheckIn.objects.filter(organization=demo_org, date=D)
    abnormal = (
        today.filter(Q(is_abnormal=True) | Q(household_lines__is_abnormal=True)).distinct().count()
    )
    assert abnormal > today.filter(is_abnormal=True).count() > 0
    assert FollowUp.objects.filter(checkin__date=D).count() == abnormal
    assert Alert.objects.filter(organization=demo_org, kind="health.abnormal_checkin").count() == (
        abnormal
    )


def has_relatives_with_a_week_of_lines(demo_org):
    from headwater.core.models import HouseholdMember
    from headwater.health.models import HouseholdCheckIn

    staff = demo_org.people.active().count()
    members = HouseholdMember.objects.filter(organization=demo_org)
    assert 1.1 * staff < members.count() < 1.6 * staff
    assert members.filter(person__user__username="staff").count() == 2
    days = set(
        HouseholdCheckIn.objects.filter(organization=demo_org).values_list("date", flat=True)
    )
    assert days == {D - dt.timedelta(days=i) for i in range(7)}


def test_the_demo_has_checkins_codes_reports_alerts_and_relatives(demo_org):
    has_a_fortnight_of_checkins_and_a_code_for_everyone(demo_org)
    has_a_zero_report_that_contradicts_a_fever(demo_org)
    alerts_today_for_each_abnormal_checkin(demo_org)
    has_relatives_with_a_week_of_lines(demo_org)
