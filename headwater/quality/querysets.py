"""Read logic of the water-quality app. Scope is declared on each model (`scope = ...`, see
headwater.core.owned): a grant over a unit reaches the sampling points that unit's subtree
owns, and their plans, tasks, samples, results and readings; an organization-wide grant
reaches them all. These querysets only add the app's own read methods."""

from headwater.core.owned import ScopedQuerySet
from headwater.quality.choices import ReviewStatus


class PointQuerySet(ScopedQuerySet):
    def active(self) -> "PointQuerySet":
        return self.filter(active=True)


class ResultQuerySet(ScopedQuerySet):
    def official(self) -> "ResultQuerySet":
        """Only approved results count in official figures."""
        return self.filter(status=ReviewStatus.APPROVED)
