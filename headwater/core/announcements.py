"""Announcements: core's way to tell everybody something (a response-level switch) without
importing the capability that carries it.

The notices capability registers the one publisher in its AppConfig.ready():

    from headwater.core import announcements
    announcements.register(publish_announcement)

and core (services.switch_level) calls

    announcements.publish(org, title, body, kind="level_change", by=user)

inside its own transaction, so the notice and its receipts are written with the change or not
at all. With no publisher registered (notices not installed) `publish` does nothing and
answers None.
"""

from collections.abc import Callable, Iterable
from typing import Any

Publisher = Callable[..., Any]
_publisher: Publisher | None = None


def register(publisher: Publisher) -> None:
    """`publisher(org, title, body, *, kind, by, units)` -> whatever it made (a notice)."""
    global _publisher
    _publisher = publisher


def publish(org, title: str, body: str, *, kind: str, by, units: Iterable | None = None) -> Any:
    """Announce to the organization (or to `units` and their subtrees); None when nobody
    carries announcements."""
    if _publisher is None:
        return None
    return _publisher(org, title, body, kind=kind, by=by, units=list(units) if units else None)
