"""The API's edges answer in its one error shape (issue 9): a body over the size limit, a
device token where only a logged-in person may go, and the OpenAPI document declaring those
error answers for every operation."""

from django.test import Client

from headwater.core.models import DeviceToken, Person

API = "/api/v1"


def test_a_body_over_the_size_limit_is_413_in_the_error_shape(client, office_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    client.force_login(office_user)
    body = {"employee_no": "E9", "name": "新人" * 1_000, "unit_id": 1}
    response = client.post(f"{API}/people", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert Person.objects.filter(employee_no="E9").count() == 0


def test_a_device_token_on_a_session_only_write_is_401_not_a_csrf_failure(org, tree):
    _, raw = DeviceToken.issue(org, "扫码枪")
    client = Client(enforce_csrf_checks=True)
    body = {"employee_no": "E9", "name": "新人", "unit_id": tree["plant1"].pk}
    response = client.post(
        f"{API}/people", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert Person.objects.filter(employee_no="E9").count() == 0


def test_a_logged_in_write_without_its_csrf_token_is_still_refused(office_user, tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_user)
    body = {"employee_no": "E9", "name": "新人", "unit_id": tree["plant1"].pk}
    response = client.post(f"{API}/people", body, content_type="application/json")
    assert response.status_code == 403
    assert Person.objects.filter(employee_no="E9").count() == 0


def test_a_missing_csrf_token_is_refused_in_the_error_shape_in_chinese(office_user, tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_user)
    body = {"employee_no": "E9", "name": "新人", "unit_id": tree["plant1"].pk}
    response = client.post(
        f"{API}/people", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "csrf_failed",
            "message": "页面已过期（安全校验令牌无效），请刷新页面后重试。",
            "fields": {},
        }
    }
    assert Person.objects.filter(employee_no="E9").count() == 0


def test_a_missing_csrf_token_is_explained_in_english_when_asked(office_user, tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_user)
    response = client.post(
        f"{API}/people", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "csrf_failed",
        "message": "This page is out of date (no valid security token): reload it and try again.",
        "fields": {},
    }


def test_every_operation_declares_its_error_answers(client, db):
    document = client.get(f"{API}/openapi.json").json()
    error = {"$ref": "#/components/schemas/Error"}
    assert document["components"]["schemas"]["Error"]["required"] == ["error"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in ("400", "401", "403", "404", "422"):
                assert status in responses, (method, path, status)
            if method != "get":
                assert "409" in responses, (method, path)
            if responses["400"]["content"]["application/json"]["schema"] != error:
                raise AssertionError((method, path))
