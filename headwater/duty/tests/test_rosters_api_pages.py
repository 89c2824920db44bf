"""The posts, rosters, assignments, leave and wishes API and pages: who may do what, each
refusal changing nothing."""

import datetime as dt

import pytest

from headwater.duty.choices import RosterState
from headwater.duty.models import Assignment, Eligibility, Leave, Post, Preference, Roster, Shift

D = dt.date(2026, 3, 9)
API = "/api/v1/duty"


@pytest.fixture
def as_head(client, unit_head_user):
    client.force_login(unit_head_user)
    return client


def generate(client, tree, days=2):
    end = D + dt.timedelta(days=days)
    return client.post(
        f"{API}/rosters/generate",
        {"unit": tree["plant1"].pk, "starts_on": str(D), "ends_on": str(end)},
        content_type="application/json",
    )


def test_a_unit_head_generates_regenerates_and_publishes_through_the_api(
    as_head, control_room, tree
):
    first = generate(as_head, tree)
    assert first.status_code == 201
    body = first.json()
    assert body["state"] == "draft" and body["solver_status"] in ("optimal", "feasible")
    again = generate(as_head, tree)
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    shifts = as_head.get(f"{API}/rosters/{body['id']}/shifts").json()
    assert len(shifts) == 6 and all(len(s["assignments"]) == 1 for s in shifts)
    assert as_head.get(f"{API}/rosters/{body['id']}/breaks").json() == []
    published = as_head.post(f"{API}/rosters/{body['id']}/publish")
    assert published.status_code == 200 and published.json()["state"] == "published"


def test_staff_and_outsiders_cannot_generate(client, control_room, tree, staff_user, outsider):
    client.force_login(staff_user)
    assert generate(client, tree).status_code in (403, 404)
    client.force_login(outsider)
    assert generate(client, tree).status_code == 404
    assert Roster.objects.count() == 0


def test_a_unit_head_cannot_roster_another_plant(as_head, tree):
    from headwater.duty.tests.factories import make_post

    make_post(tree["plant2"], "第二水厂中控室")
    response = as_head.post(
        f"{API}/rosters/generate",
        {"unit": tree["plant2"].pk, "starts_on": str(D), "ends_on": str(D)},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    assert Roster.objects.count() == 0


def test_hand_edits_through_the_api(as_head, control_room, tree, operators):
    roster_id = generate(as_head, tree).json()["id"]
    shift = Shift.objects.filter(roster_id=roster_id).order_by("starts_at").first()
    on_it = Assignment.objects.get(shift=shift)
    other = next(p for p in operators if p.pk != on_it.person_id)
    added = as_head.post(
        f"{API}/shifts/{shift.pk}/assignments",
        {"person": other.pk},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["source"] == "hand"
    assert as_head.delete(f"{API}/assignments/{on_it.pk}").status_code == 204
    assert list(Assignment.objects.filter(shift=shift).values_list("person_id", flat=True)) == [
        other.pk
    ]


def test_publishing_a_broken_roster_answers_every_break(as_head, control_room, tree):
    roster_id = generate(as_head, tree).json()["id"]
    Assignment.objects.filter(shift__roster_id=roster_id).delete()
    response = as_head.post(f"{API}/rosters/{roster_id}/publish")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "roster_infeasible"
    assert len(error["fields"]["breaks"].splitlines()) == 12  # 6 shifts × (people, qualified)
    assert Roster.objects.get().state == RosterState.DRAFT


def test_the_office_creates_a_post_with_the_shifts_of_a_pattern(client, office_user, tree):
    client.force_login(office_user)
    payload = {
        "name": "调度中心值班台",
        "kind": "dispatch",
        "unit": tree["company"].pk,
        "duty_phone": "0571-88886666",
        "min_people": 2,
        "qualification": "",
        "min_qualified": 0,
        "pattern": "three",
    }
    response = client.post(f"{API}/posts", payload, content_type="application/json")
    assert response.status_code == 201
    assert [s["label"] for s in response.json()["shifts"]] == ["夜班", "早班", "中班"]  # by start
    changed = client.put(
        f"{API}/posts/{response.json()['id']}/shifts",
        [{"label": "全天", "starts": "08:00", "hours": "24", "night": True}],
        content_type="application/json",
    )
    assert [s["hours"] for s in changed.json()["shifts"]] == ["24.0"]


def test_a_unit_head_may_not_create_posts(as_head, tree):
    payload = {"name": "x", "kind": "dispatch", "unit": tree["plant1"].pk}
    assert as_head.post(f"{API}/posts", payload, content_type="application/json").status_code == 403
    assert Post.objects.count() == 0


def test_team_takes_the_units_people_and_the_reserve_others(as_head, control_room, people):
    other = people["other_plant"]
    wrong = as_head.put(
        f"{API}/posts/{control_room.pk}/team",
        {"people": [other.pk]},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "people" in wrong.json()["error"]["fields"]
    ok = as_head.put(
        f"{API}/posts/{control_room.pk}/reserve",
        {"people": [other.pk]},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert Eligibility.objects.get(post=control_room, person=other).reserve is True
    assert Eligibility.objects.filter(post=control_room, reserve=False).count() == 6


def test_leave_is_recorded_by_the_unit_head_and_wishes_by_the_person(
    as_head, client, people, staff_user, tree
):
    leave = as_head.post(
        f"{API}/leave",
        {"person": people["operator"].pk, "kind": "sick", "starts_on": str(D), "ends_on": str(D)},
        content_type="application/json",
    )
    assert leave.status_code == 201
    client.force_login(staff_user)
    refused = client.post(
        f"{API}/leave",
        {"person": people["head"].pk, "kind": "sick", "starts_on": str(D), "ends_on": str(D)},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert Leave.objects.count() == 1
    wish = client.post(
        f"{API}/wishes", {"day": str(D), "kind": "day_off"}, content_type="application/json"
    )
    assert wish.status_code == 201
    assert list(Preference.objects.values_list("person_id", "kind")) == [
        (people["operator"].pk, "day_off")
    ]
    assert [w["kind"] for w in client.get(f"{API}/wishes").json()] == ["day_off"]


def test_the_roster_pages_generate_show_and_publish(as_head, control_room, tree, operators):
    page = as_head.get("/duty/rosters/")
    assert page.status_code == 200 and b"generate-form" in page.content
    response = as_head.post(
        "/duty/rosters/",
        {"unit": tree["plant1"].pk, "starts_on": str(D), "ends_on": str(D + dt.timedelta(2))},
    )
    roster = Roster.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/duty/rosters/{roster.pk}/"
    grid = as_head.get(f"/duty/rosters/{roster.pk}/").content.decode()
    assert grid.count('data-testid="shift"') == 6
    assert as_head.post(f"/duty/rosters/{roster.pk}/", {"action": "publish"}).status_code == 302
    assert Roster.objects.get().state == RosterState.PUBLISHED


def test_staff_see_their_wishes_page_but_not_the_rosters(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/duty/rosters/").status_code == 403
    assert client.get("/duty/wishes/").status_code == 200
    response = client.post("/duty/wishes/", {"wish-day": str(D), "wish-kind": "no_night"})
    assert response.status_code == 302
    assert Preference.objects.get().kind == "no_night"
