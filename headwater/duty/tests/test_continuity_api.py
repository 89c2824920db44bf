"""The continuity API and pages: flags with suggestions, accepting one (201, then 200 for a
repeat), margins, the reserve pool, closed-loop groups and their hand-over; scope (a unit
head sees only their units' flags, staff none, an outsider 404)."""

import json

import pytest
import time_machine

from headwater.core.tests.factories import make_user
from headwater.duty.choices import FlagState, LoopState
from headwater.duty.models import Eligibility, LoopGroup, ShiftFlag
from headwater.duty.services import continuity
from headwater.duty.tests.continuity_helpers import BEFORE, day, publish_roster, set_code
from headwater.duty.tests.factories import qualify

pytestmark = pytest.mark.django_db
API = "/api/v1/duty"


@pytest.fixture(autouse=True)
def evening_before():
    with time_machine.travel(BEFORE, tick=False):
        yield


@pytest.fixture
def flag(control_room, operators, org):
    publish_roster(control_room, operators[:4])
    set_code(operators[0], "red")
    continuity.sweep(org)
    return ShiftFlag.objects.get(assignment__shift__starts_at__date=day(2))


def post(client, path, body, **headers):
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json", **headers)


def test_the_unit_head_lists_flags_and_accepts_a_suggestion(
    client, flag, unit_head_user, operators
):
    client.force_login(unit_head_user)
    body = client.get(f"{API}/flags").json()
    assert body["count"] == 4
    assert body["items"][1]["id"] == flag.pk
    assert (body["items"][1]["person_name"], body["items"][1]["reason"]) == ("李操作", "红码")
    detail = client.get(f"{API}/flags/{flag.pk}").json()
    assert [s["name"] for s in detail["suggestions"]] == ["操作员2"]
    first = post(
        client,
        f"/flags/{flag.pk}/accept",
        {"person_id": operators[2].pk},
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert first.status_code == 201
    assert (first.json()["state"], first.json()["replacement_id"]) == ("replaced", operators[2].pk)
    again = post(
        client,
        f"/flags/{flag.pk}/accept",
        {"person_id": operators[2].pk},
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert again.status_code == 200


def test_accepting_someone_who_cannot_take_the_shift_answers_the_rule(
    client, flag, unit_head_user, operators
):
    client.force_login(unit_head_user)
    response = post(client, f"/flags/{flag.pk}/accept", {"person_id": operators[4].pk})
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (400, "person_unavailable")
    assert error["message"] == "第一水厂中控室 03-11 白班只有0名持证人员，至少需要1名。"
    assert ShiftFlag.objects.get(pk=flag.pk).state == FlagState.OPEN


def test_scope_staff_are_refused_another_unit_s_head_and_outsiders_get_404(
    client, flag, staff_user, outsider, tree, people
):
    client.force_login(staff_user)
    assert client.get(f"{API}/flags").status_code == 403
    other_head = make_user(
        "head2", person=people["other_plant"], roles=[("unit_head", tree["plant2"])]
    )
    for user in (other_head, outsider):
        client.force_login(user)
        assert client.get(f"{API}/flags/{flag.pk}").status_code == 404
        assert post(client, f"/flags/{flag.pk}/accept", {"person_id": 1}).status_code == 404
        assert client.get(f"/duty/flags/{flag.pk}/").status_code == 404
    client.force_login(other_head)
    assert client.get(f"{API}/flags").json()["count"] == 0
    assert client.get(f"{API}/margins").json() == []


def test_margins_and_reserve_pool_through_the_api(
    client, control_room, operators, office_user, people, org
):
    Eligibility.objects.create(
        organization=org, post=control_room, person=people["other_plant"], reserve=True
    )
    qualify(people["other_plant"])
    client.force_login(office_user)
    [margin] = client.get(f"{API}/margins").json()
    assert (margin["post_name"], margin["lowest"], len(margin["days"])) == ("第一水厂中控室", 3, 14)
    assert margin["days"][0] == {"day": "2026-03-08", "available": 5, "needed": 2, "margin": 3}
    rows = client.get(f"{API}/reserve").json()
    assert [(r["name"], r["qualified"], r["free"]) for r in rows] == [("赵二厂", True, True)]


def test_loop_groups_created_and_handed_over_through_the_api(
    client, control_room, operators, unit_head_user
):
    client.force_login(unit_head_user)
    ids = [p.pk for p in operators[:3]]
    created = post(
        client,
        "/loop-groups",
        {
            "post_id": control_room.pk,
            "name": "第一组",
            "starts_on": "2026-03-09",
            "ends_on": "2026-03-22",
            "member_ids": ids,
        },
    )
    assert created.status_code == 201
    group = created.json()
    assert (group["state"], group["ok"], [m["code_label"] for m in group["members"]]) == (
        "planned",
        False,
        ["暂无健康码"] * 3,
    )
    refused = post(client, f"/loop-groups/{group['id']}/handover", {"outgoing_to": "ended"})
    assert refused.status_code in (400, 409, 422)
    assert refused.json()["error"]["message"].startswith("交接须接班组全员绿码")
    assert LoopGroup.objects.get(pk=group["id"]).state == LoopState.PLANNED
    for person in operators[:3]:
        set_code(person, "green")
    done = post(client, f"/loop-groups/{group['id']}/handover", {"outgoing_to": "ended"})
    assert (done.status_code, done.json()["state"], done.json()["ok"]) == (201, "on_site", True)


def test_the_pages_answer_for_the_unit_head(client, flag, unit_head_user, control_room):
    client.force_login(unit_head_user)
    for url in (
        "/duty/flags/",
        f"/duty/flags/{flag.pk}/",
        "/duty/margins/",
        "/duty/reserve/",
        "/duty/loops/",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/duty/flags/{flag.pk}/").content.decode()
    assert "操作员2" in page and 'data-testid="accept"' in page
