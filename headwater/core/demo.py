"""The demo organization: 星城水务集团, a fictional water group shaped like the seeds (长沙水业:
a company and its departments, three plants with their shifts, labs and maintenance teams, a
central lab, a repair center with crews, a hotline and dispatch center; about 2,700 staff).

`run()` builds it once and is safe to run again: an existing demo organization is left as it
is, and only the demo logins are made sure of. The data is deterministic: the same seed and
staff count give the same people, so a demo, a benchmark and a test see the same roster.
Names, phones and ID numbers are fictional but well-formed (the ID check digit is GB 11643).
"""

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import accumulate

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from faker.providers.person.zh_CN import Provider as ChineseNames

from headwater.core import clock
from headwater.core.choices import EmploymentStatus, QualificationKind, ResponseLevel, SiteKind
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
from headwater.core.validators import id_check_digit

SLUG = "demo"
ORGANIZATION = {
    "name": "星城水务集团",
    "short_name": "星城水务",
    "slug": SLUG,
    "region": "湖南省·星城市",
}
DEFAULT_STAFF = 2700
DEFAULT_SEED = 2020
ADMIN = "admin"
BATCH = 2000
Q = QualificationKind


# --- Posts: who works in each kind of unit --------------------------------------------------


@dataclass(frozen=True)
class Post:
    """A position; licensed operators and lab technicians are critical to the service."""

    title: str
    quals: tuple[str, ...] = ()

    @property
    def critical(self) -> bool:
        return bool({Q.PLANT_OPERATOR, Q.LAB_TECHNICIAN} & set(self.quals))


@dataclass(frozen=True)
class Profile:
    """The head of a unit (its first person) and the weighted posts of everybody else."""

    head: Post
    posts: tuple[Post, ...]
    cum_weights: tuple[int, ...]


def _profile(head: Post | str, *posts: tuple[Post | str, int]) -> Profile:
    def post(p):
        return p if isinstance(p, Post) else Post(p)

    return Profile(
        post(head), tuple(post(p) for p, _ in posts), tuple(accumulate(w for _, w in posts))
    )


OPERATOR = Post("制水运行工", (Q.PLANT_OPERATOR,))
LAB_TECH = Post("化验员", (Q.LAB_TECHNICIAN,))
ELECTRICIAN = Post("电工", (Q.ELECTRICIAN,))
DRIVER = Post("驾驶员", (Q.DRIVER,))

PROFILES = {
    "leaders": _profile(
        "总经理", ("副总经理", 4), ("总工程师", 1), ("党委副书记", 1), ("工会主席", 1)
    ),
    "office": _profile("主任", ("副主任", 1), ("防疫专员", 3), ("干事", 3)),
    "department": _profile("部长", ("副部长", 1), ("主管", 3), ("科员", 6)),
    "production": _profile("部长", ("副部长", 1), ("工程师", 5), ("技术员", 4)),
    "security": _profile("部长", ("保卫主管", 1), ("门岗值守员", 5), ("保安员", 4)),
    "supplies": _profile("部长", ("采购员", 3), ("仓库管理员", 5), ("统计员", 2)),
    "plant": _profile("厂长", ("副厂长", 2), ("技术员", 4), ("安全员", 2), ("统计员", 1)),
    "shift": _profile(
        Post("值班长", (Q.PLANT_OPERATOR,)),
        (OPERATOR, 14),
        (Post("加氯工", (Q.PLANT_OPERATOR, Q.CHLORINE_HANDLER)), 2),
        ("见习运行工", 2),
    ),
    "lab": _profile(Post("化验室主任", (Q.LAB_TECHNICIAN,)), (LAB_TECH, 8), ("取样员", 2)),
    "central_lab": _profile(
        Post("主任", (Q.LAB_TECHNICIAN,)),
        (Post("水质审核员", (Q.LAB_TECHNICIAN,)), 1),
        (LAB_TECH, 3),
    ),
    "maintenance": _profile(
        Post("班长", (Q.ELECTRICIAN,)), ("机修工", 5), (ELECTRICIAN, 3), ("仪表工", 2)
    ),
    "repair": _profile("主任", ("副主任", 1), ("调度员", 2), ("安全员", 1)),
    "center": _profile("主任", ("副主任", 1), ("值班长", 2), ("综合管理员", 1)),
    "crew": _profile(
        "队长",
        ("抢修工", 12),
        (Post("焊工", (Q.PIPE_WELDER,)), 3),
        (DRIVER, 3),
        ("挖掘机操作工", 2),
    ),
    "patrol": _profile("班长", ("管网巡检员", 8), ("测漏工", 2)),
    "hotline": _profile("班长", ("热线接线员", 1)),
    "dispatch": _profile("班长", ("调度员", 1)),
    "pumps": _profile("班长", ("泵房运维工", 7), ("水箱清洗消毒工", 3)),
    "stations": _profile("班长", ("泵站值守员", 7), (ELECTRICIAN, 3)),
    "meters": _profile("班长", ("抄表员", 1)),
    "counter": _profile("班长", ("营业员", 6), ("收费员", 4)),
    "canteen": _profile("班长", ("厨师", 1), ("帮厨", 1)),
    "fleet": _profile("队长", (DRIVER, 1)),
    "management": _profile("所长", ("副所长", 1), ("技术员", 2), ("综合管理员", 2)),
}


