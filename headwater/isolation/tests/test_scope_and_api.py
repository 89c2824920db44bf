"""Who sees which case (a monitor their own, a unit head their subtree, an outsider nothing),
through the pages and the API; the API's writes."""

import json

import pytest
from django.urls import reverse

from headwater.core.tests.factories import PersonFactory, make_user
from headwater.isolation.models import Case, CaseCheck
from headwater.isolation.tests.conftest import at, open_case

pytestmark = pytest.mark.django_db
API = "/api/v1/isolation"


@pytest.fixture
def cases(org, office_user, people, monitor, time_machine):
    time_machine.move_to(at(9))
    return {
        "mine": open_case(org, office_user, people["operator"], monitor=monitor),
        "plant2": open_case(org, office_user, people["other_plant"]),
    }


def ids(client, path=f"{API}/cases"):
    return sorted(c["id"] for c in client.get(path).json()["items"])


def test_the_office_sees_every_case_and_the_unit_head_their_subtree(
    client, cases, office_user, unit_head_user
):
    client.force_login(office_user)
    assert ids(client) == sorted(c.pk for c in cases.values())
    client.force_login(unit_head_user)
    assert ids(client) == [cases["mine"].pk]
    assert client.get(f"{API}/cases/{cases['plant2'].pk}").status_code == 404


def test_a_monitor_sees_only_their_cases(client, cases, monitor):
    client.force_login(monitor)

    assert [c.pk for c in Case.objects.visible_to(monitor)] == [cases["mine"].pk]
    assert client.get(f"{API}/cases/{cases['plant2'].pk}").status_code == 404
    today = client.get(f"{API}/today").json()
    assert [(t["case"]["id"], t["checked"]) for t in today] == [(cases["mine"].pk, False)]


def test_an_outsider_sees_nothing(client, cases, outsider):
    client.force_login(outsider)

    assert ids(client) == []
    for case in cases.values():
        assert client.get(f"{API}/cases/{case.pk}").status_code == 404
        assert client.get(reverse("isolation:case", args=[case.pk])).status_code == 404
    assert client.get(f"{API}/today").json() == []


def test_a_staff_member_sees_only_their_own_case_and_card(client, cases, staff_user):
    client.force_login(staff_user)

    assert [c.pk for c in Case.objects.visible_to(staff_user)] == [cases["mine"].pk]
    card = client.get(f"{API}/card").json()
    assert card["case"]["id"] == cases["mine"].pk
    assert card["contacts"] == [{"role": "盯控人", "name": "孙盯控", "phone": "13800000001"}]
    assert client.get(reverse("isolation:my_card")).status_code == 200


def test_the_unit_head_sees_no_card_numbers(client, cases, unit_head_user):
    client.force_login(unit_head_user)

    response = client.get(f"{API}/cases/{cases['mine'].pk}/card")

    assert response.status_code == 403
    assert (
        "13800000001"
        not in client.get(reverse("isolation:case", args=[cases["mine"].pk])).content.decode()
    )


def test_a_follow_up_through_the_api_is_idempotent(client, cases, monitor):
    client.force_login(monitor)
    url = f"{API}/cases/{cases['mine'].pk}/checks"
    body = json.dumps({"channel": "video", "morning_temperature": "36.4"})

    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a1")
    again = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert CaseCheck.objects.count() == 1
    today = client.get(f"{API}/today").json()
    assert [t["checked"] for t in today] == [True]


def test_the_office_opens_a_case_through_the_api_and_a_second_is_refused(
    client, office_user, people, time_machine
):
    time_machine.move_to(at(9))
    client.force_login(office_user)
    body = {"person_id": people["head"].pk, "kind": "home", "reason": "密接"}

    first = client.post(f"{API}/cases", body, content_type="application/json")
    second = client.post(f"{API}/cases", body, content_type="application/json")

    assert first.status_code == 201
    assert (second.status_code, second.json()["error"]["code"]) == (409, "case_already_open")
    assert Case.objects.count() == 1
    counts = client.get(f"{API}/cases/counts").json()
    assert counts == {"current": 1, "new_today": 1, "released_today": 0, "overdue": 1}


