"""The gate ledger (台账) of a post and a day: every passage and every vehicle entry with
time, who, temperature and decision, the day's counts, and the people on duty — read for the
page, the API, the Excel workbook and the printed PDF alike.

Fast at thousands of passages a day: the rows are one query on the (gate, at) index with the
person, unit, visit and guard joined in; the counts one grouped query on the same index; a
page of the screen is a slice of the rows (200), the files hold the whole day. Names are shown
in full, as on the seeds' paper ledgers (the ledger is seen only by the office, the heads of
the site's units and the gate's own team); phones are always masked."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from headwater.access.choices import Decision, Direction, RefusalReason
from headwater.access.models import Gate, Passage, VehicleEntry
from headwater.core import clock, privacy

PAGE = 200


def passages(gate: Gate, day: dt.date):
    """The day's passages at the gate, oldest first, with what a line shows joined in."""
    start, end = clock.day_bounds(day)
    return (
        Passage.objects.filter(gate=gate, at__gte=start, at__lt=end)
        .select_related("person__unit", "visit", "guard__person")
        .order_by("at", "pk")
    )


def vehicles(gate: Gate, day: dt.date):
    start, end = clock.day_bounds(day)
    return (
        VehicleEntry.objects.filter(gate=gate, at__gte=start, at__lt=end)
        .select_related("guard__person")
        .order_by("at", "pk")
    )


def _guard(user) -> str:
    if user is None:
        return ""
    return user.person.name if user.person_id else user.get_username()


def _temperature(value) -> str:
    return f"{value:.1f}" if value is not None else ""


def _remark(row) -> str:
    parts = []
    if row.reason:
        parts.append(row.get_reason_display())
    if row.override_reason:
        parts.append(pgettext("gates", "let through: %(reason)s") % {"reason": row.override_reason})
    return "；".join(parts)


def passage_line(n: int, p: Passage) -> dict:
    """One line of the ledger: the serial number of the day and what the paper form had."""
    if p.visit_id:
        name, phone, unit = (
            p.visit.name,
            p.visit.phone,
            p.visit.company or pgettext("gates", "Visitor"),
        )
    elif p.person_id:
        name, phone, unit = p.person.name, p.person.phone, p.person.unit.name
    else:
        name, phone, unit = _("Unknown person"), "", ""
    return {
        "n": n,
        "id": p.pk,
        "at": timezone.localtime(p.at),
        "time": timezone.localtime(p.at).strftime("%H:%M:%S"),
        "name": name,
        "phone": privacy.mask_phone(phone),
        "unit": unit,
        "visitor": bool(p.visit_id),
        "direction": p.direction,
        "direction_label": p.get_direction_display(),
        "temperature": _temperature(p.temperature),
        "decision": p.decision,
        "decision_label": p.get_decision_display(),
        "reason": p.reason,
        "remark": _remark(p),
        "guard": _guard(p.guard),
    }


def vehicle_line(n: int, v: VehicleEntry) -> dict:
    return {
        "n": n,
        "id": v.pk,
        "at": timezone.localtime(v.at),
        "time": timezone.localtime(v.at).strftime("%H:%M:%S"),
        "plate": v.plate,
        "driver": v.driver_name,
        "driver_phone": privacy.mask_phone(v.driver_phone),
        "cargo": v.cargo,
        "disinfected": v.disinfected,
        "disinfected_label": _("Yes") if v.disinfected else _("No"),
        "temperature": _temperature(v.driver_temperature),
        "direction": v.direction,
        "direction_label": v.get_direction_display(),
        "decision": v.decision,
        "decision_label": v.get_decision_display(),
        "reason": v.reason,
        "remark": _remark(v),
        "guard": _guard(v.guard),
    }


def lines(rows, offset: int = 0) -> list[dict]:
    """Ledger lines numbered from `offset` + 1 (a page of the screen continues the count)."""
    maker = vehicle_line if rows and isinstance(rows[0], VehicleEntry) else passage_line
    return [maker(offset + i, row) for i, row in enumerate(rows, start=1)]


@dataclass
class Counts:
    """The figures at the top of the ledger."""

    people_in: int = 0
    people_out: int = 0
    refused: int = 0
    total: int = 0
    refused_by_reason: list[tuple[str, str, int]] = field(default_factory=list)  # code, label, n
    vehicles_in: int = 0
    vehicles_out: int = 0
    vehicles_refused: int = 0
    vehicles: int = 0

    def as_dict(self) -> dict:
        return {
            "people_in": self.people_in,
            "people_out": self.people_out,
            "refused": self.refused,
            "passages": self.total,
            "refused_by_reason": [
                {"reason": code, "label": label, "count": n}
                for code, label, n in self.refused_by_reason
            ],
            "vehicles": self.vehicles,
            "vehicles_in": self.vehicles_in,
            "vehicles_out": self.vehicles_out,
            "vehicles_refused": self.vehicles_refused,
        }


def counts(gate: Gate, day: dt.date, vehicle_rows=None) -> Counts:
    """People let in and out, refusals by reason (one grouped query), vehicles."""
    start, end = clock.day_bounds(day)
    grouped = (
        Passage.objects.filter(gate=gate, at__gte=start, at__lt=end)
        .values_list("direction", "decision", "reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    c, reasons = Counts(), Counter()
    for direction, decision, reason, n in grouped:
        c.total += n
        if decision == Decision.REFUSE:
            c.refused += n
            reasons[reason] += n
        elif direction == Direction.OUT:
            c.people_out += n
        else:
            c.people_in += n
    labels = dict(RefusalReason.choices)
    c.refused_by_reason = [
        (code, str(labels.get(code, code)), n)
        for code, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    rows = vehicle_rows if vehicle_rows is not None else list(vehicles(gate, day))
    for v in rows:
        c.vehicles += 1
        if v.decision == Decision.REFUSE:
            c.vehicles_refused += 1
        elif v.direction == Direction.OUT:
            c.vehicles_out += 1
        else:
            c.vehicles_in += 1
    return c


def on_duty(gate: Gate, day: dt.date) -> list[str]:
    """The people on duty that day (值班人员): the guards who recorded the day's passages and
    vehicle entries, by name (one query each, distinct)."""
    start, end = clock.day_bounds(day)
    names: list[str] = []
    for model in (Passage, VehicleEntry):
        rows = (
            model.objects.filter(gate=gate, at__gte=start, at__lt=end, guard__isnull=False)
            .values_list("guard__person__name", "guard__username")
            .order_by()  # the model's ordering would make every row distinct
            .distinct()
        )
        for person_name, username in rows:
            name = person_name or username
            if name not in names:
                names.append(name)
    return sorted(names)


def day_of(raw) -> dt.date:
    """`?day=YYYY-MM-DD`, today when missing or not a date one can have a ledger of."""
    if isinstance(raw, dt.date):
        return raw
    try:
        day = dt.date.fromisoformat(str(raw or ""))
    except ValueError:
        return clock.today()
    return day if 1900 <= day.year <= 2999 else clock.today()
