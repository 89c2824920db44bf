"""`headwater demo`: the fictional 星城水务集团, deterministic, idempotent, one login per role."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count

from headwater.core import demo as demo_module
from headwater.core.choices import EmploymentStatus, QualificationKind, ResponseLevel
from headwater.core.models import (
    Organization,
    Person,
    Qualification,
    ResponseLevelChange,
    RoleGrant,
    Site,
    Unit,
    User,
)
from headwater.core.roles import Role
from headwater.core.validators import validate_id_number, validate_phone

PASSWORD = "headwater-demo"
EXPECTED_GRANTS = {
    "staff": None,
    "unit_head": "P1",
    "monitor": "P1",
    "office": None,
    "leader": None,
    "guard": "HQ",  # the unit of its site, the head office
    "lab_tech": "P1",
    "lab_reviewer": "P1",
    "quality": None,
    "dispatcher": "DC",
    "crew": "RC",
    "storekeeper": "HQ-WZ",
    "regulator": None,
}


@pytest.fixture(autouse=True)
def core_only(monkeypatch):
    """These tests are about the core's demo; capabilities test their own demo data."""
    monkeypatch.setattr(demo_module, "EXTENSIONS", [])


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.HEADWATER_DEMO_PASSWORD = PASSWORD


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def demo_org() -> Organization:
    return Organization.objects.get(slug="demo")


def roster() -> list[tuple[str, str, str, str]]:
    return list(
        Person.objects.filter(organization__slug="demo")
        .order_by("employee_no")
        .values_list("name", "employee_no", "phone", "id_number")
    )


@pytest.mark.django_db
def test_demo_builds_the_organization_with_the_requested_staff():
    output = demo("--staff", "300")

    org = demo_org()
    assert (org.name, org.short_name, org.region) == ("星城水务集团", "星城水务", "湖南省·星城市")
    assert Person.objects.filter(organization=org).count() == 300
    assert Unit.objects.filter(organization=org).count() == 54
    assert "已新建演示组织" in output
    assert "员工 300 人" in output


@pytest.mark.django_db
def test_demo_numbers_employees_from_xc000001():
    demo("--staff", "300")

    numbers = [no for _, no, _, _ in roster()]
    assert numbers == [f"XC{n:06d}" for n in range(1, 301)]


@pytest.mark.django_db
def test_demo_unit_tree_has_plants_with_shifts_lab_and_maintenance():
    demo("--staff", "300")

    org = demo_org()
    root = Unit.objects.get(organization=org, code="HQ")
    plant1 = Unit.objects.get(organization=org, code="P1")
    plant3 = Unit.objects.get(organization=org, code="P3")
    assert root.is_root()
    assert [u.name for u in Unit.objects.get_children(plant1)] == [
        "运行甲班",
        "运行乙班",
        "运行丙班",
        "运行丁班",
        "化验室",
        "维修班",
    ]
    assert [u.code for u in Unit.objects.get_children(plant3)] == [
        "P3-A",
        "P3-B",
        "P3-C",
        "P3-L",
        "P3-M",
    ]
    assert Unit.objects.get(organization=org, code="HQ-FK").name == "防控办"
    assert Unit.objects.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_demo_gives_every_unit_but_the_company_people_and_plants_the_most():
    demo("--staff", "300")

    org = demo_org()
    per_unit = dict(
        Unit.objects.filter(organization=org).annotate(n=Count("people")).values_list("code", "n")
    )
    assert per_unit.pop("HQ") == 0
    assert min(per_unit.values()) >= 1
    plants = sum(n for code, n in per_unit.items() if code.startswith("P") and code[1].isdigit())
    assert plants > 300 * 0.4


