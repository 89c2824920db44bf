"""Extension and release: the monitor proposes on or after the planned end when the last
follow-ups were normal; the office approves (status ended, code recomputed) or refuses; an
early release needs the office's override reason."""

import datetime as dt

import pytest

from headwater.core import codes
from headwater.core.errors import DomainError, NotAllowed
from headwater.health.models import StatusRecord
from headwater.isolation import services
from headwater.isolation.models import Case
from headwater.isolation.tests.conftest import DAY, at, check, open_case

pytestmark = pytest.mark.django_db
END = DAY + dt.timedelta(days=14)


@pytest.fixture
def case(org, office_user, people, monitor, time_machine):
    time_machine.move_to(at(9))
    return open_case(org, office_user, people["operator"], monitor=monitor)


def events(case) -> list[str]:
    return list(case.events.values_list("kind", flat=True))


def test_extension_moves_the_planned_end_with_a_reason(case, office_user):
    extended, _ = services.extend(case, END + dt.timedelta(days=7), "家属阳性", by=office_user)

    assert extended.planned_end == END + dt.timedelta(days=7)
    assert events(case)[-1] == "extended"
    assert "家属阳性" in case.events.last().note


def test_an_extension_without_a_reason_or_to_an_earlier_day_is_refused(case, office_user):
    with pytest.raises(DomainError) as refused:
        services.extend(case, END - dt.timedelta(days=1), "", by=office_user)

    assert set(refused.value.fields) == {"reason", "planned_end"}
    case.refresh_from_db()
    assert (case.planned_end, events(case)) == (END, ["opened", "assigned"])


def test_a_release_before_the_planned_end_is_refused(case, monitor, office_user, time_machine):
    check(case, monitor)
    time_machine.move_to(at(9, day=END - dt.timedelta(days=1)))
    check(case, monitor)

    for attempt in (
        lambda: services.propose_release(case, by=monitor),
        lambda: services.approve_release(case, by=office_user),
    ):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == "release_too_early"
    case.refresh_from_db()
    assert (case.state, case.release_proposed_at) == ("open", None)


def test_a_release_needs_the_last_follow_ups_normal(case, monitor, time_machine):
    time_machine.move_to(at(9, day=END - dt.timedelta(days=1)))
    check(case, monitor)
    time_machine.move_to(at(9, day=END))
    check(case, monitor, morning_temperature="37.6")

    with pytest.raises(DomainError) as refused:
        services.propose_release(case, by=monitor)

    assert refused.value.code == "release_not_enough_normal"
    assert Case.objects.get().release_proposed_at is None


def test_proposed_and_approved_release_ends_the_status_and_recomputes_the_code(
    case, monitor, office_user, people, time_machine
):
    operator = people["operator"]
    before = codes.current(operator.pk)
    assert (before.colour, before.green_on) == ("yellow", None)  # waits for the release
    time_machine.move_to(at(9, day=END - dt.timedelta(days=1)))
    check(case, monitor)
    time_machine.move_to(at(9, day=END))
    check(case, monitor)

    services.propose_release(case, by=monitor, note="体温正常")
    released, created = services.approve_release(case, by=office_user)

    assert (created, released.state) == (True, "released")
    status = StatusRecord.objects.get(person=operator)
    assert status.ended_on == END - dt.timedelta(days=1)
    # Recomputed: no longer waiting for the office; green after the normal check-in days the
    # code rules ask for (this person has not checked in, so counted from today).
    after = codes.current(operator.pk)
    assert after.green_on is not None and after.green_on >= END
    assert events(case) == ["opened", "assigned", "release_proposed", "released"]


def test_the_office_may_release_early_with_an_override_reason(case, office_user, time_machine):
    time_machine.move_to(at(10))
    services.approve_release(case, by=office_user, override="核酸阴性，专家组同意")

    case.refresh_from_db()
    assert case.state == "released"
    assert case.events.last().note.endswith("核酸阴性，专家组同意")


def test_the_monitor_may_not_approve_and_the_office_refuses_with_a_note(
    case, monitor, office_user, time_machine
):
    time_machine.move_to(at(9, day=END - dt.timedelta(days=1)))
    check(case, monitor)
    time_machine.move_to(at(9, day=END))
    check(case, monitor)
    services.propose_release(case, by=monitor)

    with pytest.raises(NotAllowed):
        services.approve_release(case, by=monitor)
    with pytest.raises(DomainError):
        services.refuse_release(case, "", by=office_user)
    services.refuse_release(case, "再观察两天", by=office_user)

    case.refresh_from_db()
    assert (case.state, case.release_proposed_at) == ("open", None)
    assert events(case)[-1] == "release_refused"
