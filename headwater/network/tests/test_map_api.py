"""The map's API: the current model's geometry as compact arrays, a pipe's burst impact, and
their refusals (no model, unknown pipe, a role without the network, another organization)."""

import pytest

from headwater.network.models import WorkOrder
from headwater.network.tests.factories_map import small_model
from headwater.network.tests.fixtures_map import *  # noqa: F403 (the map fixtures)

pytestmark = pytest.mark.django_db
MAP = "/api/v1/network/map"
BURST = "/api/v1/network/burst"


def test_the_map_is_the_current_model_in_compact_arrays(client, office_user, small, hospital):
    client.force_login(office_user)
    response = client.get(MAP)
    assert response.status_code == 200
    body = response.json()
    assert (body["model"], body["version"]) == (small.pk, 1)
    nodes = {n[0]: n for n in body["nodes"]}
    assert sorted(nodes) == ["J1", "J2", "J3", "J4", "J5", "R1"]
    assert nodes["R1"][:4] == ["R1", "reservoir", 0.0, 0.0]
    assert nodes["J5"][:6] == ["J5", "junction", 100.0, -100.0, 10.0, 1.0]
    links = {link[0]: link for link in body["links"]}
    assert links["P3"] == ["P3", "pipe", "J2", "J3", 200.0, [[250.0, 20.0]], 100.0, "DI", "open"]
    assert body["valves"] == [["V1", "P2", "J1"], ["V2", "P3", "J2"]]
    (c,) = body["customers"]
    assert (c["name"], c["nodes"], c["state"], c["duty_phone"]) == (
        "市第一人民医院",
        ["J3"],
        "fed",
        "0571-87001111",
    )
    assert body["work_orders"] == []


def test_an_older_version_is_not_drawn(client, office_user, org, small):
    newer = small_model(org)
    client.force_login(office_user)
    assert client.get(MAP).json()["model"] == newer.pk


def test_without_a_model_the_map_answers_no_model(client, office_user):
    client.force_login(office_user)
    response = client.get(MAP)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "network_no_model"
    assert client.get(BURST, {"pipe": "P2"}).json()["error"]["code"] == "network_no_model"


def test_a_member_of_staff_may_not_see_the_map(client, staff_user, small):
    client.force_login(staff_user)
    assert client.get(MAP).status_code == 403
    assert client.get(BURST, {"pipe": "P2"}).status_code == 403
    assert client.get("/network/").status_code == 403


def test_another_organization_sees_its_own_lack_of_a_model_not_ours(client, outsider, small):
    client.force_login(outsider)
    response = client.get(MAP)
    assert response.status_code == 404
    assert "P2" not in response.content.decode()


def test_a_customer_cut_by_an_active_work_order_is_cut_on_the_map(
    client, office_user, org, small, hospital, clinic
):
    impact = {
        "critical": [{"id": hospital.pk, "effect": "cut"}, {"id": clinic.pk, "effect": "low"}]
    }
    WorkOrder.objects.create(
        organization=org, number="GD1", kind="burst", title="爆管", link="P2", impact=impact
    )
    client.force_login(office_user)
    body = client.get(MAP).json()
    states = {c["name"]: c["state"] for c in body["customers"]}
    assert states == {"市第一人民医院": "cut", "城东发热门诊": "at_risk"}
    (order,) = body["work_orders"]
    assert (order["number"], order["link"], order["state"]) == ("GD1", "P2", "open")


def test_a_burst_answers_the_valves_the_segment_and_the_unintended_isolation(
    client, dispatcher_user, small, hospital, clinic
):
    client.force_login(dispatcher_user)
    response = client.get(BURST, {"pipe": "P2", "hydraulic": "false"})
    assert response.status_code == 200
    body = response.json()
    assert body["pipe"] == "P2"
    assert sorted((v["link"], v["node"]) for v in body["valves"]) == [("P2", "J1"), ("P3", "J2")]
    assert body["segment"]["links"] == ["P2"]
    assert sorted(body["cut_nodes"]) == ["J2", "J3", "J4"]
    assert sorted(body["unintended_nodes"]) == ["J3", "J4"]
    assert body["demand"] == pytest.approx(3.0)
    assert [(c["name"], c["effect"]) for c in body["critical"]] == [("市第一人民医院", "cut")]
    assert body["critical"][0]["duty_phone"] == "0571-87001111"
    assert body["hydraulic"] is None


def test_a_burst_with_the_hydraulic_check_lists_what_loses_water(client, office_user, small):
    client.force_login(office_user)
    body = client.get(BURST, {"pipe": "P2"}).json()
    assert body["hydraulic"] is not None
    assert "J5" not in body["hydraulic"]["lost"]


@pytest.mark.parametrize(
    ("pipe", "code"), [("P99", "network_unknown_link"), ("J1", "network_unknown_link")]
)
def test_a_burst_on_a_pipe_the_model_lacks_is_refused(client, office_user, small, pipe, code):
    client.force_login(office_user)
    response = client.get(BURST, {"pipe": pipe})
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"] == code


def test_a_burst_needs_a_pipe(client, office_user, small):
    client.force_login(office_user)
    assert client.get(BURST).status_code == 422
    assert client.get(BURST, {"pipe": "x" * 65}).status_code == 422


def test_without_a_model_the_pages_say_so(client, office_user):
    client.force_login(office_user)
    for url in ("/network/", "/network/burst/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "还没有管网模型" in response.content.decode()
