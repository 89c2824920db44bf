"""The network's work orders through the API and the pages: opened from a burst (its impact
kept), by the roles that may, once per key; moved on open → isolated → repaired → closed,
a retry changing nothing; another organization's work order is not there."""

import pytest

from headwater.core.tests.factories import OrganizationFactory
from headwater.network.models import WorkOrder
from headwater.network.tests.fixtures_map import *  # noqa: F403 (the map fixtures)

pytestmark = pytest.mark.django_db
ORDERS = "/api/v1/network/work-orders"


def _open(client, key="k-1", **body):
    payload = {"kind": "burst", "pipe": "P2"} | body
    return client.post(
        ORDERS, payload, content_type="application/json", headers={"Idempotency-Key": key}
    )


def _advance(client, order, to, note=""):
    return client.post(
        f"{ORDERS}/{order.pk}/advance", {"to": to, "note": note}, content_type="application/json"
    )


@pytest.fixture
def order(org, small):
    return WorkOrder.objects.create(
        organization=org, number="GD20200201-001", kind="burst", title="P2 爆管", link="P2"
    )


def test_a_dispatcher_opens_a_burst_work_order_with_its_impact(
    client, dispatcher_user, small, hospital
):
    client.force_login(dispatcher_user)
    response = _open(client)
    assert response.status_code == 201
    body = response.json()
    order = WorkOrder.objects.get()
    assert body["id"] == order.pk
    assert (order.kind, order.state, order.link, order.model_id) == (
        "burst",
        "open",
        "P2",
        small.pk,
    )
    assert order.title == "P2 管段爆管（DN200）"
    assert (order.x, order.y) == (150.0, 0.0)
    assert sorted(order.impact["cut_nodes"]) == ["J2", "J3", "J4"]
    assert [c["name"] for c in order.impact["critical"]] == ["市第一人民医院"]
    assert order.opened_by == dispatcher_user
    assert body["next_state"] == "isolated"


def test_a_retried_open_answers_the_first_work_order(client, dispatcher_user, small):
    client.force_login(dispatcher_user)
    first = _open(client, key="same")
    again = _open(client, key="same")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert WorkOrder.objects.count() == 1
    assert _open(client, key="other").status_code == 201
    assert WorkOrder.objects.count() == 2


def test_a_work_order_of_another_kind_sits_at_its_node(client, crew_user, small):
    client.force_login(crew_user)
    response = _open(client, kind="check", pipe="", node="J5", title="医院周边管线排查")
    assert response.status_code == 201
    order = WorkOrder.objects.get()
    assert (order.kind, order.node, order.x, order.y, order.impact) == (
        "check",
        "J5",
        100.0,
        -100.0,
        {},
    )


def test_a_burst_on_an_unknown_pipe_opens_nothing(client, dispatcher_user, small):
    client.force_login(dispatcher_user)
    response = _open(client, pipe="P99")
    assert response.status_code in (400, 404)
    assert response.json()["error"]["code"] == "network_unknown_link"
    assert WorkOrder.objects.count() == 0


def test_a_title_is_needed_for_a_work_order_that_is_not_a_burst(client, dispatcher_user, small):
    client.force_login(dispatcher_user)
    response = _open(client, kind="other", pipe="")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"title"}
    assert WorkOrder.objects.count() == 0


@pytest.mark.parametrize("who", ["staff_user", "unit_head_user"])
def test_roles_without_the_network_may_not_open_or_read_work_orders(
    client, request, small, order, who
):
    client.force_login(request.getfixturevalue(who))
    assert _open(client).status_code == 403
    assert client.get(ORDERS).status_code == 403
    assert client.get(f"{ORDERS}/{order.pk}").status_code in (403, 404)
    assert _advance(client, order, "isolated").status_code in (403, 404)
    assert WorkOrder.objects.count() == 1
    order.refresh_from_db()
    assert order.state == "open"


def test_another_organizations_work_order_is_not_found(client, outsider, order):
    client.force_login(outsider)
    assert client.get(f"{ORDERS}/{order.pk}").status_code == 404
    assert _advance(client, order, "isolated").status_code == 404
    assert client.get(ORDERS).json() == {"items": [], "count": 0}
    assert client.get(f"/network/work-orders/{order.pk}/").status_code == 404
    order.refresh_from_db()
    assert order.state == "open"


