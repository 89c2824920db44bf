"""Who is on duty now: the people of each post's running shift in published rosters, at a
shift's boundary and across midnight; drafts ignored; duty phones in full, personal phones
masked; two queries for the read whatever the number of posts."""

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headwater.duty import now
from headwater.duty.choices import PostKind
from headwater.duty.models import Post
from headwater.duty.tests.factories import make_post
from headwater.duty.tests.now_helpers import D, at, day_and_night, roster, shift


def _names(moment, org):
    return {
        r.post.name: [p.name for p in r.people] for r in now.on_duty(Post.objects.of(org), moment)
    }


def test_the_night_shift_takes_over_at_eight_in_the_evening(control_room, operators, org, tree):
    day_and_night(roster(tree["plant1"]), control_room, D, operators[:2], operators[2:4])
    assert _names(at(D, 19, 59), org) == {control_room.name: ["操作员1", "李操作"]}
    assert _names(at(D, 20), org) == {control_room.name: ["操作员2", "操作员3"]}


def test_a_night_shift_runs_past_midnight(control_room, operators, org, tree):
    day_and_night(roster(tree["plant1"]), control_room, D, operators[:1], operators[4:5])
    assert _names(at(D + dt.timedelta(days=1), 2), org) == {control_room.name: ["操作员4"]}
    assert _names(at(D + dt.timedelta(days=1), 8), org) == {control_room.name: []}


def test_a_draft_roster_does_not_put_anybody_on_duty(control_room, operators, org, tree):
    shift(roster(tree["plant1"], published=False), control_room, at(D, 8), 12, operators[:2])
    rows = now.on_duty(Post.objects.of(org), at(D, 10))
    assert [(r.post.name, r.people, r.short) for r in rows] == [(control_room.name, [], True)]


def test_the_leader_of_the_watch_and_the_leader_on_duty(control_room, operators, org, tree, people):
    rost = roster(tree["plant1"])
    shift(rost, control_room, at(D, 8), 12, operators[:2], leads=operators[1])
    leader_post = make_post(
        tree["company"], "集团带班领导", kind=PostKind.LEADER, duty_phone="0571-88889999"
    )
    shift(rost, leader_post, at(D, 8), 24, [people["head"]])
    rows = now.on_duty(Post.objects.of(org), at(D, 9))
    assert [r.leader.name if r.leader else None for r in rows] == [None, "操作员1"]
    assert [p.name for p in now.leaders(rows)] == ["王厂长"]


def test_the_page_shows_the_duty_phone_in_full_and_personal_phones_masked(
    client, control_room, operators, staff_user, tree
):
    day_and_night(roster(tree["plant1"]), control_room, D, operators[:2])
    client.force_login(staff_user)
    with time_machine.travel(at(D, 9), tick=False):
        response = client.get("/duty/now/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:0571-88880001"' in html
    assert "139****5678" in html and "13912345678" not in html
    assert html.count('data-testid="on-duty-person"') == 2


def test_the_api_lists_every_post_with_its_people(
    client, control_room, operators, staff_user, tree
):
    day_and_night(roster(tree["plant1"]), control_room, D, operators[:1], operators[1:2])
    client.force_login(staff_user)
    with time_machine.travel(at(D, 20), tick=False):
        body = client.get("/api/v1/duty/now").json()
    assert len(body) == 1
    row = body[0]
    assert (row["post"], row["duty_phone"], row["below_minimum"], row["leader"]) == (
        control_room.name,
        "0571-88880001",
        False,
        "",
    )
    assert [p["name"] for p in row["people"]] == ["操作员1"]
    assert [p["phone"] for p in row["people"]] == ["139****0001"]
    assert row["shifts"][0]["label"] == "夜班"


def test_an_outsider_sees_no_post(client, control_room, operators, outsider, tree):
    day_and_night(roster(tree["plant1"]), control_room, D, operators[:1])
    client.force_login(outsider)
    with time_machine.travel(at(D, 9), tick=False):
        assert client.get("/api/v1/duty/now").json() == []
        assert "第一水厂中控室" not in client.get("/duty/now/").content.decode()


def test_the_read_is_two_queries_whatever_the_posts(org, tree, operators):
    rost = roster(tree["plant1"])
    for i in range(12):
        post = make_post(tree["plant1"], f"岗位{i}", team=operators)
        shift(rost, post, at(D, 8), 12, operators[i % 6 : i % 6 + 1])
    with CaptureQueriesContext(connection) as queries:
        rows = now.on_duty(Post.objects.of(org), at(D, 9))
    assert len(rows) == 12 and all(len(r.people) == 1 for r in rows)
    assert len(queries) == 2
