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

A second level of tracing (contacts of contacts) asks about many people at once and wants
one row per pair, not every piece of evidence: `contacts.reached(person_ids, start, end,
skip, around=None)` -> [Reach(person_id, other_id, kind, count, at)]. A provider whose
evidence is too plentiful to list registers a summary beside it (`@contacts.summary(provider)`
on `fn(person_ids, start, end, skip, around) -> [Reach]`, answered in the database); the
others' contacts are folded into Reach rows here (one encounter per contact). `around` is a
promise from the caller: that person's every contact in the same window (every provider's,
as `found` gives them) is in `skip` — so a summary may leave unread the places and times
where anyone it finds would have met `around` (the gates' reads half the passages so).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(slots=True)
class Contact:
    """`person_id` (one asked about) met `other_id` at `at`: `kind` ("gate", "slot", "bus",
    "shift"), `label` (the place or shift in words: "3号门", "午餐第一批", "泵站 夜班") and
    `evidence` (JSON-ready details: ids, both times, how many encounters)."""

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
    """`person_id` (one asked about) met `other_id` in `count` separate encounters of `kind`
    (a provider says what one encounter is: a gate and a day, a shift), the first at `at`.
    A tuple: a second level makes tens of thousands."""

    person_id: int
    other_id: int
    kind: str
    count: int
    at: dt.datetime


Summary = Callable[..., Iterable[Reach]]
_summaries: dict[Provider, Summary] = {}


def summary(of: Provider) -> Callable[[Summary], Summary]:
    """Register `fn(person_ids, start, end, skip, around) -> [Reach]` as the summary of
    provider `of`: the pairs of those people and others not in `skip`, one row per (person,
    other, kind); `around` as in `reached`."""

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
) -> list[Reach]:
    """Every provider's pairs of `person_ids` with others not in `skip` (nor themselves),
    one row per (person, other, kind): the provider's summary where it has one, else its
    contacts folded (each contact one encounter). `around` (optional): a person whose every
    contact in [start, end) is in `skip` (see the module's docstring)."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    skipped = frozenset(skip) | frozenset(ids)
    rows: list[Reach] = []
    for fn in _providers:
        if (summarize := _summaries.get(fn)) is not None:
            found = summarize(ids, start, end, skipped, around)
            rows += [r for r in found if r.other_id not in skipped]
            continue
        folded: dict[tuple[int, int, str], list] = {}
        for c in fn(ids, start, end):
            if c.other_id in skipped:
                continue
            seen = folded.setdefault((c.person_id, c.other_id, c.kind), [0, c.at])
            seen[0] += c.times
            seen[1] = min(seen[1], c.at)
        rows += [Reach(p, o, k, n, at) for (p, o, k), (n, at) in folded.items()]
    return rows


def found(person_ids: Iterable[int], start: dt.datetime, end: dt.datetime) -> list[Contact]:
    """Every registered provider's contacts of `person_ids` between `start` and `end`."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    return [c for fn in _providers for c in fn(ids, start, end) if c.other_id != c.person_id]
