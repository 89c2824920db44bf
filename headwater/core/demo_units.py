"""The demo organization's shape: the posts of each kind of unit, the unit tree of 星城水务集团
and its sites, and creating them (`headwater demo`, core/demo.py)."""

from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from headwater.core.choices import QualificationKind, SiteKind
from headwater.core.models import Organization, Site, Unit

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
