"""Contact tracing (密接追踪): who met a person in a window, two levels deep, with the
evidence and a closeness score, read through `core.contacts` (the gates' passages here,
duty's shifts, any capability that registers a provider). The office only; every trace is
an audit event (a health-related query about a person)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from functools import cache
from operator import itemgetter

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.access.permissions import TRACE
from headwater.core import audit, contacts, levels, parallel
from headwater.core.errors import CoreError, DomainError, require
from headwater.core.gcpause import collector_held
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


def _times(at: dt.datetime) -> tuple[str, str]:
    """A contact's time in local time: ISO 8601, and as the page shows it ("2020-02-01
    14:00", cut from the former: thousands of lines)."""
    iso = at.astimezone(timezone.get_default_timezone()).isoformat()
    return iso, f"{iso[:10]} {iso[11:16]}"


def _scores(found, person_id: int, w) -> dict[int, int]:
    """Each level-1 person's score: the weights of their kinds of contact, once per encounter."""
    scores: dict[int, int] = {}
    for c in found:
        if c.other_id != person_id:
            scores[c.other_id] = scores.get(c.other_id, 0) + w.get(c.kind, 0) * c.times
    return scores


def _gather(found, person_id: int, scores: dict[int, int]) -> dict[int, Traced]:
    """Fold the first level's contacts into one `Traced` per other person (not the traced
    person), every piece of evidence listed, with its score."""
    people: dict[int, Traced] = {}
    times = cache(_times)  # the same moments recur: one passage of the traced person meets hundreds
    for c in found:
        other = c.other_id
        if other == person_id:
            continue
        t = people.get(other)
        if t is None:
            t = people[other] = Traced(other, "", "", 1, scores[other])
        kinds = t.kinds
        kinds[c.kind] = kinds.get(c.kind, 0) + c.times
        if c.person_id not in t.via:
            t.via.append(c.person_id)
        iso, when = times(c.at)
        t.evidence.append(
            {"with": c.person_id, "kind": c.kind, "label": c.label, "at": iso, "when": when}
            | c.evidence
        )
    return people


def _gather_reached(lines, w) -> tuple[dict[int, Traced], dict[int, dict[int, int]]]:
    """Fold the second level's lines (`contacts.reached`: per other person and kind, the
    sources met and how often) into one `Traced` per other person and, per other person,
    the score through each source (the chains, in the order the sources were found). Each
    person's evidence is one line per kind, through the source met most often (then the
    earliest; the others counted in `sources`), so that thousands of pairs stay a short list
    (its label, naming the source, is written once the names are read: `_label_level2`)."""
    people: dict[int, Traced] = {}
    chains: dict[int, dict[int, int]] = {}
    for other, kind, sources, counts, at in sorted(lines, key=itemgetter(4)):
        weight, total = w.get(kind, 0), sum(counts)
        t = people.get(other)
        if t is None:  # most people are met in one kind: their chains made in one go
            t = people[other] = Traced(other, "", "", 2, weight * total, kinds={kind: total})
            chains[other] = dict(zip(sources, map(weight.__mul__, counts), strict=True))
        else:
            t.score += weight * total
            t.kinds[kind] = t.kinds.get(kind, 0) + total
            through = chains[other]
            for source, count in zip(sources, counts, strict=True):
                through[source] = through.get(source, 0) + weight * count
        iso, when = _times(at)  # each line's own moment: nothing to remember
        t.evidence.append(
            {
                "with": sources[0],
                "kind": kind,
                "label": "",
                "at": iso,
                "when": when,
                "count": total,
                "sources": len(sources),
            }
        )
    for other, through in chains.items():
        people[other].via = list(through)
    return people, chains


def _names(ids) -> dict[int, tuple[str, str]]:
    """Each person's name and unit, one query (thousands of people)."""
    if not ids:
        return {}
    query = Person.objects.filter(pk__in_array=ids).order_by()
    # The ORM's statement, read with a plain cursor: thousands of rows, no conversion needed.
    sql, params = query.values_list("pk", "name", "unit__name").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: (name, unit) for pk, name, unit in cursor.fetchall()}


def _named(level: dict[int, Traced], names: dict[int, tuple[str, str]]) -> list[Traced]:
    """A level's people named, closest first."""
    for pk, t in level.items():
        t.name, t.unit = names.get(pk, ("", ""))
    return sorted(level.values(), key=lambda t: (-t.score, t.name, t.person_id))


def _label_level2(level2: list[Traced], level1: dict[int, Traced]) -> None:
    via = _("via %(name)s")  # translated once: thousands of lines
    for t in level2:
        for line in t.evidence:
            source = level1.get(line["with"])
            line["label"] = via % {"name": source.name if source else ""}


def _check_window(start: dt.datetime, end: dt.datetime) -> None:
    if end <= start:
        message = _("The end of the window must be after its start.")
        raise DomainError(message, fields={"end": message})
    if end - start > dt.timedelta(days=MAX_DAYS):
        message = _("Trace at most %(days)s days at a time.") % {"days": MAX_DAYS}
        raise DomainError(message, fields={"start": message})


def _levels(person, start, end, depth, w) -> tuple[list, list, list, list]:
    """(level 1, level 2, the edges of the chains, the level-1 people followed)."""
    found = contacts.found([person.pk], start, end)
    scores = _scores(found, person.pk, w)
    # The closest first, by score then id.
    closest = sorted(scores, key=lambda other: (-scores[other], other))
    expanded = closest[:EXPAND_CAP] if depth >= 2 else []
    skip = {person.pk, *scores}

    def second():
        lines = contacts.reached(expanded, start, end, skip, person.pk)
        return lines, _names({line.other_id for line in lines})

    # The second level and its names are read while the first is named and laid out
    # (`core.parallel`); level 1's names first, so that the second's statements are sent
    # while this thread waits rather than computes.
    reached = parallel.begun(second)
    names = _names(scores)
    first = _gather(found, person.pk, scores)
    lines, names2 = reached()
    second_level, chains = _gather_reached(lines, w)
    level1, level2 = _named(first, names), _named(second_level, names2)
    _label_level2(level2, first)
    edges = [
        {"source": person.pk, "target": t.person_id, "level": 1, "score": t.score} for t in level1
    ]
    # Level 2's chains in the order of the list (the closest first), each through its
    # sources in the order they were found.
    edges += [
        {"source": src, "target": t.person_id, "level": 2, "score": score}
        for t in level2
        for src, score in chains[t.person_id].items()
    ]
    return level1, level2, edges, expanded


def trace(person: Person, start: dt.datetime, end: dt.datetime, *, depth=2, by) -> TraceResult:
    """Level 1: everybody who met `person` in [start, end), with every piece of evidence;
    level 2 (depth 2): everybody who met the closest `EXPAND_CAP` level-1 people (by score,
    then id) in the same window, neither `person` nor a level-1 contact, one piece of
    evidence per kind through the source met most (`contacts.reached`). Two reads of every
    provider, whatever the number of people."""
    require(by, TRACE)
    if person.organization_id != by.organization_id:
        raise DomainError(_("No such person."), code=CoreError.NOT_FOUND, status=404)
    _check_window(start, end)
    w = weights(person.organization)
    # Tens of thousands of rows become objects, most dropped before the end: no collection
    # walks them meanwhile (core.gcpause).
    with collector_held():
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
