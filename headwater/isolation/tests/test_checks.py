"""The monitor's daily follow-ups: recorded, idempotent, refused for a released case and
for somebody else's case."""

import pytest

from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import IdempotencyKey
from headwater.isolation import services
from headwater.isolation.models import CaseCheck
from headwater.isolation.tests.conftest import DAY, at, check, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org, office_user, people, monitor, time_machine):
    time_machine.move_to(at(9))
    return open_case(org, office_user, people["operator"], monitor=monitor)


def test_the_monitor_records_a_follow_up(case, monitor):
    item, created = check(case, monitor, morning_temperature="36.6", needs="买菜")

    assert created
    assert (item.date, str(item.morning_temperature), item.needs, item.is_normal) == (
        DAY,
        "36.6",
        "买菜",
        True,
    )


def test_a_fever_or_a_symptom_is_not_normal(case, monitor):
    assert check(case, monitor, morning_temperature="37.5")[0].is_normal is False
    assert check(case, monitor, symptoms="咳嗽")[0].is_normal is False


def test_a_retried_follow_up_from_a_phone_is_recorded_once(case, monitor):
    first, created = check(case, monitor, key="k-1")
    again, created_again = check(case, monitor, key="k-1", morning_temperature="38.0")

    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert CaseCheck.objects.count() == 1
    assert IdempotencyKey.objects.filter(action="isolation.check").count() == 1


def test_a_follow_up_for_a_released_case_is_refused(case, monitor, office_user):
    services.approve_release(case, by=office_user, override="转院")

    with pytest.raises(DomainError) as refused:
        check(case, monitor)

    assert refused.value.code == "case_released"
    assert CaseCheck.objects.count() == 0


def test_somebody_else_may_not_record_a_follow_up(case, unit_head_user, staff_user):
    for user in (unit_head_user, staff_user):
        with pytest.raises(NotAllowed):
            check(case, user)
    assert CaseCheck.objects.count() == 0


def test_a_follow_up_without_any_temperature_is_refused(case, monitor):
    with pytest.raises(DomainError) as refused:
        check(case, monitor, morning_temperature="")

    assert set(refused.value.fields) == {"morning_temperature"}
    assert CaseCheck.objects.count() == 0
