"""The registry's services: create, change, deactivate a critical customer; every refusal
names its field and changes nothing; retries (with a key, or the same values again) write
nothing new."""

import pytest

from headwater.core.errors import DomainError
from headwater.network.inputs_customers import CustomerInput
from headwater.network.models import CriticalCustomer, NetworkModel
from headwater.network.services import customers as service
from headwater.network.tests.factories_customers import make_customer, make_model, make_point

pytestmark = pytest.mark.django_db


def data(**changes) -> dict:
    values = {
        "name": "市第一人民医院",
        "kind": "designated_hospital",
        "nodes": ["J2", "J3"],
        "feeds": 2,
        "min_pressure": 28,
        "duty_phone": "0731-8444 0120",
        "contact_phone": "+86 139-1234-5678",
    }
    values.update(changes)
    return values


def create(org, user, key="", **changes):
    return service.create_customer(org, CustomerInput.parse(data(**changes)), by=user, key=key)


def refused(call) -> DomainError:
    with pytest.raises(DomainError) as e:
        call()
    return e.value


def test_a_new_customer_takes_the_first_nodes_coordinates(org, office_user):
    model = make_model(org)
    customer, created = create(org, office_user)
    assert created
    assert (customer.nodes, customer.feeds, customer.x, customer.y) == (["J2", "J3"], 2, 200, 0)
    model.refresh_from_db()
    assert model.ranking_wanted_at is not None


def test_coordinates_given_are_kept(org, office_user):
    make_model(org)
    customer, _ = create(org, office_user, x=12.5, y=-3)
    assert (customer.x, customer.y) == (12.5, -3)


def test_every_unknown_node_is_named_and_nothing_is_created(org, office_user):
    make_model(org, version=3)
    error = refused(lambda: create(org, office_user, nodes=["J1", "X9", "Y7"]))
    assert error.code == "network_unknown_node"
    assert error.fields["nodes"] == "不在当前管网模型（第 3 版）中：X9、Y7"
    assert CriticalCustomer.objects.count() == 0


def test_without_a_model_any_node_ids_are_taken(org, office_user):
    customer, created = create(org, office_user, nodes="A-1、B-2; C-3")
    assert created and customer.nodes == ["A-1", "B-2", "C-3"]
    assert (customer.x, customer.y) == (None, None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("feeds", 0),
        ("feeds", 10),
        ("feeds", 1.5),
        ("min_pressure", -1),
        ("min_pressure", 101),
        ("min_pressure", "nan"),
        ("duty_phone", "call 110"),
        ("contact_phone", "1" * 21),
        ("kind", "spaceport"),
        ("nodes", []),
        ("name", " "),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_created(org, office_user, field, value):
    error = refused(lambda: create(org, office_user, **{field: value}))
    assert list(error.fields) == [field]
    assert CriticalCustomer.objects.count() == 0


def test_one_coordinate_without_the_other_is_refused(org, office_user):
    error = refused(lambda: create(org, office_user, x=10))
    assert error.fields == {"y": "请同时填写两个坐标，或都不填。"}


def test_a_name_is_the_organizations_once(org, office_user):
    create(org, office_user)
    error = refused(lambda: create(org, office_user, feeds=1))
    assert error.fields == {"name": "已有同名的重点用户。"}
    assert CriticalCustomer.objects.get().feeds == 2


def test_the_same_values_sent_again_answer_the_existing_customer(org, office_user):
    first, _ = create(org, office_user)
    again, created = create(org, office_user)
    assert (again.pk, created, CriticalCustomer.objects.count()) == (first.pk, False, 1)


def test_a_retry_with_the_same_key_writes_nothing_new(org, office_user):
    first, created = create(org, office_user, key="k-1")
    again, created_again = create(org, office_user, key="k-1", name="另一个名字")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert list(CriticalCustomer.objects.values_list("name", flat=True)) == ["市第一人民医院"]


def test_a_role_without_the_registry_is_refused(org, unit_head_user, staff_user):
    for user in (unit_head_user, staff_user):
        error = refused(lambda user=user: create(org, user))
        assert error.status == 403
    assert CriticalCustomer.objects.count() == 0


def test_a_pressure_point_of_another_organization_is_refused(org, office_user, outsider):
    point = make_point(outsider.organization)
    error = refused(lambda: create(org, office_user, pressure_point_id=point.pk))
    assert list(error.fields) == ["pressure_point_id"]
    assert CriticalCustomer.objects.count() == 0


def test_a_change_is_saved_and_a_retry_changes_nothing(org, office_user):
    make_model(org)
    customer = make_customer(org)
    point = make_point(org)
    changed = service.as_input(customer, feeds=2, nodes=["J1", "J2"], pressure_point_id=point.pk)
    saved, created = service.update_customer(customer, changed, by=office_user)
    assert (created, saved.feeds, saved.nodes, saved.pressure_point_id) == (
        False,
        2,
        ["J1", "J2"],
        point.pk,
    )
    NetworkModel.objects.update(ranking_wanted_at=None)
    service.update_customer(saved, changed, by=office_user)
    assert NetworkModel.objects.get().ranking_wanted_at is None


def test_a_change_to_a_taken_name_is_refused(org, office_user):
    make_customer(org, name="市疾控中心")
    customer = make_customer(org, name="发热门诊")
    error = refused(
        lambda: service.update_customer(
            customer, service.as_input(customer, name="市疾控中心"), by=office_user
        )
    )
    assert list(error.fields) == ["name"]
    customer.refresh_from_db()
    assert customer.name == "发热门诊"


def test_a_change_to_an_unknown_node_is_refused(org, office_user):
    make_model(org)
    customer = make_customer(org)
    with pytest.raises(DomainError):
        service.update_customer(customer, service.as_input(customer, nodes=["ZZ"]), by=office_user)
    customer.refresh_from_db()
    assert customer.nodes == ["J1"]


def test_deactivating_twice_changes_once(org, office_user, unit_head_user):
    customer = make_customer(org)
    with pytest.raises(DomainError):
        service.deactivate_customer(customer, by=unit_head_user)
    assert service.deactivate_customer(customer, by=office_user)[1] is True
    assert service.deactivate_customer(customer, by=office_user)[1] is False
    customer.refresh_from_db()
    assert customer.active is False
