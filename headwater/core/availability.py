"""Who cannot work when: one read for rosters and replacements, fed by the capabilities that
know (health's epidemiological statuses — isolation writes them through health's services —
and duty's own leave), without duty importing them.

A capability registers a provider in its AppConfig.ready():

    from headwater.core import availability

    @availability.provider
    def statuses(person_ids, start, end) -> list[availability.Absence]:
        ...  # every absence overlapping [start, end] of those people

and a reader asks `availability.absences(person_ids, start, end)` -> {person_id: [Absence]}
(people without one are left out) or `availability.unavailable(person_ids, day)` -> the ids
away on that day. An absence's `end` None means open (until further notice). Red and yellow
codes are not absences: read them with `codes.current_many`.

A provider whose absences changed (a status recorded or ended) calls
`availability.announce_change(person_ids)`: the signal `availability.changed`
(`person_ids`) is sent once the change is committed (duty re-checks those people's shifts).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal


def send_after_commit(signal: Signal, person_ids: Iterable[int]) -> None:
    """Send `signal` with `person_ids` (a list) once the current transaction commits (at once
    outside one); nothing for no people. Shared by `changed` here and `codes.changed`."""
    ids = list(person_ids)
    if ids:
        transaction.on_commit(lambda: signal.send(sender=None, person_ids=ids))


@dataclass(frozen=True)
class Absence:
    """One person away from `start` to `end` (inclusive; None = open) for `reason` (a short
    translated label such as 居家隔离 or 年休假) reported by `source` ("health", "duty")."""

    person_id: int
    start: dt.date
    end: dt.date | None
    reason: str
    source: str

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


Provider = Callable[[list[int], dt.date, dt.date], Iterable[Absence]]
_providers: list[Provider] = []


def provider(fn: Provider) -> Provider:
    """Register `fn(person_ids, start, end) -> absences overlapping the period`."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def absences(person_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[Absence]]:
    ids = list(person_ids)
    found: dict[int, list[Absence]] = defaultdict(list)
    if not ids:
        return {}
    for fn in _providers:
        for absence in fn(ids, start, end):
            found[absence.person_id].append(absence)
    return dict(found)


def unavailable(person_ids: Iterable[int], day: dt.date) -> dict[int, Absence]:
    """The people away on `day`, with one absence each (the first reported)."""
    return {
        pid: next(a for a in found if a.covers(day))
        for pid, found in absences(person_ids, day, day).items()
        if any(a.covers(day) for a in found)
    }


# Sent after commit with `person_ids` (a list) whose absences changed.
changed = Signal()


def announce_change(person_ids: Iterable[int]) -> None:
    """Tell the listeners of `changed`, once the current transaction commits."""
    send_after_commit(changed, person_ids)
