"""The gate ledger (台账) of a post and a day: the day's counts at the top, every passage
(200 to a page) and every vehicle entry; the whole day as Excel and as the printable PDF laid
out like the paper ledgers. Seen through the gate's scope (the office and leaders every gate,
unit heads the gates at their units' sites, a team member their own gate); 404 otherwise."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from headwater.access import ledger, ledger_files
from headwater.access.views_gates import gate_of
from headwater.core.downloads import attachment


def _page_number(raw, last: int) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), last)


@login_required
def ledger_page(request, pk: int):
    gate = gate_of(request, pk)
    day = ledger.day_of(request.GET.get("day"))
    vehicle_rows = list(ledger.vehicles(gate, day))
    counts = ledger.counts(gate, day, vehicle_rows)
    pages = max(1, -(-counts.total // ledger.PAGE))
    number = _page_number(request.GET.get("page"), pages)
    offset = (number - 1) * ledger.PAGE
    rows = list(ledger.passages(gate, day)[offset : offset + ledger.PAGE])
    return render(
        request,
        "access/gates_ledger.html",
        {
            "gate": gate,
            "day": day,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "counts": counts,
            "on_duty": ledger.on_duty(gate, day),
            "lines": ledger.lines(rows, offset),
            "vehicles": ledger.lines(vehicle_rows),
            "page": number,
            "pages": pages,
            "previous_page": number - 1 if number > 1 else None,
            "next_page": number + 1 if number < pages else None,
        },
    )


@login_required
def ledger_xlsx(request, pk: int):
    gate = gate_of(request, pk)
    day = ledger.day_of(request.GET.get("day"))
    response = HttpResponse(
        ledger_files.workbook(gate, day),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return attachment(response, *ledger_files.filename(gate, day, "xlsx"))


@login_required
def ledger_pdf(request, pk: int):
    gate = gate_of(request, pk)
    day = ledger.day_of(request.GET.get("day"))
    response = HttpResponse(ledger_files.document(gate, day), content_type="application/pdf")
    return attachment(response, *ledger_files.filename(gate, day, "pdf"))
