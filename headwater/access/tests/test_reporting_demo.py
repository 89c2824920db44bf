"""The access app's part of `headwater demo`: gates at the demo organization's sites (a plant
gate, a community checkpoint with three teams in batches and the demo guard on the first, the
head-office canteen with three 15-minute lunch slots, a commute bus with its route and trips),
a signing key, printed cards, visitors, vehicles and two days of passages with a fever, a red
code and a wrong slot refused; the same rows on every build, none twice."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from headwater.access import demo as access_demo
from headwater.access.models import (
    BusTrip,
    DiningGroup,
    Gate,
    GateTeam,
    GateTeamMember,
    MealSlot,
    Passage,
    PassCard,
    SigningKey,
    VehicleEntry,
    Visit,
)
from headwater.access.sections import access_section
from headwater.core import demo as core_demo
from headwater.core.models import Organization, User
from headwater.core.tiles import resolve

NOON = dt.datetime(2026, 3, 10, 4, 0, tzinfo=dt.UTC)  # 12:00 in Shanghai


@pytest.fixture
def build(db, monkeypatch, clock_at, settings):
    settings.HEADWATER_DEMO_PASSWORD = "headwater-demo"
    monkeypatch.setattr(core_demo, "EXTENSIONS", [access_demo.build])
    clock_at(NOON)

    def run(*args):
        call_command("demo", "--staff", "300", "--history-days", "1", *args, stdout=StringIO())
        return Organization.objects.get(slug="demo")

    return run


def rows(org) -> dict:
    return {
        "gates": sorted(
            Gate.objects.filter(organization=org).values_list("name", "kind", "site__code")
        ),
        "teams": list(
            GateTeam.objects.filter(organization=org).order_by("batch").values_list("name", "batch")
        ),
        "members": GateTeamMember.objects.filter(organization=org).count(),
        "slots": list(
            MealSlot.objects.filter(organization=org)
            .order_by("position")
            .values_list("starts", "minutes")
        ),
        "groups": DiningGroup.objects.filter(organization=org).count(),
        "trips": list(
            BusTrip.objects.filter(organization=org)
            .order_by("day", "departs")
            .values_list("day", "departs", "disinfected_at")
        ),
        "cards": list(
            PassCard.objects.filter(organization=org).values_list("serial", "person__employee_no")
        ),
        "visits": sorted(Visit.objects.filter(organization=org).values_list("name", "state")),
        "vehicles": VehicleEntry.objects.filter(organization=org).count(),
        "passages": list(
            Passage.objects.filter(organization=org)
            .order_by("at", "key")
            .values_list(
                "gate__name", "person__employee_no", "at", "decision", "reason", "slot__name"
            )
        ),
        "keys": SigningKey.objects.filter(organization=org).count(),
    }


def test_the_demo_has_gates_teams_slots_a_bus_visitors_and_a_day_of_passages(build):
    org = build()
    found = rows(org)
    assert found["gates"] == [
        ("1号通勤车", "bus", "HQ"),
        ("总部食堂入口", "canteen", "CT-1"),
        ("清源社区卡点", "checkpoint", "CP-1"),
        ("第一水厂大门", "gate", "WP-1"),
    ]
    assert found["teams"] == [("清源卡点第1班", 1), ("清源卡点第2班", 2), ("清源卡点第3班", 3)]
    assert found["members"] == 12
    assert found["slots"] == [(dt.time(11, 10), 15), (dt.time(11, 25), 15), (dt.time(11, 40), 15)]
    assert found["groups"] == 3
    assert [(d.day, t, at is not None) for d, t, at in found["trips"]] == [
        (9, dt.time(7, 10), True),
        (9, dt.time(17, 30), False),
        (10, dt.time(7, 10), True),
        (10, dt.time(17, 30), False),
    ]
    assert len(found["cards"]) == 3 and found["keys"] == 1
    assert {state for _n, state in found["visits"]} == {"approved", "pending", "refused"}
    assert found["vehicles"] == 4
    reasons = {p[4] for p in found["passages"] if p[3] == "refuse"}
    assert reasons == {"fever", "red_code", "wrong_slot"}
    assert max(p[2] for p in found["passages"]) <= NOON
    guard = User.objects.get(username="guard")
    assert GateTeamMember.objects.filter(team__batch=1, person=guard.person).exists()


def test_the_demo_briefing_section_has_something_to_say(build):
    org = build()
    section = resolve(access_section(org, dt.date(2026, 3, 10)), "en")
    kinds = [f["kind"] for f in section["flags"]]
    assert kinds.count("abnormal") >= 1 and "overdue" in kinds
    assert section["figures"][0]["value"] > 0


def test_building_again_adds_nothing_and_a_rebuild_gives_the_same_rows(build):
    org = build()
    first = rows(org)
    assert rows(build()) == first  # the demo exists: nothing is added
    # gates protect their sites: core.demo.delete needs the gate rows gone first
    access_demo.clear(org)
    rebuilt = build("--reset")
    again = rows(rebuilt)
    assert again["passages"] == first["passages"]
    assert {k: v for k, v in again.items() if k != "cards"} == {
        k: v for k, v in first.items() if k != "cards"
    }
    assert again["cards"] == first["cards"]
