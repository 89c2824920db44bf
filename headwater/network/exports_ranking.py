"""The criticality ranking as an Excel workbook: one sheet of the pipe ranking (the page's
filters applied, every row), then one sheet per critical customer with its single points of
failure (the pipes whose burst cuts it off) and the pipes that leave it on one feed."""

from __future__ import annotations

from django.utils.translation import pgettext

from headwater.core.importer import export_sheets
from headwater.network import reads_ranking as reads
from headwater.network.models import CriticalCustomer, NetworkModel


def filename(model: NetworkModel) -> tuple[str, str]:
    """The download's name in the user's language, and its ASCII fallback."""
    name = pgettext("ranking", "Pipe criticality %(model)s v%(version)s") % {
        "model": model.name,
        "version": model.version,
    }
    return f"{name}.xlsx", f"pipe-criticality-v{model.version}.xlsx"


def ranking_header() -> list[str]:
    return [
        pgettext("ranking", "Rank"),
        pgettext("ranking", "Pipe"),
        "DN",
        pgettext("ranking", "Material"),
        pgettext("ranking", "Score"),
        pgettext("ranking", "Critical customers cut off"),
        pgettext("ranking", "Critical customers on one feed"),
        pgettext("ranking", "Junctions cut off"),
        pgettext("ranking", "Demand cut off (L/s)"),
        pgettext("ranking", "Population cut off"),
    ]


def risk_header() -> list[str]:
    return [
        pgettext("ranking", "Pipe"),
        "DN",
        pgettext("ranking", "Material"),
        pgettext("ranking", "Effect"),
        pgettext("ranking", "Score"),
        pgettext("ranking", "Junctions cut off"),
        pgettext("ranking", "Population cut off"),
    ]


def _names(customers) -> str:
    return "、".join(f"{c.name}（{c.get_kind_display()}）" for c in customers)


def _ranking_rows(rows):
    for n, row in enumerate(rows, start=1):
        yield [
            n,
            row.link,
            round(row.diameter),
            row.material,
            row.score,
            _names(row.cut_customers),
            _names(row.low_customers),
            row.nodes_cut,
            row.demand_cut,
            row.population_cut,
        ]


def _risk_rows(risks: reads.Risks):
    for effect, rows in (
        (pgettext("ranking", "Cut off"), risks.cut),
        (pgettext("ranking", "On one feed"), risks.low),
    ):
        for row in rows:
            yield [
                row.link,
                round(row.diameter),
                row.material,
                effect,
                row.score,
                row.nodes_cut,
                row.population_cut,
            ]


def _sheet_titles(customers: list[CriticalCustomer]) -> list[str]:
    """One title per customer, unique within Excel's 31 characters."""
    titles, seen = [], set()
    for customer in customers:
        base = customer.name[:28]
        title, n = base, 1
        while title in seen:
            n += 1
            title = f"{base[:26]}~{n}"
        seen.add(title)
        titles.append(title)
    return titles


def workbook(user, model: NetworkModel, filters: reads.Filters) -> bytes:
    customers = reads.customers_of(user)
    rows = reads.with_customers(reads.ranking(user, model, filters), customers)
    active = [c for c in customers.values() if c.active]
    sheets = [(pgettext("ranking", "Pipe ranking"), ranking_header(), _ranking_rows(rows))]
    for customer, title in zip(active, _sheet_titles(active), strict=True):
        sheets.append((title, risk_header(), _risk_rows(reads.risks(user, model, customer))))
    return export_sheets(sheets)
