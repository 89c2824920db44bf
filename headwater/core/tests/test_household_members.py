"""Household members (家属): staff register, edit and deactivate their own relatives (page and
API), the office anyone's in scope; bad input and somebody else's relative are refused with
nothing changed; phone and address are masked for everybody but the member of staff."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry
from django.conf import settings

from headwater.core import services
from headwater.core.models import HouseholdMember

API = "/api/v1/household"
WIFE = {
    "name": "张丽",
    "relation": "spouse",
    "phone": "13800001111",
    "address": "金溪市幸福路8号3栋201",
}


@pytest.fixture
def relative(people, org):
    return HouseholdMember.objects.create(
        organization=org,
        person=people["operator"],
        name="李母",
        relation="parent",
        phone="13700002222",
        address="金溪市幸福路8号3栋201",
    )


@pytest.fixture
def other_relative(people, org):
    return HouseholdMember.objects.create(
        organization=org,
        person=people["other_plant"],
        name="赵妻",
        relation="spouse",
        phone="13600003333",
    )


def snapshot():
    return list(
        HouseholdMember.objects.order_by("id").values_list(
            "name", "relation", "phone", "address", "is_active"
        )
    )


def test_staff_register_their_relative_and_see_the_phone_in_full(client, staff_user, people):
    client.force_login(staff_user)

    response = client.post(
        API, WIFE, content_type="application/json", headers={"Idempotency-Key": "w1"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["relation_label"], body["phone"], body["person_id"]) == (
        "张丽",
        "配偶",
        "13800001111",
        people["operator"].pk,
    )
    member = HouseholdMember.objects.get()
    assert (member.person, member.phone, member.is_active) == (
        people["operator"],
        "13800001111",
        True,
    )
    entry = LogEntry.objects.get_for_object(member).get()
    assert entry.changes_dict["phone"][1] == "138****1111"


def test_a_retried_registration_registers_nobody_twice(client, staff_user):
    client.force_login(staff_user)
    first = client.post(
        API, WIFE, content_type="application/json", headers={"Idempotency-Key": "w1"}
    )
    again = client.post(
        API, WIFE, content_type="application/json", headers={"Idempotency-Key": "w1"}
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert HouseholdMember.objects.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"phone": "12345"}, "phone"),
        ({"name": "  "}, "name"),
        ({"relation": "cousin"}, "relation"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_registered(
    client, staff_user, change, field
):
    client.force_login(staff_user)
    response = client.post(API, {**WIFE, **change}, content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert HouseholdMember.objects.count() == 0


def test_a_bad_phone_message_is_chinese(client, staff_user):
    client.force_login(staff_user)
    response = client.post(API, {**WIFE, "phone": "12345"}, content_type="application/json")
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "请更正标出的字段。",
        "fields": {"phone": "手机号码格式不正确：12345"},
    }


def test_staff_edit_and_deactivate_their_own_relative(client, staff_user, relative):
    client.force_login(staff_user)

    edited = client.patch(
        f"{API}/{relative.pk}", {"phone": "13911112222"}, content_type="application/json"
    )
    gone = client.post(f"{API}/{relative.pk}/deactivate")

    assert (edited.status_code, gone.status_code) == (200, 200)
    relative.refresh_from_db()
    assert (relative.phone, relative.is_active) == ("13911112222", False)
    assert gone.json()["is_active"] is False


def test_another_staff_members_relative_is_not_found_and_nothing_changes(
    client, staff_user, other_relative, relative
):
    client.force_login(staff_user)
    before = snapshot()

    answers = [
        client.get(f"{API}/{other_relative.pk}").status_code,
        client.patch(
            f"{API}/{other_relative.pk}", {"name": "改名"}, content_type="application/json"
        ).status_code,
        client.post(f"{API}/{other_relative.pk}/deactivate").status_code,
        client.post(
            API, {**WIFE, "person_id": other_relative.person_id}, content_type="application/json"
        ).status_code,
    ]

    assert answers == [404, 404, 404, 404]
    assert snapshot() == before
    assert [m["id"] for m in client.get(API).json()["items"]] == [relative.pk]


def test_a_unit_head_sees_their_staffs_relatives_masked_and_may_not_change_them(
    client, unit_head_user, relative, other_relative
):
    client.force_login(unit_head_user)
    before = snapshot()

    listed = client.get(API).json()["items"]
    patched = client.patch(
        f"{API}/{relative.pk}", {"name": "改名"}, content_type="application/json"
    )
    revealed = client.post(f"{API}/{relative.pk}/reveal", {}, content_type="application/json")

    assert [(m["name"], m["phone"], m["address"]) for m in listed] == [
        ("李母", "137****2222", "金溪市幸福路****")
    ]
    assert (patched.status_code, revealed.status_code) == (404, 403)
    assert snapshot() == before


def test_the_office_changes_anyones_relative_and_a_reveal_is_logged(
    client, office_user, other_relative
):
    client.force_login(office_user)

    patched = client.patch(
        f"{API}/{other_relative.pk}",
        {"address": "金溪市和平街1号"},
        content_type="application/json",
    )
    revealed = client.post(
        f"{API}/{other_relative.pk}/reveal", {"purpose": "流调"}, content_type="application/json"
    )
    created = client.post(
        API, {**WIFE, "person_id": other_relative.person_id}, content_type="application/json"
    )

    assert patched.status_code == 200 and patched.json()["phone"] == "136****3333"
    assert revealed.json() == {"phone": "13600003333", "address": "金溪市和平街1号"}
    assert created.status_code == 201 and created.json()["person_id"] == other_relative.person_id
    access = LogEntry.objects.get_for_object(other_relative).filter(action=LogEntry.Action.ACCESS)
    assert access.count() == 1


def test_an_outsider_sees_no_relative(client, outsider, relative):
    client.force_login(outsider)
    assert client.get(API).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/{relative.pk}").status_code == 404


def test_the_phone_page_registers_edits_and_deactivates(client, staff_user, people):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff_user)

    bad = client.post("/core/household/", {**WIFE, "phone": "123", "key": "a"})
    assert bad.status_code == 200 and b"Phone number is malformed" in bad.content
    assert HouseholdMember.objects.count() == 0

    added = client.post("/core/household/", {**WIFE, "key": "b"})
    member = HouseholdMember.objects.get()
    assert added.status_code == 302
    page = client.get("/core/household/").content.decode()
    assert "张丽" in page and "13800001111" in page

    client.post(f"/core/household/{member.pk}/", {**WIFE, "name": "张丽丽"})
    client.post(f"/core/household/{member.pk}/", {"action": "deactivate"})
    member.refresh_from_db()
    assert (member.name, member.is_active) == ("张丽丽", False)


def test_the_edit_page_of_another_staff_members_relative_is_not_found(
    client, staff_user, other_relative
):
    client.force_login(staff_user)
    assert (
        client.post(f"/core/household/{other_relative.pk}/", {"action": "deactivate"}).status_code
        == 404
    )
    other_relative.refresh_from_db()
    assert other_relative.is_active


def test_a_leavers_relatives_lose_phone_and_address_after_the_retention_period(
    people, org, relative
):
    kept = HouseholdMember.objects.create(
        organization=org,
        person=people["head"],
        name="王妻",
        relation="spouse",
        phone="13500004444",
        address="金溪市",
    )
    operator = people["operator"]
    operator.employment_status, operator.left_on = "left", dt.date(2026, 1, 1)
    operator.save()

    with time_machine.travel(dt.datetime(2026, 7, 1, 4, 0, tzinfo=dt.UTC)):
        services.purge_expired_personal_data(org)

    relative.refresh_from_db()
    kept.refresh_from_db()
    assert (relative.name, relative.phone, relative.address) == ("李母", "", "")
    assert (kept.phone, kept.address) == ("13500004444", "金溪市")
