"""Who sees what of the "now" part: a unit head the swaps and missing handovers of their
units only, a member of staff their own shifts and swaps; the home tiles and the dashboard
panels."""

import time_machine

from headwater.core.screen import panels_for
from headwater.core.tiles import tiles_for
from headwater.duty.models import Assignment, Shift, Swap
from headwater.duty.tests.factories import make_post
from headwater.duty.tests.now_helpers import D, at, day_and_night, roster


def _plant2(tree, people, org):
    post = make_post(
        tree["plant2"], "第二水厂中控室", team=[people["other_plant"]], duty_phone="0571-2"
    )
    day, _ = day_and_night(roster(tree["plant2"]), post, D, [people["other_plant"]])
    Swap.objects.create(
        organization=org,
        assignment=Assignment.objects.get(shift=day),
        from_person=people["other_plant"],
        to_person=people["other_plant"],
    )
    return day


def test_a_unit_head_sees_the_swaps_and_missing_handovers_of_their_units_only(
    client, org, tree, people, unit_head_user, control_room, operators
):
    day, _ = day_and_night(roster(tree["plant1"]), control_room, D, operators[:1])
    Swap.objects.create(
        organization=org,
        assignment=Assignment.objects.get(shift=day),
        from_person=operators[0],
        to_person=operators[1],
    )
    _plant2(tree, people, org)
    client.force_login(unit_head_user)
    with time_machine.travel(at(D, 22), tick=False):
        swaps = client.get("/api/v1/duty/swaps").json()
        missing = client.get("/api/v1/duty/handovers/missing").json()
    assert [s["post"] for s in swaps] == ["第一水厂中控室"]
    assert [m["post"] for m in missing] == ["第一水厂中控室"]


def test_staff_see_their_own_shifts_and_not_the_logs_of_others(
    client, org, tree, people, staff_user, control_room, operators
):
    day, night = day_and_night(
        roster(tree["plant1"]), control_room, D, operators[:1], operators[1:2]
    )
    other = _plant2(tree, people, org)
    assert list(Shift.objects.visible_to(staff_user)) == [day]
    client.force_login(staff_user)
    assert client.get(f"/duty/shifts/{night.pk}/log/").status_code == 404
    assert client.get(f"/api/v1/duty/shifts/{other.pk}/log").status_code == 404
    assert client.get(f"/duty/shifts/{day.pk}/log/").status_code == 200
    assert client.get("/api/v1/duty/swaps").json() == []
    assert client.get("/duty/handovers/missing/").status_code == 403


def test_the_home_tiles_and_the_dashboard_panels(
    org, tree, staff_user, office_user, control_room, operators
):
    day_and_night(roster(tree["plant1"]), control_room, D, operators[:1], operators[1:2])
    with time_machine.travel(at(D, 7), tick=False):
        tiles = {t.url: t for t in tiles_for(staff_user, org)}
        panels = {p["key"]: p for p in panels_for(org, D)}
    assert (tiles["/duty/now/"].value, tiles["/duty/now/"].colour) == ("0/1", "danger")
    assert (tiles["/duty/mine/"].value, tiles["/duty/mine/"].note) == (
        "03-10 08:00",
        "第一水厂中控室 · 白班",
    )
    assert panels["duty.on_duty"]["data"]["items"][0]["colour"] == "danger"
    assert panels["duty.leader"]["data"]["colour"] == "danger"


def test_an_organization_without_posts_has_no_tile_or_panel(org, staff_user):
    assert [t for t in tiles_for(staff_user, org) if t.url.startswith("/duty/")] == []
    assert [p for p in panels_for(org, D) if p["key"].startswith("duty.")] == []
