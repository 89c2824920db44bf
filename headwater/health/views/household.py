"""The grid screening of relatives (网格化筛查), for unit heads on a phone and the office: a
unit's day, every active relative of its staff with their line's status, counts on top, a
filter by status and an Excel export. Thin over health.household."""

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.choices import Relation
from headwater.core.household import shown
from headwater.core.validators import is_record_date
from headwater.core.views.generic import xlsx_response
from headwater.health import household, pages_support
from headwater.health.choices import ScreeningStatus, Symptom
from headwater.health.permissions import VIEW_UNIT_CHECKINS

PAGE = 100


def _day(raw: str) -> dt.date:
    today = clock.today()
    if not raw:
        return today
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError as e:
        raise Http404 from e
    if not is_record_date(day) or day > today:
        raise Http404
    return day


class Counted:
    """Rows whose number is known already (the screening's counts): the paginator takes it
    instead of counting the whole join again."""

    def __init__(self, rows, n: int):
        self.rows, self.n = rows, n

    def count(self) -> int:
        return self.n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, key):
        return self.rows[key]


def symptoms_text(values) -> str:
    return "、".join(str(Symptom(s).label) for s in values or [] if s in Symptom.values)


@login_required
@permission_required(VIEW_UNIT_CHECKINS, raise_exception=True)
def household_screening(request):
    units = pages_support.indented(pages_support.units_in_scope(request.user, VIEW_UNIT_CHECKINS))
    unit = pages_support.pick(units, request.GET.get("unit"))
    if unit is None:
        raise Http404
    day = _day(request.GET.get("day", ""))
    status = request.GET.get("status", "")
    if status not in ScreeningStatus.values:
        status = ""
    result = household.screening(request.user, unit, day, status)
    if request.GET.get("export") == "xlsx":
        return _export(request, result)
    # The whole organization is shown per unit (one grouped query) until a status is picked:
    # a list of every relative of every unit would be read by nobody.
    per_unit = result.organization_wide and not status
    shown_count = 0 if per_unit else result.counts[status] if status else result.total
    page = Paginator(Counted(result.rows, shown_count), PAGE).get_page(request.GET.get("page"))
    for m in page:
        m.status_choice = ScreeningStatus(m.status)
        m.phone_shown = shown(m, request.user)["phone"]
        m.symptoms_text = symptoms_text(m.line_symptoms)
    for u in result.units if per_unit else ():
        u.indent = "\u3000" * (u.depth - result.unit.depth)
        u.in_order = [u.counts[s] for s in ScreeningStatus.values]
    return render(
        request,
        "health/household_screening.html",
        {
            "unit": unit,
            "units": units,
            "day": day,
            "today": clock.today(),
            "status": status,
            "counts": result.counts,
            "total": result.total,
            "statuses": [(s, result.counts[s.value]) for s in ScreeningStatus],
            "page": page,
            "per_unit": result.units if per_unit else None,
        },
    )


def _export(request, result: household.Screening):
    header = [
        _("Status"),
        _("Household member"),
        _("Relation"),
        _("Phone"),
        _("Member of staff"),
        _("Unit"),
        _("Temperature (°C)"),
        _("Symptoms"),
        _("Travel or contact"),
    ]
    rows = (
        [
            str(ScreeningStatus(m.status).label),
            m.name,
            str(Relation(m.relation).label),
            shown(m, request.user)["phone"],
            m.person.name,
            m.person.unit.name,
            float(m.line_temperature) if m.line_temperature is not None else "",
            symptoms_text(m.line_symptoms),
            m.line_note or "",
        ]
        for m in result.rows.iterator(chunk_size=2000)
    )
    name = _("Household screening %(unit)s %(day)s") % {"unit": result.unit.name, "day": result.day}
    return xlsx_response(header, rows, name, f"household-screening-{result.day}.xlsx")
