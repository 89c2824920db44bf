"""Data for the scan tests on the root conftest's organization (company → plant 1 → shift A,
plant 2): a water plant of plant 1 with its gate, the gate's enrolled scanner, a guard granted
at the site, the organization's signing key, passes and codes. Fixtures are imported by name
into each test module."""

import datetime as dt
import itertools

import pytest

from headwater.access import signing
from headwater.access.choices import GateKind, VisitState
from headwater.access.models import Gate, GateDevice, PassCard, Visit
from headwater.core import clock
from headwater.core.models import DeviceToken, RoleGrant
from headwater.core.tests.factories import SiteFactory, make_user
from headwater.health.models import HealthCode

_keys = itertools.count(1)


def new_key() -> str:
    return f"scan-key-{next(_keys):06d}"


def give_code(person, colour: str = "green") -> None:
    """The person's code in force (health's row, as its reader reads it)."""
    HealthCode.objects.filter(person=person, is_current=True).update(is_current=False)
    HealthCode.objects.create(
        organization=person.organization,
        person=person,
        colour=colour,
        reason="测试",
        rule_set_version=1,
    )


def phone_pass(key, person, seconds: int = 60) -> str:
    expires = int(clock.now().timestamp()) + seconds
    return signing.sign(key, signing.KIND_PASS, person.pk, expires=expires)


def make_gate(org, site, kind=GateKind.GATE, name="一号门") -> Gate:
    return Gate.objects.create(organization=org, site=site, name=name, kind=kind)


def enrol(gate, name="扫码枪") -> tuple[DeviceToken, str]:
    device, raw = DeviceToken.issue(gate.organization, name, gate.site)
    GateDevice.objects.create(organization=gate.organization, gate=gate, device=device)
    return device, raw


def make_card(key, person, *, revoked=False) -> tuple[PassCard, str]:
    card = PassCard.objects.create(
        organization=person.organization,
        person=person,
        serial=f"C{person.pk:06d}",
        expires_on=clock.today() + dt.timedelta(days=365),
        revoked_at=clock.now() if revoked else None,
    )
    expires = int(clock.now().timestamp()) + 365 * 86400
    return card, signing.sign(key, signing.KIND_CARD, card.pk, expires=expires, nonce=card.serial)


def make_visit(org, site, *, state=VisitState.APPROVED, hours=4, host=None, **extra) -> Visit:
    return Visit.objects.create(
        organization=org,
        site=site,
        name="孙来访",
        company="管材公司",
        reason="送货",
        host=host,
        state=state,
        valid_until=clock.now() + dt.timedelta(hours=hours),
        **extra,
    )


def visit_pass(key, visit) -> str:
    expires = int(clock.now().timestamp()) + 8 * 3600
    return signing.sign(key, signing.KIND_VISIT, visit.pk, expires=expires)


@pytest.fixture
def plant(org, tree):
    return SiteFactory(organization=org, unit=tree["plant1"], name="一水厂", kind="water_plant")


@pytest.fixture
def gate(org, plant):
    return make_gate(org, plant)


@pytest.fixture
def scanner(gate):
    """(device, raw token) of the gate's enrolled scanner."""
    return enrol(gate)


@pytest.fixture
def signing_key(org):
    return signing.ensure_key(org)


@pytest.fixture
def guard_user(org, tree, plant):
    from headwater.core.tests.factories import PersonFactory

    person = PersonFactory(unit=tree["plant1"], name="周门卫", employee_no="G1")
    user = make_user("guard", person=person)
    RoleGrant.objects.create(user=user, role="guard", unit=plant.unit, site=plant)
    return user


@pytest.fixture
def bearer(scanner):
    return {"HTTP_AUTHORIZATION": f"Bearer {scanner[1]}"}


def set_setting(org, key: str, value) -> None:
    """The office's value of a per-level setting at every level."""
    from headwater.core.choices import ResponseLevel
    from headwater.core.models import LevelSettingValue

    for level in ResponseLevel.values:
        LevelSettingValue.objects.update_or_create(
            organization=org, key=key, level=level, defaults={"value": value}
        )
