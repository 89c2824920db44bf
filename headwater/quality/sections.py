"""The water-quality daily-briefing section (core.tiles interface): the day before the
briefing's date — sampling tasks done and missed, pass rates of the day and of the month to
it, the exceedances (point, indicator, value, limit), the relaxations in force and the
results waiting for review — each figure with the 7 days before it.

Counting follows quality.reports: official figures are approved results only; a day's
exceedances are its failing results whatever their review (entered, checked or approved:
the morning briefing should not wait for the review), except those returned."""

import datetime as dt

from django.db.models import Count, Min
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.core import clock
from headwater.core.tiles import (
    BriefingSection,
    Figure,
    Flag,
    FlagKind,
    Table,
    Text,
    briefing_section,
    days_to,
)
from headwater.quality import catalog, day_figures, reports
from headwater.quality.choices import (
    PointKind,
    RelaxationStatus,
    ReviewStatus,
)
from headwater.quality.models import Relaxation, Result, SamplingTask

NAMED = 10  # exceptions named one by one; the rest are counted in one flag
ENDING_DAYS = 7  # a relaxation ending within this many days asks for a decision
TASKS = pgettext_lazy("count of sampling tasks", "tasks")
RESULTS = pgettext_lazy("count of results", "items")


def _indicator(code: str) -> str:
    """The catalog's name in the language the briefing is resolved in."""
    try:
        item = catalog.indicator(code)
    except (KeyError, LookupError):
        return code
    return item.name_zh if (translation.get_language() or "").startswith("zh") else item.name_en


indicator = lazy(_indicator, str)


def _rate(tally: reports.Tally) -> float | None:
    return tally.rate


def _rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.2f}%"


@briefing_section
def quality_section(organization, date: dt.date) -> BriefingSection | None:
    """None when the organization has neither results nor sampling tasks."""
    results = Result.objects.of(organization)
    if not results.exists() and not SamplingTask.objects.of(organization).exists():
        return None
    day = date - dt.timedelta(days=1)
    days = days_to(day)
    now = clock.now()
    tasks = day_figures.tasks_by_day(organization, days, now)
    daily = reports.daily_tallies(
        reports.official_results(organization), reports.month_start(days[0]), day
    )
    tests = [_rate(daily[d][0]) for d in days]
    samples = [_rate(daily[d][1]) for d in days]
    month_tests, month_samples = [], []
    for d in days:
        t, s = reports.Tally(), reports.Tally()
        for other, (day_tests, day_samples) in daily.items():
            if reports.month_start(d) <= other <= d:
                t.add(day_tests)
                s.add(day_samples)
        month_tests.append(t)
        month_samples.append(s)
    exceeded, failures = day_figures.exceedances(organization, days)
    relaxations = reports.relaxations_in_force(organization, days[0], day)
    in_force = [
        r for r in relaxations if r.relaxation.valid_from <= day <= r.relaxation.valid_until
    ]
    pending = results.filter(status__in=[ReviewStatus.ENTERED, ReviewStatus.CHECKED])
    missed = day_figures.missed_tasks(organization, day, now)
    flags = [
        *_exceedance_flags(failures),
        *_target_flags(month_tests[-1], month_samples[-1]),
        *_missed_flags(missed),
        *_relaxation_flags(organization, in_force, day),
        *_review_flags(pending, day),
    ]
    n_pending = pending.count()
    lines = [
        Text(
            _("%(day)s: tests %(tests)s, samples %(samples)s pass."),
            day=f"{day:%m-%d}",
            tests=_rate_text(tests[-1]),
            samples=_rate_text(samples[-1]),
        ),
        Text(
            _("Month to date: tests %(tests)s, samples %(samples)s pass (target %(target)s%%)."),
            tests=_rate_text(month_tests[-1].rate),
            samples=_rate_text(month_samples[-1].rate),
            target=reports.TARGET,
        ),
        Text(
            _("Exceedances: %(n)s; results awaiting review: %(pending)s."),
            n=len(failures),
            pending=n_pending,
        ),
        Text(
            _("Sampling tasks: %(done)s done, %(missed)s missed, %(open)s still open."),
            **tasks[day],
        ),
    ]
    if in_force:
        lines.append(Text(_("Relaxations in force: %(n)s."), n=len(in_force)))
    relaxed = [
        sum(1 for r in relaxations if r.relaxation.valid_from <= d <= r.relaxation.valid_until)
        for d in days
    ]
    figures = [
        Figure.over_days(
            "quality.tasks.done",
            _("Sampling tasks done"),
            [tasks[d]["done"] for d in days],
            unit=TASKS,
            better="up",
        ),
        Figure.over_days(
            "quality.tasks.missed",
            _("Sampling tasks missed"),
            [tasks[d]["missed"] for d in days],
            unit=TASKS,
            better="down",
        ),
        Figure.over_days(
            "quality.pass_rate", _("Pass rate (tests)"), tests, unit="%", better="up", decimals=2
        ),
        Figure.over_days(
            "quality.pass_rate.month",
            _("Pass rate this month (tests)"),
            [t.rate for t in month_tests],
            unit="%",
            better="up",
            decimals=2,
        ),
        Figure.over_days(
            "quality.sample_pass_rate",
            _("Pass rate (samples)"),
            samples,
            unit="%",
            better="up",
            decimals=2,
        ),
        Figure.over_days(
            "quality.sample_pass_rate.month",
            _("Pass rate this month (samples)"),
            [s.rate for s in month_samples],
            unit="%",
            better="up",
            decimals=2,
        ),
        Figure.over_days(
            "quality.exceedances", _("Exceedances"), exceeded, unit=RESULTS, better="down"
        ),
        Figure.over_days(
            "quality.relaxations", _("Relaxations in force"), relaxed, unit=RESULTS, better="down"
        ),
        # What waits now, at the briefing's making: the review keeps no history to count a
        # past day's queue from.
        Figure(
            "quality.awaiting_review",
            _("Results awaiting review"),
            n_pending,
            trend=[None] * 6 + [n_pending],
            unit=RESULTS,
            better="down",
        ),
    ]
    tables = []
    if failures:
        tables.append(_exceedance_table(failures))
    if missed:
        tables.append(_missed_table(missed))
    if in_force:
        tables.append(_relaxation_table(in_force))
    return BriefingSection(
        _("Water quality"),
        key="quality",
        order=30,
        lines=lines,
        figures=figures,
        tables=tables,
        flags=flags,
        quiet="" if flags else _("Every result within its limit; no sampling task missed."),
    )


