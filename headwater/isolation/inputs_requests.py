"""The typed input of a service request: page form and API schema both hand it to `parse`."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import invalid
from headwater.isolation.choices_requests import RequestKind

MAX_AHEAD = dt.timedelta(days=14)


def _moment(raw: Any, name: str, errors: dict) -> dt.datetime | None:
    if raw in (None, ""):
        errors[name] = _("This field is required.")
        return None
    try:
        value = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(str(raw))
    except ValueError:
        errors[name] = _("Enter a time such as 2020-02-01 14:00.")
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@dataclass
class RequestInput:
    """A service to book: its kind, what is needed and the preferred time window."""

    kind: str
    details: str
    window_start: dt.datetime
    window_end: dt.datetime

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "RequestInput":
        errors: dict[str, str] = {}
        kind = str(data.get("kind") or "")
        if kind not in RequestKind.values:
            errors["kind"] = _("Choose the service.")
        details = str(data.get("details") or "").strip()
        if not details:
            errors["details"] = _("Say what is needed (for shopping, the list).")
        elif len(details) > 500:
            errors["details"] = _("At most %(n)s characters.") % {"n": 500}
        start = _moment(data.get("window_start"), "window_start", errors)
        end = _moment(data.get("window_end"), "window_end", errors)
        now = clock.now()
        if start and end:
            if end <= start:
                errors["window_end"] = _("The window ends before it starts.")
            elif end < now:
                errors["window_end"] = _("The window is over already.")
            elif start > now + MAX_AHEAD:
                errors["window_start"] = _("Book at most 14 days ahead.")
        if errors:
            raise invalid(errors)
        return cls(kind, details, start, end)
