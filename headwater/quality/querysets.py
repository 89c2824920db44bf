"""Read logic of the water-quality app. Scope: a grant over a unit reaches the sampling points
that unit's subtree owns, and their tasks, samples and results; an organization-wide grant
reaches them all."""

from django.db import models

from headwater.core.querysets import unit_scope


def _scoped(qs: models.QuerySet, user, prefix: str) -> models.QuerySet:
    from headwater.quality.permissions import VIEW

    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs.all()
    scope = unit_scope(user, VIEW, prefix=prefix)
    if scope is None:
        return qs.none()
    return qs.filter(scope).filter(organization_id=user.organization_id)


class PointQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PointQuerySet":
        return _scoped(self, user, "unit__")

    def active(self) -> "PointQuerySet":
        return self.filter(active=True)


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TaskQuerySet":
        return _scoped(self, user, "point__unit__")


class SampleQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SampleQuerySet":
        return _scoped(self, user, "point__unit__")


class ResultQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ResultQuerySet":
        return _scoped(self, user, "unit__")

    def official(self) -> "ResultQuerySet":
        """Only approved results count in official figures."""
        return self.filter(status="approved")
