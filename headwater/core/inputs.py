"""Field readers shared by the apps' typed inputs (`<app>/inputs*.py`): each reads one field
of a form's or an API body's data, puts a translated message for it in `errors` and answers
None when it is bad, so an input's `parse` names every bad field at once."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.validators import INT_MAX, parse_temperature


def date_field(data: Mapping, name: str, errors: dict, *, required=False) -> dt.date | None:
    """A date (a date or ISO text) within a year of today."""
    raw = data.get(name)
    if raw in (None, ""):
        if required:
            errors[name] = _("This field is required.")
        return None
    try:
        day = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
    except ValueError:
        errors[name] = _("Enter a date such as 2020-02-01.")
        return None
    if abs((day - clock.today()).days) > 366:
        errors[name] = _("The date is more than a year away from today.")
        return None
    return day


def id_value(raw) -> int | None:
    """A row's id from a form, a query string or a body (text, a number or the row itself),
    or None when it is not one: not a whole number, below 1, or more than a key column holds
    (the API's `Id` bounds), so a lookup with it never raises."""
    if isinstance(raw, bool):
        return None
    try:
        value = int(str(getattr(raw, "pk", raw)).strip())
    except (TypeError, ValueError):
        return None
    return value if 1 <= value <= INT_MAX else None


def text_field(data: Mapping, name: str, limit: int, errors: dict, *, required=False) -> str:
    """A field's text, stripped; "" when absent. `required` (True, or the message to show)
    marks an empty field; more than `limit` characters is marked too."""
    value = str(data.get(name) or "").strip()
    if required and not value:
        errors[name] = required if isinstance(required, str) else _("This field is required.")
    elif len(value) > limit:
        errors[name] = _("At most %(n)s characters.") % {"n": limit}
    return value


def temperature_field(data: Mapping[str, Any], name: str, errors: dict) -> Decimal | None:
    """The optional temperature `data[name]`: None when left empty, else the value, or None
    with the problem in `errors[name]`."""
    raw = data.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value, problem = parse_temperature(raw)
    if problem:
        errors[name] = problem
    return value
