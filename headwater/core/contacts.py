"""Who met whom when: one read for contact tracing, fed by the capabilities that know (the
gates' passages — the same post within minutes, a canteen slot, a bus trip — and duty's
shifts), without the tracing importing them.

A capability registers a provider in its AppConfig.ready():

    from headwater.core import contacts

    @contacts.provider
    def same_shift(person_ids, start, end) -> list[contacts.Contact]:
        ...  # every contact of those people in [start, end)

and a reader asks `contacts.found(person_ids, start, end)` -> [Contact], every provider's
contacts of those people, one per piece of evidence (a person met twice is two contacts).
A contact of a person with themselves is never reported; contacts between two of the given
people are (each side once per piece of evidence, `person_id` the one asked about).

A second level of tracing (contacts of contacts) asks about many people at once and wants,
for each other person met, one line per kind of contact, not every piece of evidence:
`contacts.reached(person_ids, start, end, skip, around=None)` -> [Line(other_id, kind,
sources, counts, at)] — who of the people asked about met them (`sources`), in how many
separate encounters each (`counts`), the most met first (then the earliest), and when the
first of those first met them (`at`). A provider whose evidence is too plentiful to list
registers a summary beside it (`@contacts.summary(provider)` on `fn(person_ids, start, end,
skip, around) -> [Line]`, answered in the database); the others' contacts are folded into
lines here (one encounter per contact; `lines_of` folds any pairs). `around` is a promise
from the caller: that person's every contact in the same window (every provider's, as
`found` gives them) is in `skip` — so a summary may leave unread the places and times where
anyone it finds would have met `around` (the gates' reads half the passages so).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(slots=True)
class Contact:
    """`person_id` (one asked about) met `other_id` at `at`: `kind` ("gate", "slot", "bus",
    "shift"), `label` (the place or shift in words: "3号门", "午餐第一批", "泵站 夜班") and
    `evidence` (details: ids, both times, how many encounters; JSON-ready for the API, whose
    encoder writes datetimes as ISO 8601: a provider may hand times as datetimes, and
    thousands of contacts are not formatted for a page that does not show them)."""

    person_id: int
    other_id: int
    kind: str
    label: str
    at: dt.datetime
    evidence: dict[str, Any] = field(default_factory=dict, compare=False)
    # The separate encounters this contact stands for (a provider may fold several days at
    # one place into one contact); a score counts each.
    times: int = 1


Provider = Callable[[list[int], dt.datetime, dt.datetime], Iterable[Contact]]
_providers: list[Provider] = []


def provider(fn: Provider) -> Provider:
    """Register `fn(person_ids, start, end) -> contacts of those people in the period`."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


class Reach(NamedTuple):
    """A pair before folding: `person_id` (one asked about) met `other_id` in `count`
    separate encounters of `kind` (a provider says what one encounter is: a gate and a day,
    a shift), the first at `at`."""

    person_id: int
    other_id: int
    kind: str
    count: int
    at: dt.datetime


class Line(NamedTuple):
    """`other_id` was met, in `kind`, by `sources` (of the people asked about) in `counts`
    separate encounters each — the most met first, then the earliest — the first of them
    first at `at`. A tuple: a second level makes thousands."""

    other_id: int
    kind: str
    sources: list[int]
    counts: list[int]
    at: dt.datetime


def lines_of(pairs: Iterable[Reach]) -> list[Line]:
    """Pairs folded into lines (the order of a line's sources as `Line` says)."""
    grouped: dict[tuple[int, str], list[Reach]] = defaultdict(list)
    for r in pairs:
        grouped[(r.other_id, r.kind)].append(r)
    lines = []
    for (other, kind), rows in grouped.items():
        rows.sort(key=lambda r: (-r.count, r.at, r.person_id))
        sources = [r.person_id for r in rows]
        lines.append(Line(other, kind, sources, [r.count for r in rows], rows[0].at))
    return lines


Summary = Callable[..., Iterable[Line]]
_summaries: dict[Provider, Summary] = {}


def summary(of: Provider) -> Callable[[Summary], Summary]:
    """Register `fn(person_ids, start, end, skip, around) -> [Line]` as the summary of
    provider `of`: the lines of others not in `skip` met by those people; `around` as in
    `reached`."""

    def register(fn: Summary) -> Summary:
        _summaries[of] = fn
        return fn

    return register


def reached(
    person_ids: Iterable[int],
    start: dt.datetime,
    end: dt.datetime,
    skip: Iterable[int] = (),
    around: int | None = None,
) -> list[Line]:
    """Every provider's lines of the others (not in `skip`, nor among `person_ids`) whom
    `person_ids` met: the provider's summary where it has one, else its contacts folded
    (each contact one encounter). `around` (optional): a person whose every contact in
    [start, end) is in `skip` (see the module's docstring)."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    skipped = frozenset(skip) | frozenset(ids)
    lines: list[Line] = []
    for fn in _providers:
        if (summarize := _summaries.get(fn)) is not None:
            found = summarize(ids, start, end, skipped, around)
            lines += [line for line in found if line.other_id not in skipped]
            continue
        folded: dict[tuple[int, int, str], list] = {}
        for c in fn(ids, start, end):
            if c.other_id in skipped:
                continue
            seen = folded.setdefault((c.person_id, c.other_id, c.kind), [0, c.at])
            seen[0] += c.times
            seen[1] = min(seen[1], c.at)
        lines += lines_of(Reach(p, o, k, n, at) for (p, o, k), (n, at) in folded.items())
    return lines


def found(person_ids: Iterable[int], start: dt.datetime, end: dt.datetime) -> list[Contact]:
    """Every registered provider's contacts of `person_ids` between `start` and `end`."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    return [c for fn in _providers for c in fn(ids, start, end) if c.other_id != c.person_id]
