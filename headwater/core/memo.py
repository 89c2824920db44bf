"""Per-process memory of rarely changing, organization-wide reads on the hottest paths.

The check-in (2,700 staff twice a day; 100,000 at benchmark scale) reads the response level in
force, the office's level settings and the rule set in force on every request, though these
change a few times a month. `remember(key, load)` keeps what `load()` returned for
`HEADWATER_MEMO_SECONDS` (5 s by default; 0 turns the memory off) in this process.

A change made in this process is seen at once: the models that carry these reads call
`forget(organization_id)` when saved or deleted (`forget_on_change`, connected in the apps'
`ready()`). Another process (a second web worker, the task worker) sees it within the
memory's lifetime. Only the hot paths opt in (the check-in); jobs that must act on a change
(the organization-wide code recompute after a rule publish) read fresh, so a stale read can at
worst stamp one check-in's code with the previous rule set for a few seconds, which the
periodic catch-up of stale codes repairs.
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")

_lock = threading.Lock()
_store: dict[tuple, tuple[float, object]] = {}


def lifetime() -> float:
    return float(getattr(settings, "HEADWATER_MEMO_SECONDS", 5))


def remember(organization_id: int, what: Hashable, load: Callable[[], T]) -> T:
    """What `load()` returns for (organization, what), kept for the memory's lifetime."""
    seconds = lifetime()
    if seconds <= 0:
        return load()
    key = (organization_id, what)
    now = time.monotonic()
    hit = _store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]  # type: ignore[return-value]
    value = load()
    with _lock:
        _store[key] = (now + seconds, value)
    return value


def forget(organization_id: int | None = None) -> None:
    """Drop what this process remembers of one organization (or of all of them)."""
    with _lock:
        if organization_id is None:
            _store.clear()
            return
        for key in [k for k in _store if k[0] == organization_id]:
            del _store[key]


def forget_on_change(*models) -> None:
    """Forget an organization's memory whenever a row of these models (each with an
    `organization_id`) is saved or deleted. (A change whose transaction then rolls back may
    be remembered by that process for the memory's lifetime: writers of these rows are the
    office's rare edits, never the hot path.)"""
    from django.db.models.signals import post_delete, post_save

    def changed(sender, instance, **kwargs):
        organization_id = getattr(instance, "organization_id", None)
        if organization_id is None and sender._meta.label == "core.Organization":
            organization_id = instance.pk
        forget(organization_id)

    for model in models:
        post_save.connect(
            changed, sender=model, weak=False, dispatch_uid=f"memo:{model._meta.label}"
        )
        post_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"memo-del:{model._meta.label}"
        )
