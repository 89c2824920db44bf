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
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Contact:
    """`person_id` (one asked about) met `other_id` at `at`: `kind` ("gate", "slot", "bus",
    "shift"), `label` (the place or shift in words: "3号门", "午餐第一批", "泵站 夜班") and
    `evidence` (JSON-ready details: ids, both times, how many encounters)."""

    person_id: int
    other_id: int
    kind: str
    label: str
    at: dt.datetime
    evidence: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


Provider = Callable[[list[int], dt.datetime, dt.datetime], Iterable[Contact]]
_providers: list[Provider] = []


def provider(fn: Provider) -> Provider:
    """Register `fn(person_ids, start, end) -> contacts of those people in the period`."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def found(person_ids: Iterable[int], start: dt.datetime, end: dt.datetime) -> list[Contact]:
    """Every registered provider's contacts of `person_ids` between `start` and `end`."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    return [c for fn in _providers for c in fn(ids, start, end) if c.other_id != c.person_id]
