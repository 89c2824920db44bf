"""Check-ins: validation, idempotency, correction, and what an abnormal one sets off."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from headwater.alerts.models import Alert, InboxItem
from headwater.core.errors import DomainError, NotAllowed
from headwater.health import services
from headwater.health.models import CheckIn, FollowUp
from headwater.health.tests.conftest import NORMAL, at

DAY = dt.date(2026, 2, 3)


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 8, 30))


def test_normal_checkin_is_stored_with_every_field(operator_user, people):
    checkin, created = services.submit_checkin(
        people["operator"], {**NORMAL, "symptoms": [], "household": "well"}, by=operator_user
    )
    assert created is True
    row = CheckIn.objects.get()
    assert (row.person, row.unit, row.date, row.slot, str(row.temperature), row.is_abnormal) == (
        people["operator"],
        people["operator"].unit,
        DAY,
        "am",
        "36.5",
        False,
    )


def test_retry_with_the_same_key_returns_the_first_checkin_and_stores_nothing_more(
    operator_user, people
):
    first, created_first = services.submit_checkin(
        people["operator"], NORMAL, by=operator_user, key="k-1"
    )
    again, created_again = services.submit_checkin(
        people["operator"], {**NORMAL, "temperature": "38.0"}, by=operator_user, key="k-1"
    )
    assert (created_first, created_again, again.pk) == (True, False, first.pk)
    assert CheckIn.objects.count() == 1
    assert str(CheckIn.objects.get().temperature) == "36.5"


@pytest.mark.parametrize(
    ("temperature", "ok"),
    [
        ("33.9", False),
        ("34.0", True),
        ("42.5", True),
        ("42.6", False),
    ],
)
def test_temperature_range_boundaries(operator_user, people, temperature, ok):
    if ok:
        services.submit_checkin(
            people["operator"], {**NORMAL, "temperature": temperature}, by=operator_user
        )
        assert CheckIn.objects.count() == 1
        return
    with pytest.raises(DomainError) as e:
        services.submit_checkin(
            people["operator"], {**NORMAL, "temperature": temperature}, by=operator_user
        )
    assert e.value.fields == {
        "temperature": f"{temperature} °C 超出 34.0–42.5 °C 范围，请重新测量。"
    }
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"temperature": "abc"}, "temperature"),
        ({"symptoms": ["sneezing"]}, "symptoms"),
        ({"whereabouts": "moon"}, "whereabouts"),
        ({"left_city": True}, "travel_to"),
        ({"returned_on": "2026-03-01", "left_city": True, "travel_to": "武汉"}, "returned_on"),
        ({"slot": "pm"}, "slot"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_stored(operator_user, people, data, field):
    with pytest.raises(DomainError) as e:
        services.submit_checkin(people["operator"], {**NORMAL, **data}, by=operator_user)
    assert list(e.value.fields) == [field]
    assert CheckIn.objects.count() == 0


def test_nobody_checks_in_for_someone_else(unit_head_user, people):
    with pytest.raises(NotAllowed):
        services.submit_checkin(people["operator"], NORMAL, by=unit_head_user)
    assert CheckIn.objects.count() == 0


def test_correction_within_the_window_updates_the_same_checkin_and_is_audited(
    operator_user, people, clock_at
):
    first, _ = services.submit_checkin(people["operator"], NORMAL, by=operator_user)
    clock_at(at(DAY, 11, 0))
    second, created = services.submit_checkin(
        people["operator"], {**NORMAL, "temperature": "36.9"}, by=operator_user
    )
    assert (created, second.pk, CheckIn.objects.count()) == (False, first.pk, 1)
    entry = LogEntry.objects.get_for_object(first).filter(action=LogEntry.Action.UPDATE).get()
    assert (entry.actor, entry.changes["temperature"]) == (operator_user, ["36.5", "36.9"])


def test_morning_slot_closes_at_noon_when_checking_in_twice_a_day(
    operator_user, people, office_user, org, clock_at
):
    from headwater.core import services as core_services

    core_services.switch_level(org, "level1", by=office_user, reason="一级响应")
    services.submit_checkin(people["operator"], {**NORMAL, "slot": "am"}, by=operator_user)
    clock_at(at(DAY, 12, 0))
    with pytest.raises(DomainError) as e:
        services.submit_checkin(people["operator"], {**NORMAL, "slot": "am"}, by=operator_user)
    assert e.value.code == "window_closed"
    afternoon, created = services.submit_checkin(people["operator"], NORMAL, by=operator_user)
    assert (afternoon.slot, created, CheckIn.objects.count()) == ("pm", True, 2)


def test_fever_checkin_alerts_the_unit_head_and_office_and_opens_a_follow_up(
    operator_user, unit_head_user, office_user, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        checkin, _ = services.submit_checkin(
            people["operator"],
            {**NORMAL, "temperature": "38.2", "symptoms": ["cough"]},
            by=operator_user,
        )
    assert FollowUp.objects.get().checkin == checkin
    alert = Alert.objects.get(kind="health.abnormal_checkin")
    assert (alert.severity, alert.body) == ("critical", "38.2 °C，咳嗽")
    assert set(InboxItem.objects.filter(alert=alert).values_list("user__username", flat=True)) == {
        "head",
        "office",
    }


def test_abnormal_checkin_turns_the_code_red_at_once(operator_user, people):
    services.submit_checkin(
        people["operator"],
        {**NORMAL, "temperature": "38.0", "contact_confirmed": True},
        by=operator_user,
    )
    code = people["operator"].health_codes.get(is_current=True)
    assert (code.colour, code.rule_name, code.rule_set_version) == (
        "red",
        "14天内接触确诊或疑似病例",
        1,
    )
