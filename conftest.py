"""Fixtures shared by every app's tests: an organization with a small unit tree and the
standard users — office (sees all), unit head (sees a subtree), staff (sees self), and an
outsider from another organization (sees nothing of ours)."""

import pytest

pytest_plugins = ["headwater.core.tests.browser.harness", "headwater.core.tests.timing"]


@pytest.fixture(autouse=True, scope="session")
def tasks_run_at_once(django_db_setup):
    """Huey runs each task when it is enqueued, in the test's own process and database."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing with the production hasher costs ~0.3 s a user; tests don't need its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in Chinese: a request made by an earlier test may have left English
    active in this thread."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Nothing cached by one test (counts of a day …, the memory of core.memo) is seen by
    the next."""
    from django.core.cache import cache

    from headwater.core import memo

    cache.clear()
    memo.forget()
    yield
    cache.clear()
    memo.forget()


@pytest.fixture
def org(db):
    from headwater.core.tests.factories import OrganizationFactory

    return OrganizationFactory(name="金溪水务集团", short_name="金溪水务", slug="jinxi")


@pytest.fixture
def tree(org):
    """company → (plant1 → shift_a), plant2"""
    from headwater.core.tests.factories import make_unit

    company = make_unit(org, "金溪水务集团", "HQ")
    plant1 = make_unit(org, "第一水厂", "P1", company)
    shift_a = make_unit(org, "运行甲班", "P1A", plant1)
    plant2 = make_unit(org, "第二水厂", "P2", company)
    return {"company": company, "plant1": plant1, "shift_a": shift_a, "plant2": plant2}


@pytest.fixture
def people(tree):
    from headwater.core.tests.factories import PersonFactory

    return {
        "head": PersonFactory(unit=tree["plant1"], name="王厂长", employee_no="E1"),
        "operator": PersonFactory(
            unit=tree["shift_a"],
            name="李操作",
            employee_no="E2",
            phone="13912345678",
            id_number="330784199001011231",
        ),
        "other_plant": PersonFactory(unit=tree["plant2"], name="赵二厂", employee_no="E3"),
        "clerk": PersonFactory(unit=tree["company"], name="钱文员", employee_no="E4"),
    }


@pytest.fixture
def office_user(people, org):
    from headwater.core.tests.factories import make_user

    return make_user("office", person=people["clerk"], roles=[("office", None)])


@pytest.fixture
def unit_head_user(people, tree):
    from headwater.core.tests.factories import make_user

    return make_user("head", person=people["head"], roles=[("unit_head", tree["plant1"])])


@pytest.fixture
def staff_user(people):
    from headwater.core.tests.factories import make_user

    return make_user("operator", person=people["operator"], roles=[("staff", None)])


@pytest.fixture
def outsider(db):
    from headwater.core.tests.factories import (
        OrganizationFactory,
        PersonFactory,
        make_unit,
        make_user,
    )

    other = OrganizationFactory(name="外地水司", slug="elsewhere")
    unit = make_unit(other, "外地水司", "X")
    person = PersonFactory(unit=unit, name="外人", employee_no="X1")
    return make_user("outsider", person=person, roles=[("office", None)])
