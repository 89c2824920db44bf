"""The ranking API: GET /api/v1/network/criticality (paged, filtered), /criticality/state,
/customers/{id}/risks and POST /criticality/recompute; staff and unit heads refused (403),
another organization's customer not found (404), nothing changed."""

import datetime as dt

import pytest
import time_machine

from headwater.network import graph
from headwater.network.models import NetworkModel, PipeRank
from headwater.network.services import ranking
from headwater.network.tests.factories_ranking import customer, hand_customers, ranking_model

pytestmark = pytest.mark.django_db
API = "/api/v1/network"
T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fresh_topologies():
    graph.forget()
    yield
    graph.forget()


@pytest.fixture
def ranked(org):
    model = ranking_model(org)
    with time_machine.travel(T0, tick=False):
        customers = hand_customers(org)
        ranking.compute(model)
    model.refresh_from_db()
    return model, customers


def test_the_ranking_is_listed_in_order_with_customers(client, office_user, ranked):
    _model, c = ranked
    client.force_login(office_user)

    answer = client.get(f"{API}/criticality")

    data = answer.json()
    assert answer.status_code == 200
    assert data["count"] == 8
    assert [(i["pipe"], i["score"]) for i in data["items"][:4]] == [
        ("P1", 23.0),
        ("P6", 18.5),
        ("P8", 18.5),
        ("P7", 18.5),
    ]
    p6 = data["items"][1]
    assert [x["id"] for x in p6["cut"]] == [c["hospital"].pk, c["telecom"].pk]
    assert [(x["id"], x["kind"]) for x in p6["low"]] == [(c["clinic"].pk, "fever_clinic")]
    assert (p6["nodes_cut"], p6["demand_cut"], p6["population_cut"]) == (3, 6.0, 2500)
    assert (p6["diameter"], p6["burst_url"]) == (300.0, "/network/burst/?pipe=P6")


def test_filters_and_pages(client, office_user, ranked):
    client.force_login(office_user)

    telecom = client.get(f"{API}/criticality", {"kind": "telecom", "min_dn": 250}).json()
    second = client.get(f"{API}/criticality", {"page": 2, "page_size": 3}).json()
    too_big = client.get(f"{API}/criticality", {"min_dn": 10**9})

    assert [i["pipe"] for i in telecom["items"]] == ["P1", "P6"]
    assert (second["count"], [i["pipe"] for i in second["items"]]) == (8, ["P7", "P2", "P3"])
    assert too_big.status_code == 422
    assert too_big.json()["error"]["code"]


def test_a_customers_risks(client, office_user, ranked):
    _model, c = ranked
    client.force_login(office_user)

    data = client.get(f"{API}/customers/{c['clinic'].pk}/risks").json()

    assert data["customer"]["name"] == "发热门诊"
    assert [r["pipe"] for r in data["cut"]] == ["P1"]
    assert [r["pipe"] for r in data["low"]] == ["P6", "P8", "P7"]


def test_state_and_recompute(client, office_user, ranked, django_capture_on_commit_callbacks):
    model, _c = ranked
    client.force_login(office_user)
    state = client.get(f"{API}/criticality/state").json()
    customer(model.organization, "疾控中心", "cdc", ["J2"])

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(f"{API}/criticality/recompute", headers={"Idempotency-Key": "r1"})
    with django_capture_on_commit_callbacks(execute=True) as replay:
        again = client.post(f"{API}/criticality/recompute", headers={"Idempotency-Key": "r1"})

    assert (state["model"], state["pending"]) == (model.pk, False)
    assert state["ranked_at"] == "2026-03-10T09:00:00Z"
    assert (asked.status_code, asked.json()["pending"]) == (202, True)  # queued, then ran
    assert (again.status_code, len(replay)) == (200, 0)
    assert PipeRank.objects.get(model=model, link="P1").score == 31.0
    assert client.get(f"{API}/criticality/state").json()["pending"] is False


def test_without_a_model_the_list_is_empty_and_state_is_409(client, office_user):
    client.force_login(office_user)

    assert client.get(f"{API}/criticality").json() == {"items": [], "count": 0}
    refused = client.get(f"{API}/criticality/state")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "network_no_model")
    assert client.post(f"{API}/criticality/recompute").status_code == 409


def test_staff_and_unit_heads_are_refused(client, staff_user, unit_head_user, ranked):
    _model, c = ranked
    for user in (staff_user, unit_head_user):
        client.force_login(user)
        assert client.get(f"{API}/criticality").status_code == 403
        assert client.get(f"{API}/criticality/state").status_code == 403
        assert client.get(f"{API}/customers/{c['clinic'].pk}/risks").status_code == 403
        assert client.post(f"{API}/criticality/recompute").status_code == 403
    assert NetworkModel.objects.get().ranking_wanted_at == T0


def test_another_organization_sees_nothing_of_ours(client, outsider, ranked):
    _model, c = ranked
    client.force_login(outsider)

    assert client.get(f"{API}/customers/{c['clinic'].pk}/risks").status_code == 404
    assert client.get(f"{API}/criticality").json() == {"items": [], "count": 0}
    assert client.post(f"{API}/criticality/recompute").status_code == 409
    assert NetworkModel.objects.get().ranking_wanted_at == T0
