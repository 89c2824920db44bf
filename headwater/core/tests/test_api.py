"""The JSON API: scope, pagination, device tokens and the one error shape."""

import pytest

from headwater.core.models import DeviceToken, Person

API = "/api/v1"


def test_people_endpoint_is_scoped_and_paginated(client, unit_head_user):
    client.force_login(unit_head_user)
    body = client.get(f"{API}/people").json()
    assert body["count"] == 2
    assert {p["name"] for p in body["items"]} == {"王厂长", "李操作"}


def test_people_endpoint_masks_phone_and_id_number(client, office_user, people):
    client.force_login(office_user)
    body = client.get(f"{API}/people/{people['operator'].pk}").json()
    assert body["phone"] == "139****5678"
    assert body["id_number"] == "3307**********1231"


def test_outsider_gets_404_for_our_person(client, outsider, people):
    client.force_login(outsider)
    response = client.get(f"{API}/people/{people['head'].pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unauthenticated_request_gets_the_error_shape(client, db):
    response = client.get(f"{API}/people")
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "unauthenticated",
            "message": "请登录，或提供有效的设备令牌。",
            "fields": {},
        }
    }


def test_bad_person_is_refused_field_by_field_in_chinese(client, office_user, tree):
    client.force_login(office_user)
    before = Person.objects.count()
    response = client.post(
        f"{API}/people",
        {
            "employee_no": "E9",
            "name": "新人",
            "unit_id": tree["plant1"].pk,
            "phone": "12345",
            "id_number": "330784199001011230",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {
        "phone": "手机号码格式不正确：12345",
        "id_number": "身份证号码格式不正确：330784199001011230",
    }
    assert Person.objects.count() == before


def test_error_messages_follow_the_request_language(client, office_user, tree):
    client.force_login(office_user)
    response = client.post(
        f"{API}/people",
        {"name": "x", "unit_id": tree["plant1"].pk},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "validation_error",
        "message": "Please correct the marked fields.",
        "fields": {"employee_no": "This field is required."},
    }


def test_missing_field_message_in_chinese(client, office_user, tree):
    client.force_login(office_user)
    response = client.post(
        f"{API}/people",
        {"name": "x", "unit_id": tree["plant1"].pk},
        content_type="application/json",
    )
    assert response.json()["error"]["fields"] == {"employee_no": "这个字段是必填项。"}


def test_office_creates_a_person_and_the_trail_records_it(client, office_user, tree):
    client.force_login(office_user)
    response = client.post(
        f"{API}/people",
        {
            "employee_no": "E9",
            "name": "新人",
            "unit_id": tree["plant1"].pk,
            "phone": "13700001111",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    person = Person.objects.get(employee_no="E9")
    entries = list(client.get(f"{API}/audit?model=person&q=新人").json()["items"])
    assert [(e["action"], e["object_pk"], e["actor"]) for e in entries] == [
        ("create", str(person.pk), "office")
    ]
    assert entries[0]["changes"]["phone"][1] != "13700001111"  # masked in the trail too


def test_retrying_a_create_does_not_duplicate(client, office_user, tree):
    client.force_login(office_user)
    payload = {"employee_no": "E9", "name": "新人", "unit_id": tree["plant1"].pk}
    first = client.post(f"{API}/people", payload, content_type="application/json")
    second = client.post(f"{API}/people", payload, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 400)
    assert second.json()["error"]["fields"] == {"employee_no": "已有人员使用此工号。"}
    assert Person.objects.filter(employee_no="E9").count() == 1


def test_unit_head_may_not_create_people(client, unit_head_user, tree):
    client.force_login(unit_head_user)
    response = client.post(
        f"{API}/people",
        {
            "employee_no": "E9",
            "name": "新人",
            "unit_id": tree["plant1"].pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Person.objects.filter(employee_no="E9").exists()


def test_office_cannot_put_a_person_into_another_organizations_unit(client, outsider, tree):
    client.force_login(outsider)
    response = client.post(
        f"{API}/people",
        {
            "employee_no": "Z1",
            "name": "越权",
            "unit_id": tree["plant1"].pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"unit_id": "未知单位。"}


def test_reveal_gives_full_data_to_the_office_and_logs_it(client, office_user, people):
    client.force_login(office_user)
    response = client.post(
        f"{API}/people/{people['operator'].pk}/reveal",
        {"purpose": "流调"},
        content_type="application/json",
    )
    assert response.json() == {"phone": "13912345678", "id_number": "330784199001011231"}
    entries = client.get(f"{API}/audit?model=person").json()["items"]
    assert [
        (e["action"], e["changes"]["purpose"][1]) for e in entries if e["action"] == "access"
    ] == [("access", "流调")]


def test_reveal_is_refused_to_a_unit_head(client, unit_head_user, people):
    client.force_login(unit_head_user)
    response = client.post(
        f"{API}/people/{people['operator'].pk}/reveal", {}, content_type="application/json"
    )
    assert response.status_code == 403


def test_device_token_authenticates_a_scanner(client, org):
    device, raw = DeviceToken.issue(org, "一号门岗扫码枪")
    response = client.get(f"{API}/devices/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json() == {
        "name": "一号门岗扫码枪",
        "organization": "金溪水务集团",
        "site_id": None,
    }
    assert DeviceToken.objects.get(pk=device.pk).last_used_at is not None


def test_revoked_device_token_is_refused(client, org):
    device, raw = DeviceToken.issue(org, "旧扫码枪")
    DeviceToken.objects.filter(pk=device.pk).update(revoked_at="2026-01-01T00:00:00Z")
    response = client.get(f"{API}/devices/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_device_token_cannot_read_people(client, org, people):
    _, raw = DeviceToken.issue(org, "扫码枪")
    response = client.get(f"{API}/people", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "/units",
        "/sites",
        "/people",
        "/response-level",
        "/response-level/settings",
        "/audit",
        "/devices/me",
    ],
)
def test_openapi_documents_every_endpoint(client, db, path):
    schema = client.get(f"{API}/openapi.json").json()
    assert f"{API}{path}" in schema["paths"]


def test_docs_page_is_served(client, db):
    assert client.get(f"{API}/docs").status_code == 200
