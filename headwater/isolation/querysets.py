"""Reads of the isolation app: open cases, those due a follow-up today, counts."""

import datetime as dt

from django.db.models import Exists, OuterRef

from headwater.core.owned import ScopedQuerySet


class CaseQuerySet(ScopedQuerySet):
    def open(self) -> "CaseQuerySet":
        return self.filter(state="open")

    def with_checked_on(self, day: dt.date) -> "CaseQuerySet":
        """Each case annotated `checked` — whether it has a follow-up dated `day`."""
        from headwater.isolation.models import CaseCheck

        return self.annotate(
            checked=Exists(CaseCheck.objects.filter(case_id=OuterRef("pk"), date=day))
        )

    def unchecked_on(self, day: dt.date) -> "CaseQuerySet":
        """Open cases started by `day` without a follow-up dated `day`."""
        return self.open().filter(started_on__lte=day).with_checked_on(day).filter(checked=False)

    def counts(self, day: dt.date) -> dict[str, int]:
        """The list's counts: open now, opened and released on `day`, open without a
        follow-up on `day` — one query."""
        from django.db.models import Count, Q

        from headwater.core import clock
        from headwater.isolation.models import CaseCheck

        start, end = clock.day_bounds(day)
        checked = CaseCheck.objects.filter(date=day).values("case_id")
        return self.aggregate(
            current=Count("id", filter=Q(state="open")),
            new_today=Count("id", filter=Q(opened_at__gte=start, opened_at__lt=end)),
            released_today=Count("id", filter=Q(released_at__gte=start, released_at__lt=end)),
            overdue=Count("id", filter=Q(state="open", started_on__lte=day) & ~Q(pk__in=checked)),
        )


class CaseCheckQuerySet(ScopedQuerySet):
    def latest_for(self, case_id: int, n: int) -> list:
        return list(self.filter(case_id=case_id).order_by("-date", "-recorded_at", "-id")[:n])
