"""Field readers shared by the apps' typed inputs (`<app>/inputs*.py`): each reads one field
of a form's or an API body's data, puts a translated message for it in `errors` and answers
None when it is bad, so an input's `parse` names every bad field at once."""

import datetime as dt
from collections.abc import Mapping

from django.utils.translation import gettext as _

from headwater.core import clock


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