# --- The unit tree ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    """One unit: code (unique in the organization), name, parent code, staff weight, profile."""

    code: str
    name: str
    parent: str | None
    weight: int
    profile: str


def _plant(n: int, name: str, shifts: int) -> list[UnitSpec]:
    code = f"P{n}"
    names = ["运行甲班", "运行乙班", "运行丙班", "运行丁班"][:shifts]
    return [
        UnitSpec(code, name, "HQ", 30, "plant"),
        *(
            UnitSpec(f"{code}-{letter}", shift, code, 80, "shift")
            for letter, shift in zip("ABCD", names, strict=False)
        ),
        UnitSpec(f"{code}-L", "化验室", code, 28, "lab"),
        UnitSpec(f"{code}-M", "维修班", code, 45, "maintenance"),
    ]


UNITS: list[UnitSpec] = [
    UnitSpec("HQ", "星城水务集团", None, 0, "department"),
    UnitSpec("HQ-LD", "领导班子", "HQ", 9, "leaders"),
    UnitSpec("HQ-FK", "防控办", "HQ", 12, "office"),
    UnitSpec("HQ-ZH", "综合办公室", "HQ", 30, "department"),
    UnitSpec("HQ-RL", "人力资源部", "HQ", 15, "department"),
    UnitSpec("HQ-CW", "财务部", "HQ", 20, "department"),
    UnitSpec("HQ-SC", "生产技术部", "HQ", 30, "production"),
    UnitSpec("HQ-AB", "安全保卫部", "HQ", 80, "security"),
    UnitSpec("HQ-WZ", "物资供应部", "HQ", 30, "supplies"),
    *_plant(1, "第一水厂", 4),
    *_plant(2, "第二水厂", 4),
    *_plant(3, "第三水厂", 3),
    UnitSpec("QC", "中心化验室", "HQ", 10, "central_lab"),
    UnitSpec("QC-S", "采样组", "QC", 20, "lab"),
    UnitSpec("QC-A", "理化分析组", "QC", 25, "lab"),
    UnitSpec("QC-B", "微生物检验组", "QC", 15, "lab"),
    UnitSpec("RC", "管网抢修中心", "HQ", 15, "repair"),
    *(UnitSpec(f"RC-{n}", f"抢修{cn}队", "RC", 55, "crew") for n, cn in enumerate("一二三四", 1)),
    UnitSpec("RC-X", "管网巡检班", "RC", 40, "patrol"),
    UnitSpec("DC", "客服热线调度中心", "HQ", 10, "center"),
    UnitSpec("DC-H", "热线班", "DC", 70, "hotline"),
    UnitSpec("DC-D", "调度班", "DC", 30, "dispatch"),
    UnitSpec("SS", "二次供水管理所", "HQ", 10, "management"),
    UnitSpec("SS-1", "泵房运维一班", "SS", 60, "pumps"),
    UnitSpec("SS-2", "泵房运维二班", "SS", 60, "pumps"),
    UnitSpec("PS", "加压泵站管理所", "HQ", 10, "management"),
    UnitSpec("PS-N", "北片泵站班", "PS", 45, "stations"),
    UnitSpec("PS-S", "南片泵站班", "PS", 45, "stations"),
    UnitSpec("MK", "营销服务中心", "HQ", 15, "department"),
    UnitSpec("MK-R", "抄表班", "MK", 140, "meters"),
    UnitSpec("MK-B", "营业收费班", "MK", 80, "counter"),
    UnitSpec("LG", "后勤服务中心", "HQ", 10, "management"),
    UnitSpec("LG-C", "食堂班", "LG", 40, "canteen"),
    UnitSpec("LG-V", "车队", "LG", 30, "fleet"),
]


