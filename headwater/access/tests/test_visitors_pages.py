# ruff: noqa: F811 (fixtures imported from visitors_fixtures: the app's conftest is shared)
"""The visitor pages without a browser: the guard registers a visitor and a vehicle on the
form, sees today's list; the host's page lists pending visits first and approves; the office
list filters, exports (masked) and reveals a visitor's phone with a logged access entry."""

import io

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from headwater.access.choices import VisitState
from headwater.access.models import VehicleEntry, Visit
from headwater.access.services.visits import register_visit
from headwater.access.tests.factories_visitors import switch_level, visit_data
from headwater.access.tests.visitors_fixtures import gate, guard, host  # noqa: F401

pytestmark = pytest.mark.django_db
FORM = {
    "name": "张来访",
    "phone": "13800001111",
    "id_number": "330784199001011231",
    "reason": "送检修配件",
    "host": "李操作",
    "temperature": "36.6",
    "key": "page-1",
}


def test_the_guard_registers_on_the_form_and_sees_the_visit(client, org, gate, guard, host):
    switch_level(org, "level2")
    client.force_login(guard)

    response = client.post(f"/access/gates/{gate.pk}/visitors/new/", FORM)

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/access/visits/{visit.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "等待被访人确认" in page and "138****1111" in page and "13800001111" not in page
    listing = client.get(f"/access/gates/{gate.pk}/visitors/").content.decode()
    assert "张来访" in listing and "待被访人确认" in listing


def test_a_refused_form_shows_the_message_and_writes_nothing(client, org, gate, guard):
    switch_level(org, "level1")
    client.force_login(guard)

    response = client.post(f"/access/gates/{gate.pk}/visitors/new/", {**FORM, "host": ""})

    assert response.status_code == 200
    assert "此处来访须有被访人：请填写被访职工。" in response.content.decode()
    assert Visit.objects.count() == 0


def test_the_guard_records_a_vehicle_on_the_form(client, gate, guard):
    client.force_login(guard)

    response = client.post(
        f"/access/gates/{gate.pk}/vehicles/new/",
        {"plate": "浙A12345", "direction": "in", "disinfected": "on", "key": "car"},
    )

    assert response.status_code == 302
    assert VehicleEntry.objects.get().disinfected is True


def test_the_host_approves_from_their_page(client, org, gate, guard, host):
    switch_level(org, "level2")
    visit, _ = register_visit(gate, visit_data(host="E2"), by=guard)
    client.force_login(host)

    page = client.get("/access/visits/mine/").content.decode()
    response = client.post(
        f"/access/visits/{visit.pk}/", {"action": "approve", "next": "/access/visits/mine/"}
    )

    assert "张来访" in page and 'data-testid="pending-visit"' in page
    assert (response.status_code, response["Location"]) == (302, "/access/visits/mine/")
    assert Visit.objects.get().state == VisitState.APPROVED


def test_the_office_list_filters_exports_masked_and_reveals_with_a_log(
    client, gate, guard, office_user
):
    register_visit(gate, visit_data(), by=guard)
    client.force_login(office_user)

    listing = client.get("/access/visits/?state=approved").content.decode()
    empty = client.get("/access/visits/?state=refused").content.decode()
    export = client.get("/access/visits/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)

    assert "138****1111" in listing and "13800001111" not in listing
    assert "张来访" not in empty
    assert rows[1][3:6] == ("张来访", "138****1111", "3307**********1231")
    visit = Visit.objects.get()
    reveal = client.post("/access/visits/", {"visit": visit.pk, "query": "state=approved"})
    shown = client.get(reveal["Location"]).content.decode()
    assert reveal["Location"] == "/access/visits/?state=approved"
    assert "13800001111" in shown
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(visit.pk))
    assert entry.actor == office_user


def test_a_decision_never_sends_the_browser_to_another_site(client, org, gate, guard, host):
    switch_level(org, "level2")
    visit, _ = register_visit(gate, visit_data(host="E2"), by=guard)
    client.force_login(host)

    response = client.post(
        f"/access/visits/{visit.pk}/", {"action": "approve", "next": "//evil.example/x"}
    )

    assert response["Location"] == f"/access/visits/{visit.pk}/"
