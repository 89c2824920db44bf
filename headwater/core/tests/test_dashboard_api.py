"""GET /api/v1/dashboard and the page /dashboard/screen/: who may see them (office and leaders
granted organization-wide; not a unit head, a leader of one unit, staff, or anybody of another
organization), the panels of core (the level, the sites on their outline) and the panel kinds
every capability's panels keep to."""

import datetime as dt
from decimal import Decimal

import pytest

from headwater.core import screen
from headwater.core.models import ResponseLevelChange
from headwater.core.navigation import menu_for
from headwater.core.tests.factories import SiteFactory, make_user
from headwater.core.tests.timing import at

URL = "/api/v1/dashboard"
PAGE = "/dashboard/screen/"
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def now(clock_at):
    clock_at(at(DAY, 15, 30))


@pytest.fixture
def leader(people):
    return make_user("leader", person=people["clerk"], roles=[("leader", None)])


def _panels(response) -> dict[str, dict]:
    return {p["key"]: p for p in response.json()["panels"]}


def test_the_office_gets_every_panel_made_now(client, office_user, now):
    client.force_login(office_user)

    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["organization"] == "金溪水务"
    assert body["day"] == "2026-03-10"
    assert body["generated_at"].startswith("2026-03-10T15:30:00")
    assert body["generated_at"].endswith("+08:00")
    assert body["refresh_seconds"] == 30
    for panel in body["panels"]:
        assert panel["kind"] in screen.KINDS
        assert panel["size"] in screen.SIZES
    assert [p["order"] for p in body["panels"]] == sorted(p["order"] for p in body["panels"])


def test_a_leader_granted_organization_wide_sees_the_page_and_the_menu_entry(client, leader, now):
    client.force_login(leader)

    assert client.get(URL).status_code == 200
    page = client.get(PAGE)
    assert page.status_code == 200
    assert b'data-endpoint="/api/v1/dashboard"' in page.content
    assert "/dashboard/screen/" in [i["url"] for i in menu_for(leader)]


@pytest.mark.parametrize("who", ["staff", "unit_head", "unit_leader"])
def test_staff_unit_heads_and_a_leader_of_one_unit_are_refused(
    client, staff_user, unit_head_user, tree, people, who, now
):
    if who == "unit_leader":
        user = make_user("ul", person=people["other_plant"], roles=[("leader", tree["plant2"])])
    else:
        user = {"staff": staff_user, "unit_head": unit_head_user}[who]
    client.force_login(user)

    api = client.get(URL)
    page = client.get(PAGE)

    assert api.status_code == 403
    assert api.json()["error"]["code"] == "forbidden"
    assert "第一水厂" not in api.content.decode()
    assert page.status_code == 403
    assert "/dashboard/screen/" not in [i["url"] for i in menu_for(user)]


def test_nobody_logged_in_gets_nothing(client, tree):
    assert client.get(URL).status_code == 401
    page = client.get(PAGE)
    assert page.status_code == 302
    assert page["Location"].startswith("/login/")


def test_the_office_of_another_organization_sees_only_its_own(client, outsider, tree, people, now):
    SiteFactory(organization=tree["company"].organization, latitude="28.1", longitude="112.9")
    client.force_login(outsider)

    response = client.get(URL)

    assert response.status_code == 200
    text = response.content.decode()
    assert response.json()["organization"] == "外地水司"
    for ours in ("金溪", "第一水厂", "王厂长", "李操作"):
        assert ours not in text
    assert _panels(response)["health.figures"]["data"]["items"][0]["text"] == "1"  # 外人


def test_the_level_panel_shows_the_level_in_force_since_its_switch(client, office_user, org, now):
    ResponseLevelChange.objects.create(
        organization=org, level="level1", changed_at=at(DAY, 8, 5), reason="全市启动一级响应"
    )
    client.force_login(office_user)

    level = _panels(client.get(URL))["core.level"]

    assert level["title"] == "响应级别"
    assert level["size"] == "s"
    assert level["data"] == {
        "label": "一级响应",
        "colour": "danger",
        "since": "自 2026-03-10 08:05 起",
        "note": "全市启动一级响应",
    }


def test_sites_are_points_on_an_outline_drawn_around_them(client, office_user, org, now):
    for code, name, kind, lat, lng in [
        ("WP1", "一水厂", "water_plant", "28.0", "112.0"),
        ("RS1", "水库", "reservoir", "28.0", "113.0"),
        ("PS1", "泵站", "pumping_station", "29.0", "112.5"),
        ("CP1", "卡点", "checkpoint", "28.4", "112.5"),  # inside the hull: not a corner
    ]:
        SiteFactory(organization=org, code=code, name=name, kind=kind, latitude=lat, longitude=lng)
    SiteFactory(organization=org, code="X", name="无坐标站", kind="office")
    client.force_login(office_user)

    sites = _panels(client.get(URL))["core.sites"]

    assert sites["size"] == "l"
    assert sites["note"] == "共 4 处"
    assert sites["data"]["groups"] == [
        {"key": "water_plant", "label": "水厂", "colour": "info"},
        {"key": "reservoir", "label": "水库", "colour": "primary"},
        {"key": "pumping_station", "label": "泵站", "colour": "success"},
        {"key": "checkpoint", "label": "卡点", "colour": "orange"},
    ]
    assert sites["data"]["points"][-1] == {
        "name": "一水厂",
        "lng": 112.0,
        "lat": 28.0,
        "group": "water_plant",
        "label": True,
    }
    # In the order of the kinds' codes, then the sites' codes.
    assert [p["name"] for p in sites["data"]["points"]] == ["卡点", "泵站", "水库", "一水厂"]
    ring = sites["data"]["outline"]["features"][0]["geometry"]["coordinates"][0]
    # The hull's three corners, each pushed out from the centre by a quarter of the extent
    # (1 degree): four points, the first repeated to close the ring.
    assert len(ring) == 4
    assert ring[0] == ring[-1]
    corner = Decimal(str(ring[0][0])), Decimal(str(ring[0][1]))
    assert corner[0] < Decimal("112.0") and corner[1] < Decimal("28.0")


def test_outline_of_one_site_is_a_box_around_it():
    box = screen.outline([(112.0, 28.0)])["features"][0]["geometry"]["coordinates"][0]
    assert [list(corner) for corner in box] == [
        [111.995, 27.995],
        [112.005, 27.995],
        [112.005, 28.005],
        [111.995, 28.005],
        [111.995, 27.995],
    ]


def test_a_panel_of_an_unknown_kind_is_refused_when_made():
    with pytest.raises(ValueError):
        screen.Panel("x", "X", "gauge", {})


def test_the_api_speaks_the_language_asked_for(client, office_user, now):
    client.force_login(office_user)

    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()

    titles = {p["key"]: p["title"] for p in body["panels"]}
    assert titles["core.level"] == "Response level"
    assert titles["health.figures"] == "Key figures today"
    assert body["panels"][0]["data"]["label"] == "Normal"