def _time(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _exceedance_table(failures: list[Result]) -> Table:
    header = [_("Sampling point"), _("Time"), _("Indicator"), _("Value"), _("Limit"), _("Review")]
    rows = [
        [
            str(r.point),
            _time(r.sampled_at),
            indicator(r.indicator),
            r.raw,
            r.limit_text,
            ReviewStatus(r.status).label,
        ]
        for r in failures
    ]
    return Table(_("Exceedances"), header, rows)


def _missed_table(missed: list[SamplingTask]) -> Table:
    header = [_("Sampling point"), _("Due at"), _("Lab")]
    rows = [[str(t.point), _time(t.due_at), t.lab.name] for t in missed]
    return Table(_("Missed sampling tasks"), header, rows)


def _bounds(relaxation: Relaxation) -> str:
    parts = []
    if relaxation.minimum is not None:
        parts.append(f"≥{relaxation.minimum.normalize()}")
    if relaxation.maximum is not None:
        parts.append(f"≤{relaxation.maximum.normalize()}")
    return " ".join(parts)


def _kind(relaxation: Relaxation):
    return PointKind(relaxation.point_kind).label if relaxation.point_kind else _("every kind")


def _relaxation_table(in_force: list[reports.RelaxationInForce]) -> Table:
    header = [
        _("Indicator"),
        _("Point kind"),
        _("Relaxed limit"),
        _("Valid from"),
        _("Valid until"),
        _("Reason"),
    ]
    rows = [
        [
            indicator(r.relaxation.indicator),
            _kind(r.relaxation),
            _bounds(r.relaxation),
            r.relaxation.valid_from.isoformat(),
            r.relaxation.valid_until.isoformat(),
            r.relaxation.reason,
        ]
        for r in in_force
    ]
    return Table(_("Relaxations in force"), header, rows)


def _exceedance_flags(failures: list[Result]) -> list[Flag]:
    flags = [
        Flag(
            FlagKind.ABNORMAL,
            Text(
                _(
                    "%(point)s: %(indicator)s %(value)s exceeds the limit %(limit)s "
                    "(sampled at %(time)s)."
                ),
                point=str(r.point),
                indicator=indicator(r.indicator),
                value=r.raw,
                limit=r.limit_text,
                time=_time(r.sampled_at),
            ),
        )
        for r in failures[:NAMED]
    ]
    if len(failures) > NAMED:
        flags.append(
            Flag(FlagKind.ABNORMAL, Text(_("Other exceedances: %(n)s."), n=len(failures) - NAMED))
        )
    return flags


def _target_flags(tests: reports.Tally, samples: reports.Tally) -> list[Flag]:
    flags = []
    for tally, message in (
        (
            tests,
            _("The pass rate of tests this month, %(rate)s, is below the %(target)s%% target."),
        ),
        (
            samples,
            _("The pass rate of samples this month, %(rate)s, is below the %(target)s%% target."),
        ),
    ):
        if tally.below_target:
            text = Text(message, rate=_rate_text(tally.rate), target=reports.TARGET)
            flags.append(Flag(FlagKind.ABNORMAL, text))
    return flags


def _missed_flags(missed: list[SamplingTask]) -> list[Flag]:
    flags = [
        Flag(
            FlagKind.OVERDUE,
            Text(
                _("%(point)s: the sampling due at %(time)s was missed."),
                point=str(t.point),
                time=_time(t.due_at),
            ),
        )
        for t in missed[:NAMED]
    ]
    if len(missed) > NAMED:
        flags.append(
            Flag(
                FlagKind.OVERDUE,
                Text(_("Other sampling tasks missed: %(n)s."), n=len(missed) - NAMED),
            )
        )
    return flags


def _relaxation_flags(
    organization, in_force: list[reports.RelaxationInForce], day: dt.date
) -> list[Flag]:
    """A relaxation ending soon (extend it or let it end) and one proposed and waiting for
    approval: both are for someone to decide."""
    flags = []
    for r in in_force:
        ends = r.relaxation.valid_until
        if ends <= day + dt.timedelta(days=ENDING_DAYS):
            text = Text(
                _(
                    "The relaxation of %(indicator)s (%(kind)s) ends on %(date)s: "
                    "extend it or let it end."
                ),
                indicator=indicator(r.relaxation.indicator),
                kind=_kind(r.relaxation),
                date=ends.isoformat(),
            )
            flags.append(Flag(FlagKind.DECISION, text))
    proposed = (
        Relaxation.objects.of(organization)
        .filter(status=RelaxationStatus.PROPOSED, valid_until__gte=day)
        .order_by("valid_from", "indicator")
    )
    for r in proposed:
        text = Text(
            _("A relaxation of %(indicator)s (%(kind)s, %(start)s to %(end)s) awaits approval."),
            indicator=indicator(r.indicator),
            kind=_kind(r),
            start=r.valid_from.isoformat(),
            end=r.valid_until.isoformat(),
        )
        flags.append(Flag(FlagKind.DECISION, text))
    return flags


def _review_flags(pending, day: dt.date) -> list[Flag]:
    """Results entered before the day reported began and still not approved: they have
    waited more than a day. One flag per sampling point, most first."""
    before = clock.day_bounds(day)[0]
    rows = (
        pending.filter(sample__entered_at__lt=before)
        .order_by()
        .values("point_id", "point__code", "point__name")
        .annotate(n=Count("id"), since=Min("sampled_on"))
        .order_by("-n", "point__code")
    )
    rows = list(rows)
    flags = [
        Flag(
            FlagKind.DECISION,
            Text(
                _("%(point)s: results awaiting review since %(since)s: %(n)s."),
                point=f"{r['point__code']} {r['point__name']}",
                n=r["n"],
                since=f"{r['since']:%m-%d}",
            ),
        )
        for r in rows[:NAMED]
    ]
    rest = rows[NAMED:]
    if rest:
        text = Text(
            _("Other points (%(points)s): results awaiting review for more than a day: %(n)s."),
            points=len(rest),
            n=sum(r["n"] for r in rest),
        )
        flags.append(Flag(FlagKind.DECISION, text))
    return flags
