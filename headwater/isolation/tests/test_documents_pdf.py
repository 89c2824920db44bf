"""The isolation notice and the release certificate as PDF, and the public verification page
their QR codes link to (a signed token; masked name; no phone or ID number)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from headwater.isolation import documents, services
from headwater.isolation.tests.conftest import at, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org, office_user, people, monitor, time_machine):
    time_machine.move_to(at(9))
    return open_case(org, office_user, people["operator"], monitor=monitor, address="金溪小区3栋")


def text(response) -> str:
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def compact(s: str) -> str:
    return "".join(s.split())


def test_the_notice_holds_the_title_name_dates_and_monitor(client, case, office_user):
    client.force_login(office_user)

    response = client.get(reverse("isolation:notice_pdf", args=[case.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "%E9%9A%94%E7%A6%BB%E9%80%9A%E7%9F%A5%E4%B9%A6" in response["Content-Disposition"]
    body = compact(text(response))
    for expected in ("隔离通知书", "李操作", "2026-02-10", "2026-02-24", "孙盯控", "金溪小区3栋"):
        assert expected in body, expected


def test_the_monitor_prints_the_notice_and_the_unit_head_may_not(
    client, case, monitor, unit_head_user
):
    client.force_login(monitor)
    assert client.get(reverse("isolation:notice_pdf", args=[case.pk])).status_code == 200
    client.force_login(unit_head_user)
    assert client.get(reverse("isolation:notice_pdf", args=[case.pk])).status_code == 403


def test_the_release_certificate_is_only_for_a_released_case(
    client, case, office_user, time_machine
):
    client.force_login(office_user)
    url = reverse("isolation:release_pdf", args=[case.pk])
    assert client.get(url).status_code == 302  # back to the case page, with a message

    time_machine.move_to(at(10))
    services.approve_release(case, by=office_user, override="复核无异常")
    response = client.get(url)

    assert response.status_code == 200
    body = compact(text(response))
    for expected in ("解除隔离证明", "李操作", "2026-02-10"):
        assert expected in body, expected


def test_an_outsider_gets_no_document(client, case, outsider):
    client.force_login(outsider)

    assert client.get(reverse("isolation:notice_pdf", args=[case.pk])).status_code == 404


def test_the_verification_page_needs_no_login_and_shows_no_phone_or_id(client, case):
    response = client.get(documents.verify_path(case, documents.NOTICE))

    assert response.status_code == 200
    page = response.content.decode()
    assert "李**" in page and "李操作" not in page
    assert "2026-02-24" in page
    for secret in ("13912345678", "330784199001011231", "13800000001", "金溪小区3栋", "密接"):
        assert secret not in page


def test_a_forged_or_bare_id_token_is_not_found(client, case):
    assert client.get(reverse("isolation:verify", args=[str(case.pk)])).status_code == 404
    forged = documents.token(case, documents.NOTICE)[:-2] + "xx"
    assert client.get(reverse("isolation:verify", args=[forged])).status_code == 404


def test_the_case_page_offers_the_notice_to_the_office(client, case, office_user):
    client.force_login(office_user)

    page = client.get(reverse("isolation:case", args=[case.pk])).content.decode()

    assert reverse("isolation:notice_pdf", args=[case.pk]) in page
    assert reverse("isolation:release_pdf", args=[case.pk]) not in page
