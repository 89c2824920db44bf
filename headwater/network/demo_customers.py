"""Demo critical customers (重点用户) of the demo organization, on junctions of WNTR's Net3
(the models part imports Net3 as the current model before this runs): hospitals, a fever
clinic, the CDC, a quarantine hotel, a testing site, the command center, a telecom room and a
protective-equipment maker; two of them fed from two sides. Skipped when the organization
has no current model; safe to run again (a name already registered is left as it is). A
customer whose node has a pressure point of the demo is metered by it."""

from auditlog.context import disable_auditlog

from headwater.core.demo import extension
from headwater.network.choices import CustomerKind as K
from headwater.network.models import CriticalCustomer, PressurePoint
from headwater.network.services.customers import current_model, node_places

# name, kind, address, contact, contact phone, duty phone, nodes, feeds, minimum pressure
CUSTOMERS = (
    ("市第一人民医院（定点医院）", K.DESIGNATED_HOSPITAL, "解放西路61号", "周建国",
     "0731-84440101", "0731-84440120", ("101", "103"), 2, 28),
    ("市中心医院发热门诊", K.FEVER_CLINIC, "人民中路188号", "李红梅",
     "0731-84450102", "0731-84450110", ("109",), 1, 25),
    ("市疾病预防控制中心", K.CDC, "韶山北路112号", "陈立新",
     "0731-84460103", "0731-84460119", ("151",), 1, 22),
    ("星城宾馆（隔离酒店）", K.QUARANTINE_HOTEL, "芙蓉中路二段9号", "王晓燕",
     "0731-84470104", "0731-84470100", ("189",), 1, 20),
    ("五一广场核酸检测点", K.TESTING_SITE, "五一大道与黄兴路口", "刘洋",
     "13807310105", "13807310106", ("199",), 1, 18),
    ("市应急指挥中心", K.COMMAND_CENTER, "岳麓大道218号", "赵志刚",
     "0731-84480107", "0731-84480110", ("119", "117"), 2, 24),
    ("电信枢纽机房", K.TELECOM, "营盘路77号", "孙明",
     "0731-84490108", "0731-84490112", ("215",), 1, 20),
    ("康护防护用品厂", K.PPE_MAKER, "星城经开区星沙大道36号", "吴海波",
     "0731-84500109", "0731-84500111", ("247",), 1, 20),
    ("市第三医院", K.HOSPITAL, "劳动西路241号", "郑丽",
     "0731-84510110", "0731-84510120", ("123",), 1, 24),
)  # fmt: skip


@extension
def build(org, seed: int, history_days: int) -> None:
    model = current_model(org)
    if model is None:
        return
    places = node_places(model, {n for row in CUSTOMERS for n in row[6]})
    points = {p.node: p for p in PressurePoint.objects.filter(organization=org).exclude(node="")}
    taken = set(CriticalCustomer.objects.filter(organization=org).values_list("name", flat=True))
    with disable_auditlog():  # made-up registry, not changes anyone made
        for name, kind, address, contact, phone, duty, nodes, feeds, pressure in CUSTOMERS:
            if name in taken or not all(n in places for n in nodes):
                continue
            x, y = places[nodes[0]]
            CriticalCustomer.objects.create(
                organization=org,
                name=name,
                kind=kind,
                address=address,
                contact=contact,
                contact_phone=phone,
                duty_phone=duty,
                nodes=list(nodes),
                feeds=feeds,
                min_pressure=pressure,
                x=x,
                y=y,
                pressure_point=next((points[n] for n in nodes if n in points), None),
            )
