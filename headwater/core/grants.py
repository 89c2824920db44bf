"""Granting and revoking roles (issue 11, "roles on pages"; ADR 0012 "Roles and devices on
pages"). Pages, the API and the bulk import all write through `grant()` and `revoke()`.

The rule "nobody grants a role wider than their own", precisely (`check_may_grant`):
- the granter holds `core.manage_roles` (office: over the organization; unit head: over the
  unit subtrees they head); a superuser may grant anything in their organization;
- a granter whose `manage_roles` covers the organization (the office) may grant every role,
  over any unit of the organization or organization-wide;
- a granter whose `manage_roles` covers unit subtrees only (a unit head) may grant only the
  roles in `UNIT_DELEGABLE` (unit head, monitor/volunteer), only over a unit inside one of
  those subtrees, never organization-wide — so a unit head can make nobody office, leader
  or regulator, nor head of a wider or a sibling unit;
- revoking follows the same rule for the grant revoked, and nobody revokes their own grants
  (the office cannot lock itself out by a slip).
A grant needs a login: a person without one is refused, pointing to "create logins".

A gate guard is granted at a site (`RoleGrant.site`), never at a unit or organization-wide:
the grant's unit is the site's unit, and a guard may hold grants at several sites; no other
role takes a site (`site_unit`). `sites_of(user)` reads where a guard may work — the gates
capability meets it here, through core.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core import audit
from headwater.core.choices import EmploymentStatus
from headwater.core.errors import CoreError, DomainError, NotAllowed
from headwater.core.importer import (
    Column,
    ImportReport,
    ImportSpec,
    Tally,
    export_table,
    run_import,
)
from headwater.core.models import Person, RoleGrant, Site, Unit, User
from headwater.core.querysets import grants_for, unit_scope
from headwater.core.roles import MANAGE_ROLES, Role

# Roles that a granter whose reach is a unit subtree (a unit head) may hand on inside it.
UNIT_DELEGABLE = frozenset({Role.UNIT_HEAD, Role.MONITOR})

# Chinese and English names accepted for a role in a spreadsheet and the API (besides the code).
ROLE_ALIASES = {
    "单位负责人": Role.UNIT_HEAD,
    "负责人": Role.UNIT_HEAD,
    "盯控人": Role.MONITOR,
    "志愿者": Role.MONITOR,
    "监测员": Role.MONITOR,
    "疫情防控办公室": Role.OFFICE,
    "门卫": Role.GUARD,
    "检验员": Role.LAB_TECH,
    "复核员": Role.LAB_REVIEWER,
    "审核员": Role.LAB_REVIEWER,
    "水质部门": Role.QUALITY,
    "调度员": Role.DISPATCHER,
    "热线": Role.DISPATCHER,
    "抢修队员": Role.CREW,
    "库管员": Role.STOREKEEPER,
    "监管人员": Role.REGULATOR,
}

# The roles granted at a site rather than over a unit.
SITE_ROLES = frozenset({Role.GUARD})


def parse_role(text: str) -> str:
    """A role from its code, its label in either language, or a known Chinese name; raises a
    DomainError naming the field when it is none of them."""
    value = (text or "").strip()
    if value in Role.values:
        return value
    if value in ROLE_ALIASES:
        return ROLE_ALIASES[value]
    for role in Role:
        if value and value.casefold() in (str(role.label).casefold(), role.name.casefold()):
            return role.value
    from django.utils import translation

    with translation.override("zh-hans"):
        for role in Role:
            if value == str(role.label):
                return role.value
    message = _("Unknown role “%(role)s”.") % {"role": value}
    raise DomainError(message, fields={"role": message})


def manages_organization(user) -> bool:
    """Whether the user's `manage_roles` covers the whole organization (office, superuser)."""
    return user.is_superuser or grants_for(user, MANAGE_ROLES)[0]


def visible_grants(user):
    """The grants the user may list and revoke: their organization's, over units their
    `manage_roles` reaches (and organization-wide ones when it covers the organization)."""
    qs = RoleGrant.objects.filter(user__organization_id=user.organization_id).select_related(
        "user__person", "unit", "site"
    )
    if not user.is_authenticated:
        return qs.none()
    if manages_organization(user):
        return qs
    scope = unit_scope(user, MANAGE_ROLES, prefix="unit__")
    return qs.filter(scope) if scope is not None else qs.none()


def grants_shown(viewer, person):
    """A person's roles as their page shows them to `viewer`: organization-wide grants and those
    over units the viewer can see (a unit outside the viewer's scope is not named)."""
    qs = RoleGrant.objects.filter(user__person=person).select_related("unit", "site")
    visible = Unit.objects.visible_to(viewer).values("pk")
    return qs.filter(Q(unit__isnull=True) | Q(unit__in=visible)).order_by(
        "role", "unit__path", "site__code"
    )