def test_the_list_page_counts_and_filters(client, cases, office_user, monitor):
    client.force_login(office_user)
    from headwater.isolation.tests.conftest import check

    check(cases["mine"], monitor)

    page = client.get(reverse("isolation:list"))
    overdue = client.get(reverse("isolation:list") + "?overdue=1")
    export = client.get(reverse("isolation:list") + "?export=xlsx")

    assert page.context["counts"] == {
        "current": 2,
        "new_today": 2,
        "released_today": 0,
        "overdue": 1,
    }
    assert [c.pk for c in overdue.context["object_list"]] == [cases["plant2"].pk]
    assert export.status_code == 200


def test_the_monitors_pages(client, cases, monitor):
    client.force_login(monitor)

    today = client.get(reverse("isolation:today"))
    assert [c.pk for c in today.context["due"]] == [cases["mine"].pk]
    response = client.post(
        reverse("isolation:check", args=[cases["mine"].pk]),
        {"channel": "phone", "morning_temperature": "36.5", "mood": "good", "key": "p1"},
    )
    assert response.status_code == 302
    today = client.get(reverse("isolation:today"))
    assert ([c.pk for c in today.context["due"]], [c.pk for c in today.context["done"]]) == (
        [],
        [cases["mine"].pk],
    )


def test_office_pages_render(client, cases, office_user, people):
    client.force_login(office_user)
    case = cases["mine"]
    for url in (
        reverse("isolation:case", args=[case.pk]),
        reverse("isolation:card", args=[case.pk]),
        reverse("isolation:open") + f"?person={people['head'].pk}",
        reverse("isolation:import"),
    ):
        assert client.get(url).status_code == 200, url


def test_an_unassigned_person_gets_no_monitor_page_cases(client, cases, tree):
    other = make_user("other", person=PersonFactory(unit=tree["shift_a"], employee_no="Z9"))
    client.force_login(other)
    assert client.get(reverse("isolation:today")).context["due"] == []


def test_the_open_page_offers_open_follow_up_items_and_opens_from_one(
    client, office_user, people, time_machine
):
    from headwater.health import services as health
    from headwater.health.models import FollowUp

    time_machine.move_to(at(8))
    operator = people["operator"]
    health.submit_checkin(
        operator,
        {"temperature": "38.2", "whereabouts": "at_work"},
        by=make_user("li", person=operator),
    )
    item = FollowUp.objects.get()
    client.force_login(office_user)

    page = client.get(reverse("isolation:open"))
    assert [i.pk for i in page.context["items"]] == [item.pk]
    url = reverse("isolation:open") + f"?followup={item.pk}"
    form = client.get(url)
    assert form.context["form"].initial["reason"] == item.reason
    response = client.post(
        url, {"kind": "observation", "reason": item.reason, "started_on": "2026-02-10"}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (Case.objects.get().followup_id, item.outcome) == (item.pk, "isolated")


def test_the_office_assigns_a_monitor_on_the_case_page(client, cases, office_user, volunteer):
    client.force_login(office_user)
    case = cases["plant2"]
    url = reverse("isolation:case", args=[case.pk])

    response = client.post(url, {"action": "assign", "monitor": volunteer.pk, "volunteer": ""})

    case.refresh_from_db()
    assert (response.status_code, case.monitor_id, case.volunteer_id) == (302, volunteer.pk, None)
    assert case.events.last().kind == "assigned"


def test_the_office_imports_a_list_through_the_api(client, office_user, people, time_machine):
    time_machine.move_to(at(9))
    client.force_login(office_user)
    good = "工号,隔离类型,原因\nE2,居家隔离,密接\n".encode()
    bad = "工号,隔离类型,原因\nE3,隔壁,密接\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = client.post(f"{API}/cases/import", {"file": SimpleUploadedFile("a.csv", bad)})
    done = client.post(f"{API}/cases/import", {"file": SimpleUploadedFile("b.csv", good)})

    assert (refused.status_code, [r["row"] for r in refused.json()["error"]["rows"]]) == (422, [2])
    assert (done.status_code, done.json()) == (200, {"total": 1, "created": 1})
    assert list(Case.objects.values_list("person__employee_no", flat=True)) == ["E2"]
