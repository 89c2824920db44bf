"""The names behind each count of the completeness view, a page at a time: people (name, unit
or company, masked phone, where they stand, their tubes) for the person gaps, tubes (barcode,
registered and counted members, places, result, the members the viewer may see) for the tube
gaps. Two or three queries per page whatever the campaign's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext as _

from headwater.core.privacy import mask_phone
from headwater.testing.choices import EntryStatus, TubeResult
from headwater.testing.completeness import AWAITING, Viewer, odd_tubes, two_tube_entries
from headwater.testing.models import Retest, RosterEntry, Sample

PAGE = 50
ENTRY_RELATED = ("person", "outsider", "unit")


@dataclass
class Person:
    """One person named under a gap."""

    entry_id: int
    name: str
    place: str  # unit, or company for an outside person
    phone: str  # masked
    status: str
    tubes: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class TubeLine:
    """One tube named under a tube gap."""

    tube_id: int
    barcode: str
    registered: int
    lab_members: int | None
    capacity: int
    result: str
    members: list[str] = field(default_factory=list)


def entries_of(v: Viewer, gap: str):
    """The queryset of roster entries behind a person gap (not `retests`: see retests_of), in
    the order they are named: by unit (tree order), then outside people by company."""
    qs = v.entries().order_by(F("unit__path").asc(nulls_last=True), "company", "pk")
    if gap == "not_sampled":
        return qs.filter(status=EntryStatus.PENDING)
    if gap == "no_result":
        return qs.filter(status__in=AWAITING)
    if gap == "two_tubes":
        return qs.filter(two_tube_entries(v.samples()))
    raise KeyError(gap)


def retests_of(v: Viewer):
    return (
        v.retests()
        .select_related(*(f"entry__{r}" for r in ENTRY_RELATED), "pool", "sample__tube")
        .order_by("opened_at", "pk")
    )


def count(v: Viewer, gap: str) -> int:
    """How many names `gap` has (one count query; the tube gaps count the odd tubes)."""
    if gap in ("tube_mismatch", "orphan_results"):
        return sum(1 for t in odd_tubes(v) if t["gap"] == gap)
    if gap == "retests":
        return v.retests().count()
    return entries_of(v, gap).order_by().count()


def page(v: Viewer, gap: str, number: int = 1, size: int = PAGE) -> list[Person | TubeLine]:
    """Page `number` (from 1) of the names behind `gap`."""
    start = (max(number, 1) - 1) * size
    if gap in ("tube_mismatch", "orphan_results"):
        tubes = [t for t in odd_tubes(v) if t["gap"] == gap]
        return _tubes(v, tubes[start : start + size])
    if gap == "retests":
        return [_retest(r) for r in retests_of(v)[start : start + size]]
    # The page's ids first (sorting the gap's entries joins only the units), then its rows
    # with their people: the people's table is never joined to thousands of entries.
    ids = list(entries_of(v, gap).values_list("pk", flat=True)[start : start + size])
    rows = RosterEntry.objects.select_related(*ENTRY_RELATED).in_bulk(ids)
    entries = [rows[pk] for pk in ids]
    return _people(v, entries, with_tubes=gap != "not_sampled", conflicts=gap == "two_tubes")


def every(v: Viewer, gap: str, chunk: int = 2000):
    """Every name behind `gap`, for the export (a chunk of rows at a time)."""
    number = 1
    while rows := page(v, gap, number, chunk):
        yield from rows
        if len(rows) < chunk:
            return
        number += 1


def _subject(entry: RosterEntry) -> tuple[str, str, str]:
    who = entry.person or entry.outsider
    place = entry.unit.name if entry.unit_id else entry.company
    return who.name, place, mask_phone(who.phone or "")


def _people(v: Viewer, entries: list[RosterEntry], *, with_tubes: bool, conflicts: bool):
    tubes: dict[int, list[str]] = defaultdict(list)
    flagged: set[int] = set()
    if with_tubes and entries:
        samples = (
            Sample.objects.filter(campaign=v.campaign, entry__in=[e.pk for e in entries])
            .order_by("taken_at", "pk")
            .values_list("entry_id", "tube__barcode", "conflict")
        )
        for entry_id, barcode, conflict in samples:
            tubes[entry_id].append(barcode)
            if conflict:
                flagged.add(entry_id)
    rows = []
    for e in entries:
        name, place, phone = _subject(e)
        note = ""
        if conflicts:
            note = (
                _("Kept from an offline queue against a rule")
                if e.pk in flagged
                else _("In two tubes")
            )
        rows.append(
            Person(e.pk, name, place, phone, e.get_status_display(), tubes[e.pk], str(note))
        )
    return rows


def _retest(r: Retest) -> Person:
    name, place, phone = _subject(r.entry)
    tubes = [r.pool.barcode] + ([r.sample.tube.barcode] if r.sample_id else [])
    note = _("Retest sampled, awaiting result") if r.sample_id else _("Retest not sampled yet")
    return Person(r.entry_id, name, place, phone, r.entry.get_status_display(), tubes, str(note))


def _tubes(v: Viewer, tubes: list[dict]) -> list[TubeLine]:
    members: dict[int, list[str]] = defaultdict(list)
    if tubes:
        samples = (
            v.samples()
            .filter(tube_id__in=[t["id"] for t in tubes])
            .select_related("entry__person", "entry__outsider")
            .order_by("taken_at", "pk")
        )
        for s in samples:
            members[s.tube_id].append((s.entry.person or s.entry.outsider).name)
    return [
        TubeLine(
            t["id"],
            t["barcode"],
            t["n"],
            t["lab_members"],
            t["capacity"],
            str(TubeResult(t["result"]).label),
            members[t["id"]],
        )
        for t in tubes
    ]