# --- Sites around a fictional city at about 28.2°N 112.9°E ---------------------------------

K = SiteKind
# fmt: off
SITES = [  # code, name, kind, unit code, latitude, longitude, address
    ("HQ", "集团总部办公楼", K.OFFICE, "HQ", "28.1965", "112.9723", "望月区湘岸路168号"),
    ("WP-1", "第一水厂", K.WATER_PLANT, "P1", "28.2386", "112.9452", "望月区清源路1号"),
    ("WP-2", "第二水厂", K.WATER_PLANT, "P2", "28.1523", "112.9870", "南湖区沙湾路8号"),
    ("WP-3", "第三水厂", K.WATER_PLANT, "P3", "28.2810", "113.0655", "星湖区丰泽路16号"),
    ("RS-1", "青龙水库", K.RESERVOIR, "P1", "28.3122", "112.8615", "麓山区青龙村"),
    ("RS-2", "白鹭水库", K.RESERVOIR, "P1", "28.2768", "112.8230", "麓山区白鹭乡"),
    ("RS-3", "凤栖山高位水池", K.RESERVOIR, "P2", "28.1314", "112.9317", "南湖区凤栖山"),
    ("RS-4", "桃花冲水库", K.RESERVOIR, "P2", "28.0873", "112.9624", "南湖区桃花冲"),
    ("RS-5", "云溪水库", K.RESERVOIR, "P3", "28.3349", "113.1026", "星湖区云溪镇"),
    ("RS-6", "望星台清水池", K.RESERVOIR, "P3", "28.2976", "113.0411", "星湖区望星台"),
    ("SS-1", "东城供水站", K.SUPPLY_STATION, "SS", "28.2058", "113.0314", "星湖区东城大道66号"),
    ("SS-2", "西城供水站", K.SUPPLY_STATION, "SS", "28.1912", "112.8913", "麓山区枫林路21号"),
    ("SS-3", "北城供水站", K.SUPPLY_STATION, "SS", "28.2629", "112.9788", "望月区北辰路9号"),
    ("PS-1", "河东加压泵站", K.PUMPING_STATION, "PS", "28.2217", "112.9966", "望月区河东路3号"),
    ("PS-2", "高新区加压泵站", K.PUMPING_STATION, "PS", "28.2344", "112.8840", "麓山区高新路88号"),
    ("PS-3", "机场路加压泵站", K.PUMPING_STATION, "PS", "28.1885", "113.0823", "星湖区机场路102号"),
    ("PS-4", "南湖加压泵站", K.PUMPING_STATION, "PS", "28.1219", "113.0067", "南湖区南湖路45号"),
    ("PS-5", "星湖加压泵站", K.PUMPING_STATION, "PS", "28.2583", "113.0256", "星湖区星湖北路7号"),
    ("LAB", "中心化验室", K.LAB, "QC", "28.2011", "112.9698", "望月区湘岸路170号"),
    ("RC", "管网抢修中心", K.OFFICE, "RC", "28.1789", "112.9512", "南湖区劳动西路52号"),
    ("DC", "客服热线调度中心", K.DISPATCH_CENTER, "DC", "28.1977", "112.9750", "望月区湘岸路166号"),
    ("CT-1", "总部食堂", K.CANTEEN, "LG", "28.1960", "112.9731", "望月区湘岸路168号"),
    ("CT-2", "第一水厂食堂", K.CANTEEN, "LG", "28.2391", "112.9460", "望月区清源路1号"),
    ("CT-3", "第二水厂食堂", K.CANTEEN, "LG", "28.1528", "112.9862", "南湖区沙湾路8号"),
    ("WH-1", "物资中心仓库", K.WAREHOUSE, "HQ-WZ", "28.1674", "113.0188", "南湖区物流园12号"),
    ("CP-1", "清源社区卡点", K.CHECKPOINT, "HQ-AB", "28.2415", "112.9493", "望月区清源社区"),
    ("CP-2", "沙湾社区卡点", K.CHECKPOINT, "HQ-AB", "28.1499", "112.9904", "南湖区沙湾社区"),
    ("CP-3", "丰泽社区卡点", K.CHECKPOINT, "HQ-AB", "28.2781", "113.0618", "星湖区丰泽社区"),
    ("CP-4", "湘岸社区卡点", K.CHECKPOINT, "HQ-AB", "28.1942", "112.9685", "望月区湘岸社区"),
    ("CP-5", "枫林社区卡点", K.CHECKPOINT, "HQ-AB", "28.1893", "112.8957", "麓山区枫林社区"),
]
# fmt: on


