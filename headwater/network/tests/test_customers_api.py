"""The critical customers' API (/api/v1/network): the registry and the board, in the one
error shape; 403 for roles without the network, 404 for another organization's customer."""

import json

import pytest

from headwater.network.models import CriticalCustomer
from headwater.network.tests.factories_customers import make_customer, make_model, make_order
from headwater.network.tests.fixtures_customers import *  # noqa: F403

pytestmark = pytest.mark.django_db
API = "/api/v1/network"
BODY = {
    "name": "市疾病预防控制中心",
    "kind": "cdc",
    "nodes": ["J2"],
    "feeds": 1,
    "min_pressure": 22,
    "duty_phone": "0731-84460119",
}


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_the_office_registers_a_customer_and_a_retry_answers_it(client, org, office_user):
    make_model(org)
    client.force_login(office_user)
    created = post(client, f"{API}/customers", BODY, **{"Idempotency-Key": "k1"})
    assert created.status_code == 201
    body = created.json()
    assert body | {"id": 0} == {
        "id": 0,
        "name": "市疾病预防控制中心",
        "kind": "cdc",
        "kind_label": "疾控中心",
        "address": "",
        "contact": "",
        "contact_phone": "",
        "duty_phone": "0731-84460119",
        "nodes": ["J2"],
        "feeds": 1,
        "min_pressure": 22.0,
        "x": 200.0,
        "y": 0.0,
        "pressure_point_id": None,
        "note": "",
        "active": True,
    }
    again = post(client, f"{API}/customers", BODY, **{"Idempotency-Key": "k1"})
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    assert CriticalCustomer.objects.count() == 1


def test_unknown_nodes_are_refused_in_the_error_shape(client, org, office_user):
    make_model(org)
    client.force_login(office_user)
    response = post(client, f"{API}/customers", BODY | {"nodes": ["J2", "NOPE"]})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "network_unknown_node"
    assert "NOPE" in response.json()["error"]["fields"]["nodes"]
    assert CriticalCustomer.objects.count() == 0


def test_a_patch_changes_the_fields_sent_and_deactivate_takes_it_off(client, org, office_user):
    customer = make_customer(org, name="隔离酒店", kind="quarantine_hotel")
    client.force_login(office_user)
    changed = patch(client, f"{API}/customers/{customer.pk}", {"feeds": 2, "contact": "王经理"})
    assert (changed.status_code, changed.json()["feeds"], changed.json()["contact"]) == (
        200,
        2,
        "王经理",
    )
    gone = client.post(f"{API}/customers/{customer.pk}/deactivate")
    assert (gone.status_code, gone.json()["active"]) == (200, False)
    listed = client.get(f"{API}/customers?active=false").json()
    assert [c["name"] for c in listed["items"]] == ["隔离酒店"]
    assert client.get(f"{API}/board").json()["counts"]["total"] == 0


def test_a_null_name_is_refused(client, org, office_user):
    customer = make_customer(org)
    client.force_login(office_user)
    response = patch(client, f"{API}/customers/{customer.pk}", {"name": None})
    assert response.status_code in (400, 422)
    customer.refresh_from_db()
    assert customer.name == "市第一人民医院"


def test_the_board_answers_states_with_reasons(client, org, dispatcher_user):
    hospital = make_customer(org, name="市第一人民医院", feeds=2)
    make_customer(org, name="电信机房", kind="telecom", feeds=2)
    order = make_order(org, critical=[(hospital, "cut")])
    client.force_login(dispatcher_user)
    board = client.get(f"{API}/board").json()
    assert board["counts"] == {"total": 2, "fed": 1, "at_risk": 0, "cut": 1}
    first = board["items"][0]
    assert (first["customer"]["name"], first["state"], first["reasons"]) == (
        "市第一人民医院",
        "cut",
        [f"工单 {order.number} 关阀停水"],
    )
    assert first["orders"][0]["effect"] == "cut"
    only_cut = client.get(f"{API}/board?state=cut").json()
    assert [i["customer"]["name"] for i in only_cut["items"]] == ["市第一人民医院"]
    telecom = client.get(f"{API}/board?kind=telecom").json()
    assert telecom["counts"]["total"] == 1


def test_a_dispatcher_may_read_but_not_register(client, org, dispatcher_user):
    client.force_login(dispatcher_user)
    response = post(client, f"{API}/customers", BODY)
    assert response.status_code == 403
    assert CriticalCustomer.objects.count() == 0


@pytest.mark.parametrize("who", ["unit_head_user", "staff_user"])
def test_roles_without_the_network_get_nothing(client, org, request, who):
    customer = make_customer(org)
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"{API}/customers").status_code == 403
    assert client.get(f"{API}/board").status_code == 403
    assert client.get(f"{API}/customers/{customer.pk}").status_code == 403
    assert post(client, f"{API}/customers", BODY).status_code == 403
    assert client.post(f"{API}/customers/{customer.pk}/deactivate").status_code == 403
    customer.refresh_from_db()
    assert customer.active is True


def test_another_organizations_customer_is_not_found(client, org, outsider):
    customer = make_customer(org)
    client.force_login(outsider)
    assert client.get(f"{API}/customers/{customer.pk}").status_code == 404
    assert patch(client, f"{API}/customers/{customer.pk}", {"feeds": 2}).status_code == 404
    assert client.post(f"{API}/customers/{customer.pk}/deactivate").status_code == 404
    assert client.get(f"{API}/board").json()["items"] == []
    customer.refresh_from_db()
    assert (customer.feeds, customer.active) == (1, True)
