"""The organization-owned base: `visible_to(user)` follows the model's declared scope and
never leaves the user's organization."""

import pytest
from django.contrib.auth.models import AnonymousUser

from headwater.core.models import Qualification, Site
from headwater.core.owned import (
    AnyOf,
    OrganizationWide,
    ScopedQuerySet,
    ThroughSite,
    ThroughUnit,
)
from headwater.core.roles import CHANGE_SITE, VIEW_PERSON, VIEW_SITE
from headwater.core.tests.factories import PersonFactory, make_unit


@pytest.fixture
def sites(org, tree, outsider):
    def site(code, unit=None, organization=org):
        return Site.objects.create(
            organization=organization, unit=unit, name=code, code=code, kind="plant"
        )

    return {
        "plant1": site("S-P1", tree["plant1"]),
        "shift": site("S-P1A", tree["shift_a"]),
        "plant2": site("S-P2", tree["plant2"]),
        "hq": site("S-HQ"),
        "elsewhere": site("S-X", organization=outsider.organization),
    }


def _codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


def _scoped_sites(monkeypatch, scope) -> ScopedQuerySet:
    monkeypatch.setattr(Site, "scope", scope, raising=False)
    return ScopedQuerySet(model=Site)


def test_a_unit_grant_reaches_the_units_subtree_only(monkeypatch, sites, unit_head_user):
    qs = _scoped_sites(monkeypatch, ThroughUnit("unit", VIEW_PERSON))

    assert _codes(qs.visible_to(unit_head_user)) == {"S-P1", "S-P1A"}


def test_unowned_rows_show_to_anyone_holding_the_permission(monkeypatch, sites, unit_head_user):
    qs = _scoped_sites(monkeypatch, ThroughUnit("unit", VIEW_PERSON, unowned=True))

    assert _codes(qs.visible_to(unit_head_user)) == {"S-P1", "S-P1A", "S-HQ"}


def test_an_organization_wide_grant_reaches_the_whole_organization_and_no_other(
    monkeypatch, sites, office_user
):
    qs = _scoped_sites(monkeypatch, ThroughUnit("unit", VIEW_PERSON))

    assert _codes(qs.visible_to(office_user)) == {"S-P1", "S-P1A", "S-P2", "S-HQ"}


def test_a_user_without_the_permission_sees_nothing(monkeypatch, sites, staff_user):
    qs = _scoped_sites(monkeypatch, ThroughUnit("unit", VIEW_PERSON))

    assert _codes(qs.visible_to(staff_user)) == set()


def test_organization_wide_rows_show_to_every_member_and_to_no_outsider(
    monkeypatch, sites, staff_user, outsider
):
    qs = _scoped_sites(monkeypatch, OrganizationWide())

    assert _codes(qs.visible_to(staff_user)) == {"S-P1", "S-P1A", "S-P2", "S-HQ"}
    assert _codes(qs.visible_to(outsider)) == {"S-X"}


def test_organization_wide_with_a_permission_needs_the_permission(
    monkeypatch, sites, staff_user, office_user
):
    qs = _scoped_sites(monkeypatch, OrganizationWide(CHANGE_SITE))

    assert _codes(qs.visible_to(staff_user)) == set()
    assert _codes(qs.visible_to(office_user)) == {"S-P1", "S-P1A", "S-P2", "S-HQ"}


def test_through_site_is_the_sites_unit_with_unowned_sites_organization_wide(unit_head_user):
    assert ThroughSite("site", VIEW_PERSON).q(unit_head_user) == ThroughUnit(
        "site__unit", VIEW_PERSON, unowned=True
    ).q(unit_head_user)


def test_any_of_combines_scopes(monkeypatch, sites, staff_user, unit_head_user):
    qs = _scoped_sites(
        monkeypatch, AnyOf((ThroughUnit("unit", VIEW_PERSON), OrganizationWide(CHANGE_SITE)))
    )

    assert _codes(qs.visible_to(unit_head_user)) == {"S-P1", "S-P1A"}
    assert _codes(qs.visible_to(staff_user)) == set()


def test_any_of_keeps_an_organization_wide_part_whole(monkeypatch, sites, unit_head_user):
    """A unit head reaches every site through the organization-wide part (VIEW_SITE), not
    only their plant's through the narrower one: an empty Q OR-ed with a narrower Q in Django
    is dropped, so the combination must not be left to `|`."""
    qs = _scoped_sites(
        monkeypatch, AnyOf((ThroughUnit("unit", VIEW_PERSON), OrganizationWide(VIEW_SITE)))
    )
    assert _codes(qs.visible_to(unit_head_user)) == {"S-P1", "S-P1A", "S-P2", "S-HQ"}


def test_anonymous_sees_nothing_and_the_superuser_everything(monkeypatch, sites, django_user_model):
    qs = _scoped_sites(monkeypatch, OrganizationWide())
    root = django_user_model.objects.create_superuser("root", password="x")

    assert _codes(qs.visible_to(AnonymousUser())) == set()
    assert _codes(qs.visible_to(root)) == {"S-P1", "S-P1A", "S-P2", "S-HQ", "S-X"}


def test_through_person_rows_follow_who_sees_the_person(
    org, tree, people, unit_head_user, staff_user, outsider
):
    """Qualifications are declared ThroughPerson: a unit head sees their subtree's, a staff
    member their own, an outsider none."""
    for key in ("head", "operator", "other_plant"):
        Qualification.objects.create(
            organization=org, person=people[key], kind="operator", certificate_no=key
        )

    def seen(user):
        return set(Qualification.objects.visible_to(user).values_list("certificate_no", flat=True))

    assert seen(unit_head_user) == {"head", "operator"}
    assert seen(staff_user) == {"operator"}
    assert seen(outsider) == set()


def test_every_organization_owned_model_carries_its_organization_key_and_a_scope():
    """The ADR's promise: every organization-owned table can be distributed by organization."""
    from django.apps import apps

    from headwater.core.owned import OrganizationOwned, Scope

    owned = [m for m in apps.get_models() if issubclass(m, OrganizationOwned)]
    assert Qualification in owned
    for model in owned:
        field = model._meta.get_field("organization")
        assert field.related_model._meta.label == "core.Organization", model
        assert not field.null, model
        assert isinstance(model.scope, Scope), model
        assert isinstance(model.objects.all(), ScopedQuerySet), model


def test_of_filters_to_one_organization(sites, org):
    assert _codes(ScopedQuerySet(model=Site).of(org)) == {"S-P1", "S-P1A", "S-P2", "S-HQ"}


def test_a_new_unit_below_a_granted_unit_is_in_scope_at_once(
    monkeypatch, sites, tree, unit_head_user
):
    new = make_unit(tree["plant1"].organization, "运行乙班", "P1B", tree["plant1"])
    Site.objects.create(
        organization=new.organization, unit=new, name="b", code="S-P1B", kind="plant"
    )
    PersonFactory(unit=new)
    qs = _scoped_sites(monkeypatch, ThroughUnit("unit", VIEW_SITE))

    assert "S-P1B" in _codes(qs.visible_to(unit_head_user))