# --- Demo logins --------------------------------------------------------------------------


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
        Person.objects.filter(organization=org).delete()
        org.delete()


def build(*, staff: int, seed: int) -> Organization:
    """Create the organization, its unit tree, sites and `staff` people."""
    org = Organization.objects.create(**ORGANIZATION)
    units = create_units(org)
    create_sites(org, units)
    create_people(org, units, staff, seed)
    return org


def create_units(org: Organization) -> dict[str, Unit]:
    """Create the unit tree through treebeard. Siblings are added in code order, the tree's
    node_order_by, so each lands last and no sibling's path has to move."""
    depth: dict[str, int] = {}
    for spec in UNITS:  # parents come before their children
        depth[spec.code] = depth[spec.parent] + 1 if spec.parent else 0
    units: dict[str, Unit] = {}
    for spec in sorted(UNITS, key=lambda s: (depth[s.code], s.code)):
        fields = {"organization": org, "name": spec.name, "code": spec.code}
        if spec.parent is None:
            units[spec.code] = Unit.objects.add_root(fields)
        else:
            units[spec.code] = Unit.objects.add_child(units[spec.parent], fields)
    return units


def create_sites(org: Organization, units: dict[str, Unit]) -> None:
    # bulk_create skips the audit signals: seeding fictional data is not an audited change.
    Site.objects.bulk_create(
        [
            Site(
                organization=org,
                unit=units[unit],
                code=code,
                name=name,
                kind=kind,
                address=f"星城市{address}",
                latitude=Decimal(lat),
                longitude=Decimal(lon),
            )
            for code, name, kind, unit, lat, lon, address in SITES
        ]
    )


