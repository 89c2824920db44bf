"""The health app's panels on the command dashboard (core.screen interface): today's key
figures beside yesterday's, health codes by colour, check-in completion by unit (worst first)
and the unit reports not yet in.

Figures are of the organization's active staff, counted in grouped queries (people by unit,
today's check-ins by unit, codes by colour) and rolled up to the reporting units in Python (a
few dozen rows). What is cached (Django's cache), and why that is safe:
- the staff by unit, for STAFF_SECONDS: the roster changes a few times a day, and a new
  person reaching the denominators a few minutes late misleads nobody;
- yesterday's check-in totals, until the cache is emptied: check-ins are made and corrected
  only on their own day, so a past day cannot change;
- the codes in force at the start of today, likewise: a code is stamped with the moment it
  was given (`since`), so what was in force at a past moment cannot change either. They are
  read from the history: the codes in force now that were given before that moment, and for
  the people whose code changed since, their last row before it.
"""

import datetime as dt

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.core import clock, memo
from headwater.core.choices import EmploymentStatus
from headwater.core.models import Person, RoleGrant, Unit
from headwater.core.roles import Role
from headwater.core.screen import Panel, figure, screen_panel
from headwater.core.tiles import PEOPLE, Text
from headwater.health.choices import CodeColour
from headwater.health.models import CheckIn, HealthCode, UnitReport
from headwater.health.windows import report_deadline

BARS = 15  # units shown in the completion chart, worst first
STAFF_SECONDS = 300
LEFT = EmploymentStatus.LEFT
NOT_GREEN = (CodeColour.RED, CodeColour.YELLOW)


def _cached(key: str, timeout: int | None, load):
    hit = cache.get(key)
    if hit is None:
        hit = load()
        cache.set(key, hit, timeout=timeout)
    return hit


def staff_by_unit(organization, day: dt.date) -> dict:
    """{"units": unit id -> (active staff, staff the day before: also those who left on `day`
    or later), "leavers": colour -> codes in force of people who have left}."""

    def load():
        rows = (
            Person.objects.filter(organization=organization)
            .values("unit_id")
            .annotate(
                staff=Count("id", filter=~Q(employment_status=LEFT)),
                before=Count("id", filter=~Q(employment_status=LEFT) | Q(left_on__gte=day)),
            )
        )
        leavers = (
            HealthCode.objects.of(organization)
            .current()
            .filter(person__employment_status=LEFT)
            .colour_counts()
        )
        return {
            "units": {r["unit_id"]: (r["staff"], r["before"]) for r in rows},
            "leavers": leavers,
        }

    return _cached(f"health:screen:staff:{organization.pk}:{day}", STAFF_SECONDS, load)


def day_totals(organization, day: dt.date) -> tuple[int, int]:
    """(people checked in, people abnormal) on a day that is over."""

    def load():
        return CheckIn.objects.of(organization).counts_by_day(day, day).get(day, (0, 0))

    return tuple(_cached(f"health:screen:day:{organization.pk}:{day}", None, load))


def codes_now(organization, leavers: dict[str, int]) -> dict[str, int]:
    """colour -> the active staff's codes in force: the red and yellow ones counted (few),
    green the rest of all codes in force (an index-only count) less the leavers' (`leavers`:
    colour -> their codes, from the staff snapshot)."""
    current = HealthCode.objects.of(organization).current()
    counts = dict(
        current.filter(colour__in=NOT_GREEN)
        .exclude(person__employment_status=LEFT)
        .values_list("colour")
        .annotate(n=Count("*"))
    )
    total = current.count() - sum(leavers.values())
    counts[CodeColour.GREEN] = total - sum(counts.values())
    return counts


def codes_at(organization, moment: dt.datetime) -> dict[str, int]:
    """colour -> the active staff's red and yellow codes in force just before `moment` (a
    moment past)."""

    def load():
        codes = HealthCode.objects.of(organization).exclude(person__employment_status=LEFT)
        counts = dict(
            codes.current()
            .filter(colour__in=NOT_GREEN, since__lt=moment)
            .values_list("colour")
            .annotate(n=Count("id"))
        )
        changed = HealthCode.objects.of(organization).filter(since__gte=moment)
        rows = codes.filter(person_id__in=changed.values("person_id"), since__lt=moment)
        then: dict[int, str] = {}
        for person_id, colour in rows.order_by("since", "id").values_list("person_id", "colour"):
            then[person_id] = colour  # the last row before `moment` wins
        for colour in then.values():
            if colour in NOT_GREEN:
                counts[colour] = counts.get(colour, 0) + 1
        return counts

    return _cached(f"health:screen:codes:{organization.pk}:{moment.isoformat()}", None, load)


def reporting_units(organization) -> list[tuple[int, str, list[int]]]:
    """(id, name, ids of the units of its subtree) of each unit that files a daily report
    (those with a unit head; the top unit's children when no unit has a head yet), in tree
    order. Remembered (core.memo)."""

    def load():
        heads = set(
            RoleGrant.objects.filter(
                unit__organization=organization, role=Role.UNIT_HEAD
            ).values_list("unit_id", flat=True)
        )
        units = list(
            Unit.objects.filter(organization=organization)
            .order_by("path")
            .values_list("id", "name", "path", "depth")
        )
        chosen = [u for u in units if u[0] in heads] or [u for u in units if u[3] == 2]
        return [
            (pk, name, [u[0] for u in units if u[2].startswith(path)])
            for pk, name, path, _depth in chosen
        ]

    return memo.remember(organization.pk, "health.screen.units", load)


