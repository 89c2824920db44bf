# ruff: noqa: F811 (pytest fixtures imported by name and taken as arguments)
"""The scan API: 201 then 200 for a replay, refusals in the one error shape with nothing
written, the batch of queued scans (duplicates, out-of-order times, a bad item beside good
ones), device auth (a revoked device 401, a device without a post 403, another
organization's pass 400), the scanner's sync, and the scope of /passages."""

import datetime as dt

import pytest
import time_machine

from headwater.access.models import Passage
from headwater.access.tests.factories_scan import (  # noqa: F401 (fixtures)
    bearer,
    enrol,
    gate,
    give_code,
    guard_user,
    make_card,
    make_gate,
    phone_pass,
    plant,
    scanner,
    signing_key,
)
from headwater.alerts.models import Alert
from headwater.core import devices
from headwater.core.models import DeviceToken
from headwater.core.tests.factories import SiteFactory

API = "/api/v1/access"
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def noon():
    with time_machine.travel(NOON, tick=False):
        yield


def post(client, path, body, headers):
    return client.post(f"{API}{path}", body, content_type="application/json", **headers)


def test_a_scan_answers_201_then_200_for_its_replay(client, bearer, signing_key, people, gate):
    give_code(people["operator"])
    body = {
        "token": phone_pass(signing_key, people["operator"]),
        "key": "k-000001",
        "temperature": "36.5",
        "at": NOON.isoformat(),
        "gate_id": 999999,
    }

    first = post(client, "/scans", body, bearer)
    again = post(client, "/scans", body, bearer)

    assert (first.status_code, again.status_code) == (201, 200)
    data = first.json()
    assert data == {
        "id": data["id"],
        "created": True,
        "decision": "allow",
        "reason": "",
        "reason_label": "",
        "person": {"id": people["operator"].pk, "name": "李操作", "unit": "运行甲班"},
        "visit": None,
        "colour": "green",
        "slot": None,
        "at": "2026-03-02T12:00:00+08:00",
        "gate": {"id": gate.pk, "name": "一号门"},
    }
    assert again.json() == {**data, "created": False}
    assert Passage.objects.count() == 1


def test_the_reason_label_follows_the_request_language(client, bearer, signing_key, people):
    give_code(people["operator"], "red")
    body = {"token": phone_pass(signing_key, people["operator"]), "key": "k-000002"}

    chinese = post(client, "/scans", body, bearer).json()
    english = post(
        client, "/scans", {**body, "key": "k-000003"}, {**bearer, "HTTP_ACCEPT_LANGUAGE": "en"}
    ).json()

    assert (chinese["reason"], chinese["colour"]) == ("red_code", "red")
    assert chinese["reason_label"] == "红码"
    assert english["reason_label"] == "Red code"


@pytest.mark.parametrize(
    ("token", "status", "code"),
    [("HW1.garbage.sig", 400, "pass_invalid"), ("", 400, "invalid")],
)
def test_a_bad_pass_is_the_error_shape_and_changes_nothing(client, bearer, token, status, code):
    r = post(client, "/scans", {"token": token, "key": "k-000004"}, bearer)

    assert r.status_code == status
    assert r.json()["error"]["code"] == code
    assert Passage.objects.count() == 0


def test_a_temperature_outside_the_body_range_is_refused_and_records_nothing(client, bearer):
    r = post(
        client, "/scans", {"staff_number": "E1", "key": "k-000009", "temperature": "42.6"}, bearer
    )

    assert r.status_code == 400
    assert r.json()["error"]["fields"] == {
        "temperature": "42.6 °C 超出 34.0–42.5 °C 范围，请重新测量。"
    }
    assert Passage.objects.count() == 0


def test_a_short_key_is_refused(client, bearer):
    r = post(client, "/scans", {"staff_number": "E1", "key": "short"}, bearer)

    assert r.status_code == 422
    assert set(r.json()["error"]["fields"]) == {"key"}
    assert Passage.objects.count() == 0


def test_a_revoked_device_is_401_and_records_nothing(client, scanner, bearer, office_user):
    devices.revoke(scanner[0], by=office_user)

    r = post(client, "/scans", {"staff_number": "E1", "key": "k-000005"}, bearer)

    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthenticated"
    assert Passage.objects.count() == 0


