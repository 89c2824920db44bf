"""Swaps: the person on a shift asks, a unit head over the post's unit approves (the rules
checked again, the assignment moved with source SWAP) or refuses; a colleague who is not on
the team, away, or would overlap or rest too little is refused with nothing changed; the
colleague and the unit head are told in their inbox."""

import datetime as dt

import pytest
import time_machine

from headwater.alerts.models import Alert, InboxItem
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.tests.factories import PersonFactory, make_user
from headwater.duty.inputs_now import DecisionInput, SwapInput
from headwater.duty.models import Assignment, Leave, Swap
from headwater.duty.services import now_swaps
from headwater.duty.tests.factories import make_post
from headwater.duty.tests.now_helpers import D, at, roster, shift

NOW = at(D - dt.timedelta(days=1), 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def setup(control_room, operators, tree, staff_user):
    rost = roster(tree["plant1"])
    mine = shift(rost, control_room, at(D, 8), 12, [operators[0], operators[2]])
    colleague = operators[1]
    colleague_user = make_user("colleague", person=colleague, roles=[("staff", None)])
    return {
        "roster": rost,
        "shift": mine,
        "assignment": Assignment.objects.get(shift=mine, person=operators[0]),
        "colleague": colleague,
        "colleague_user": colleague_user,
    }


def ask(setup, staff_user, to=None):
    to = to or setup["colleague"]
    return now_swaps.request(
        setup["assignment"], SwapInput(to.pk, "家中有事"), by=staff_user, key="k1"
    )


def test_a_requested_swap_tells_the_colleague_and_the_unit_head(setup, staff_user, unit_head_user):
    swap, created = ask(setup, staff_user)
    assert created and (swap.state, swap.to_person_id) == ("requested", setup["colleague"].pk)
    alert = Alert.objects.get(kind="duty.swap_requested")
    assert set(InboxItem.objects.filter(alert=alert).values_list("user_id", flat=True)) == {
        setup["colleague_user"].pk,
        unit_head_user.pk,
    }
    assert ("李操作" in alert.title, "第一水厂中控室 03-10 08:00 白班" in alert.title) == (
        True,
        True,
    )
    again, created = ask(setup, staff_user)
    assert (again.pk, created, Swap.objects.count()) == (swap.pk, False, 1)


def test_approval_moves_the_shift_to_the_colleague(setup, staff_user, unit_head_user):
    swap, _ = ask(setup, staff_user)
    swap, _ = now_swaps.approve(swap, by=unit_head_user)
    a = Assignment.objects.get(pk=setup["assignment"].pk)
    assert (swap.state, swap.decided_by_id) == ("approved", unit_head_user.pk)
    assert (a.person_id, a.source) == (setup["colleague"].pk, "swap")
    assert Alert.objects.filter(kind="duty.swap_approved").count() == 1


def test_refusal_keeps_the_shift_and_tells_why(setup, staff_user, unit_head_user, people):
    swap, _ = ask(setup, staff_user)
    swap, _ = now_swaps.refuse(swap, DecisionInput("人手不足"), by=unit_head_user)
    assert swap.state == "refused"
    assert Assignment.objects.get(pk=setup["assignment"].pk).person_id == people["operator"].pk
    assert Alert.objects.get(kind="duty.swap_refused").body == "人手不足"


def test_a_colleague_off_the_team_is_refused_and_nothing_changes(setup, staff_user, people):
    with pytest.raises(DomainError) as refused:
        ask(setup, staff_user, to=people["other_plant"])
    assert refused.value.code == "swap_not_possible"
    assert "赵二厂" in refused.value.message and "第一水厂中控室" in refused.value.message
    assert (Swap.objects.count(), Alert.objects.count()) == (0, 0)


def test_a_colleague_on_leave_by_approval_time_is_refused_and_nothing_changes(
    setup, staff_user, unit_head_user, org, people
):
    swap, _ = ask(setup, staff_user)
    Leave.objects.create(
        organization=org, person=setup["colleague"], kind="sick", starts_on=D, ends_on=D
    )
    with pytest.raises(DomainError) as refused:
        now_swaps.approve(swap, by=unit_head_user)
    assert "病假" in refused.value.message
    swap.refresh_from_db()
    assert swap.state == "requested"
    assert Assignment.objects.get(pk=setup["assignment"].pk).person_id == people["operator"].pk


def test_a_colleague_whose_own_shift_overlaps_or_leaves_too_little_rest_is_refused(
    setup, staff_user, control_room, tree
):
    other = make_post(tree["plant1"], "加药间", team=[setup["colleague"]])
    shift(setup["roster"], other, at(D, 14), 8, [setup["colleague"]])
    with pytest.raises(DomainError) as overlap:
        ask(setup, staff_user)
    assert overlap.value.code == "swap_not_possible" and "加药间" in overlap.value.message
    assert Swap.objects.count() == 0


def test_too_little_rest_before_the_colleagues_next_shift_is_refused(setup, staff_user, tree):
    other = make_post(tree["plant1"], "加药间", team=[setup["colleague"]])
    shift(setup["roster"], other, at(D, 22), 8, [setup["colleague"]])
    with pytest.raises(DomainError) as refused:
        ask(setup, staff_user)
    assert refused.value.code == "swap_not_possible"
    assert Swap.objects.count() == 0


def test_only_the_person_on_the_shift_asks_and_only_a_head_over_the_post_decides(
    setup, staff_user, tree
):
    with pytest.raises(NotAllowed):
        now_swaps.request(
            setup["assignment"], SwapInput(setup["colleague"].pk, ""), by=setup["colleague_user"]
        )
    swap, _ = ask(setup, staff_user)
    other_head = make_user(
        "head2",
        person=PersonFactory(unit=tree["plant2"], name="孙二厂长"),
        roles=[("unit_head", tree["plant2"])],
    )
    for user in (staff_user, setup["colleague_user"], other_head):
        with pytest.raises(NotAllowed):
            now_swaps.approve(swap, by=user)
    swap.refresh_from_db()
    assert swap.state == "requested"


def test_a_started_shift_cannot_be_swapped(setup, staff_user):
    with time_machine.travel(at(D, 9), tick=False), pytest.raises(DomainError) as refused:
        ask(setup, staff_user)
    assert refused.value.code == "duty_wrong_state"
    assert Swap.objects.count() == 0


def test_the_api_asks_and_the_head_approves(client, setup, staff_user, unit_head_user, outsider):
    client.force_login(staff_user)
    url = f"/api/v1/duty/assignments/{setup['assignment'].pk}/swap"
    body = {"to_person": setup["colleague"].pk, "reason": "换班"}
    response = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a1")
    assert response.status_code == 201
    swap_id = response.json()["id"]
    retry = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a1")
    assert (retry.status_code, retry.json()["id"]) == (200, swap_id)
    assert client.post(f"/api/v1/duty/swaps/{swap_id}/approve").status_code == 403
    client.force_login(outsider)
    assert client.post(f"/api/v1/duty/swaps/{swap_id}/approve").status_code == 404
    client.force_login(unit_head_user)
    assert [s["id"] for s in client.get("/api/v1/duty/swaps?state=requested").json()] == [swap_id]
    done = client.post(f"/api/v1/duty/swaps/{swap_id}/approve")
    assert (done.status_code, done.json()["state"], done.json()["to_name"]) == (
        200,
        "approved",
        "操作员1",
    )


def test_the_api_refuses_an_unqualified_colleague_in_the_error_shape(
    client, setup, staff_user, people
):
    client.force_login(staff_user)
    response = client.post(
        f"/api/v1/duty/assignments/{setup['assignment'].pk}/swap",
        {"to_person": people["other_plant"].pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "swap_not_possible"
    assert "to_person" in response.json()["error"]["fields"]
    assert Swap.objects.count() == 0
