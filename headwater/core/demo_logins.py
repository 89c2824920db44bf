"""The demo logins: one per role (its username) and the superuser, made sure of with the demo
password on every `headwater demo` run, never touching another organization's login."""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.hashers import check_password, make_password

from headwater.core.choices import EmploymentStatus
from headwater.core.models import Organization, Person, RoleGrant, Site, Unit, User
from headwater.core.roles import Role

ADMIN = "admin"


@dataclass(frozen=True)
class Login:
    """A demo login: its role (also its username), the unit its person works in and the posts
    preferred for that person, and the unit of its grant (None: the whole organization), or
    the site of a gate guard's grant (its unit is the site's)."""

    role: str
    person_unit: str | None
    posts: tuple[str, ...]
    grant_unit: str | None
    grant_site: str | None = None


LOGINS = [
    Login(Role.STAFF, "P1-A", ("制水运行工",), None),
    Login(Role.UNIT_HEAD, "P1", ("厂长",), "P1"),
    Login(Role.MONITOR, "P1", ("安全员",), "P1"),
    Login(Role.OFFICE, "HQ-FK", ("主任",), None),
    Login(Role.LEADER, "HQ-LD", ("总经理",), None),
    Login(Role.GUARD, "HQ-AB", ("门岗值守员",), None, grant_site="HQ"),
    # The three-level review: plant 1's technician and lab head (their grants reach the
    # plant's sampling points), and the central lab, which approves everywhere.
    Login(Role.LAB_TECH, "P1-L", ("化验员",), "P1"),
    Login(Role.LAB_REVIEWER, "P1-L", ("化验室主任",), "P1"),
    Login(Role.QUALITY, "QC", ("水质审核员",), None),
    Login(Role.DISPATCHER, "DC-D", ("调度员",), "DC"),
    Login(Role.CREW, "RC-1", ("队长",), "RC"),
    Login(Role.STOREKEEPER, "HQ-WZ", ("仓库管理员",), "HQ-WZ"),
    # A regulator works for the authorities, not the utility: no person on its roster.
    Login(Role.REGULATOR, None, (), None),
]

CREATED, RESET, KEPT = "新建", "已重置为演示密码", "已存在"
SKIPPED_OTHER_ORG = "跳过：该用户名属于其他组织，未改动"
SKIPPED_NO_UNIT = "跳过：授权单位 {} 已不存在"


@dataclass
class LoginStatus:
    username: str
    label: str
    status: str

    @property
    def usable(self) -> bool:
        """Whether the demo password logs this username in."""
        return self.status in (CREATED, RESET, KEPT)


class Password:
    """The demo password, hashed at most once per run (demo logins share one hash: the
    password is public anyway) and checked at most once per distinct stored hash."""

    def __init__(self, raw: str):
        self.raw = raw
        self._checked: dict[str, bool] = {}

    @cached_property
    def encoded(self) -> str:
        return make_password(self.raw)

    def matches(self, encoded: str) -> bool:
        if encoded not in self._checked:
            self._checked[encoded] = check_password(self.raw, encoded)
        return self._checked[encoded]


def ensure_logins(org: Organization, raw_password: str) -> list[LoginStatus]:
    """Make sure every demo login exists with the demo password; create what is missing,
    never touch a login of another organization that happens to have the same username."""
    password = Password(raw_password)
    statuses = [_ensure_login(org, spec, password) for spec in LOGINS]
    statuses.append(_ensure_admin(org, password))
    return statuses


def _ensure_login(org: Organization, spec: Login, password: Password) -> LoginStatus:
    username, label = str(spec.role), str(Role(spec.role).label)
    user = User.objects.filter(username=username).first()
    if user is not None:
        return LoginStatus(username, label, _keep(user, org, password))
    unit = None
    if spec.grant_unit:
        unit = Unit.objects.filter(organization=org, code=spec.grant_unit).first()
    if spec.grant_unit and unit is None:
        return LoginStatus(username, label, SKIPPED_NO_UNIT.format(spec.grant_unit))
    site = None
    if spec.grant_site:  # a gate guard: granted at the site, over the site's unit
        site = Site.objects.filter(organization=org, code=spec.grant_site).first()
        if site is None:
            return LoginStatus(username, label, SKIPPED_NO_UNIT.format(spec.grant_site))
        unit = site.unit
    user = User.objects.create(
        username=username,
        password=password.encoded,
        organization=org,
        person=pick_person(org, spec),
    )
    RoleGrant.objects.create(user=user, role=spec.role, unit=unit, site=site)
    return LoginStatus(username, label, CREATED)


def _ensure_admin(org: Organization, password: Password) -> LoginStatus:
    label = "超级管理员"
    user = User.objects.filter(username=ADMIN).first()
    if user is not None:
        return LoginStatus(ADMIN, label, _keep(user, org, password))
    User.objects.create(
        username=ADMIN,
        password=password.encoded,
        organization=org,
        is_staff=True,
        is_superuser=True,
    )
    return LoginStatus(ADMIN, label, CREATED)


def _keep(user: User, org: Organization, password: Password) -> str:
    """An existing login: reset the demo password if it was changed, only if it is ours."""
    if user.organization_id != org.pk:
        return SKIPPED_OTHER_ORG
    if password.matches(user.password):
        return KEPT
    user.password = password.encoded
    user.save(update_fields=["password"])
    return RESET


def pick_person(org: Organization, spec: Login) -> Person | None:
    """The first active person of the login's unit without a login, preferring its posts."""
    if spec.person_unit is None:
        return None
    free = Person.objects.filter(
        organization=org,
        unit__code=spec.person_unit,
        employment_status=EmploymentStatus.ACTIVE,
        user__isnull=True,
    ).order_by("employee_no")
    return free.filter(position__in=spec.posts).first() or free.first()
