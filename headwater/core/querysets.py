"""Read logic of the core app, above all scope: what a given user may see.

`visible_to(user)` is the only way pages and the API list people, units and sites.
A grant over a unit reaches its whole subtree (materialized-path prefix); an organization-wide
grant (office, leader) reaches the organization; anybody else sees only themselves.
"""

from functools import reduce
from operator import or_

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_NodeManager, MP_NodeQuerySet

from headwater.core.roles import ROLE_PERMISSIONS, VIEW_PERSON, VIEW_UNIT


@models.Field.register_lookup
class InArray(models.Lookup):
    """`pk__in_array=ids` (or any field): thousands of ids as one array parameter on
    PostgreSQL (`= ANY(%s)`), instead of a placeholder per id, whose parsing in the driver
    costs milliseconds per thousand — and the planner, knowing the array's length, keeps to
    the index where `IN (SELECT unnest(…))` read the whole table. Elsewhere a plain IN."""

    lookup_name = "in_array"

    def get_prep_lookup(self):
        return [self.lhs.output_field.get_prep_value(v) for v in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        ids = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, ids]
        if not ids:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*params, *ids]


def grants_for(user, perm: str) -> tuple[bool, list[str]]:
    """(whether a grant holding `perm` covers the whole organization, the unit paths of the
    grants holding it over a unit)."""
    org_wide, paths = False, []
    for role, path in user.grants:
        if perm not in ROLE_PERMISSIONS.get(role, set()):
            continue
        if path is None:
            org_wide = True
        else:
            paths.append(path)
    return org_wide, paths


def unit_scope(user, perm: str, prefix: str = "") -> Q | None:
    """Q over the units reached by the user's grants of roles that hold `perm`; None when no
    grant does. A grant over a unit reaches its subtree; a grant without a unit reaches the
    user's organization. `prefix` leads from the queried model to Unit ("unit__" for people)."""
    org_wide, paths = grants_for(user, perm)
    parts = [Q(**{f"{prefix}path__startswith": path}) for path in paths]
    if org_wide:
        parts.append(Q(**{f"{prefix}organization_id": user.organization_id}))
    if not parts:
        return None
    return reduce(or_, parts)


def reaches(user, perm: str, unit) -> bool:
    """Whether the user's grants of roles that hold `perm` reach `unit` (its subtree or the
    whole organization): the same answer `unit_scope` gives, for one unit already loaded."""
    if user.is_superuser:
        return True
    org_wide, paths = grants_for(user, perm)
    if org_wide:
        return unit.organization_id == user.organization_id
    return any(unit.path.startswith(path) for path in paths)


class UnitQuerySet(MP_NodeQuerySet):
    def visible_to(self, user) -> "UnitQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        scope = unit_scope(user, VIEW_UNIT)
        if scope is None:
            person = user.person
            return self.filter(pk=person.unit_id) if person else self.none()
        return self.filter(scope)


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonQuerySet":
        """People the user may see: their grants' unit subtrees, and always themselves."""
        if not user.is_authenticated:
            return self.none()
        own = Q(pk=user.person_id) if user.person_id else Q(pk__in=[])
        if user.is_superuser:
            return self.all()
        scope = unit_scope(user, VIEW_PERSON, prefix="unit__")
        return self.filter(own | scope) if scope is not None else self.filter(own)

    def active(self) -> "PersonQuerySet":
        return self.exclude(employment_status="left")


class SiteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SiteQuerySet":
        """Sites are not personal data: everybody sees their own organization's sites."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(organization_id=user.organization_id)


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    """treebeard's manager (ordered by path, tree-safe deletes) with our scope methods."""

    def get_queryset(self) -> UnitQuerySet:
        return UnitQuerySet(self.model, using=self._db).order_by("path")
