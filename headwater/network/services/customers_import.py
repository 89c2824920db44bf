"""The critical-customer registry from a spreadsheet (core.importer): columns 名称, 类型 (the
Chinese label or the code), 地址, 联系人, 联系电话, 值班电话, 供水节点 (ids separated by “,”,
“、” or “;”), 独立水源数, 最低压力. Every bad row is named with its reasons (the same rules and
messages as the form, nodes checked against the current model), and nothing is written
unless every row is good. A row whose name exists updates that customer; importing the same
file again changes nothing and leaves no audit event.

Tally: created = new customers, updated = customers changed, unchanged = rows already so."""

from typing import Any

from django.utils.translation import gettext_lazy

from headwater.core import locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, require
from headwater.core.importer import Column, ImportReport, ImportSpec, Tally, export_table
from headwater.core.importer import run_import as run
from headwater.network.inputs_customers import CustomerInput, split_nodes
from headwater.network.models import CriticalCustomer
from headwater.network.permissions import MANAGE_NETWORK
from headwater.network.services.customers import (
    ask_for_ranking,
    check_nodes,
    current_model,
    node_places,
)

COLUMNS = (
    Column("name", "名称", ("用户名称", "name"), required=True, label=gettext_lazy("name")),
    Column("kind", "类型", ("用户类型", "kind"), required=True, label=gettext_lazy("kind")),
    Column("address", "地址", ("address",), label=gettext_lazy("address")),
    Column("contact", "联系人", ("contact",), label=gettext_lazy("contact person")),
    Column("contact_phone", "联系电话", ("contact_phone",), label=gettext_lazy("contact phone")),
    Column("duty_phone", "值班电话", ("duty_phone",), label=gettext_lazy("duty phone")),
    Column(
        "nodes",
        "供水节点",
        ("节点", "nodes"),
        required=True,
        label=gettext_lazy("feeding nodes"),
    ),
    Column(
        "feeds",
        "独立水源数",
        ("水源数", "feeds"),
        required=True,
        label=gettext_lazy("independent feeds"),
    ),
    Column(
        "min_pressure",
        "最低压力",
        ("最低压力(m)", "min_pressure"),
        required=True,
        label=gettext_lazy("minimum pressure (m)"),
    ),
)
# The columns a row may leave out: left out, the customer keeps its value.
OPTIONAL = ("address", "contact", "contact_phone", "duty_phone")


def template(fmt: str) -> bytes:
    example = [
        [
            "市第一人民医院",
            "定点医院",
            "解放路1号",
            "张主任",
            "0731-84440001",
            "0731-84440120",
            "10、11",
            "2",
            "28",
        ]
    ]
    return export_table(COLUMNS, example, fmt)


class _Rows:
    """The row validator: the input's rules, then the nodes against the current model (one
    query for each new set of ids, remembered)."""

    def __init__(self, organization):
        self.model = current_model(organization)
        self.places: dict[str, tuple] = {}
        self.looked: set[str] = set()

    def __call__(self, raw: dict[str, str]) -> dict[str, Any] | list[str]:
        if not raw.get("name") or not raw.get("kind"):
            return []  # reported as missing by the importer
        data = {**raw, "nodes": split_nodes(raw.get("nodes"))}
        try:
            parsed = CustomerInput.parse(data)
        except DomainError as e:
            return [str(m) for m in e.fields.values()] or [e.message]
        wanted = set(parsed.nodes) - self.looked
        self.places |= node_places(self.model, wanted)
        self.looked |= wanted
        if message := check_nodes(self.model, parsed.nodes, self.places):
            return [message]
        return {"input": parsed, "present": set(raw)}


def import_customers(organization, uploaded_file, filename: str, *, by) -> ImportReport:
    """Check the whole file, then write every row in one transaction (or nothing)."""
    require(by, MANAGE_NETWORK)
    rows_check = _Rows(organization)
    spec = ImportSpec(columns=COLUMNS, validate_row=rows_check, key=("name",))

    def apply(rows: list[dict[str, Any]]) -> Tally:
        with acting_as(by):
            tally = _apply(organization, rows, rows_check.places)
            if tally.record(organization, by=by, filename=filename, what="network_customers"):
                ask_for_ranking(organization)
        return tally

    return run(uploaded_file, filename, spec, apply=apply)


def _values(data: CustomerInput, places: dict) -> dict:
    x, y = places.get(data.nodes[0], (None, None))
    return {
        "kind": data.kind,
        "address": data.address,
        "contact": data.contact,
        "contact_phone": data.contact_phone,
        "duty_phone": data.duty_phone,
        "nodes": list(data.nodes),
        "feeds": data.feeds,
        "min_pressure": data.min_pressure,
        "x": x,
        "y": y,
    }


def _apply(organization, rows: list[dict[str, Any]], places: dict) -> Tally:
    tally = Tally()
    names = [r["input"].name for r in rows]
    existing = {
        c.name: c
        for c in locks.lock(
            CriticalCustomer.objects.filter(organization=organization, name__in=names)
        )
    }
    for row in rows:
        data: CustomerInput = row["input"]
        values = _values(data, places)
        for field in OPTIONAL:
            if field not in row["present"]:
                values.pop(field)
        customer = existing.get(data.name)
        if customer is None:
            CriticalCustomer.objects.create(organization=organization, name=data.name, **values)
            tally.created += 1
            continue
        if customer.x is not None and values["nodes"] == customer.nodes:
            values.pop("x"), values.pop("y")  # keep coordinates set by hand
        changed = [f for f, v in values.items() if getattr(customer, f) != v]
        if not customer.active:
            changed.append("active")
            customer.active = True
        if not changed:
            tally.unchanged += 1
            continue
        for f in changed:
            if f != "active":
                setattr(customer, f, values[f])
        customer.save(update_fields=changed)
        tally.updated += 1
    return tally