def test_a_device_without_a_post_is_refused(client, org, people):
    _device, raw = DeviceToken.issue(org, "未登记扫码枪")

    r = post(
        client,
        "/scans",
        {"staff_number": "E1", "key": "k-000006"},
        {"HTTP_AUTHORIZATION": f"Bearer {raw}"},
    )

    assert (r.status_code, r.json()["error"]["code"]) == (403, "wrong_gate")
    assert Passage.objects.count() == 0


def test_a_device_of_another_organization_cannot_pass_our_people(
    client, outsider, signing_key, people
):
    from headwater.access.tests.factories_scan import make_gate as gate_of

    foreign_site = SiteFactory(organization=outsider.organization, name="外地厂")
    _device, raw = enrol(gate_of(outsider.organization, foreign_site))
    body = {"token": phone_pass(signing_key, people["operator"]), "key": "k-000007"}

    r = post(client, "/scans", body, {"HTTP_AUTHORIZATION": f"Bearer {raw}"})

    assert (r.status_code, r.json()["error"]["code"]) == (400, "pass_invalid")
    assert Passage.objects.count() == 0


def test_a_guard_scans_with_a_session_at_their_site(client, guard_user, gate, people):
    give_code(people["head"])
    client.force_login(guard_user)

    r = post(client, "/scans", {"gate_id": gate.pk, "staff_number": "E1", "key": "k-000008"}, {})
    other = SiteFactory(organization=gate.organization, name="二水厂")
    elsewhere = make_gate(gate.organization, other, name="二厂门")
    refused = post(
        client, "/scans", {"gate_id": elsewhere.pk, "staff_number": "E1", "key": "k-000009"}, {}
    )
    missing = post(client, "/scans", {"staff_number": "E1", "key": "k-000010"}, {})

    assert r.status_code == 201
    assert Passage.objects.get().guard == guard_user
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    assert (missing.status_code, set(missing.json()["error"]["fields"])) == (400, {"gate_id"})
    assert Passage.objects.count() == 1


def test_a_batch_takes_each_item_on_its_own(client, bearer, signing_key, people):
    give_code(people["operator"])
    give_code(people["head"])
    early = NOON - dt.timedelta(minutes=40)
    with time_machine.travel(early, tick=False):
        old_token = phone_pass(signing_key, people["operator"])
    items = [
        {
            "staff_number": "E1",
            "key": "b-000001",
            "at": (NOON - dt.timedelta(minutes=5)).isoformat(),
        },
        {
            "token": old_token,
            "key": "b-000002",
            "at": (early + dt.timedelta(seconds=10)).isoformat(),
            "temperature": "38.2",
        },
        {
            "staff_number": "E1",
            "key": "b-000001",
            "at": (NOON - dt.timedelta(minutes=5)).isoformat(),
        },
        {"token": "HW1.x.y", "key": "b-000003"},
        {"key": "b-000004", "temperature": "99"},
        {
            "token": old_token,
            "key": "b-000002",
            "at": (early + dt.timedelta(seconds=10)).isoformat(),
            "temperature": "38.2",
        },
    ]

    r = post(client, "/scans/batch", {"items": items}, bearer)

    assert r.status_code == 200
    answers = r.json()["items"]
    assert [(a["key"], a["ok"]) for a in answers] == [
        ("b-000001", True),
        ("b-000002", True),
        ("b-000001", True),
        ("b-000003", False),
        ("b-000004", False),
        ("b-000002", True),
    ]
    assert [a["result"]["created"] for a in answers if a["ok"]] == [True, True, False, False]
    assert answers[1]["result"]["reason"] == "fever"
    assert answers[3]["error"]["code"] == "pass_invalid"
    assert answers[4]["error"]["code"] == "invalid"
    assert Passage.objects.count() == 2
    assert sorted(Passage.objects.values_list("at", flat=True)) == [
        early + dt.timedelta(seconds=10),
        NOON - dt.timedelta(minutes=5),
    ]
    assert Alert.objects.filter(kind="access.fever").count() == 1


def test_a_batch_over_200_items_is_refused(client, bearer):
    items = [{"staff_number": "E1", "key": f"b-{i:06d}"} for i in range(201)]

    r = post(client, "/scans/batch", {"items": items}, bearer)

    assert r.status_code == 422
    assert Passage.objects.count() == 0


