"""The completeness view of a campaign (不落一人): the live three-way reconciliation of the
roster, the samples (tubes) and the results, for one viewer.

Counts come from a few grouped queries — the entry's `status` is kept by the services so that
"not sampled" and "awaiting a result" are one GROUP BY over (campaign, status) / (campaign,
unit) — and are rolled up in Python to the rows of the per-unit table (each unit's subtree;
outsiders by company). The names behind each count are read a page at a time
(`completeness_names`).

The gaps:
- `not_sampled`: on the roster, never sampled (PENDING);
- `no_result`: sampled, no result yet (SAMPLED, or a retest sampled: RETESTING);
- `tube_mismatch`: tubes whose registered members differ from what the laboratory counted
  (`lab_members`) or exceed the tube's places (`capacity`);
- `two_tubes`: people in two pooled tubes of the campaign, or registered against a rule from
  a desk's offline queue (`Sample.conflict`: kept, since the swab is in the tube — ADR 0023);
- `orphan_results`: a result for a tube nobody was registered in;
- `retests`: individual retests still open after a positive or invalid pool.

Scope: the viewer sees the entries `visible_to` gives them — a unit head their units' people
and no outsiders, the office and a campaign's desk operators everyone. Tube-level gaps are
the tubes holding one of those people; a result for an empty tube concerns no one's people,
so only viewers of the whole campaign see those.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from headwater.core.models import Unit
from headwater.core.querysets import grants_for, reaches
from headwater.testing.choices import EntryStatus, RetestState, TubeResult
from headwater.testing.models import Campaign, CampaignOperator, Retest, RosterEntry, Sample, Tube
from headwater.testing.permissions import VIEW_CAMPAIGNS

S = EntryStatus
AWAITING = (S.SAMPLED, S.RETESTING)
WITH_RESULT = (S.CLEARED, S.RETEST, S.RETESTING, S.POSITIVE)
GAPS = {
    "not_sampled": _("Not sampled"),
    "no_result": _("Sampled, no result"),
    "tube_mismatch": _("Tube count differs"),
    "two_tubes": _("Sampled twice or in conflict"),
    "orphan_results": _("Result for an unregistered tube"),
    "retests": _("Retests pending"),
}
PERSON_GAPS = ("not_sampled", "no_result", "two_tubes", "retests")


@dataclass
class Counts:
    """People of one row (or the whole view) by where they stand."""

    roster: int = 0
    not_sampled: int = 0
    no_result: int = 0
    cleared: int = 0
    retest: int = 0
    positive: int = 0
    retests: int = 0  # open retests
    two_tubes: int = 0

    @property
    def sampled(self) -> int:
        return self.roster - self.not_sampled

    @property
    def results(self) -> int:
        return self.roster - self.not_sampled - self.no_result

    @property
    def sampled_share(self) -> float:
        return round(100 * self.sampled / self.roster, 1) if self.roster else 0.0

    def add_status(self, status: str, n: int) -> None:
        self.roster += n
        if status == S.PENDING:
            self.not_sampled += n
        elif status in AWAITING:
            self.no_result += n
        elif status == S.CLEARED:
            self.cleared += n
        elif status == S.POSITIVE:
            self.positive += n
        if status in (S.RETEST, S.RETESTING):
            self.retest += n

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int | float]:
        return {
            **{name: getattr(self, name) for name in self.__dataclass_fields__},
            "sampled": self.sampled,
            "results": self.results,
            "sampled_share": self.sampled_share,
        }


@dataclass
class Row:
    """One line of the per-unit table: a unit's subtree (or only the people directly in it,
    `direct`) or a company's outside people."""

    label: str
    unit: Unit | None = None
    company: str = ""
    direct: bool = False
    counts: Counts = field(default_factory=Counts)

    @property
    def key(self) -> str:
        return f"unit:{self.unit.pk}" if self.unit else f"company:{self.company}"

    def covers(self, path: str | None, company: str) -> bool:
        if self.unit is None:
            return path is None and company == self.company
        if path is None:
            return False
        return path == self.unit.path if self.direct else path.startswith(self.unit.path)

    def badness(self) -> tuple:
        c = self.counts
        return (-c.not_sampled, -c.no_result, -c.retests, -c.two_tubes, self.label)


@dataclass
class Viewer:
    """Who looks at which campaign, and at which part of it (`unit`'s subtree or `company`)."""

    user: object
    campaign: Campaign
    whole: bool  # sees every entry of the campaign, outsiders included
    unit: Unit | None = None
    company: str = ""

    def entries(self):
        qs = RosterEntry.objects.visible_to(self.user).filter(campaign=self.campaign)
        if self.unit is not None:
            qs = qs.filter(unit__path__startswith=self.unit.path)
        elif self.company:
            qs = qs.filter(outsider__isnull=False, company=self.company)
        return qs

    def samples(self):
        qs = Sample.objects.visible_to(self.user).filter(campaign=self.campaign)
        if self.unit is not None:
            qs = qs.filter(entry__unit__path__startswith=self.unit.path)
        elif self.company:
            qs = qs.filter(entry__outsider__isnull=False, entry__company=self.company)
        return qs

    def retests(self):
        qs = Retest.objects.visible_to(self.user).filter(
            campaign=self.campaign, state=RetestState.OPEN
        )
        if self.unit is not None:
            qs = qs.filter(entry__unit__path__startswith=self.unit.path)
        elif self.company:
            qs = qs.filter(entry__outsider__isnull=False, entry__company=self.company)
        return qs

    @property
    def focused(self) -> bool:
        return self.unit is not None or bool(self.company)


