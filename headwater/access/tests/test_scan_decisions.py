# ruff: noqa: F811 (pytest fixtures imported by name and taken as arguments)
"""Every decision of a scan: recorded passages (allowed, or refused with a reason) and the
refusals that record nothing (invalid, forged, another organization's, expired, replayed
passes; a scan time in the future; a caller who does not guard the gate)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from headwater.access import signing
from headwater.access.choices import Credential, GateKind, VisitState
from headwater.access.models import BusRoute, BusTrip, DiningGroup, MealSlot, Passage
from headwater.access.services.scan import scan
from headwater.access.tests.factories_scan import (  # noqa: F401 (fixtures)
    enrol,
    gate,
    give_code,
    guard_user,
    make_card,
    make_gate,
    make_visit,
    new_key,
    phone_pass,
    plant,
    scanner,
    set_setting,
    signing_key,
    visit_pass,
)
from headwater.alerts.models import Alert
from headwater.core import clock
from headwater.core.errors import DomainError
from headwater.core.tests.factories import OrganizationFactory, SiteFactory

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def noon():
    with time_machine.travel(NOON, tick=False):
        yield


def by_device(gate, scanner, **kwargs):
    kwargs.setdefault("key", new_key())
    return scan(gate, device=scanner[0], **kwargs)


def assert_refused_unrecorded(code, fn):
    before = Passage.objects.count()
    with pytest.raises(DomainError) as caught:
        fn()
    assert caught.value.code == code
    assert Passage.objects.count() == before
    return caught.value


def test_a_green_phone_pass_is_allowed_and_recorded(gate, scanner, signing_key, people):
    give_code(people["operator"])
    token = phone_pass(signing_key, people["operator"])

    passage, created = by_device(gate, scanner, token=token, temperature=Decimal("36.5"))

    assert created is True
    passage.refresh_from_db()
    assert (passage.decision, passage.reason, passage.credential) == ("allow", "", Credential.PASS)
    assert passage.person == people["operator"]
    assert (passage.gate, passage.device, passage.temperature) == (
        gate,
        scanner[0],
        Decimal("36.5"),
    )
    assert passage.at == NOON
    assert passage.token_id == signing.read(token).token_id


@pytest.mark.parametrize(
    ("colour", "reason"), [("red", "red_code"), ("yellow", "yellow_code"), (None, "no_code")]
)
def test_a_code_that_is_not_green_is_refused_and_recorded(
    gate, scanner, signing_key, people, colour, reason
):
    if colour:
        give_code(people["operator"], colour)

    passage, _ = by_device(gate, scanner, token=phone_pass(signing_key, people["operator"]))

    assert (passage.decision, passage.reason) == ("refuse", reason)
    assert passage.code_colour == colour
    assert Passage.objects.filter(reason=reason).count() == 1


def test_a_typed_staff_number_finds_the_person(gate, scanner, people):
    give_code(people["head"])

    passage, _ = by_device(gate, scanner, staff_number="E1")

    assert (passage.decision, passage.person, passage.credential) == (
        "allow",
        people["head"],
        "typed",
    )


def test_an_unknown_staff_number_is_refused_and_recorded(gate, scanner, people, outsider):
    passage, _ = by_device(gate, scanner, staff_number="X1")  # the outsider's, elsewhere

    assert (passage.decision, passage.reason, passage.person) == ("refuse", "unknown_person", None)


def test_a_leaver_is_an_unknown_person(gate, scanner, signing_key, people):
    people["operator"].employment_status = "left"
    people["operator"].save()

    passage, _ = by_device(gate, scanner, token=phone_pass(signing_key, people["operator"]))

    assert (passage.reason, passage.person) == ("unknown_person", people["operator"])


def test_a_printed_card_passes_and_a_revoked_one_is_refused(gate, scanner, signing_key, people):
    give_code(people["operator"])
    give_code(people["head"])
    _card, good = make_card(signing_key, people["operator"])
    _old, revoked = make_card(signing_key, people["head"], revoked=True)

    allowed, _ = by_device(gate, scanner, token=good)
    refused, _ = by_device(gate, scanner, token=revoked)

    assert (allowed.decision, allowed.credential, allowed.person) == (
        "allow",
        "card",
        people["operator"],
    )
    assert (refused.decision, refused.reason, refused.person) == (
        "refuse",
        "revoked_card",
        people["head"],
    )


def test_visitor_passes_follow_the_visit(gate, scanner, signing_key, org, plant):
    approved = make_visit(org, plant)
    pending = make_visit(org, plant, state=VisitState.PENDING)
    over = make_visit(org, plant, hours=-1)

    results = [
        by_device(gate, scanner, token=visit_pass(signing_key, v))[0]
        for v in (approved, pending, over)
    ]

    assert [(p.decision, p.reason) for p in results] == [
        ("allow", ""),
        ("refuse", "visit_not_approved"),
        ("refuse", "visit_over"),
    ]
    assert [p.visit for p in results] == [approved, pending, over]
    assert results[0].person is None and results[0].code_colour is None


def test_a_closed_site_refuses_outsiders_unless_the_host_overrode(
    gate, scanner, signing_key, org, plant, people
):
    set_setting(org, "access.closed_site_kinds", [plant.kind])
    plain = make_visit(org, plant)
    vouched = make_visit(org, plant, host=people["head"], override_reason="抢修配件")
    give_code(people["operator"])

    refused, _ = by_device(gate, scanner, token=visit_pass(signing_key, plain))
    allowed, _ = by_device(gate, scanner, token=visit_pass(signing_key, vouched))
    staff, _ = by_device(gate, scanner, token=phone_pass(signing_key, people["operator"]))

    assert (refused.decision, refused.reason) == ("refuse", "site_closed")
    assert (allowed.decision, allowed.reason, allowed.override_reason) == (
        "allow",
        "site_closed",
        "抢修配件",
    )
    assert (staff.decision, staff.reason) == ("allow", "")


def test_fever_is_refused_and_alerts_once_a_day(
    gate, scanner, signing_key, people, unit_head_user, office_user
):
    give_code(people["operator"])

    first, _ = by_device(
        gate,
        scanner,
        token=phone_pass(signing_key, people["operator"]),
        temperature=Decimal("37.3"),
    )
    second, _ = by_device(
        gate,
        scanner,
        token=phone_pass(signing_key, people["operator"]),
        temperature=Decimal("38.0"),
    )
    normal, _ = by_device(
        gate,
        scanner,
        token=phone_pass(signing_key, people["operator"]),
        temperature=Decimal("37.2"),
    )

    assert [(p.decision, p.reason) for p in (first, second, normal)] == [
        ("refuse", "fever"),
        ("refuse", "fever"),
        ("allow", ""),
    ]
    alert = Alert.objects.get()
    assert alert.kind == "access.fever"
    assert "李操作" in alert.title
    assert set(alert.inbox_items.values_list("user__username", flat=True)) == {"head", "office"}


def test_the_fever_threshold_is_the_level_setting(gate, scanner, signing_key, people, org):
    set_setting(org, "access.fever_tenths", 380)
    give_code(people["operator"])

    passage, _ = by_device(
        gate,
        scanner,
        token=phone_pass(signing_key, people["operator"]),
        temperature=Decimal("37.9"),
    )

    assert passage.decision == "allow"
    assert Alert.objects.count() == 0


@pytest.fixture
def canteen(org, tree):
    site = SiteFactory(organization=org, unit=tree["company"], name="职工食堂", kind="canteen")
    for i, (start, name) in enumerate([(dt.time(11, 10), "第一批"), (dt.time(11, 25), "第二批")]):
        MealSlot.objects.create(
            organization=org,
            canteen=site,
            name=name,
            starts=start,
            minutes=15,
            capacity=100,
            position=i,
        )
    DiningGroup.objects.create(
        organization=org,
        canteen=site,
        unit=tree["plant1"],
        position=0,
        starts_on=NOON.date(),
        rotates=True,
    )
    return site


def test_the_canteen_door_holds_the_slot_and_a_guard_may_override(
    org, canteen, signing_key, people
):
    door = make_gate(org, canteen, kind=GateKind.CANTEEN, name="食堂门")
    device = enrol(door)
    give_code(people["operator"])
    token = phone_pass(signing_key, people["operator"])

    with time_machine.travel(NOON.replace(hour=11, minute=15), tick=False):
        inside, _ = by_device(door, device, token=phone_pass(signing_key, people["operator"]))
    late, _ = by_device(door, device, token=token)
    overridden, _ = by_device(door, device, token=token, override_reason="抢修班组晚到")

    assert (inside.decision, inside.reason, inside.slot.name) == ("allow", "", "第一批")
    assert (late.decision, late.reason, late.slot.name) == ("refuse", "wrong_slot", "第一批")
    assert (overridden.decision, overridden.reason, overridden.override_reason) == (
        "allow",
        "wrong_slot",
        "抢修班组晚到",
    )


def test_a_bus_boarding_joins_the_trip_running_now(org, tree, signing_key, people):
    depot = SiteFactory(organization=org, unit=tree["company"], name="车队", kind="office")
    bus = make_gate(org, depot, kind=GateKind.BUS, name="1号通勤车")
    device = enrol(bus)
    route = BusRoute.objects.create(organization=org, name="城东线", gate=bus)
    give_code(people["operator"])

    refused, _ = by_device(bus, device, token=phone_pass(signing_key, people["operator"]))
    trip = BusTrip.objects.create(
        organization=org, route=route, day=NOON.date(), departs=dt.time(12, 10)
    )
    boarded, _ = by_device(bus, device, token=phone_pass(signing_key, people["operator"]))

    assert (refused.decision, refused.reason, refused.trip) == ("refuse", "not_on_trip", None)
    assert (boarded.decision, boarded.trip) == ("allow", trip)


def test_leaving_is_recorded_and_never_refused(gate, scanner, signing_key, people):
    give_code(people["operator"], "red")

    passage, _ = by_device(
        gate, scanner, token=phone_pass(signing_key, people["operator"]), direction="out"
    )

    assert (passage.decision, passage.direction, passage.code_colour) == ("allow", "out", "red")


def test_the_same_key_and_time_is_one_passage_and_one_alert(gate, scanner, signing_key, people):
    give_code(people["operator"])
    token = phone_pass(signing_key, people["operator"])
    args = {"token": token, "temperature": Decimal("38.5"), "key": "same-key-123", "at": NOON}

    first, created = by_device(gate, scanner, **args)
    again, created_again = by_device(gate, scanner, **args)

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Passage.objects.count() == 1
    assert Alert.objects.count() == 1


def test_a_retry_without_a_scan_time_finds_its_first_passage(gate, scanner, signing_key, people):
    give_code(people["operator"])
    token = phone_pass(signing_key, people["operator"])

    first, _ = by_device(gate, scanner, token=token, key="no-time-key")
    with time_machine.travel(NOON + dt.timedelta(seconds=5), tick=False):
        again, created = by_device(gate, scanner, token=token, key="no-time-key")

    assert (again.pk, created) == (first.pk, False)
    assert Passage.objects.count() == 1


def test_an_offline_scan_keeps_its_time_and_is_judged_then(gate, scanner, signing_key, people):
    give_code(people["operator"])
    earlier = NOON - dt.timedelta(hours=2)
    with time_machine.travel(earlier, tick=False):
        token = phone_pass(signing_key, people["operator"])

    passage, created = by_device(gate, scanner, token=token, at=earlier + dt.timedelta(seconds=20))

    assert created is True
    assert passage.at == earlier + dt.timedelta(seconds=20)
    assert passage.recorded_at == NOON


def test_passes_that_are_not_ours_are_refused_unrecorded(gate, scanner, signing_key, people):
    other = OrganizationFactory(name="外地水司", slug="far")
    foreign = phone_pass(signing.ensure_key(other), people["operator"])
    good = phone_pass(signing_key, people["operator"])
    payload, sig = good[len("HW1.") :].split(".")
    forged = f"HW1.{payload}.{sig[:-4]}AAAA"

    for token in ("not a pass", "HW1.abc.def", foreign, forged):
        assert_refused_unrecorded("pass_invalid", lambda t=token: by_device(gate, scanner, token=t))


def test_an_expired_pass_is_refused_unrecorded(gate, scanner, signing_key, people):
    token = phone_pass(signing_key, people["operator"])

    with time_machine.travel(NOON + dt.timedelta(seconds=91), tick=False):
        error = assert_refused_unrecorded(
            "pass_expired", lambda: by_device(gate, scanner, token=token)
        )
    assert error.status == 400


def test_a_pass_shown_at_another_gate_is_a_replay(org, plant, gate, scanner, signing_key, people):
    give_code(people["operator"])
    token = phone_pass(signing_key, people["operator"])
    other = make_gate(org, plant, name="二号门")
    other_device = enrol(other, "二号门扫码")

    by_device(gate, scanner, token=token)
    again_here, created = by_device(gate, scanner, token=token, direction="out")
    error = assert_refused_unrecorded(
        "pass_replayed", lambda: by_device(other, other_device, token=token)
    )

    assert created is True and again_here.direction == "out"
    assert error.status == 409


def test_a_replayed_pass_from_an_offline_queue_is_recorded_refused_not_dropped(
    org, plant, gate, scanner, signing_key, people
):
    # The other gate's scanner was offline: it let the person in on its own judgement and
    # sends the scan later. The gate acted on it, so the passage is kept, refused as a replay,
    # with the device's decision beside it.
    give_code(people["operator"])
    token = phone_pass(signing_key, people["operator"])
    other = make_gate(org, plant, name="二号门")
    other_device = enrol(other, "二号门扫码")
    by_device(gate, scanner, token=token)

    passage, created = by_device(other, other_device, token=token, device_decision="allow")

    assert created is True
    assert (passage.decision, passage.reason, passage.device_decision) == (
        "refuse",
        "expired",
        "allow",
    )
    assert passage.person == people["operator"]
    assert Passage.objects.filter(gate=other).count() == 1


def test_a_scan_time_far_ahead_is_refused(gate, scanner, signing_key, people):
    token = phone_pass(signing_key, people["operator"])

    error = assert_refused_unrecorded(
        "invalid",
        lambda: by_device(gate, scanner, token=token, at=NOON + dt.timedelta(minutes=11)),
    )
    assert set(error.fields) == {"at"}


def test_a_device_of_another_gate_or_a_stranger_may_not_scan_here(
    org, plant, gate, signing_key, people, staff_user
):
    other_device = enrol(make_gate(org, plant, name="二号门"), "二号门扫码")
    token = phone_pass(signing_key, people["operator"])

    assert_refused_unrecorded("wrong_gate", lambda: by_device(gate, other_device, token=token))
    assert_refused_unrecorded(
        "forbidden", lambda: scan(gate, token=token, key=new_key(), guard=staff_user)
    )


def test_a_guard_of_the_site_and_a_team_member_may_scan(
    org, gate, signing_key, people, guard_user, staff_user
):
    from headwater.access.models import GateTeam, GateTeamMember

    give_code(people["head"])
    team = GateTeam.objects.create(organization=org, gate=gate, name="一班")
    GateTeamMember.objects.create(organization=org, team=team, person=staff_user.person)

    by_guard, _ = scan(gate, staff_number="E1", key=new_key(), guard=guard_user)
    by_member, _ = scan(gate, staff_number="E1", key=new_key(), guard=staff_user)

    assert (by_guard.guard, by_member.guard) == (guard_user, staff_user)
    assert by_guard.device is None


def test_an_offline_decision_that_differs_is_kept(gate, scanner, signing_key, people):
    give_code(people["operator"], "red")
    token = phone_pass(signing_key, people["operator"])

    differs, _ = by_device(gate, scanner, token=token, device_decision="allow")
    same, _ = by_device(gate, scanner, token=token, device_decision="refuse")

    assert (differs.decision, differs.device_decision) == ("refuse", "allow")
    assert same.device_decision == ""
    assert clock.now() == NOON


def test_the_gates_a_user_may_scan_at(org, tree, gate, guard_user, office_user, staff_user):
    from headwater.access.scan_reads import scannable_gates

    other = make_gate(org, SiteFactory(organization=org, unit=tree["plant2"]), name="二厂门")

    assert list(scannable_gates(guard_user)) == [gate]
    assert set(scannable_gates(office_user)) == {gate, other}
    assert list(scannable_gates(staff_user)) == []