def test_the_scanner_sync_carries_what_an_offline_decision_needs(
    client, bearer, signing_key, people, gate, org
):
    give_code(people["operator"], "red")
    give_code(people["head"])
    _card, _token = make_card(signing_key, people["clerk"], revoked=True)

    r = client.get(f"{API}/scanner/sync", **bearer)

    assert r.status_code == 200
    data = r.json()
    assert data["organization_id"] == org.pk
    assert data["gate"] == {
        "id": gate.pk,
        "name": "一号门",
        "kind": "gate",
        "site_id": gate.site_id,
        "site_name": "一水厂",
        "checks_temperature": True,
        "closed_to_outsiders": False,
    }
    assert data["keys"] == {signing_key.key_id: signing_key.public_key}
    assert data["revoked_cards"] == [f"C{people['clerk'].pk:06d}"]
    assert data["codes"] == {str(people["operator"].pk): "red"}
    assert (data["fever_tenths"], data["pass_seconds"], data["slots"]) == (373, 60, {})
    assert data["people"][str(people["head"].pk)] == ["王厂长", "第一水厂"]
    assert "private_key" not in r.content.decode()


def test_the_sync_needs_a_device_or_a_guard_of_the_post(client, gate, staff_user, guard_user):
    assert client.get(f"{API}/scanner/sync").status_code == 401
    client.force_login(staff_user)
    assert client.get(f"{API}/scanner/sync?gate_id={gate.pk}").status_code == 403
    client.force_login(guard_user)
    assert client.get(f"{API}/scanner/sync?gate_id={gate.pk}").status_code == 200


def test_passages_are_listed_within_the_callers_scope(
    client, bearer, people, gate, office_user, unit_head_user, staff_user, outsider, org, tree
):
    give_code(people["operator"])
    post(client, "/scans", {"staff_number": "E2", "key": "p-000001"}, bearer)
    post(client, "/scans", {"staff_number": "E3", "key": "p-000002"}, bearer)
    elsewhere = make_gate(org, SiteFactory(organization=org, unit=tree["plant2"]), name="二厂门")
    _dev, raw = enrol(elsewhere, "二厂扫码")
    post(
        client,
        "/scans",
        {"staff_number": "E4", "key": "p-000003"},
        {"HTTP_AUTHORIZATION": f"Bearer {raw}"},
    )

    def names(user, query=""):
        client.force_login(user)
        r = client.get(f"{API}/passages{query}")
        assert r.status_code == 200
        return sorted(i["person"]["name"] for i in r.json()["items"])

    assert names(office_user) == ["李操作", "赵二厂", "钱文员"]
    assert names(office_user, f"?gate={gate.pk}&decision=refuse") == ["赵二厂"]
    assert names(office_user, "?day=2026-03-01") == []
    assert names(unit_head_user) == ["李操作", "赵二厂"]  # plant 1's gate only
    assert names(staff_user) == ["李操作"]  # their own
    assert names(outsider) == []
    client.logout()
    assert client.get(f"{API}/passages").status_code == 401
    assert client.get(f"{API}/passages", **bearer).status_code == 401


def test_a_canteen_scanner_syncs_todays_slot_of_each_person(client, org, tree, people):
    from headwater.access.choices import GateKind
    from headwater.access.models import DiningGroup, MealSlot

    canteen = SiteFactory(organization=org, unit=tree["company"], name="职工食堂", kind="canteen")
    for i, start in enumerate([dt.time(11, 10), dt.time(11, 25), dt.time(11, 40)]):
        MealSlot.objects.create(
            organization=org,
            canteen=canteen,
            name=f"第{i + 1}批",
            starts=start,
            minutes=15,
            capacity=100,
            position=i,
        )
    yesterday = NOON.date() - dt.timedelta(days=1)
    DiningGroup.objects.create(
        organization=org, canteen=canteen, unit=tree["plant1"], position=0, starts_on=yesterday
    )
    DiningGroup.objects.create(
        organization=org,
        canteen=canteen,
        unit=tree["plant2"],
        position=2,
        starts_on=yesterday,
        rotates=False,
    )
    _device, raw = enrol(make_gate(org, canteen, kind=GateKind.CANTEEN, name="食堂门"))

    data = client.get(f"{API}/scanner/sync", HTTP_AUTHORIZATION=f"Bearer {raw}").json()

    assert data["gate"]["kind"] == "canteen"
    assert data["slots"] == {
        str(people["head"].pk): ["11:25", 15],  # plant 1 rotated one slot on
        str(people["operator"].pk): ["11:25", 15],  # shift A eats with plant 1
        str(people["other_plant"].pk): ["11:40", 15],
    }
