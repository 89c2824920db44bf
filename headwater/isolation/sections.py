"""The isolation app's daily-briefing section (core.tiles interface): new, released and
current cases with their 7-day trends, the cases nobody followed up on the day reported
(OVERDUE) and the release proposals waiting for the office (DECISION)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from headwater.core.tiles import (
    PEOPLE,
    BriefingSection,
    Figure,
    Flag,
    FlagKind,
    Text,
    briefing_section,
    days_to,
)
from headwater.isolation import day_figures
from headwater.isolation.models import Case

NAMED = 10


@briefing_section
def isolation_section(organization, date: dt.date) -> BriefingSection | None:
    """The day before `date`. None when the organization never had a case."""
    cases = Case.objects.of(organization)
    if not cases.exists():
        return None
    day = date - dt.timedelta(days=1)
    days = days_to(day)
    figures = day_figures.per_day(organization, days)
    series = {k: [figures[d][k] for d in days] for k in ("opened", "released", "current")}
    missing = day_figures.unchecked(organization, day)
    proposals = list(
        cases.open()
        .filter(release_proposed_at__isnull=False)
        .select_related("person", "household_member")
        .order_by("release_proposed_at", "id")
    )
    flags = [
        Flag(
            FlagKind.OVERDUE,
            Text(
                _("%(unit)s %(name)s: no follow-up by the monitor"),
                unit=Text.plain(c.unit.name),
                name=Text.plain(c.subject_name),
            ),
        )
        for c in missing[:NAMED]
    ]
    if len(missing) > NAMED:
        flags.append(
            Flag(
                FlagKind.OVERDUE,
                Text(_("%(n)s more cases without a follow-up"), n=len(missing) - NAMED),
            )
        )
    flags += [
        Flag(
            FlagKind.DECISION,
            Text(
                _("%(name)s: release proposed, waiting for the office"),
                name=Text.plain(c.subject_name),
            ),
        )
        for c in proposals[:NAMED]
    ]
    n = {k: v[-1] for k, v in series.items()}
    return BriefingSection(
        _("Isolation"),
        key="isolation",
        order=40,
        lines=[
            Text(
                _(
                    "In isolation at the end of the day: %(current)s; %(opened)s new, "
                    "%(released)s released."
                ),
                **n,
            ),
            Text(
                _(
                    "Cases without a follow-up: %(missing)s; "
                    "release proposals waiting: %(waiting)s."
                ),
                missing=len(missing),
                waiting=len(proposals),
            ),
        ],
        figures=[
            Figure.over_days(
                "isolation.current", _("People in isolation"), series["current"], unit=PEOPLE
            ),
            Figure.over_days(
                "isolation.opened",
                _("New isolation cases"),
                series["opened"],
                unit=PEOPLE,
                better="down",
            ),
            Figure.over_days(
                "isolation.released",
                _("Released from isolation"),
                series["released"],
                unit=PEOPLE,
                better="up",
            ),
        ],
        flags=flags,
        quiet="" if flags else _("Every isolated person was followed up."),
    )
