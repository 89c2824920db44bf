"""The spreadsheets of a model version (through core.importer): its isolation-valve layer
(编号 optional, 管段, 节点) and the customers and population of its nodes (节点, 用户数,
人口). Each row is checked against the version's own links and nodes; every bad row is
named with its reasons and nothing is written on any error. Writing is in
services/models.py (import_valves, import_population)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import pgettext, pgettext_lazy

from headwater.core.importer import Column, ImportSpec, export_table
from headwater.network.models import Link, NetworkModel, Node

COUNT_MAX = 10_000_000
NAME_MAX = 64

VALVE_COLUMNS = (
    Column(
        "name",
        "编号",
        ("阀门编号", "name", "id", "valve"),
        label=pgettext_lazy("network models", "valve id"),
    ),
    Column(
        "link",
        "管段",
        ("管段编号", "link", "pipe"),
        required=True,
        label=pgettext_lazy("network models", "pipe"),
    ),
    Column(
        "node",
        "节点",
        ("节点编号", "node"),
        required=True,
        label=pgettext_lazy("network models", "node"),
    ),
)
POPULATION_COLUMNS = (
    Column(
        "node",
        "节点",
        ("节点编号", "node"),
        required=True,
        label=pgettext_lazy("network models", "node"),
    ),
    Column(
        "customers",
        "用户数",
        ("户数", "customers"),
        label=pgettext_lazy("network models", "customers"),
    ),
    Column(
        "population",
        "人口",
        ("人数", "population"),
        label=pgettext_lazy("network models", "population"),
    ),
)


def valve_template(fmt: str) -> bytes:
    return export_table(VALVE_COLUMNS, [["V1", "10", "10"]], fmt)


def population_template(fmt: str) -> bytes:
    return export_table(POPULATION_COLUMNS, [["11", "120", "360"]], fmt)


class ValveRows:
    """The valve row validator: the link must be one of the version's, the node one of its
    ends (a valve sits on a link next to a node)."""

    def __init__(self, model: NetworkModel):
        self.ends = {
            name: (start, end)
            for name, start, end in Link.objects.filter(model=model).values_list(
                "name", "start", "end"
            )
        }
        self.nodes = set(Node.objects.filter(model=model).values_list("name", flat=True))

    def __call__(self, raw: dict[str, str]) -> dict[str, Any] | list[str]:
        name = re.sub(r"[\x00-\x1f\x7f]", "", raw.get("name", ""))  # NUL: refused by PostgreSQL
        link, node = raw.get("link", ""), raw.get("node", "")
        errors = []
        if len(name) > NAME_MAX:
            errors.append(
                pgettext("network models", "The valve id is longer than %(n)s characters.")
                % {"n": NAME_MAX}
            )
        if link and link not in self.ends:
            errors.append(
                pgettext("network models", "Pipe %(link)s is not in this model version.")
                % {"link": link}
            )
        if node and node not in self.nodes:
            errors.append(
                pgettext("network models", "Node %(node)s is not in this model version.")
                % {"node": node}
            )
        if not errors and link and node and node not in self.ends[link]:
            start, end = self.ends[link]
            errors.append(
                pgettext(
                    "network models",
                    "Node %(node)s is not an end of pipe %(link)s (its ends are %(start)s "
                    "and %(end)s).",
                )
                % {"node": node, "link": link, "start": start, "end": end}
            )
        return errors or {"name": name, "link": link, "node": node}


def valve_spec(model: NetworkModel) -> ImportSpec:
    return ImportSpec(columns=VALVE_COLUMNS, validate_row=ValveRows(model), key=("link", "node"))


class PopulationRows:
    """The population row validator: a node of the version, counts as whole numbers."""

    def __init__(self, model: NetworkModel):
        self.nodes = set(Node.objects.filter(model=model).values_list("name", flat=True))

    def __call__(self, raw: dict[str, str]) -> dict[str, Any] | list[str]:
        node = raw.get("node", "")
        errors = []
        if node and node not in self.nodes:
            errors.append(
                pgettext("network models", "Node %(node)s is not in this model version.")
                % {"node": node}
            )
        row: dict[str, Any] = {"node": node}
        for field, label in (
            ("customers", pgettext("network models", "customers")),
            ("population", pgettext("network models", "population")),
        ):
            if field not in raw:
                continue
            text = raw[field].replace(",", "")
            if text == "":
                row[field] = 0
            elif text.isdigit() and int(text) <= COUNT_MAX:
                row[field] = int(text)
            else:
                errors.append(
                    pgettext(
                        "network models", "%(label)s must be a whole number from 0 to %(max)s."
                    )
                    % {"label": label, "max": COUNT_MAX}
                )
        return errors or row


def population_spec(model: NetworkModel) -> ImportSpec:
    return ImportSpec(columns=POPULATION_COLUMNS, validate_row=PopulationRows(model), key=("node",))
