"""Reads of the briefing app."""

from headwater.core.owned import ScopedQuerySet


class BriefingQuerySet(ScopedQuerySet):
    def latest_versions(self):
        """The latest version of each day's briefing."""
        return self.filter(is_latest=True)

    def of_day(self, organization, day, kind: str = "daily"):
        return self.of(organization).filter(kind=kind, day=day)
