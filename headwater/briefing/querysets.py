"""Reads of the briefing app."""

from django.db.models import Count, OuterRef, Subquery

from headwater.core.owned import ScopedQuerySet


class BriefingQuerySet(ScopedQuerySet):
    def latest_versions(self):
        """The latest version of each day's briefing."""
        return self.filter(is_latest=True)

    def of_day(self, organization, day, kind: str = "daily"):
        return self.of(organization).filter(kind=kind, day=day)

    def with_version_counts(self):
        """Each row with `versions`: how many versions its day's briefing has."""
        same_day = self.model.objects.filter(
            organization_id=OuterRef("organization_id"), kind=OuterRef("kind"), day=OuterRef("day")
        )
        count = same_day.order_by().values("day").annotate(n=Count("pk")).values("n")[:1]
        return self.annotate(versions=Subquery(count))
