"""What the office page tests share: the day they run on, its times, and the data they make
through the services. The `english` and `office` clients are fixtures in conftest.py."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse

from headwater.core.tests.factories import make_user
from headwater.health import services
from headwater.health.models import CheckIn, HealthCode

SH = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 2, 10)
OVERVIEW = reverse("health:overview")
RULES = reverse("health:rules")
STATUSES = reverse("health:statuses")


def at(hour: int, minute: int = 0, second: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), SH)


def check_in(person, temperature: str = "36.5", **data) -> CheckIn:
    user = getattr(person, "user", None) or make_user(f"u-{person.employee_no}", person=person)
    checkin, _ = services.submit_checkin(person, {"temperature": temperature, **data}, by=user)
    return checkin


def zero_report(unit, head):
    report, _ = services.submit_unit_report(unit, by=head, counts={"on_duty": 2}, zero=True)
    return report


def unit_row(response, unit):
    return next(r for r in response.context["rows"] if r.unit == unit)


def current_code(person) -> HealthCode:
    return HealthCode.objects.get(person=person, is_current=True)
