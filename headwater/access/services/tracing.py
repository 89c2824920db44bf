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
from headwater.core.gcpause import collector_held
from headwater.core.models import Person
from headwater.core.querysets import among

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
        t = people.get(c.other_id)
        if t is None:
            t = people[c.other_id] = Traced(c.other_id, "", "", level)
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
    person's evidence is one line per kind: through the source met most often (then the
    earliest; the others counted in `sources`), so that thousands of pairs stay a short list.
    Tens of thousands of rows: plain tuples and dicts in the loop."""
    people: dict[int, Traced] = {}
    vias: dict[int, dict[int, None]] = {}
    pair: dict[tuple[int, int], int] = defaultdict(int)
    # (other, kind) -> [best source, its first time, its count, sources, encounters]
    best: dict[tuple[int, str], list] = {}
    for person_id, other_id, kind, count, at in reached:
        score = w.get(kind, 0) * count
        t = people.get(other_id)
        if t is None:
            t = people[other_id] = Traced(other_id, "", "", 2)
            vias[other_id] = {}
        t.score += score
        t.kinds[kind] = t.kinds.get(kind, 0) + count
        vias[other_id][person_id] = None
        pair[(person_id, other_id)] += score
        line = best.get((other_id, kind))
        if line is None:
            best[(other_id, kind)] = [person_id, at, count, 1, count]
            continue
        line[3] += 1
        line[4] += count
        if count > line[2] or (count == line[2] and at < line[1]):
            line[0], line[1], line[2] = person_id, at, count
    for other_id, seen in vias.items():
        people[other_id].via = list(seen)
    via = _("via %(name)s")  # translated once: thousands of lines
    for (other_id, kind), (source, at, _n, sources, count) in sorted(
        best.items(), key=lambda i: i[1][1]
    ):
        people[other_id].evidence.append(
            {
                "with": source,
                "kind": kind,
                "label": via % {"name": names.get(source, "")},
                "at": at.isoformat(),
                "when": _local(at),
                "count": count,
                "sources": sources,
            }
        )
    return people, pair


def _name(people: dict[int, Traced]) -> list[Traced]:
    rows = Person.objects.filter(pk__in=among(people)).values_list("pk", "name", "unit__name")
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


def _levels(person, start, end, depth, w) -> tuple[list, list, list, list]:
    """(level 1, level 2, the edges of the chains, the level-1 people followed)."""
    first, _pairs = _gather(contacts.found([person.pk], start, end), {person.pk}, w, 1)
    level1 = _name(first)
    expanded = [t.person_id for t in level1[:EXPAND_CAP]] if depth >= 2 else []
    second: dict[int, Traced] = {}
    pairs: dict[tuple[int, int], int] = {}
    if expanded:
        skip = {person.pk, *first}
        names = {t.person_id: t.name for t in level1}
        reached = contacts.reached(expanded, start, end, skip, around=person.pk)
        second, pairs = _gather_reached(reached, w, names)
    level2 = _name(second)
    edges = [
        {"source": person.pk, "target": t.person_id, "level": 1, "score": t.score} for t in level1
    ]
    edges += [
        {"source": src, "target": other, "level": 2, "score": score}
        for (src, other), score in sorted(pairs.items())
    ]
    return level1, level2, edges, expanded


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
    with collector_held():  # tens of thousands of rows become dicts: see core.gcpause
        level1, level2, edges, expanded = _levels(person, start, end, depth, w)
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
