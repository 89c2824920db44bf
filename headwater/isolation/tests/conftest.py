"""Isolation test fixtures: the root conftest's organization (company → plant 1 → shift A,
plant 2) and its office, unit head (plant 1) and outsider; here a monitor and helpers that
open cases and record follow-ups through the services."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from headwater.core.tests.factories import PersonFactory, make_user
from headwater.isolation import services
from headwater.isolation.inputs import CaseInput, CheckInput

SH = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 2, 10)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), SH)


@pytest.fixture
def monitor(people, tree):
    person = PersonFactory(
        unit=tree["shift_a"], name="孙盯控", employee_no="M1", phone="13800000001"
    )
    return make_user("monitor", person=person, roles=[("monitor", tree["shift_a"])])


@pytest.fixture
def volunteer(tree):
    return PersonFactory(unit=tree["shift_a"], name="周志愿", employee_no="V1", phone="13800000002")


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def open_case(org, office_user, person, *, monitor=None, volunteer=None, **values):
    data = {
        "person_id": person.pk,
        "kind": "home",
        "reason": "密接",
        "started_on": values.pop("started_on", DAY),
        "monitor_id": monitor.person_id if monitor else None,
        "volunteer_id": getattr(volunteer, "pk", None),
        **values,
    }
    case, _ = services.open_case(org, CaseInput.parse(data, org), by=office_user)
    return case


def check(case, user, key="", **values):
    data = {"channel": "phone", "morning_temperature": "36.5", **values}
    return services.record_check(case, CheckInput.parse(data), by=user, key=key)


def setting(org, key: str, value) -> None:
    """The office's value of a per-level setting at the organization's level."""
    from headwater.core import levels
    from headwater.core.models import LevelSettingValue

    LevelSettingValue.objects.update_or_create(
        organization=org, key=key, level=org.response_level, defaults={"value": value}
    )
    levels.forget(org)