@pytest.mark.django_db
def test_demo_creates_sites_of_every_kind():
    demo("--staff", "300")

    by_kind = dict(
        Site.objects.filter(organization=demo_org())
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    assert by_kind == {
        "water_plant": 3,
        "reservoir": 6,
        "supply_station": 3,
        "pumping_station": 5,
        "lab": 1,
        "dispatch_center": 1,
        "canteen": 3,
        "warehouse": 1,
        "checkpoint": 5,
        "office": 2,
    }
    for site in Site.objects.filter(organization=demo_org()):
        assert 27.9 < site.latitude < 28.5 and 112.6 < site.longitude < 113.3


@pytest.mark.django_db
def test_demo_makes_one_login_per_role_that_authenticates_with_its_grant():
    demo("--staff", "300")

    org = demo_org()
    for role in Role.values:
        user = authenticate(username=role, password=PASSWORD)
        assert user is not None, role
        assert user.organization == org
        grants = [(g.role, g.unit.code if g.unit else None) for g in user.role_grants.all()]
        assert grants == [(role, EXPECTED_GRANTS[role])]
        if role == Role.REGULATOR:
            assert user.person is None
        else:
            assert user.person.organization == org
            assert user.person.employment_status == EmploymentStatus.ACTIVE
    assert User.objects.get(username="office").person.unit.code == "HQ-FK"
    assert User.objects.get(username="staff").person.unit.code == "P1-A"


@pytest.mark.django_db
def test_demo_guard_is_granted_at_the_head_office_site():
    from headwater.core.grants import sites_of

    demo("--staff", "300")

    guard = User.objects.get(username="guard")
    assert [(s.code, s.unit.code) for s in sites_of(guard)] == [("HQ", "HQ")]


@pytest.mark.django_db
def test_demo_makes_an_admin_superuser_of_the_demo_organization():
    demo("--staff", "300")

    admin = authenticate(username="admin", password=PASSWORD)
    assert admin is not None
    assert (admin.is_superuser, admin.is_staff, admin.organization) == (True, True, demo_org())
    assert User.objects.filter(organization=demo_org()).count() == 14


@pytest.mark.django_db
def test_demo_prints_every_login_with_its_password():
    output = demo("--staff", "300")

    for username in [*Role.values, "admin"]:
        assert re.search(rf"^  {username}\s+\S+\s+{PASSWORD}\s+新建$", output, re.M), username


@pytest.mark.django_db
def test_demo_same_seed_rebuilds_identical_people():
    demo("--staff", "300", "--seed", "7")
    first = roster()

    demo("--staff", "300", "--seed", "7", "--reset")

    assert roster() == first
    assert Organization.objects.filter(slug="demo").count() == 1


@pytest.mark.django_db
def test_demo_other_seed_gives_other_people():
    demo("--staff", "300", "--seed", "7")
    first = roster()

    demo("--staff", "300", "--seed", "8", "--reset")

    assert [r[0] for r in roster()] != [r[0] for r in first]


@pytest.mark.django_db
def test_demo_phones_and_id_numbers_are_well_formed_and_unique():
    demo("--staff", "300")

    people = roster()
    for _, _, phone, id_number in people:
        validate_phone(phone)
        validate_id_number(id_number)
        assert re.fullmatch(r"1[3-9]\d{9}", phone)
        assert 1965 <= int(id_number[6:10]) <= 2000
    assert len({p[2] for p in people}) == 300
    assert len({p[3] for p in people}) == 300


@pytest.mark.django_db
def test_demo_critical_staff_are_exactly_the_licensed_operators_and_lab_technicians():
    demo("--staff", "300")

    org = demo_org()
    licensed = set(
        Qualification.objects.filter(
            person__organization=org,
            kind__in=[QualificationKind.PLANT_OPERATOR, QualificationKind.LAB_TECHNICIAN],
        ).values_list("person_id", flat=True)
    )
    critical = set(
        Person.objects.filter(organization=org, is_critical=True).values_list("pk", flat=True)
    )
    assert critical == licensed
    assert len(critical) > 50
    assert not Qualification.objects.filter(person__organization=org, certificate_no="").exists()
    assert not Qualification.objects.filter(
        person__organization=org, valid_until__isnull=True
    ).exists()


@pytest.mark.django_db
def test_demo_puts_some_staff_on_leave_and_seconded():
    demo("--staff", "2700")

    statuses = dict(
        Person.objects.filter(organization__slug="demo")
        .values_list("employment_status")
        .annotate(n=Count("id"))
    )
    assert 0.02 * 2700 < statuses[EmploymentStatus.ON_LEAVE] < 0.04 * 2700
    assert 0.005 * 2700 < statuses[EmploymentStatus.SECONDED] < 0.015 * 2700


@pytest.mark.django_db
def test_demo_starts_at_level_two_set_by_the_office():
    demo("--staff", "300")

    org = demo_org()
    change = ResponseLevelChange.objects.get(organization=org)
    assert org.response_level == ResponseLevel.LEVEL_2
    assert change.changed_by.username == "office"
    assert change.reason


@pytest.mark.django_db
def test_demo_run_again_changes_nothing():
    demo("--staff", "300")
    pks = list(Person.objects.filter(organization__slug="demo").values_list("pk", flat=True))
    users = list(User.objects.order_by("pk").values_list("pk", "username", "password"))
    counts = (
        Unit.objects.count(),
        Site.objects.count(),
        RoleGrant.objects.count(),
        Qualification.objects.count(),
        ResponseLevelChange.objects.count(),
    )

    output = demo("--staff", "500")

    assert "演示组织已存在" in output
    assert (
        list(Person.objects.filter(organization__slug="demo").values_list("pk", flat=True)) == pks
    )
    assert list(User.objects.order_by("pk").values_list("pk", "username", "password")) == users
    assert (
        Unit.objects.count(),
        Site.objects.count(),
        RoleGrant.objects.count(),
        Qualification.objects.count(),
        ResponseLevelChange.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_demo_run_again_keeps_user_entered_data_and_restores_logins():
    demo("--staff", "300")
    org = demo_org()
    added = Person.objects.create(
        organization=org,
        unit=Unit.objects.get(organization=org, code="P2-A"),
        employee_no="NEW1",
        name="新员工",
    )
    office = User.objects.get(username="office")
    office.set_password("changed-by-someone")
    office.save()
    User.objects.get(username="crew").delete()

    output = demo()

    assert Person.objects.filter(pk=added.pk).exists()
    assert Person.objects.filter(organization=org).count() == 301
    assert authenticate(username="office", password=PASSWORD) == office
    crew = authenticate(username="crew", password=PASSWORD)
    assert [(g.role, g.unit.code) for g in crew.role_grants.all()] == [("crew", "RC")]
    assert re.search(r"^  office\s.*已重置为演示密码$", output, re.M)
    assert re.search(r"^  crew\s.*新建$", output, re.M)


@pytest.mark.django_db
def test_demo_reset_deletes_the_demo_organization_and_its_users(outsider):
    demo("--staff", "300")
    old = demo_org()
    Person.objects.create(
        organization=old,
        unit=Unit.objects.get(organization=old, code="P2"),
        employee_no="NEW1",
        name="新员工",
    )

    demo("--staff", "200", "--reset")

    assert not Organization.objects.filter(pk=old.pk).exists()
    assert Person.objects.filter(organization__slug="demo").count() == 200
    assert not Person.objects.filter(employee_no="NEW1").exists()
    assert User.objects.filter(organization=demo_org()).count() == 14
    assert User.objects.filter(pk=outsider.pk, organization=outsider.organization).exists()


@pytest.mark.django_db
def test_demo_leaves_another_organizations_login_of_the_same_name_alone(office_user):
    password_before = office_user.password

    output = demo("--staff", "300")

    office_user.refresh_from_db()
    assert office_user.password == password_before
    assert office_user.organization.slug == "jinxi"
    assert [g.role for g in office_user.role_grants.all()] == ["office"]
    assert re.search(r"^  office\s.*—\s+跳过：该用户名属于其他组织，未改动$", output, re.M)
    assert not ResponseLevelChange.objects.filter(
        organization=demo_org(), changed_by=office_user
    ).exists()


@pytest.mark.django_db
def test_demo_refuses_a_staff_count_below_one():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        demo("--staff", "0")

    assert not Organization.objects.filter(slug="demo").exists()
