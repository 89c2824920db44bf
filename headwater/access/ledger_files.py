"""The gate ledger as files: an Excel workbook (a sheet of passages, a sheet of vehicles,
the whole day) and a PDF laid out like the seeds' paper ledgers — one page, one form: every
page carries the form's title and header (日期、卡点、值班人员) and the columns 序号、时间、
姓名、单位、体温、进出、结果、备注 (a table head repeated on each page), then the vehicles' form."""

import datetime as dt
import json
import re

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from headwater.access import ledger
from headwater.access.models import Gate
from headwater.core.downloads import pdf
from headwater.core.importer import export_sheets


def filename(gate: Gate, day: dt.date, ext: str) -> tuple[str, str]:
    """The download's name in the user's language, and its ASCII fallback."""
    name = pgettext("gates", "%(gate)s ledger %(day)s") % {
        "gate": gate.name,
        "day": day.isoformat(),
    }
    return f"{name}.{ext}", f"gate-ledger-{day.isoformat()}.{ext}"


def people_header() -> list[str]:
    return [
        pgettext("gates", "No."),
        _("Time"),
        _("Name"),
        _("Phone"),
        _("Unit or company"),
        pgettext("gates", "Temperature"),
        pgettext("gates", "In or out"),
        _("Result"),
        pgettext("gates", "Remarks"),
        pgettext("gates", "Guard"),
    ]


def vehicle_header() -> list[str]:
    return [
        pgettext("gates", "No."),
        _("Time"),
        pgettext("gates", "Plate"),
        _("Driver"),
        pgettext("gates", "Driver's phone"),
        pgettext("gates", "Cargo"),
        pgettext("gates", "Disinfected"),
        pgettext("gates", "Temperature"),
        pgettext("gates", "In or out"),
        _("Result"),
        pgettext("gates", "Remarks"),
        pgettext("gates", "Guard"),
    ]


def workbook(gate: Gate, day: dt.date) -> bytes:
    people = (
        [
            r["n"],
            r["time"],
            r["name"],
            r["phone"],
            r["unit"],
            r["temperature"],
            r["direction_label"],
            r["decision_label"],
            r["remark"],
            r["guard"],
        ]
        for r in _passage_lines(gate, day)
    )
    cars = (
        [
            r["n"],
            r["time"],
            r["plate"],
            r["driver"],
            r["driver_phone"],
            r["cargo"],
            r["disinfected_label"],
            r["temperature"],
            r["direction_label"],
            r["decision_label"],
            r["remark"],
            r["guard"],
        ]
        for r in ledger.lines(list(ledger.vehicles(gate, day)))
    )
    return export_sheets(
        [
            (pgettext("gates", "Passages"), people_header(), people),
            (pgettext("gates", "Vehicles"), vehicle_header(), cars),
        ]
    )


def _passage_lines(gate: Gate, day: dt.date):
    """Every passage of the day as lines, read in chunks so memory stays flat."""
    for n, p in enumerate(ledger.passages(gate, day).iterator(chunk_size=1000), start=1):
        yield ledger.passage_line(n, p)


def _page_css() -> str:
    """The CSS `content` of the page number in the corner ("第 1 页，共 9 页"): the translated
    sentence with WeasyPrint's page counters in place of its numbers."""
    text = pgettext("gates", "Page %(n)s of %(m)s")
    parts = [json.dumps(p, ensure_ascii=False) for p in re.split(r"%\((?:n|m)\)s", text)]
    counters = iter(("counter(page)", "counter(pages)"))
    return " ".join(f"{part} {next(counters)}" for part in parts[:-1]) + " " + parts[-1]


def document(gate: Gate, day: dt.date) -> bytes:
    """The printable ledger (PDF) of the whole day: one table per form whose head repeats on
    every page (one long table lays out faster in WeasyPrint than a table per page)."""
    vehicle_rows = list(ledger.vehicles(gate, day))
    context = {
        "gate": gate,
        "day": day,
        "on_duty": ledger.on_duty(gate, day),
        "counts": ledger.counts(gate, day, vehicle_rows),
        "people": _passage_lines(gate, day),
        "vehicles": ledger.lines(vehicle_rows),
        "page_css": _page_css(),
    }
    return pdf(render_to_string("access/gates_ledger_pdf.html", context))
