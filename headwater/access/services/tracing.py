"""Contact tracing (密接追踪): who met a person in a window, two levels deep, with the
evidence and a closeness score, read through `core.contacts` (the gates' passages here,
duty's shifts, any capability that registers a provider). The office only; every trace is
an audit event (a health-related query about a person)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.access.permissions import TRACE
from headwater.core import audit, contacts, levels
from headwater.core.errors import CoreError, DomainError, require
from headwater.core.models import Person

KINDS = ("gate", "slot", "bus", "shift")
# Level-1 people whose own contacts are looked up (the closest first): beyond this the
# second level would be most of the organization and say nothing.
EXPAND_CAP = 50
MAX_DAYS = 60


@dataclass
class Traced:
    """One contact: who, at which level, through whom, how close, and every piece of
    evidence (kind, label, time, details)."""

    person_id: int
    name: str
    unit: str
    level: int
    score: int = 0
    via: list[int] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)


@dataclass
class TraceResult:
    person_id: int
    name: str
    start: dt.datetime
    end: dt.datetime
    depth: int
    weights: dict[str, int]
    level1: list[Traced]
    level2: list[Traced]
    edges: list[dict]
    expanded: int
    capped: bool

    def as_dict(self) -> dict:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        return data


def weights(organization) -> dict[str, int]:
    return {k: levels.value(organization, f"access.trace_weight_{k}") for k in KINDS}


def _local(at: dt.datetime) -> str:
    """A contact's time as the page shows it, in local time (providers give aware times; the
    zone is read once, not per row through the active-timezone lookup)."""
    return at.astimezone(timezone.get_default_timezone()).strftime("%Y-%m-%d %H:%M")


def _gather(found, skip, w, level) -> tuple[dict[int, Traced], dict[tuple[int, int], int]]:
    """Fold contacts into one `Traced` per other person (not in `skip`) with its score and
    the per-source scores (the chains)."""
    people: dict[int, Traced] = {}
    pair: dict[tuple[int, int], int] = defaultdict(int)
    for c in found:
        if c.other_id in skip:
            continue
        t = people.setdefault(c.other_id, Traced(c.other_id, "", "", level))
        weight = w.get(c.kind, 0) * c.times
        t.score += weight
        t.kinds[c.kind] = t.kinds.get(c.kind, 0) + c.times
        if c.person_id not in t.via:
            t.via.append(c.person_id)
        t.evidence.append(
            {
                "with": c.person_id,
                "kind": c.kind,
                "label": c.label,
                "at": c.at.isoformat(),
                "when": _local(c.at),
            }
            | c.evidence
        )
        pair[(c.person_id, c.other_id)] += weight
    return people, pair


def _gather_reached(reached, w, names) -> tuple[dict[int, Traced], dict[tuple[int, int], int]]:
    """Fold the second level's pairs (`contacts.reached`: one row per source, other and kind,
    with the number of encounters) into one `Traced` per other person and the chains. Each
    person's evidence is one line per kind: through the source met most often (the others
    counted in `sources`), so that thousands of pairs stay a short list."""
    people: dict[int, Traced] = {}
    pair: dict[tuple[int, int], int] = defaultdict(int)
    best: dict[tuple[int, str], list] = {}
    for r in reached:
        t = people.get(r.other_id)
        if t is None:
            t = people[r.other_id] = Traced(r.other_id, "", "", 2)
        score = w.get(r.kind, 0) * r.count
        t.score += score
        t.kinds[r.kind] = t.kinds.get(r.kind, 0) + r.count
        if r.person_id not in t.via:
            t.via.append(r.person_id)
        pair[(r.person_id, r.other_id)] += score
        line = best.get((r.other_id, r.kind))
        if line is None:
            best[(r.other_id, r.kind)] = [r, 1, r.count]
        else:
            line[1] += 1
            line[2] += r.count
            if (r.count, -r.at.timestamp()) > (line[0].count, -line[0].at.timestamp()):
                line[0] = r
    via = _("via %(name)s")  # translated once: thousands of lines
    for (other_id, kind), (r, sources, count) in sorted(best.items(), key=lambda i: i[1][0].at):
        people[other_id].evidence.append(
            {
                "with": r.person_id,
                "kind": kind,
                "label": via % {"name": names.get(r.person_id, "")},
                "at": r.at.isoformat(),
                "when": _local(r.at),
                "count": count,
                "sources": sources,
            }
        )
    return people, pair


def _name(people: dict[int, Traced]) -> list[Traced]:
    rows = Person.objects.filter(pk__in=people).values_list("pk", "name", "unit__name")
    for pk, name, unit in rows:
        people[pk].name, people[pk].unit = name, unit
    return sorted(people.values(), key=lambda t: (-t.score, t.name, t.person_id))


def _check_window(start: dt.datetime, end: dt.datetime) -> None:
    if end <= start:
        message = _("The end of the window must be after its start.")
        raise DomainError(message, fields={"end": message})
    if end - start > dt.timedelta(days=MAX_DAYS):
        message = _("Trace at most %(days)s days at a time.") % {"days": MAX_DAYS}
        raise DomainError(message, fields={"start": message})


def trace(person: Person, start: dt.datetime, end: dt.datetime, *, depth=2, by) -> TraceResult:
    """Level 1: everybody who met `person` in [start, end), with every piece of evidence;
    level 2 (depth 2): everybody who met the closest `EXPAND_CAP` level-1 people in the same
    window, neither `person` nor a level-1 contact, one piece of evidence per source and
    kind with the number of encounters (`contacts.reached`). Two reads of every provider,
    whatever the number of people."""
    require(by, TRACE)
    if person.organization_id != by.organization_id:
        raise DomainError(_("No such person."), code=CoreError.NOT_FOUND, status=404)
    _check_window(start, end)
    w = weights(person.organization)
    first, _pairs = _gather(contacts.found([person.pk], start, end), {person.pk}, w, 1)
    level1 = _name(first)
    expanded = [t.person_id for t in level1[:EXPAND_CAP]] if depth >= 2 else []
    second: dict[int, Traced] = {}
    pairs: dict[tuple[int, int], int] = {}
    if expanded:
        skip = {person.pk, *first}
        names = {t.person_id: t.name for t in level1}
        reached = contacts.reached(expanded, start, end, skip)
        second, pairs = _gather_reached(reached, w, names)
    level2 = _name(second)
    edges = [
        {"source": person.pk, "target": t.person_id, "level": 1, "score": t.score} for t in level1
    ]
    edges += [
        {"source": src, "target": other, "level": 2, "score": score}
        for (src, other), score in sorted(pairs.items())
    ]
    audit.record(
        person,
        actor=by,
        trace=f"{start.isoformat()} – {end.isoformat()}",
        depth=depth,
        contacts=len(level1) + len(level2),
    )
    return TraceResult(
        person_id=person.pk,
        name=person.name,
        start=start,
        end=end,
        depth=depth,
        weights=w,
        level1=level1,
        level2=level2,
        edges=edges,
        expanded=len(expanded),
        capped=depth >= 2 and len(level1) > EXPAND_CAP,
    )