def test_a_work_order_moves_on_in_order_and_a_retry_changes_nothing(client, crew_user, order):
    client.force_login(crew_user)
    assert _advance(client, order, "isolated").json()["state"] == "isolated"
    again = _advance(client, order, "isolated")
    assert (again.status_code, again.json()["state"]) == (200, "isolated")
    assert _advance(client, order, "repaired").json()["next_state"] == "closed"
    closed = _advance(client, order, "closed").json()
    assert (closed["state"], closed["next_state"]) == ("closed", "")
    order.refresh_from_db()
    assert (order.state, order.closed_by) == ("closed", crew_user)
    assert order.closed_at is not None


def test_a_work_order_cannot_skip_the_isolation(client, crew_user, order):
    client.force_login(crew_user)
    response = _advance(client, order, "repaired")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "network_work_order_wrong_state"
    order.refresh_from_db()
    assert order.state == "open"


def test_closing_before_the_repair_needs_a_note(client, crew_user, order):
    client.force_login(crew_user)
    response = _advance(client, order, "closed")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"note"}
    order.refresh_from_db()
    assert order.state == "open"
    assert _advance(client, order, "closed", note="误报").json()["state"] == "closed"
    order.refresh_from_db()
    assert order.note == "误报"


def test_a_closed_work_order_stays_closed(client, crew_user, order):
    client.force_login(crew_user)
    _advance(client, order, "closed", note="误报")
    assert _advance(client, order, "isolated").status_code == 409
    assert _advance(client, order, "closed").json()["state"] == "closed"


def test_the_list_filters_by_state_and_kind(client, office_user, org, order):
    WorkOrder.objects.create(
        organization=org, number="GD2", kind="check", title="排查", state="closed"
    )
    other = OrganizationFactory(name="外地", slug="other-org")
    WorkOrder.objects.create(organization=other, number="GD3", kind="burst", title="外地工单")
    client.force_login(office_user)
    numbers = lambda **q: [o["number"] for o in client.get(ORDERS, q).json()["items"]]  # noqa: E731
    assert sorted(numbers()) == ["GD2", "GD20200201-001"]
    assert numbers(state="active") == ["GD20200201-001"]
    assert numbers(state="closed") == ["GD2"]
    assert numbers(kind="check") == ["GD2"]
    assert numbers(kind="burst", state="closed") == []


def test_the_list_page_shows_the_active_work_orders_by_default(client, crew_user, org, order):
    WorkOrder.objects.create(
        organization=org, number="GD2", kind="check", title="已关闭的排查", state="closed"
    )
    client.force_login(crew_user)
    page = client.get("/network/work-orders/").content.decode()
    assert "P2 爆管" in page and "已关闭的排查" not in page
    page = client.get("/network/work-orders/", {"state": "closed"}).content.decode()
    assert "P2 爆管" not in page and "已关闭的排查" in page


def test_the_detail_page_moves_the_work_order_on(client, crew_user, order):
    client.force_login(crew_user)
    url = f"/network/work-orders/{order.pk}/"
    assert "标记为“隔离”" in client.get(url).content.decode()
    response = client.post(url, {"to": "isolated"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == "isolated"
    assert client.post(url, {"to": "isolated"}).status_code == 302  # the same press again
    order.refresh_from_db()
    assert order.state == "isolated"
    refused = client.post(url, {"to": "closed"})
    assert refused.status_code == 400
    assert "请说明" in refused.content.decode()
    order.refresh_from_db()
    assert order.state == "isolated"


def test_the_burst_page_opens_the_work_order_once_per_key(client, dispatcher_user, small):
    client.force_login(dispatcher_user)
    page = client.get("/network/burst/", {"pipe": "P2"})
    assert page.status_code == 200
    first = client.post("/network/burst/", {"pipe": "P2", "key": "page-key", "note": "路人报告"})
    again = client.post("/network/burst/", {"pipe": "P2", "key": "page-key"})
    order = WorkOrder.objects.get()
    assert first["Location"] == again["Location"] == f"/network/work-orders/{order.pk}/"
    assert (order.link, order.note) == ("P2", "路人报告")


def test_a_leader_sees_the_burst_list_but_may_not_open_a_work_order(client, tree, small):
    from headwater.core.tests.factories import PersonFactory, make_user

    leader = make_user(
        "leader", person=PersonFactory(unit=tree["company"]), roles=[("leader", None)]
    )
    client.force_login(leader)
    page = client.get("/network/burst/", {"pipe": "P2"}).content.decode()
    assert 'data-testid="open-order"' not in page
    client.post("/network/burst/", {"pipe": "P2", "key": "x"})
    assert WorkOrder.objects.count() == 0
