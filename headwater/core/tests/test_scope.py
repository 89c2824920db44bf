"""Scope: every list of people and units is cut to what the viewer's role and unit allow."""

import pytest
from django.urls import reverse

from headwater.core.models import Person, Unit


def names(qs) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_office_sees_the_whole_organization(office_user):
    assert names(Person.objects.visible_to(office_user)) == {"王厂长", "李操作", "赵二厂", "钱文员"}


def test_unit_head_sees_only_their_unit_subtree(unit_head_user):
    assert names(Person.objects.visible_to(unit_head_user)) == {"王厂长", "李操作"}
    assert names(Unit.objects.visible_to(unit_head_user)) == {"第一水厂", "运行甲班"}


def test_staff_member_sees_only_themselves(staff_user):
    assert names(Person.objects.visible_to(staff_user)) == {"李操作"}
    assert names(Unit.objects.visible_to(staff_user)) == {"运行甲班"}


def test_outsider_sees_nothing_of_another_organization(outsider, people):
    assert names(Person.objects.visible_to(outsider)) == {"外人"}


def test_people_page_lists_only_the_unit_heads_subtree(client, unit_head_user):
    client.force_login(unit_head_user)
    response = client.get(reverse("core:people"))
    assert response.status_code == 200
    assert {p.name for p in response.context["page"]} == {"王厂长", "李操作"}


def test_staff_member_may_not_open_the_people_page(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("core:people")).status_code == 403


def test_person_outside_scope_is_not_found(client, unit_head_user, people):
    client.force_login(unit_head_user)
    response = client.get(reverse("core:person", args=[people["other_plant"].pk]))
    assert response.status_code == 404


def test_outsider_cannot_open_our_people(client, outsider, people):
    client.force_login(outsider)
    assert client.get(reverse("core:person", args=[people["head"].pk])).status_code == 404


@pytest.mark.parametrize("name", ["core:people", "core:units", "core:audit", "home"])
def test_anonymous_visitor_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
