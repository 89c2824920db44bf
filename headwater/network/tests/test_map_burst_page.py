"""The burst page: a pipe typed, from the map or from a work order, and its printable list —
valves to close with their coordinates, critical customers with their phones and tanker
points — on the page and as a PDF; refusals shown beside the form."""

import io
import unicodedata

import pytest
from pypdf import PdfReader

from headwater.network.models import WorkOrder
from headwater.network.tests.fixtures_map import *  # noqa: F403 (the map fixtures)

pytestmark = pytest.mark.django_db
PAGE = "/network/burst/"


def test_the_list_names_the_valves_to_close_and_the_critical_customers_phones(
    client, dispatcher_user, small, hospital, clinic
):
    client.force_login(dispatcher_user)
    response = client.get(PAGE, {"pipe": "P2"})
    assert response.status_code == 200
    page = response.content.decode()
    valves = response.context["sheet"]["valves"]
    assert sorted((v["id"], v["link"], v["node"]) for v in valves) == [
        ("V1", "P2", "J1"),
        ("V2", "P3", "J2"),
    ]
    assert "市第一人民医院" in page and "0571-87001111" in page and "13900001111" in page
    assert "城东发热门诊" not in page  # J5 keeps its water
    assert response.context["sheet"]["unintended_nodes"] == ["J3", "J4"]
    assert 'data-testid="open-order"' in page
    assert 'name="key"' in page


def test_the_list_of_a_work_order_is_the_list_of_its_pipe(client, crew_user, org, small, hospital):
    order = WorkOrder.objects.create(
        organization=org, number="GD1", kind="burst", title="爆管", link="P2", model=small
    )
    client.force_login(crew_user)
    response = client.get(PAGE, {"work_order": order.pk})
    assert response.status_code == 200
    assert response.context["sheet"]["impact"]["pipe"] == "P2"
    assert response.context["order"] == order


def test_another_organizations_work_order_has_no_list(client, outsider, org, small):
    order = WorkOrder.objects.create(
        organization=org, number="GD1", kind="burst", title="爆管", link="P2", model=small
    )
    client.force_login(outsider)
    assert client.get(PAGE, {"work_order": order.pk}).status_code == 404
    assert client.get(PAGE, {"work_order": "abc"}).status_code == 404


def test_an_unknown_pipe_is_named_beside_the_form(client, office_user, small):
    client.force_login(office_user)
    response = client.get(PAGE, {"pipe": "P99"})
    assert response.status_code in (400, 404)
    assert 'data-testid="error"' in response.content.decode()
    assert "sheet" not in response.context


def test_without_a_pipe_the_page_is_the_form(client, office_user, small):
    client.force_login(office_user)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert 'data-testid="burst-form"' in response.content.decode()
    assert "sheet" not in response.context


def test_the_pdf_lists_the_valves_and_the_duty_phone(client, office_user, small, hospital):
    client.force_login(office_user)
    response = client.get("/network/burst/list.pdf", {"pipe": "P2"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    pages = PdfReader(io.BytesIO(response.content)).pages
    # NFKC: the CJK font's glyphs of 一 and 人 come out as Kangxi radicals (⼀, ⼈).
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pages))
    text = text.replace("\n", "")  # table cells wrap
    assert "V1" in text and "V2" in text
    assert "0571-87001111" in text
    assert "市第一人民医院" in text


def test_the_pdf_of_an_unknown_pipe_is_not_found(client, office_user, small):
    client.force_login(office_user)
    assert client.get("/network/burst/list.pdf", {"pipe": "P99"}).status_code == 404


def test_staff_may_not_see_the_burst_list(client, staff_user, small):
    client.force_login(staff_user)
    assert client.get(PAGE, {"pipe": "P2"}).status_code == 403
    assert client.get("/network/burst/list.pdf", {"pipe": "P2"}).status_code == 403
