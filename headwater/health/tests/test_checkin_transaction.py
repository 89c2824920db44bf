"""A check-in is one transaction (the check-in, its code, the follow-up and the alert), and
every write of it — the first and a correction — is idempotent by its key."""

import datetime as dt

import pytest

from headwater.alerts.models import Alert, Delivery, InboxItem
from headwater.core.errors import DomainError
from headwater.core.models import IdempotencyKey
from headwater.health import services
from headwater.health.models import CheckIn, FollowUp, HealthCode
from headwater.health.services import checkins as checkin_services
from headwater.health.tests.conftest import NORMAL, at

DAY = dt.date(2026, 2, 3)
FEVER = {**NORMAL, "temperature": "38.2", "symptoms": ["cough"]}


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 8, 0))


def test_a_correction_retried_with_its_key_changes_nothing_and_raises_no_second_alert(
    operator_user, unit_head_user, office_user, people, clock_at
):
    person = people["operator"]
    first, _ = services.submit_checkin(person, NORMAL, by=operator_user, key="first")
    clock_at(at(DAY, 9, 0))
    corrected, created = services.submit_checkin(person, FEVER, by=operator_user, key="fix")
    assert (created, corrected.pk, Alert.objects.count()) == (False, first.pk, 1)

    clock_at(at(DAY, 9, 5))
    again, created_again = services.submit_checkin(person, FEVER, by=operator_user, key="fix")

    assert (again.pk, created_again) == (first.pk, False)
    row = CheckIn.objects.get()
    assert (str(row.temperature), row.updated_at) == ("38.2", at(DAY, 9, 0))
    assert Alert.objects.count() == 1
    assert InboxItem.objects.count() == 2  # the unit head and the office, once each
    assert FollowUp.objects.count() == 1
    assert list(
        IdempotencyKey.objects.order_by("recorded_at").values_list("key", "object_id", "created")
    ) == [("first", first.pk, True), ("fix", first.pk, False)]


def test_a_late_retry_of_the_first_checkin_does_not_undo_the_correction(
    operator_user, people, clock_at
):
    person = people["operator"]
    services.submit_checkin(person, NORMAL, by=operator_user, key="first")
    clock_at(at(DAY, 9, 0))
    services.submit_checkin(person, {**NORMAL, "temperature": "36.9"}, by=operator_user, key="b")

    services.submit_checkin(person, NORMAL, by=operator_user, key="first")

    assert str(CheckIn.objects.get().temperature) == "36.9"


def test_a_failing_alert_rolls_back_the_checkin_its_code_and_its_key(
    operator_user, people, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("alerts are down")

    monkeypatch.setattr(checkin_services, "raise_alert", broken)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        services.submit_checkin(people["operator"], FEVER, by=operator_user, key="k")

    assert CheckIn.objects.count() == 0
    assert HealthCode.objects.count() == 0
    assert FollowUp.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0
    assert (Alert.objects.count(), Delivery.objects.count(), callbacks) == (0, 0, [])


def test_a_failing_code_recompute_rolls_back_the_checkin(operator_user, people, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("rules are broken")

    monkeypatch.setattr(checkin_services, "recompute_code", broken)

    with pytest.raises(RuntimeError):
        services.submit_checkin(people["operator"], FEVER, by=operator_user)

    assert (CheckIn.objects.count(), FollowUp.objects.count(), Alert.objects.count()) == (0, 0, 0)


def test_the_same_key_after_a_refusal_is_tried_again(operator_user, people):
    """A refused check-in stored nothing, so its key is still free."""
    with pytest.raises(DomainError) as refused:
        services.submit_checkin(
            people["operator"], {**NORMAL, "temperature": "abc"}, by=operator_user, key="k"
        )
    assert list(refused.value.fields) == ["temperature"]

    checkin, created = services.submit_checkin(
        people["operator"], NORMAL, by=operator_user, key="k"
    )

    assert (created, CheckIn.objects.get().pk, IdempotencyKey.objects.get().object_id) == (
        True,
        checkin.pk,
        checkin.pk,
    )
