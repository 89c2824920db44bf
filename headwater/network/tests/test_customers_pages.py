"""The critical customers' pages: the board (filters, counts, the htmx part, Excel), a
customer's page with its links, the form (create with a hidden key, edit), deactivate, the
import page; 403 for roles without the network, 404 for another organization's customer."""

import io

import pytest
from openpyxl import load_workbook

from headwater.core.importer import export_table
from headwater.network.models import CriticalCustomer
from headwater.network.services.customers_import import COLUMNS
from headwater.network.tests.factories_customers import (
    make_customer,
    make_model,
    make_order,
    make_point,
)
from headwater.network.tests.fixtures_customers import *  # noqa: F403

pytestmark = pytest.mark.django_db
BOARD = "/network/customers/"


@pytest.fixture
def registry(org):
    make_model(org)
    hospital = make_customer(org, name="市第一人民医院", feeds=2)
    make_customer(org, name="电信机房", kind="telecom", feeds=2, nodes=("J4",))
    order = make_order(org, critical=[(hospital, "cut")])
    return hospital, order


def test_the_board_shows_counts_states_and_reasons(client, leader_user, registry):
    hospital, order = registry
    client.force_login(leader_user)
    page = client.get(BOARD)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="count-cut">1<' in html and 'data-testid="count-fed">1<' in html
    assert f"工单 {order.number} 关阀停水" in html
    assert 'hx-trigger="every 30s"' in html
    telecom = client.get(BOARD + "?kind=telecom").content.decode()
    assert "电信机房" in telecom and "市第一人民医院" not in telecom
    cut = client.get(BOARD + "?state=cut").content.decode()
    assert cut.count('data-testid="customer-row"') == 1


def test_the_htmx_request_gets_the_live_part_only(client, office_user, registry):
    client.force_login(office_user)
    part = client.get(BOARD, headers={"HX-Request": "true"}).content.decode()
    assert part.lstrip().startswith('<div id="customers-live"') and "<html" not in part


def test_the_board_exports_to_excel(client, dispatcher_user, registry):
    client.force_login(dispatcher_user)
    response = client.get(BOARD + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("重点用户", "用户类型", "供水状态")
    assert [r[:3] for r in rows[1:]] == [
        ("市第一人民医院", "定点医院", "停水"),
        ("电信机房", "通信", "正常供水"),
    ]


def test_a_customers_page_links_its_chart_and_its_risks(client, office_user, org):
    point = make_point(org)
    customer = make_customer(org, pressure_point=point)
    client.force_login(office_user)
    html = client.get(f"/network/customers/{customer.pk}/").content.decode()
    assert f'href="/network/points/{point.pk}/"' in html
    assert f'href="/network/customers/{customer.pk}/risks/"' in html


def test_the_office_creates_a_customer_once_with_the_forms_key(client, office_user, org):
    make_model(org)
    client.force_login(office_user)
    form = client.get("/network/customers/new/").content.decode()
    assert 'type="hidden" name="key"' in form
    data = {
        "key": "form-key-1",
        "name": "市中心医院发热门诊",
        "kind": "fever_clinic",
        "nodes": "J1、J2",
        "feeds": "1",
        "min_pressure": "25",
        "duty_phone": "0731-84450110",
    }
    first = client.post("/network/customers/new/", data)
    again = client.post("/network/customers/new/", data)
    customer = CriticalCustomer.objects.get()
    assert first.url == again.url == f"/network/customers/{customer.pk}/"
    assert (customer.nodes, customer.x) == (["J1", "J2"], 100)


def test_a_bad_form_names_the_field_and_saves_nothing(client, office_user, org):
    make_model(org)
    client.force_login(office_user)
    page = client.post(
        "/network/customers/new/",
        {"name": "隔离酒店", "kind": "quarantine_hotel", "nodes": "J1, X1", "feeds": "1",
         "min_pressure": "20"},
    )  # fmt: skip
    assert page.status_code == 200
    assert 'data-testid="error-nodes">不在当前管网模型（第 1 版）中：X1<' in page.content.decode()
    assert CriticalCustomer.objects.count() == 0


def test_the_office_edits_and_deactivates(client, office_user, org):
    customer = make_customer(org)
    client.force_login(office_user)
    edit = client.get(f"/network/customers/{customer.pk}/edit/").content.decode()
    assert 'value="J1"' in edit
    client.post(
        f"/network/customers/{customer.pk}/edit/",
        {"name": customer.name, "kind": customer.kind, "nodes": "J1", "feeds": "2",
         "min_pressure": "20"},
    )  # fmt: skip
    client.post(f"/network/customers/{customer.pk}/deactivate/")
    customer.refresh_from_db()
    assert (customer.feeds, customer.active) == (2, False)


def test_the_import_page_reports_bad_rows_and_writes_nothing(client, office_user, org):
    make_model(org)
    client.force_login(office_user)
    data = export_table(COLUMNS, [["医院", "定点医院", "", "", "", "", "Z9", "1", "20"]], "csv")
    upload = io.BytesIO(data)
    upload.name = "customers.csv"
    page = client.post("/network/customers/import/", {"file": upload}).content.decode()
    assert "不在当前管网模型（第 1 版）中：Z9" in page
    assert CriticalCustomer.objects.count() == 0


def test_the_menu_leads_to_the_board(client, dispatcher_user):
    client.force_login(dispatcher_user)
    assert f'href="{BOARD}"' in client.get("/").content.decode()


@pytest.mark.parametrize("who", ["unit_head_user", "staff_user"])
def test_roles_without_the_network_are_refused(client, org, request, who):
    customer = make_customer(org)
    client.force_login(request.getfixturevalue(who))
    for url in (BOARD, f"{BOARD}new/", f"{BOARD}import/", f"{BOARD}{customer.pk}/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{BOARD}{customer.pk}/deactivate/").status_code == 403
    assert f'href="{BOARD}"' not in client.get("/").content.decode()


def test_a_dispatcher_sees_but_may_not_change(client, org, dispatcher_user):
    customer = make_customer(org)
    client.force_login(dispatcher_user)
    assert client.get(f"{BOARD}{customer.pk}/").status_code == 200
    assert client.get(f"{BOARD}new/").status_code == 403
    assert client.post(f"{BOARD}{customer.pk}/deactivate/").status_code == 403


def test_another_organizations_customer_is_not_found(client, org, outsider):
    customer = make_customer(org)
    client.force_login(outsider)
    assert client.get(f"{BOARD}{customer.pk}/").status_code == 404
    assert client.post(f"{BOARD}{customer.pk}/deactivate/").status_code == 404
    assert "市第一人民医院" not in client.get(BOARD).content.decode()