def completion(organization, day: dt.date, staff: dict[int, tuple[int, int]]):
    """(per reporting unit, its subtree summed: staff, checked in, rate, worst first; and
    today's check-ins by unit: unit id -> (people checked in, people abnormal))."""
    counts = CheckIn.objects.of(organization).counts_by_unit(day)
    rows = []
    for _pk, name, inside in reporting_units(organization):
        total = sum(staff.get(u, (0, 0))[0] for u in inside)
        done = sum(min(counts.get(u, (0, 0))[0], staff.get(u, (0, 0))[0]) for u in inside)
        if total:
            rows.append({"name": name, "staff": total, "done": done, "rate": 100 * done / total})
    rows.sort(key=lambda r: (r["rate"], -r["staff"], r["name"]))
    return rows, counts


def _rate_colour(rate: float) -> str:
    return "success" if rate >= 95 else "warning" if rate >= 80 else "danger"


@screen_panel
def health_panels(organization, day: dt.date) -> list[Panel]:
    yesterday = day - dt.timedelta(days=1)
    snapshot = staff_by_unit(organization, day)
    staff_units = snapshot["units"]
    staff = sum(s for s, _b in staff_units.values())
    staff_before = sum(b for _s, b in staff_units.values())
    if not staff:
        return []
    units, counts = completion(organization, day, staff_units)
    done = sum(min(counts.get(u, (0, 0))[0], s[0]) for u, s in staff_units.items())
    abnormal = sum(a for _d, a in counts.values())
    y_done, y_abnormal = day_totals(organization, yesterday)
    now = codes_now(organization, snapshot["leavers"])
    end_of_yesterday = clock.day_bounds(day)[0]
    before = codes_at(organization, end_of_yesterday)
    rate = 100 * done / staff
    y_rate = 100 * min(y_done, staff_before) / staff_before if staff_before else None
    red, yellow = now.get(CodeColour.RED, 0), now.get(CodeColour.YELLOW, 0)
    figures = [
        figure("staff", pgettext_lazy("dashboard", "Staff"), staff, staff_before, unit=PEOPLE),
        figure("checked_in", _("Checked in"), done, y_done, unit=PEOPLE, better="up"),
        figure(
            "rate",
            _("Check-in rate"),
            rate,
            y_rate,
            unit="%",
            better="up",
            decimals=1,
            colour=_rate_colour(rate),
        ),
        figure(
            "abnormal",
            _("Abnormal"),
            abnormal,
            y_abnormal,
            unit=PEOPLE,
            better="down",
            colour="danger" if abnormal else "success",
        ),
        figure(
            "red",
            _("Red code"),
            red,
            before.get(CodeColour.RED, 0),
            unit=PEOPLE,
            better="down",
            colour="danger" if red else "success",
        ),
        figure(
            "yellow",
            _("Yellow code"),
            yellow,
            before.get(CodeColour.YELLOW, 0),
            unit=PEOPLE,
            better="down",
            colour="warning" if yellow else "success",
        ),
    ]
    panels = [
        Panel(
            "health.figures",
            _("Key figures today"),
            "figures",
            {"items": figures, "previous_label": _("Yesterday")},
            order=10,
            size="w",
        ),
        Panel(
            "health.completion",
            _("Check-in completion by unit"),
            "bars",
            {
                "items": [
                    {
                        "label": u["name"],
                        "value": round(u["rate"], 1),
                        "text": f"{u['rate']:.1f}%  {u['done']:,}/{u['staff']:,}",
                        "colour": _rate_colour(u["rate"]),
                    }
                    for u in units[:BARS]
                ],
                "max": 100,
                "unit": "%",
            },
            order=20,
            size="t",
            note=_("lowest first"),
        ),
        Panel(
            "health.codes",
            _("Health codes"),
            "pie",
            {
                "items": [
                    {"label": c.label, "value": now.get(c.value, 0), "colour": c.css}
                    for c in CodeColour
                ]
            },
            order=40,
        ),
    ]
    if reporting_units(organization):
        panels.append(reports_panel(organization, day))
    return panels


def reports_panel(organization, day: dt.date) -> Panel:
    """The reporting units whose report of `day` is not in: missing once the deadline passed."""
    units = reporting_units(organization)
    filed = set(
        UnitReport.objects.of(organization)
        .filter(date=day, unit_id__in=[u[0] for u in units])
        .values_list("unit_id", flat=True)
    )
    deadline = report_deadline(organization, day)
    late = clock.now() > deadline
    waiting = [(pk, name) for pk, name, _inside in units if pk not in filed]
    status = _("Missing") if late else Text(_("Due by %(time)s"), time=f"{deadline:%H:%M}")
    return Panel(
        "health.reports",
        _("Unit reports not yet in"),
        "list",
        {
            "items": [
                {
                    "id": f"unit-{pk}",
                    "time": "",
                    "text": name,
                    "note": status,
                    "colour": "danger" if late else "warning",
                    "muted": False,
                }
                for pk, name in waiting
            ],
            "empty": _("Every unit has filed today's report."),
            "more": 0,
        },
        order=60,
        note=Text(_("%(n)s of %(total)s"), n=len(waiting), total=len(units)),
    )
