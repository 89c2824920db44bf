"""Duty's contacts for tracing (`core.contacts`): people assigned to the same shift of the
same post (they spent the watch together)."""

import datetime as dt

from headwater.core import contacts
from headwater.duty.models import Assignment


@contacts.provider
def same_shift(person_ids: list[int], start: dt.datetime, end: dt.datetime):
    """One contact per shift overlapping [start, end) that one of `person_ids` shared with
    somebody else, in one query (the assignments of those shifts joined to theirs)."""
    rows = (
        Assignment.objects.filter(
            shift__assignments__person_id__in=person_ids,
            shift__starts_at__lt=end,
            shift__ends_at__gt=start,
        )
        .values_list(
            "shift__assignments__person_id",
            "person_id",
            "shift_id",
            "shift__label",
            "shift__post__name",
            "shift__starts_at",
            "shift__ends_at",
        )
        .order_by("shift__starts_at", "shift_id", "person_id")
    )
    for person_id, other_id, shift_id, label, post, starts, ends in rows:
        if person_id == other_id:
            continue
        yield contacts.Contact(
            person_id=person_id,
            other_id=other_id,
            kind="shift",
            label=f"{post} {label}",
            at=starts,
            evidence={
                "shift_id": shift_id,
                "starts_at": starts.isoformat(),
                "ends_at": ends.isoformat(),
            },
        )