def sites_of(user, role: str = Role.GUARD):
    """The sites at which `user` holds `role` (a gate guard: where they may scan), in code
    order; none for a user without such a grant. For the gates capability (issue 15)."""
    if not user.is_authenticated:
        return Site.objects.none()
    return (
        Site.objects.filter(
            organization_id=user.organization_id,
            role_grants__user=user,
            role_grants__role=role,
        )
        .distinct()
        .order_by("code")
    )


def site_choices(user) -> list[tuple[int, str]]:
    """(pk, "name (code)") of the organization's sites, for a guard grant's select."""
    return [
        (pk, f"{name} ({code})")
        for pk, name, code in Site.objects.visible_to(user)
        .filter(organization_id=user.organization_id)
        .order_by("code")
        .values_list("pk", "name", "code")
    ]


def site_unit(role: str, unit: Unit | None, site: Site | None) -> Unit | None:
    """The unit a grant of `role` takes: a guard's is their site's unit (a site is required,
    and a different unit is refused); any other role refuses a site. Raises a DomainError
    naming the field."""
    if role not in SITE_ROLES:
        if site is not None:
            message = _(
                "Only a gate guard is granted at a site: leave the site empty for “%(role)s”."
            ) % {"role": Role(role).label}
            raise DomainError(message, fields={"site": message})
        return unit
    if site is None:
        message = _("A gate guard is granted at a site: choose the site.")
        raise DomainError(message, fields={"site": message})
    if unit is not None and unit.pk != site.unit_id:
        message = _("A gate guard's unit is that of their site: leave the unit empty.")
        raise DomainError(message, fields={"unit": message})
    return site.unit


def grantable_roles(user) -> list[str]:
    """The roles the user may grant (for the page's select)."""
    if manages_organization(user):
        return list(Role.values)
    if unit_scope(user, MANAGE_ROLES) is None:
        return []
    return [r for r in Role.values if r in UNIT_DELEGABLE]


def grantable_units(user):
    """The units the user may grant a role over (for the page's select)."""
    qs = Unit.objects.filter(organization_id=user.organization_id).order_by("path")
    if manages_organization(user):
        return qs
    scope = unit_scope(user, MANAGE_ROLES)
    return qs.filter(scope) if scope is not None else qs.none()


def unit_choices(user) -> list[tuple[int, str]]:
    """(pk, full name) of the units the user may grant over, in tree order, in two queries
    (Unit.full_name would read each unit's ancestors)."""
    units = list(grantable_units(user).only("pk", "path"))
    names = dict(
        Unit.objects.filter(organization_id=user.organization_id).values_list("path", "name")
    )
    step = Unit.steplen
    return [
        (
            u.pk,
            " / ".join(names.get(u.path[:i], "") for i in range(step, len(u.path) + 1, step)),
        )
        for u in units
    ]


def check_may_grant(by, role: str, unit: Unit | None, site: Site | None = None) -> None:
    """Refuse (NotAllowed, in the user's language) a grant wider than the granter's own."""
    if not (by.is_superuser or by.has_perm(MANAGE_ROLES)):
        raise NotAllowed(_("Your role may not grant or revoke roles."))
    if unit is not None and unit.organization_id != by.organization_id:
        raise NotAllowed(_("That unit is not in your organization."))
    if site is not None and site.organization_id != by.organization_id:
        raise NotAllowed(_("That site is not in your organization."))
    if manages_organization(by):
        return
    if role not in UNIT_DELEGABLE:
        raise NotAllowed(
            _("You may not grant “%(role)s”: that is wider than your own role.")
            % {"role": Role(role).label}
        )
    if unit is None:
        raise NotAllowed(
            _("You may not grant an organization-wide role: that is wider than your own role.")
        )
    _wide, paths = grants_for(by, MANAGE_ROLES)
    if not any(unit.path.startswith(p) for p in paths):
        raise NotAllowed(
            _("You may not grant a role over %(unit)s: it is outside the units you head.")
            % {"unit": unit.name}
        )


def may_revoke(user, role_grant: RoleGrant) -> bool:
    """Whether `revoke` would let the user remove this grant (to show its button)."""
    if role_grant.user_id == user.pk:
        return False
    try:
        check_may_grant(user, role_grant.role, role_grant.unit, role_grant.site)
    except DomainError:
        return False
    return True


def login_of(person: Person) -> User:
    """The person's login, or a refusal pointing to creating logins."""
    if person.employment_status == EmploymentStatus.LEFT:
        raise DomainError(
            _("%(name)s has left; a leaver gets no roles.") % {"name": person.name},
            fields={"person_id": _("This person has left.")},
        )
    user = User.objects.filter(person=person).first()
    if user is None:
        message = _(
            "%(name)s has no login yet: create logins for their unit first (“Create logins”), "
            "then grant the role."
        ) % {"name": person.name}
        raise DomainError(message, code=CoreError.WRONG_STATE, fields={"person_id": message})
    return user


