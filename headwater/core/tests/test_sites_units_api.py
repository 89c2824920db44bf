"""Sites and units through the API: scope, creation by the office, refusals."""

from headwater.core.models import Site

API = "/api/v1"


def test_units_endpoint_lists_the_unit_heads_subtree_with_parents(client, unit_head_user, tree):
    client.force_login(unit_head_user)
    items = client.get(f"{API}/units").json()["items"]
    assert [(u["name"], u["parent_id"]) for u in items] == [
        ("第一水厂", tree["company"].pk),
        ("运行甲班", tree["plant1"].pk),
    ]


def test_unit_outside_scope_is_not_found(client, unit_head_user, tree):
    client.force_login(unit_head_user)
    assert client.get(f"{API}/units/{tree['plant2'].pk}").status_code == 404


def test_office_creates_a_site_with_coordinates(client, office_user, org):
    client.force_login(office_user)
    response = client.post(
        f"{API}/sites",
        {
            "name": "城东加压泵站",
            "code": "PS9",
            "kind": "pumping_station",
            "latitude": "28.2101",
            "longitude": "112.9876",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    site = Site.objects.get(code="PS9")
    assert (site.organization, site.kind, str(site.latitude)) == (
        org,
        "pumping_station",
        "28.210100",
    )
    assert response.json()["kind_label"] == "泵站"


def test_site_with_bad_kind_and_latitude_is_refused_and_not_stored(client, office_user, org):
    client.force_login(office_user)
    response = client.post(
        f"{API}/sites",
        {"name": "错站", "code": "X1", "kind": "castle", "latitude": "95"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "kind": "未知的站点类型。",
        "latitude": "纬度必须在 -90 到 90 之间。",
    }
    assert Site.objects.count() == 0


def test_staff_may_list_sites_but_not_create_them(client, staff_user, org):
    Site.objects.create(organization=org, name="第一水厂", code="P1", kind="water_plant")
    client.force_login(staff_user)
    assert client.get(f"{API}/sites").json()["count"] == 1
    response = client.post(
        f"{API}/sites",
        {"name": "x", "code": "x", "kind": "office"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Site.objects.count() == 1


def test_device_token_lists_its_organizations_sites_only(client, org, outsider):
    from headwater.core.models import DeviceToken

    Site.objects.create(organization=org, name="一号卡点", code="CP1", kind="checkpoint")
    Site.objects.create(
        organization=outsider.organization, name="外地卡点", code="CP1", kind="checkpoint"
    )
    _, raw = DeviceToken.issue(org, "卡点扫码枪")
    body = client.get(f"{API}/sites?kind=checkpoint", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert [s["name"] for s in body["items"]] == ["一号卡点"]
