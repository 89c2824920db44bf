"""The demo organization: 星城水务集团, a fictional water group shaped like the seeds (长沙水业:
a company and its departments, three plants with their shifts, labs and maintenance teams, a
central lab, a repair center with crews, a hotline and dispatch center; about 2,700 staff).

`run()` builds it once and is safe to run again: an existing demo organization is left as it
is, and only the demo logins are made sure of. The data is deterministic: the same seed and
staff count give the same people, so a demo, a benchmark and a test see the same roster.
Names, phones and ID numbers are fictional but well-formed (the ID check digit is GB 11643).

Here: the entry point, the capabilities' extensions and the printed summary; the units and
sites in `demo_units.py`, the roster in `demo_people.py`, the logins in `demo_logins.py`.
"""

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction

from headwater.core import clock
from headwater.core.choices import ResponseLevel
from headwater.core.demo_logins import ADMIN, LOGINS, LoginStatus, ensure_logins
from headwater.core.demo_people import create_people
from headwater.core.demo_units import create_sites, create_units
from headwater.core.models import Organization, Person, ResponseLevelChange, Site, Unit, User
from headwater.core.roles import Role

__all__ = ["ADMIN", "LOGINS", "SLUG", "extension", "render", "run"]

SLUG = "demo"
ORGANIZATION = {
    "name": "星城水务集团",
    "short_name": "星城水务",
    "slug": SLUG,
    "region": "湖南省·星城市",
}
DEFAULT_STAFF = 2700
DEFAULT_SEED = 2020


@dataclass
class Result:
    """What `run()` did, for the command to print."""

    organization: Organization
    created: bool
    password: str
    logins: list[LoginStatus] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        org = self.organization
        return {
            "units": Unit.objects.filter(organization=org).count(),
            "sites": Site.objects.filter(organization=org).count(),
            "staff": Person.objects.filter(organization=org).count(),
        }


# --- Entry point --------------------------------------------------------------------------

# Capabilities add their demo data (a fortnight of check-ins, …) by registering a function
# `(organization, seed, history_days) -> None` here from their AppConfig.ready().
EXTENSIONS: list = []


def extension(fn):
    EXTENSIONS.append(fn)
    return fn


# A capability whose rows protect rows of core (a gate protects its site) registers a function
# `(organization) -> None` deleting them, run before `delete` removes the organization.
CLEARERS: list = []


def clearer(fn):
    CLEARERS.append(fn)
    return fn


@transaction.atomic
def run(
    *,
    staff: int = DEFAULT_STAFF,
    seed: int = DEFAULT_SEED,
    reset: bool = False,
    password: str | None = None,
    history_days: int = 14,
) -> Result:
    """Build the demo organization unless it exists (or rebuild it with reset), then make
    sure the demo logins exist with the demo password. Never touches an existing demo
    organization's data without reset."""
    password = password or settings.HEADWATER_DEMO_PASSWORD
    org = Organization.objects.filter(slug=SLUG).first()
    if org is not None and reset:
        delete(org)
        org = None
    created = org is None
    if created:
        org = build(staff=staff, seed=seed)
    logins = ensure_logins(org, password)
    if created:
        set_initial_level(org)
        for build_more in EXTENSIONS:
            build_more(org, seed, history_days)
    return Result(org, created, password, logins)


def delete(org: Organization) -> None:
    """Delete the demo organization with everything and everybody in it.

    People go first because Person.unit protects units; auditing the wholesale removal of
    fictional rows would only bury the trail, so it is switched off here.
    """
    with disable_auditlog():
        for clear in CLEARERS:
            clear(org)
        Person.objects.filter(organization=org).delete()
        org.delete()


def build(*, staff: int, seed: int) -> Organization:
    """Create the organization, its unit tree, sites and `staff` people."""
    org = Organization.objects.create(**ORGANIZATION)
    units = create_units(org)
    create_sites(org, units)
    create_people(org, units, staff, seed)
    return org


def set_initial_level(org: Organization) -> ResponseLevelChange:
    """Put the new demo at level 2, switched by the office a few days ago."""
    return ResponseLevelChange.objects.create(
        organization=org,
        level=ResponseLevel.LEVEL_2,
        changed_at=clock.now() - dt.timedelta(days=3),
        changed_by=User.objects.filter(username=Role.OFFICE, organization=org).first(),
        reason="星城市启动突发公共卫生事件二级应急响应，集团同步启动二级响应",
    )


# --- The printed summary ------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[tuple[str, ...]]) -> list[str]:
    """Plain-text columns that stay aligned with Chinese (double-width) characters."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def render(result: Result) -> str:
    org, counts = result.organization, result.counts()
    head = (
        "已新建演示组织" if result.created else "演示组织已存在，未改动其数据（重建请加 --reset）"
    )
    level = ResponseLevel(org.response_level).label
    lines = [
        f"{head}：{org.name}（{org.short_name}，{org.region}，slug={org.slug}）",
        f"单位 {counts['units']} 个，场所 {counts['sites']} 个，员工 {counts['staff']} 人，"
        f"当前响应级别：{level}",
        "",
        "演示登录：",
        *table(
            [("用户名", "角色", "密码", "状态")]
            + [
                (s.username, s.label, result.password if s.usable else "—", s.status)
                for s in result.logins
            ]
        ),
    ]
    return "\n".join(lines) + "\n"