def grant(
    person: Person, role: str, unit: Unit | None = None, site: Site | None = None, *, by
) -> tuple[RoleGrant, bool]:
    """Give the person's login `role` over `unit` (organization-wide when None), or, for a
    gate guard, at `site` (the unit is then the site's). Returns (grant, created); granting
    one that exists returns it with created False and writes nothing. Audited (RoleGrant is
    tracked); two requests at once make one grant."""
    if role not in Role.values:
        parse_role(role)  # raises with the message
    check_may_grant(by, role, unit, site)
    unit = site_unit(role, unit, site)
    user = login_of(person)
    fields = {"user": user, "role": role, "unit": unit, "site": site}
    existing = RoleGrant.objects.filter(**fields).first()
    if existing is not None:
        return existing, False
    try:
        with audit.acting_as(by), transaction.atomic():
            return RoleGrant.objects.create(**fields), True
    except IntegrityError:
        # A parallel request made the same grant first (the unique constraints).
        return RoleGrant.objects.get(**fields), False


def revoke(role_grant: RoleGrant, *, by) -> bool:
    """Remove a grant (audited). Returns False when it was already gone."""
    check_may_grant(by, role_grant.role, role_grant.unit, role_grant.site)
    if role_grant.user_id == by.pk:
        raise NotAllowed(_("You may not revoke your own role; ask another member of the office."))
    with audit.acting_as(by), transaction.atomic():
        fresh = RoleGrant.objects.select_for_update().filter(pk=role_grant.pk).first()
        if fresh is None:
            return False
        fresh.delete()
    return True


# --- Bulk grants from a spreadsheet (core.importer) ---------------------------------------

COLUMNS = (
    Column(
        "employee_no",
        "工号",
        ("employee no", "employee number", "staff number"),
        required=True,
        label=gettext_lazy("employee number"),
    ),
    Column("role", "角色", ("role",), required=True, label=gettext_lazy("role")),
    Column("unit_code", "单位编码", ("unit code", "unit"), label=gettext_lazy("unit code")),
    Column("site", "站点", ("site", "site code"), label=gettext_lazy("site")),
)


def import_grants(organization, uploaded_file, filename: str, *, by) -> ImportReport:
    """Grant the roles a spreadsheet lists (工号, 角色, 单位编码 — blank for organization-wide;
    站点 — a gate guard's site, by code or name, blank for every other role).
    People and units are looked up among those the granter sees (one outside reads as unknown,
    and is not named). Every row is checked first, the granter's reach included; a file with
    any bad row grants nothing; a row already granted is counted unchanged, so a re-import
    changes nothing."""
    people = {}
    units = {}
    sites = {}

    def find_site(text: str):
        """(site, error): by code, else by a name only one site has."""
        if text not in sites:
            qs = Site.objects.visible_to(by).filter(organization=organization)
            found = qs.filter(code=text).first()
            if found is None:
                named = list(qs.filter(name=text)[:2])
                found = named[0] if len(named) == 1 else (None if not named else "ambiguous")
            sites[text] = found
        found = sites[text]
        if found is None:
            return None, _("No site with code or name %(site)s.") % {"site": text}
        if found == "ambiguous":
            return None, _("Several sites are named %(site)s: give its code.") % {"site": text}
        return found, None

    def check_row(raw: dict[str, str]):
        errors = []
        person = None
        if raw.get("employee_no"):
            person = people.get(raw["employee_no"])
            if person is None:
                person = (
                    Person.objects.visible_to(by)
                    .filter(organization=organization, employee_no=raw["employee_no"])
                    .first()
                )
                people[raw["employee_no"]] = person
            if person is None:
                errors.append(
                    _("No person with employee number %(no)s.") % {"no": raw["employee_no"]}
                )
        role = None
        if raw.get("role"):
            try:
                role = parse_role(raw["role"])
            except DomainError as e:
                errors.append(e.message)
        unit = None
        code = raw.get("unit_code", "")
        if code:
            if code not in units:
                units[code] = (
                    Unit.objects.visible_to(by).filter(organization=organization, code=code).first()
                )
            unit = units[code]
            if unit is None:
                errors.append(_("No unit with code %(code)s.") % {"code": code})
                return errors
        site = None
        if raw.get("site"):
            site, error = find_site(raw["site"])
            if error:
                errors.append(error)
                return errors
        if role is not None and not errors:
            try:
                check_may_grant(by, role, unit, site)
                unit = site_unit(role, unit, site)
            except DomainError as e:
                errors.append(e.message)
        if person is not None and not errors:
            try:
                login_of(person)
            except DomainError as e:
                errors.append(e.message)
        return errors or {"person": person, "role": role, "unit": unit, "site": site}

    def apply(rows) -> Tally:
        tally = Tally()
        for row in rows:
            _grant, created = grant(row["person"], row["role"], row["unit"], row["site"], by=by)
            if created:
                tally.created += 1
            else:
                tally.unchanged += 1
        tally.record(organization, by=by, filename=filename, what="role_grant_import")
        return tally

    spec = ImportSpec(
        columns=COLUMNS, validate_row=check_row, key=("employee_no", "role", "unit_code")
    )
    return run_import(uploaded_file, filename, spec, apply)


def grants_template(fmt: str) -> bytes:
    return export_table(COLUMNS, [], fmt, title=str(_("Role grants")))
