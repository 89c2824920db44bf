"""factory_boy factories for the core models; other apps' tests use them too."""

import factory
from django.conf import settings

from headwater.core.models import Organization, Person, RoleGrant, Site, Unit, User
from headwater.core.validators import id_check_digit


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"测试水务集团{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


def make_unit(organization: Organization, name: str, code: str, parent: Unit | None = None) -> Unit:
    """Units are tree nodes: treebeard must place them (add_root / add_child)."""
    fields = {"organization": organization, "name": name, "code": code}
    if parent is None:
        return Unit.objects.add_root(fields)
    return Unit.objects.add_child(parent, fields)


def valid_id_number(n: int) -> str:
    first17 = f"330784199{n % 10}0101{n % 1000:03d}"[:17].ljust(17, "0")
    return first17 + id_check_digit(first17)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.LazyAttribute(lambda o: o.unit.organization)
    employee_no = factory.Sequence(lambda n: f"E{n:06d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    position = "操作工"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    id_number = factory.Sequence(valid_id_number)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"第{n}水厂")
    code = factory.Sequence(lambda n: f"S{n:03d}")
    kind = "water_plant"


def make_user(
    username: str,
    *,
    person: Person | None = None,
    organization=None,
    roles: list[tuple[str, Unit | None]] = (),
) -> User:
    org = organization or (person.organization if person else None)
    user = User.objects.create_user(username, password=PASSWORD, person=person, organization=org)
    for role, unit in roles:
        RoleGrant.objects.create(user=user, role=role, unit=unit)
    return user


PASSWORD = getattr(settings, "HEADWATER_DEMO_PASSWORD", "headwater-demo")
