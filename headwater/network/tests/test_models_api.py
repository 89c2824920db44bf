"""The network models API (/api/v1/network/models): upload (multipart; 201 new, 200 the same
file), a refused file in the one error shape with the line and nothing changed, detail,
make current, generate and list the valve layer, nodes and links paged; 403 for a
dispatcher writing, 404 across organizations."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from headwater.network.models import Link, NetworkModel, Node, Valve
from headwater.network.tests.factories_models import bad_bytes, make_model, network_bytes
from headwater.network.tests.fixtures_models import *  # noqa: F403 (the models fixtures)

pytestmark = pytest.mark.django_db
API = "/api/v1/network/models"


def upload(client, content: bytes, name="Net1.inp", **data):
    return client.post(API, {"file": SimpleUploadedFile(name, content), **data})


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_office_uploads_a_model_and_the_same_file_again_answers_200(client, office_user):
    client.force_login(office_user)
    created = upload(client, network_bytes("Net1"), name="Net1.inp", note="第一版")
    assert created.status_code == 201
    body = created.json()
    assert body | {"id": 0, "uploaded_at": "", "ranking_wanted_at": ""} == {
        "id": 0,
        "version": 1,
        "name": "EPANET Example Network 1",
        "filename": "Net1.inp",
        "title": "EPANET Example Network 1 A simple example of modeling chlorine decay. Both "
        "bulk and wall reactions are included.",
        "flow_units": "GPM",
        "nodes": 11,
        "links": 13,
        "valves": 0,
        "valve_layer": "",
        "valve_layer_label": "",
        "valve_layer_note": "",
        "current": True,
        "note": "第一版",
        "uploaded_at": "",
        "ranking_wanted_at": "",
        "ranked_at": None,
    }
    again = upload(client, network_bytes("Net1"), name="copy.inp")
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    listed = client.get(API).json()
    assert (listed["count"], listed["items"][0]["id"]) == (1, body["id"])


def test_a_bad_file_answers_400_with_the_line_and_changes_nothing(client, office_user, net1):
    client.force_login(office_user)
    response = upload(client, bad_bytes("bad_values"), name="bad.inp")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "network_bad_model_file"
    assert "第 56 行" in error["message"] and error["fields"] == {"file": error["message"]}
    assert (NetworkModel.objects.count(), Node.objects.count(), Link.objects.count()) == (1, 11, 13)
    assert NetworkModel.objects.get(current=True).pk == net1.pk


def test_the_same_idempotency_key_uploads_once(client, office_user):
    client.force_login(office_user)
    first = client.post(
        API, {"file": SimpleUploadedFile("a.inp", network_bytes("Net1"))}, HTTP_IDEMPOTENCY_KEY="u1"
    )
    second = client.post(
        API, {"file": SimpleUploadedFile("b.inp", network_bytes("Net3"))}, HTTP_IDEMPOTENCY_KEY="u1"
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert NetworkModel.objects.count() == 1


def test_generate_list_valves_nodes_links_and_make_current(client, office_user, org, net1):
    client.force_login(office_user)
    generated = post(
        client, f"{API}/{net1.pk}/valves/generate", {"placement": "strategic", "n": 1, "seed": 0}
    )
    assert generated.status_code == 200
    assert (generated.json()["valve_layer"], generated.json()["valve_layer_note"]) == (
        "strategic",
        "N-1, seed 0",
    )
    valves = client.get(f"{API}/{net1.pk}/valves").json()
    assert valves["count"] == Valve.objects.filter(model=net1).count() == generated.json()["valves"]
    nodes = client.get(f"{API}/{net1.pk}/nodes", {"page_size": 5}).json()
    assert (nodes["count"], len(nodes["items"])) == (11, 5)
    assert nodes["items"][0] | {"demand": 0} == {
        "name": "10",
        "kind": "junction",
        "x": 20.0,
        "y": 70.0,
        "elevation": 216.408,
        "demand": 0,
        "customers": 0,
        "population": 0,
    }
    links = client.get(f"{API}/{net1.pk}/links").json()
    assert links["count"] == 13
    assert links["items"][0] == {
        "name": "10",
        "kind": "pipe",
        "start": "10",
        "end": "11",
        "diameter": 457.2,
        "length": 3209.544,
        "material": "",
        "status": "open",
        "vertices": [],
    }
    second = make_model(org, office_user, "Net3")
    back = post(client, f"{API}/{net1.pk}/current")
    assert (back.status_code, back.json()["current"]) == (200, True)
    assert client.get(f"{API}/{second.pk}").json()["current"] is False


def test_a_bad_generation_answers_in_the_error_shape(client, office_user, net1):
    client.force_login(office_user)
    response = post(client, f"{API}/{net1.pk}/valves/generate", {"placement": "strategic", "n": 9})
    assert response.status_code == 400
    assert (response.json()["error"]["code"], list(response.json()["error"]["fields"])) == (
        "network_bad_valve_layer",
        ["n"],
    )
    assert Valve.objects.count() == 0


def test_a_dispatcher_reads_but_may_not_write(client, dispatcher_user, net1):
    client.force_login(dispatcher_user)
    assert client.get(f"{API}/{net1.pk}").status_code == 200
    refused = [
        upload(client, network_bytes("Net3"), name="Net3.inp"),
        post(client, f"{API}/{net1.pk}/valves/generate", {"placement": "strategic"}),
        post(client, f"{API}/{net1.pk}/current"),
    ]
    assert [(r.status_code, r.json()["error"]["code"]) for r in refused] == [(403, "forbidden")] * 3
    assert (NetworkModel.objects.count(), Valve.objects.count()) == (1, 0)


def test_another_organization_gets_404_and_an_empty_list(client, outsider, net1):
    client.force_login(outsider)
    assert client.get(API).json() == {"items": [], "count": 0}
    for path in ("", "/nodes", "/links", "/valves"):
        assert client.get(f"{API}/{net1.pk}{path}").status_code == 404
    assert post(client, f"{API}/{net1.pk}/current").status_code == 404
    assert post(client, f"{API}/{net1.pk}/valves/generate").status_code == 404
    assert Valve.objects.count() == 0


def test_staff_without_the_network_see_nothing(client, staff_user, net1):
    client.force_login(staff_user)
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}/{net1.pk}").status_code == 404
