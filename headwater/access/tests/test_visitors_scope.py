# ruff: noqa: F811 (fixtures imported from visitors_fixtures: the app's conftest is shared)
"""Who sees which visits and vehicles: the host their own visits only, the gate's guard the
gate's, the unit head those of their units' sites, the office all; another organization's
office and a user without the grant get 404 / 403 and nothing."""

import pytest

from headwater.access.querysets_visitors import vehicles_for, visits_for
from headwater.access.services.vehicles import record_vehicle
from headwater.access.services.visits import register_visit
from headwater.access.tests.factories_visitors import make_gate, vehicle_data, visit_data
from headwater.access.tests.visitors_fixtures import gate, guard, host, other_guard  # noqa: F401
from headwater.core.tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits(org, tree, gate, guard, host, other_guard):
    mine, _ = register_visit(gate, visit_data(host="E2"), by=guard)
    other, _ = register_visit(gate, visit_data(name="陈别人", host="E4"), by=guard)
    far_gate = make_gate(org, tree["plant2"], name="二厂门")
    far, _ = register_visit(far_gate, visit_data(name="远方客"), by=other_guard)
    return {"mine": mine, "other": other, "far": far}


def test_the_host_sees_their_own_visits_only(host, visits):
    assert list(visits_for(host)) == [visits["mine"]]


def test_guards_see_their_gates_visits(guard, other_guard, visits):
    assert set(visits_for(guard)) == {visits["mine"], visits["other"]}
    assert list(visits_for(other_guard)) == [visits["far"]]


def test_the_unit_head_sees_their_sites_and_the_office_all(unit_head_user, office_user, visits):
    assert set(visits_for(unit_head_user)) == {visits["mine"], visits["other"]}
    assert len(visits_for(office_user)) == 3


def test_another_organization_sees_nothing(outsider, visits, gate, guard, client):
    record_vehicle(gate, vehicle_data(), by=guard)
    assert (visits_for(outsider).count(), vehicles_for(outsider).count()) == (0, 0)
    client.force_login(outsider)
    for url in (
        f"/access/visits/{visits['mine'].pk}/",
        f"/access/visits/{visits['mine'].pk}/slip.pdf",
        f"/access/gates/{gate.pk}/visitors/",
        f"/access/gates/{gate.pk}/visitors/new/",
        f"/access/gates/{gate.pk}/vehicles/new/",
        f"/api/v1/access/visits/{visits['mine'].pk}/end",
    ):
        method = client.post if "/api/" in url else client.get
        assert method(url).status_code == 404, url
    listing = client.get("/api/v1/access/visits").json()
    assert listing == {"items": [], "count": 0}
    assert "张来访" not in client.get("/access/visits/").content.decode()


def test_a_member_of_staff_without_the_grant_gets_403_on_the_office_list(staff_user, client):
    client.force_login(staff_user)

    assert client.get("/access/visits/").status_code == 403


def test_a_staff_member_who_is_not_the_host_cannot_open_the_visit(tree, visits, client):
    person = PersonFactory(unit=tree["shift_a"], name="路人", employee_no="P9")
    client.force_login(make_user("passer", person=person, roles=[("staff", None)]))

    assert client.get(f"/access/visits/{visits['mine'].pk}/").status_code == 404
    assert (
        client.post(f"/access/visits/{visits['mine'].pk}/", {"action": "approve"}).status_code
        == 404
    )
