"""The day's supervision sample: sized per level, the same draw for the same organization and
day, drawn once (a repeat answers the first draw), refused to a non-supervisor."""

import json

import pytest

from headwater.core.errors import NotAllowed
from headwater.core.tests.factories import PersonFactory
from headwater.isolation.models_supervision import SupervisionCall
from headwater.isolation.services import supervision
from headwater.isolation.tests.conftest import DAY, at, open_case, setting

pytestmark = pytest.mark.django_db
API = "/api/v1/isolation/supervision"


@pytest.fixture
def cases(org, office_user, tree, time_machine):
    time_machine.move_to(at(9))
    people = [
        PersonFactory(unit=tree["shift_a"], name=f"隔离{i}", employee_no=f"Q{i}") for i in range(8)
    ]
    return [open_case(org, office_user, p) for p in people]


def drawn(org, day=DAY) -> list[int]:
    return sorted(
        SupervisionCall.objects.of(org).filter(date=day).values_list("case_id", flat=True)
    )


def test_the_sample_has_the_default_size_of_five_open_cases(org, office_user, cases):
    calls, created = supervision.draw_sample(org, by=office_user)

    assert created is True
    assert len(calls) == 5
    assert set(drawn(org)) <= {c.pk for c in cases}
    assert all(c.called_at is None for c in calls)


def test_the_sample_size_follows_the_level_setting(org, office_user, cases):
    setting(org, "isolation.supervision_sample", 3)

    calls, _ = supervision.draw_sample(org, by=office_user)

    assert len(calls) == 3


def test_a_sample_larger_than_the_open_cases_takes_them_all(org, office_user, cases):
    setting(org, "isolation.supervision_sample", 20)

    supervision.draw_sample(org, by=office_user)

    assert drawn(org) == sorted(c.pk for c in cases)


def test_the_draw_is_the_same_for_the_same_organization_and_day(org, office_user, cases):
    first = supervision.sample(org, DAY, 5)
    supervision.draw_sample(org, by=office_user)

    assert drawn(org) == first == supervision.sample(org, DAY, 5)
    SupervisionCall.objects.all().delete()
    supervision.draw_sample(org, by=office_user)
    assert drawn(org) == first


def test_drawing_again_the_same_day_draws_nothing_new(org, office_user, cases):
    first, _ = supervision.draw_sample(org, by=office_user)

    again, created = supervision.draw_sample(org, by=office_user)

    assert created is False
    assert sorted(c.pk for c in again) == sorted(c.pk for c in first)
    assert SupervisionCall.objects.count() == 5


def test_a_released_case_is_not_drawn(org, office_user, cases):
    setting(org, "isolation.supervision_sample", 20)
    cases[0].state = "released"
    cases[0].save()

    supervision.draw_sample(org, by=office_user)

    assert cases[0].pk not in drawn(org)
    assert len(drawn(org)) == 7


def test_a_unit_head_may_not_draw_and_nothing_is_drawn(org, unit_head_user, cases):
    with pytest.raises(NotAllowed):
        supervision.draw_sample(org, by=unit_head_user)

    assert SupervisionCall.objects.count() == 0


def test_the_api_draws_once_and_answers_the_same_calls(client, office_user, cases):
    client.force_login(office_user)

    first = client.post(f"{API}/draw", "{}", content_type="application/json")
    again = client.post(f"{API}/draw", "{}", content_type="application/json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert [c["id"] for c in first.json()["calls"]] == [c["id"] for c in again.json()["calls"]]
    listed = client.get(f"{API}/calls").json()
    assert sorted(c["id"] for c in listed) == sorted(c["id"] for c in first.json()["calls"])
    assert json.loads(again.content)["created"] is False


def test_the_nine_oclock_task_draws_each_organization_once(org, cases):
    from headwater.isolation.tasks_supervision import draw_supervision_samples

    assert draw_supervision_samples.call_local() == 1
    assert draw_supervision_samples.call_local() == 0
    assert len(drawn(org)) == 5
