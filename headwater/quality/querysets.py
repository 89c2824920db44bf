"""Read logic of the water-quality app. Scope is declared on each model (`scope = ...`, see
headwater.core.owned): a grant over a unit reaches the sampling points that unit's subtree
owns, and their plans, tasks, samples, results and readings; an organization-wide grant
reaches them all. These querysets only add the app's own read methods."""

from decimal import Decimal

from django.db.models import Q

from headwater.core.owned import ScopedQuerySet
from headwater.quality.choices import ReviewStatus

# A bound the limit columns can hold and the evaluator compares: from 0 up to (not including)
# 10¹² — 20 digits, 8 of them decimals (quality.models VALUE). The services refuse anything
# else on save; rows stored before they did may still hold one.
MAX_BOUND = Decimal(10) ** 12


class PointQuerySet(ScopedQuerySet):
    def active(self) -> "PointQuerySet":
        return self.filter(active=True)


class ResultQuerySet(ScopedQuerySet):
    def official(self) -> "ResultQuerySet":
        """Only approved results count in official figures."""
        return self.filter(status=ReviewStatus.APPROVED)


def _unreadable_bounds() -> Q:
    """A bound outside what the columns hold: an infinity or an absurd number that SQLite
    keeps as a float (reading it into a Decimal raises), or NaN on PostgreSQL (sorted above
    every number there), or a negative one. Compared in SQL, so no such row is ever read."""
    bad = Q()
    for name in ("minimum", "maximum"):
        bad |= Q(**{f"{name}__lt": 0}) | Q(**{f"{name}__gte": MAX_BOUND})
    return bad


class InternalLimitQuerySet(ScopedQuerySet):
    def readable(self) -> "InternalLimitQuerySet":
        """The limits whose bounds can be read and compared (see `unreadable`)."""
        return self.exclude(_unreadable_bounds())

    def unreadable(self) -> "InternalLimitQuerySet":
        """Limits stored with a bound no limit may have ("1e999", NaN, a negative number)
        before the services refused them: left out of every read and evaluation (migration
        0003 repairs them); only their ids and indicators may be read."""
        return self.filter(_unreadable_bounds())
