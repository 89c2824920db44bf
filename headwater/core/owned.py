"""The organization-owned base model and its declared scope.

Every table a capability adds inherits `OrganizationOwned`: it carries its organization key
directly (never only through a parent, so that a deployment that outgrows one database can
distribute every table by organization — ADR 0006) and declares *how* a user reaches its rows:

    class CheckIn(OrganizationOwned):
        scope = ThroughPerson("person")

    class SamplingTask(OrganizationOwned):
        scope = ThroughUnit("point__unit", perm=VIEW)

`Model.objects.visible_to(user)` is derived from that declaration, so a page and an endpoint
cannot disagree about who sees a row; a queryset class of the app's own subclasses
`ScopedQuerySet` to add its read methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.db import models
from django.db.models import Q

from headwater.core.querysets import grants_for


class OrganizationAudited:
    """Stamps every audit entry with the object's organization, so that each organization's
    office searches only its own trail (auditlog calls get_additional_data)."""

    def audit_organization_id(self) -> int | None:
        return self.organization_id

    def get_additional_data(self) -> dict:
        return {"organization_id": self.audit_organization_id()}


class Scope:
    """How a user reaches a model's rows. `q(user)` is a filter within the user's
    organization, or None when the user reaches none of them."""

    def q(self, user) -> Q | None:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass(frozen=True)
class ThroughPerson(Scope):
    """Rows about a person: visible to whoever sees the person (core's person scope: grants
    over their unit's ancestors, organization-wide grants, and always the person themself)."""

    field: str = "person"

    def q(self, user) -> Q:
        # core.models imports this module (its own tables are organization-owned), so Person
        # is looked up in the app registry rather than imported.
        people = apps.get_model("core", "Person").objects.visible_to(user)
        return Q(**{f"{self.field}__in": people.values("pk")})


@dataclass(frozen=True)
class ThroughUnit(Scope):
    """Rows owned by a unit: visible to grants holding `perm` over the unit or an ancestor; an
    organization-wide grant holding it reaches every row of the organization. `unowned=True`
    also shows rows whose unit is unset (organization-wide rows) to anybody holding `perm`."""

    field: str
    perm: str
    unowned: bool = False

    def q(self, user) -> Q | None:
        org_wide, paths = grants_for(user, self.perm)
        if org_wide:
            return Q()  # visible_to() keeps it within the user's organization
        if not paths:
            return None
        scope = reduce(or_, (Q(**{f"{self.field}__path__startswith": p}) for p in paths))
        if self.unowned:
            scope |= Q(**{f"{self.field}__isnull": True})
        return scope


@dataclass(frozen=True)
class ThroughSite(Scope):
    """Rows at a site: through the site's unit like `ThroughUnit`; a site without a unit is
    the organization's, visible to anybody holding `perm`."""

    field: str
    perm: str

    def q(self, user) -> Q | None:
        return ThroughUnit(f"{self.field}__unit", self.perm, unowned=True).q(user)


@dataclass(frozen=True)
class OrganizationWide(Scope):
    """Rows of the organization as a whole (limits, rule sets, risk areas): visible to every
    member holding `perm` (to every member when `perm` is None)."""

    perm: str | None = None

    def q(self, user) -> Q | None:
        if self.perm is None or user.has_perm(self.perm):
            return Q()
        return None


@dataclass(frozen=True)
class PersonIs(Scope):
    """Rows where one of `fields` is the user's own person: their own row, or the rows they
    serve (a case's monitor). Nothing for a login without a person."""

    fields: tuple[str, ...]

    def q(self, user) -> Q | None:
        if not user.person_id:
            return None
        return reduce(or_, (Q(**{field: user.person_id}) for field in self.fields))


@dataclass(frozen=True)
class ListedIn(Scope):
    """Rows whose `field` is among the `key`s of the rows that list the user's person in
    `model` ("app.Model" with a `person` key): a campaign's desk operators, a post's duty
    team. One `IN (subquery)`, so a person listed twice never doubles a row. Nothing for a
    login without a person."""

    field: str
    model: str
    key: str

    def q(self, user) -> Q | None:
        if not user.person_id:
            return None
        from django.apps import apps

        listing = apps.get_model(self.model)._base_manager.filter(person_id=user.person_id)
        return Q(**{f"{self.field}__in": listing.values(self.key)})


@dataclass(frozen=True)
class AnyOf(Scope):
    """Visible when any of the scopes reaches the row."""

    scopes: tuple[Scope, ...]

    def q(self, user) -> Q | None:
        parts = [q for s in self.scopes if (q := s.q(user)) is not None]
        if any(not part for part in parts):
            # An empty Q is "every row of the organization"; OR-ed with another, Django would
            # drop it and keep only the narrower part.
            return Q()
        return reduce(or_, parts) if parts else None


class ScopedQuerySet(models.QuerySet):
    """`visible_to(user)`: the rows the model's declared scope gives the user, always within
    the user's organization; nothing for an anonymous user; everything for the superuser."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        q = self.model.scope.q(user)
        if q is None:
            return self.none()
        return self.filter(q, organization_id=user.organization_id)

    def of(self, organization):
        """The organization's rows, for tasks and reports that act for the organization."""
        return self.filter(organization_id=getattr(organization, "pk", organization))


class OrganizationOwned(OrganizationAudited, models.Model):
    """Abstract base of every organization-owned table: the organization key, audit entries
    stamped with it, and a queryset whose `visible_to(user)` follows `scope`."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="+"
    )

    scope: Scope = OrganizationWide()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
