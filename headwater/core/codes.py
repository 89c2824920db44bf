"""Two plug-in interfaces around the health code, so that capabilities meet through core
instead of importing each other.

**Facts providers.** Isolation, testing and gates know things the code rules should read
(in isolation, a positive test, a fever at the gate) without health importing them. A
capability declares its facts and registers a provider in its AppConfig.ready():

    from headwater.core import codes

    @codes.facts_provider(
        codes.Fact("isolation_open", _("In an open isolation case"), "bool"),
        codes.Fact("days_since_positive", _("Days since a positive test"), "int"),
    )
    def isolation_facts(person_ids, day) -> dict[int, dict]:
        return {pid: {"isolation_open": True} for pid in open_case_person_ids(person_ids, day)}

Health merges every provider's facts into the facts its rules evaluate, offers the declared
facts in the rule editor, and a provider that omits a person means "no fact" (the rule's
condition is then false). After changing a fact, the capability asks for a recompute:
`codes.recompute(person)`.

**The current code.** Gates and duty show or check a person's code without importing health:
`codes.current(person)` / `codes.current_many(person_ids)` return `CodeView`s (None when the
person has no code yet). Health registers the reader and the recomputer.

**Code changes.** Health announces that people's codes changed (a new colour) with
`codes.announce_change(person_ids)`; the signal `codes.changed` (`person_ids`) is sent once
the change is committed, so duty can flag the shifts of someone whose code turned red
without importing health.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal


@dataclass(frozen=True)
class Fact:
    """A fact a rule may test: its name in rule conditions, its label in the rule editor and
    its kind ("bool", "int" for a number of days, "str")."""

    name: str
    label: str
    kind: str = "bool"


@dataclass(frozen=True)
class CodeView:
    """A person's code in force, as other capabilities read it."""

    person_id: int
    colour: str  # "green" | "yellow" | "red"
    label: str
    reason: str
    since: dt.datetime
    green_on: dt.date | None
    css: str

    @property
    def is_green(self) -> bool:
        return self.colour == "green"


FactsProvider = Callable[[list[int], dt.date], dict[int, dict[str, Any]]]
PROVIDERS: list[tuple[tuple[Fact, ...], FactsProvider]] = []
_reader: Callable[[list[int]], dict[int, CodeView]] | None = None
_recomputer: Callable[[Any], Any] | None = None


def facts_provider(*facts: Fact) -> Callable[[FactsProvider], FactsProvider]:
    def register(fn: FactsProvider) -> FactsProvider:
        PROVIDERS.append((facts, fn))
        return fn

    return register


def declared_facts() -> list[Fact]:
    return [f for facts, _fn in PROVIDERS for f in facts]


def provided_facts(person_ids: Iterable[int], day: dt.date) -> dict[int, dict[str, Any]]:
    """Every provider's facts for these people on `day`: person id -> {fact: value}. Only
    declared facts are kept, so a provider cannot shadow health's own facts by accident."""
    ids = list(person_ids)
    merged: dict[int, dict[str, Any]] = {pid: {} for pid in ids}
    for facts, fn in PROVIDERS:
        names = {f.name for f in facts}
        for pid, values in (fn(ids, day) or {}).items():
            if pid in merged:
                merged[pid].update({k: v for k, v in values.items() if k in names})
    return merged


def register_reader(fn: Callable[[list[int]], dict[int, CodeView]]) -> None:
    global _reader
    _reader = fn


def register_recomputer(fn: Callable[[Any], Any]) -> None:
    global _recomputer
    _recomputer = fn


def current_many(person_ids: Iterable[int]) -> dict[int, CodeView]:
    """person id -> the code in force; people without a code are left out."""
    if _reader is None:
        return {}
    return _reader(list(person_ids))


def current(person) -> CodeView | None:
    pid = getattr(person, "pk", person)
    return current_many([pid]).get(pid)


def recompute(person) -> None:
    """Re-evaluate the person's code now (after a provider's fact changed)."""
    if _recomputer is not None:
        _recomputer(person)


# Sent after commit with `person_ids` (a list) whose code in force changed colour or rule.
changed = Signal()


def announce_change(person_ids: Iterable[int]) -> None:
    """Tell the listeners of `changed`, once the current transaction commits."""
    from headwater.core.availability import send_after_commit

    send_after_commit(changed, person_ids)