def viewer(user, campaign: Campaign, *, unit: Unit | None = None, company: str = "") -> Viewer:
    """The viewer of `campaign` (one the user may see: `Campaign.objects.visible_to`). A
    `unit` outside the user's reach is refused with LookupError (the page answers 404)."""
    whole = (
        user.is_superuser
        or grants_for(user, VIEW_CAMPAIGNS)[0]
        or CampaignOperator.objects.filter(campaign=campaign, person_id=user.person_id).exists()
    )
    if unit is not None and (
        unit.organization_id != campaign.organization_id
        or not (whole or reaches(user, VIEW_CAMPAIGNS, unit))
    ):
        raise LookupError("unit out of reach")
    if company and not whole:
        raise LookupError("outside people are seen organization-wide only")
    return Viewer(user, campaign, whole, unit, company if unit is None else "")


def two_tube_entries(samples):
    """Ids of the entries (among `samples`' entries) in two pooled tubes of the campaign or
    registered against a rule from an offline queue."""
    twice = (
        samples.filter(retest_of__isnull=True)
        .order_by()
        .values("entry_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("entry_id")
    )
    conflicts = samples.filter(conflict=True).values("entry_id")
    return Q(pk__in=twice) | Q(pk__in=conflicts)


def odd_tubes(v: Viewer) -> list[dict]:
    """The tubes whose registered members differ from the laboratory's count or exceed the
    places (`gap` "tube_mismatch"), and — for a viewer of the whole campaign — the tubes with
    a result and nobody registered (`gap` "orphan_results"), in barcode order. One grouped
    query over the campaign's tubes."""
    tubes = Tube.objects.visible_to(v.user).filter(campaign=v.campaign)
    if not v.whole or v.focused:
        tubes = tubes.filter(pk__in=v.samples().values("tube_id"))
    registered = F("n")
    miscounted = Q(lab_members__isnull=False) & ~Q(lab_members=registered)
    rows = (
        tubes.annotate(n=Count("samples"))
        .filter(
            Q(n__gt=0) & (miscounted | Q(capacity__lt=registered))
            | Q(n=0) & ~Q(result=TubeResult.PENDING)
        )
        .order_by("barcode")
        .values("id", "barcode", "kind", "capacity", "lab_members", "result", "result_at", "n")
    )
    out = []
    for row in rows:
        row["gap"] = "orphan_results" if row["n"] == 0 else "tube_mismatch"
        if row["gap"] == "orphan_results" and not v.whole:
            continue
        out.append(row)
    return out


@dataclass
class Reconciliation:
    viewer: Viewer
    totals: Counts
    rows: list[Row]
    tubes: list[dict]  # odd_tubes()

    @property
    def gap_counts(self) -> dict[str, int]:
        t = self.totals
        return {
            "not_sampled": t.not_sampled,
            "no_result": t.no_result,
            "tube_mismatch": sum(1 for r in self.tubes if r["gap"] == "tube_mismatch"),
            "two_tubes": t.two_tubes,
            "orphan_results": sum(1 for r in self.tubes if r["gap"] == "orphan_results"),
            "retests": t.retests,
        }


def reconcile(v: Viewer) -> Reconciliation:
    """Totals, the per-unit (and per-company) table worst first, and the odd tubes: four
    grouped queries whatever the campaign's size."""
    by_group: dict[tuple, Counts] = defaultdict(Counts)
    entries = v.entries()
    for unit_id, company, status, n in (
        entries.order_by().values_list("unit_id", "company", "status").annotate(n=Count("id"))
    ):
        by_group[unit_id, company if unit_id is None else ""].add_status(status, n)
    for unit_id, company, n in (
        v.retests()
        .order_by()
        .values_list("entry__unit_id", "entry__company")
        .annotate(n=Count("id"))
    ):
        by_group[unit_id, company if unit_id is None else ""].retests += n
    for unit_id, company, n in (
        entries.filter(two_tube_entries(v.samples()))
        .order_by()
        .values_list("unit_id", "company")
        .annotate(n=Count("id"))
    ):
        by_group[unit_id, company if unit_id is None else ""].two_tubes += n
    totals = Counts()
    for counts in by_group.values():
        totals.add(counts)
    rows = _rows(v, by_group)
    return Reconciliation(v, totals, rows, odd_tubes(v))


def _rows(v: Viewer, by_group: dict[tuple, Counts]) -> list[Row]:
    rows = [Row(label=u.name, unit=u) for u in _row_units(v)]
    if len(rows) == 1 and not rows[0].direct:
        # One unit: show its parts (its children, and the people directly in it).
        top = rows[0].unit
        children = Unit.objects.filter(path__startswith=top.path, depth=top.depth + 1)
        rows = [Row(label=u.name, unit=u) for u in children.order_by("path")]
        itself = str(_("%(unit)s (itself)") % {"unit": top.name})
        rows.append(Row(label=itself, unit=top, direct=True))
    if not v.unit:
        companies = sorted({c for (u, c) in by_group if u is None})
        if v.company:
            companies = [v.company]
        rows += [Row(label=c or str(_("Outside people")), company=c) for c in companies]
    paths = dict(
        Unit.objects.filter(pk__in=[u for (u, _c) in by_group if u is not None]).values_list(
            "pk", "path"
        )
    )
    for (unit_id, company), counts in by_group.items():
        path = paths.get(unit_id)
        for row in rows:
            if row.covers(path, company):
                row.counts.add(counts)
    return sorted((r for r in rows if r.counts.roster), key=Row.badness)


def _row_units(v: Viewer) -> list[Unit]:
    if v.company:
        return []
    if v.unit is not None:
        return [v.unit]
    units = Unit.objects.filter(organization_id=v.campaign.organization_id)
    if v.whole:
        return list(units.filter(depth=1).order_by("path"))
    paths = sorted(grants_for(v.user, VIEW_CAMPAIGNS)[1])
    top = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return list(units.filter(path__in=top).order_by("path"))