# --- People -------------------------------------------------------------------------------


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` over `weights` by largest remainder (exact integers, so deterministic).
    Every weighted unit gets at least one person when there are enough to go round."""
    weighted = [i for i, w in enumerate(weights) if w]
    floor = 1 if total >= len(weighted) else 0
    counts = [floor if w else 0 for w in weights]
    rest, wsum = total - sum(counts), sum(weights)
    shares = [divmod(rest * w, wsum) for w in weights]
    for i, (whole, _) in enumerate(shares):
        counts[i] += whole
    left = total - sum(counts)
    by_remainder = sorted(weighted, key=lambda i: (-shares[i][1], i))
    for i in by_remainder[:left]:
        counts[i] += 1
    return counts


AREA_CODES = (
    "430102 430103 430104 430105 430111 430112 430121 430124 430181 430202 430302 430321 "
    "430421 430502 430602 430721 431002 431102 431202 433101"
).split()
MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 175 "
    "176 177 178 180 181 182 183 185 186 187 188 189 191 198 199"
).split()
BORN_FROM, BORN_DAYS = dt.date(1965, 1, 1), (dt.date(2000, 12, 31) - dt.date(1965, 1, 1)).days
CERT_PREFIX = {
    Q.PLANT_OPERATOR: "XCZS",
    Q.LAB_TECHNICIAN: "XCHY",
    Q.CHLORINE_HANDLER: "XCLQ",
    Q.PIPE_WELDER: "XCHG",
}


SURNAMES = list(ChineseNames.last_names)
SURNAME_WEIGHTS = list(accumulate(ChineseNames.last_names.values()))


class PersonMaker:
    """Draws fictional, well-formed, unique personal data from one random.Random(seed), so a
    seed always gives the same roster.

    Names come from Faker's zh_CN data: surnames weighted by frequency, given names by sex
    (so that they agree with the ID number). Drawing them here rather than through Faker's
    formatter is ten times faster, which matters at 100,000 people, and lets a woman's name
    come from the women's list (zh_CN's name_female() does not).
    """

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.phones: set[str] = set()
        self.ids: set[str] = set()

    def name(self, male: bool) -> str:
        surname = self.rng.choices(SURNAMES, cum_weights=SURNAME_WEIGHTS)[0]
        given = ChineseNames.first_names_male if male else ChineseNames.first_names_female
        return surname + self.rng.choice(given)

    def phone(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def id_number(self, male: bool) -> str:
        """Area, birthdate, a sequence whose last digit is odd for men, the check digit."""
        while True:
            born = BORN_FROM + dt.timedelta(days=self.rng.randrange(BORN_DAYS + 1))
            seq = self.rng.randrange(500) * 2 + (1 if male else 0)
            first17 = f"{self.rng.choice(AREA_CODES)}{born:%Y%m%d}{seq:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def status(self) -> str:
        """About 3% on leave and 1% seconded; everybody else active."""
        draw = self.rng.random()
        if draw < 0.03:
            return EmploymentStatus.ON_LEAVE
        return EmploymentStatus.SECONDED if draw < 0.04 else EmploymentStatus.ACTIVE

    def post(self, profile: Profile, first: bool) -> Post:
        if first:
            return profile.head
        return self.rng.choices(profile.posts, cum_weights=profile.cum_weights)[0]

    def certificate(self, kind: str, id_number: str) -> tuple[str, dt.date]:
        """A certificate number and its expiry: mostly years ahead, a few lapsed or due. An
        electrician's permit and a driving licence carry the holder's ID number, as real ones do."""
        if kind == Q.ELECTRICIAN:
            number = "T" + id_number
        elif kind == Q.DRIVER:
            number = id_number
        else:
            year, serial = self.rng.randint(2012, 2024), self.rng.randrange(10**6)
            number = f"{CERT_PREFIX[kind]}{year}{serial:06d}"
        return number, clock.today() + dt.timedelta(days=self.rng.randint(-30, 5 * 365))


def make_people(org: Organization, units: dict[str, Unit], staff: int, seed: int):
    """The people, unsaved, and their qualifications as (employee_no, kind, number, until)."""
    maker = PersonMaker(seed)
    counts = allocate(staff, [s.weight for s in UNITS])
    people, quals = [], []
    for spec, count in zip(UNITS, counts, strict=True):
        profile = PROFILES[spec.profile]
        for i in range(count):
            male = maker.rng.random() < 0.62
            post = maker.post(profile, first=i == 0)
            person = Person(
                organization=org,
                unit=units[spec.code],
                employee_no=f"XC{len(people) + 1:06d}",
                name=maker.name(male),
                position=post.title,
                phone=maker.phone(),
                id_number=maker.id_number(male),
                employment_status=maker.status(),
                is_critical=post.critical,
            )
            people.append(person)
            quals += [
                (person.employee_no, kind, *maker.certificate(kind, person.id_number))
                for kind in post.quals
            ]
    return people, quals


def create_people(org: Organization, units: dict[str, Unit], staff: int, seed: int) -> None:
    # bulk_create skips the audit signals: seeding fictional data is not an audited change,
    # and one log entry per seeded person would make a 100,000-person benchmark crawl.
    people, quals = make_people(org, units, staff, seed)
    Person.objects.bulk_create(people, batch_size=BATCH)
    pks = dict(Person.objects.filter(organization=org).values_list("employee_no", "pk"))
    Qualification.objects.bulk_create(
        [
            Qualification(
                organization_id=org.pk,
                person_id=pks[no],
                kind=kind,
                certificate_no=number,
                valid_until=until,
            )
            for no, kind, number, until in quals
        ],
        batch_size=BATCH,
    )


# --- Logins and the response level --------------------------------------------------------


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
