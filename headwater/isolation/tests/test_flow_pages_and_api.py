"""The escalation flow through the pages and the API: a follow-up with a fever opens the
case's flow (in the follow-up's transaction); the case page draws it with the next step's
button; the list shows late flows first; the API opens (idempotent), lists, shows and
advances; a unit head sees their subtree, an outsider nothing."""

import pytest
from django.urls import reverse

from headwater.isolation.models import CaseCheck
from headwater.isolation.models_flow import Flow
from headwater.isolation.services import flow as flows
from headwater.isolation.tests.conftest import at, check, open_case

pytestmark = pytest.mark.django_db
API = "/api/v1/isolation"


@pytest.fixture
def case(org, office_user, people, monitor, time_machine):
    time_machine.move_to(at(9), tick=False)
    return open_case(org, office_user, people["operator"], monitor=monitor)


def test_a_follow_up_with_a_fever_opens_the_cases_flow(case, monitor):
    check(case, monitor, morning_temperature="38.2", symptoms="咳嗽")

    flow = Flow.objects.get()
    assert (flow.case, flow.person, flow.unit, flow.state) == (
        case,
        case.person,
        case.unit,
        "reported",
    )
    assert flow.finding == "盯控发现：38.2°C，咳嗽"
    assert (flow.opened_by, flow.due_at) == (monitor, at(9, 15))


def test_a_normal_follow_up_opens_nothing_and_a_second_fever_keeps_the_open_flow(case, monitor):
    check(case, monitor)
    assert Flow.objects.count() == 0
    check(case, monitor, morning_temperature="38.2")
    check(case, monitor, afternoon_temperature="38.6")
    assert Flow.objects.count() == 1
    assert CaseCheck.objects.count() == 3


def test_a_retried_follow_up_opens_one_flow(case, monitor):
    check(case, monitor, key="k", morning_temperature="38.2")
    check(case, monitor, key="k", morning_temperature="38.2")
    assert (CaseCheck.objects.count(), Flow.objects.count()) == (1, 1)


def test_the_case_page_draws_the_flow_and_the_monitor_informs_the_head(client, case, monitor):
    check(case, monitor, morning_temperature="38.2")
    client.force_login(monitor)

    page = client.get(reverse("isolation:case", args=[case.pk])).content.decode()
    assert 'data-testid="flow-diagram"' in page
    assert 'data-kind="current"' in page
    assert "剩余 15 分钟" in page
    assert 'value="inform_head"' in page and 'value="inform_office"' not in page

    flow = Flow.objects.get()
    url = reverse("isolation:flow_advance", args=[flow.pk])
    response = client.post(url, {"action": "inform_head", "key": "a1"})
    assert response.status_code == 302
    flow.refresh_from_db()
    assert flow.state == "head_informed"
    client.post(url, {"action": "refer", "key": "a2"})
    flow.refresh_from_db()
    assert flow.state == "head_informed"


def test_the_list_shows_late_flows_first(client, org, office_user, people, case, time_machine):
    first, _ = flows.open_flow(org, people["other_plant"], "发热", by=office_user)
    time_machine.move_to(at(9, 10), tick=False)
    second, _ = flows.open_flow(org, people["operator"], "咳嗽", by=office_user)
    flows.advance(second, "inform_head", by=office_user)  # due 09:40; the first due 09:15
    time_machine.move_to(at(9, 20), tick=False)
    client.force_login(office_user)

    page = client.get(reverse("isolation:flows")).content.decode()
    assert page.index("赵二厂") < page.index("李操作")
    assert "已超时 5 分钟" in page and "剩余 20 分钟" in page


def test_the_api_opens_once_per_key_and_advances(client, office_user, people, case):
    client.force_login(office_user)
    body = {"person_id": people["operator"].pk, "finding": "值班时发热"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "open-1"}

    first = client.post(f"{API}/flows", body, content_type="application/json", **headers)
    again = client.post(f"{API}/flows", body, content_type="application/json", **headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["case_id"] == case.pk
    assert first.json()["next_actions"] == ["inform_head"]
    fid = first.json()["id"]
    out = client.post(
        f"{API}/flows/{fid}/advance", {"action": "inform_office"}, content_type="application/json"
    )
    assert out.status_code == 409
    assert out.json()["error"]["code"] == "flow_out_of_order"
    out = client.post(
        f"{API}/flows/{fid}/advance", {"action": "inform_head"}, content_type="application/json"
    )
    assert out.json()["state"] == "head_informed"
    assert [s["step"] for s in out.json()["steps"]] == ["reported", "head_informed"]
    assert [f["id"] for f in client.get(f"{API}/flows").json()["items"]] == [fid]


def test_a_unit_head_sees_their_subtree_and_an_outsider_nothing(
    client, org, office_user, people, unit_head_user, outsider, case
):
    mine, _ = flows.open_flow(org, people["operator"], "发热", by=office_user)
    other, _ = flows.open_flow(org, people["other_plant"], "发热", by=office_user)

    client.force_login(unit_head_user)
    assert [f["id"] for f in client.get(f"{API}/flows").json()["items"]] == [mine.pk]
    assert client.get(f"{API}/flows/{other.pk}").status_code == 404

    client.force_login(outsider)
    assert client.get(f"{API}/flows").json()["items"] == []
    for flow in (mine, other):
        assert client.get(f"{API}/flows/{flow.pk}").status_code == 404
        url = reverse("isolation:flow_advance", args=[flow.pk])
        assert client.post(url, {"action": "inform_head"}).status_code == 404
    assert set(Flow.objects.values_list("state", flat=True)) == {"reported"}


def test_a_unit_head_opens_a_flow_for_their_staff_but_not_another_plants(
    client, unit_head_user, people
):
    client.force_login(unit_head_user)
    ok = client.post(
        f"{API}/flows",
        {"person_id": people["operator"].pk, "finding": "当班咳嗽"},
        content_type="application/json",
    )
    refused = client.post(
        f"{API}/flows",
        {"person_id": people["other_plant"].pk, "finding": "当班咳嗽"},
        content_type="application/json",
    )
    assert (ok.status_code, refused.status_code) == (201, 404)
    assert Flow.objects.count() == 1


def test_the_case_list_counts_overdue_flow_steps(
    client, org, office_user, people, case, time_machine
):
    flows.open_flow(org, people["operator"], "发热", by=office_user)  # due 09:15
    client.force_login(office_user)
    url = reverse("isolation:list")

    time_machine.move_to(at(9, 14), tick=False)
    assert 'data-testid="count-flow-overdue">0<' in client.get(url).content.decode()
    time_machine.move_to(at(9, 15), tick=False)
    assert 'data-testid="count-flow-overdue">1<' in client.get(url).content.decode()
