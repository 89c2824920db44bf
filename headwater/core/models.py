"""Organization, units, sites, people, users and their roles; response levels and their settings."""

import hashlib
import secrets
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from headwater.core import clock
from headwater.core.choices import (
    EmploymentStatus,
    QualificationKind,
    Relation,
    ResponseLevel,
    SiteKind,
)
from headwater.core.owned import OrganizationAudited, OrganizationOwned, ThroughPerson
from headwater.core.querysets import PersonQuerySet, SiteQuerySet, UnitManager
from headwater.core.roles import Role


class Organization(OrganizationAudited, models.Model):
    """A member organization: a water group, a utility, an enterprise. Everything hangs off one."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), unique=True)
    region = models.CharField(_("region"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_organization_id(self) -> int:
        return self.pk

    @cached_property
    def response_level(self) -> str:
        """The level in force (read once per instance; core.levels.forget() drops it)."""
        change = self.level_changes.order_by("-changed_at", "-id").first()
        return change.level if change else ResponseLevel.NORMAL


class Unit(OrganizationAudited, MP_Node):
    """A node of the organization tree (company → plant or department → team), any depth.

    The materialized path (`path`) makes "this unit and everything under it" one indexed
    prefix query, which is how scope is enforced.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="units", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=50)

    objects = UnitManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="unit_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def full_name(self) -> str:
        return " / ".join(a.name for a in [*Unit.objects.get_ancestors(self), self])


class Site(OrganizationAudited, models.Model):
    """A physical place: a plant, reservoir, pumping station, office, canteen, checkpoint …"""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="sites", verbose_name=_("organization")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sites",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=50)
    kind = models.CharField(_("kind"), max_length=30, choices=SiteKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="site_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Person(OrganizationAudited, models.Model):
    """A member of staff. Phone and ID number are personal data: masked unless the viewer's
    role allows, and every unmasked view is logged (see core.privacy)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("organization"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="people", verbose_name=_("unit")
    )
    employee_no = models.CharField(_("employee number"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    employment_status = models.CharField(
        _("employment status"),
        max_length=20,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.ACTIVE,
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    is_critical = models.BooleanField(
        _("critical role"),
        default=False,
        help_text=_("Holds a post the service cannot run without (e.g. plant operator on shift)."),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "employee_no"], name="person_no_unique")
        ]
        indexes = [models.Index(fields=["unit", "employment_status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"


class Qualification(OrganizationOwned):
    """A certification a person holds, e.g. a licensed plant operator's certificate."""

    scope = ThroughPerson("person")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=QualificationKind.choices)
    certificate_no = models.CharField(_("certificate number"), max_length=50, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="qualification_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person.name}: {self.get_kind_display()}"


class HouseholdMember(OrganizationOwned):
    """A relative living with a member of staff (家属), registered by them: part of the
    organization's daily return (their health line is recorded in the staff member's check-in)
    and someone who may be isolated. Seen by whoever sees the staff member; phone and address
    are personal data, masked like the staff member's own."""

    scope = ThroughPerson("person")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="household",
        verbose_name=_("member of staff"),
    )
    name = models.CharField(_("name"), max_length=100)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(
        _("in the household"),
        default=True,
        help_text=_("Cleared when the relative no longer lives with the member of staff."),
    )
    created_at = models.DateTimeField(_("registered at"), default=clock.now)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["person", "id"]
        indexes = [models.Index(fields=["person", "is_active"], name="household_person_active")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"


class User(OrganizationAudited, AbstractUser):
    """A login. Staff users are linked to their Person; what they may see comes from RoleGrants."""

    person = models.OneToOneField(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organization"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def grants(self) -> list[tuple[str, str | None]]:
        """(role, unit path or None for the whole organization) of each grant, read once per
        user object (a request's user): permissions and every scoped list share the read."""
        if not hasattr(self, "_grant_cache"):
            self._grant_cache = list(self.role_grants.values_list("role", "unit__path"))
        return self._grant_cache

    @property
    def roles(self) -> set[str]:
        return {role for role, _path in self.grants}


class RoleGrant(OrganizationAudited, models.Model):
    """A user holds a role over a unit subtree, or the whole organization when unit is empty."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name=_("unit"),
    )
    # Only a guard is granted at a site (its unit is then the site's unit); a guard may hold
    # grants at several sites. core.grants.sites_of() reads them for the gates capability.
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name=_("site"),
    )

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(site__isnull=True),
                name="role_grant_unique",
            ),
            # NULLs are distinct in a unique constraint: one organization-wide grant per role.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(unit__isnull=True, site__isnull=True),
                name="role_grant_unique_org_wide",
            ),
            # One grant per site (the site fixes the unit).
            models.UniqueConstraint(
                fields=["user", "role", "site"],
                condition=models.Q(site__isnull=False),
                name="role_grant_unique_site",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"

    def audit_organization_id(self) -> int | None:
        return self.user.organization_id


class ResponseLevelChange(OrganizationAudited, models.Model):
    """One switch of the organization's emergency response level; the latest is in force."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="level_changes",
        verbose_name=_("organization"),
    )
    level = models.CharField(_("response level"), max_length=10, choices=ResponseLevel.choices)
    changed_at = models.DateTimeField(_("changed at"), default=clock.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("changed by"),
    )
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("response level change")
        verbose_name_plural = _("response level changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_level_display()}"


class LevelSettingValue(OrganizationAudited, models.Model):
    """An organization's value of one registered setting at one response level.

    Settings are declared in code by each capability (core.levels.register); this row only
    overrides the declared default for one level.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="level_settings",
        verbose_name=_("organization"),
    )
    key = models.CharField(_("setting"), max_length=100)
    level = models.CharField(_("response level"), max_length=10, choices=ResponseLevel.choices)
    value = models.JSONField(_("value"))

    class Meta:
        verbose_name = _("level setting value")
        verbose_name_plural = _("level setting values")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key", "level"], name="level_setting_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.level}={self.value}"


def hash_token(raw: str) -> str:
    """What is stored of a device token (its SHA-256): the raw value is shown once."""
    return hashlib.sha256(raw.encode()).hexdigest()


class DeviceToken(OrganizationAudited, models.Model):
    """A bearer token for a device (gate scanner, telemetry logger). Only its hash is stored."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="device_tokens",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=100)
    site = models.ForeignKey(
        Site, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("site")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, organization: Organization, name: str, site: Site | None = None):
        """Create a token; the raw value is returned once and never stored."""
        raw = "hw_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            organization=organization, name=name, site=site, token_hash=hash_token(raw)
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> "DeviceToken | None":
        return cls.objects.filter(token_hash=hash_token(raw), revoked_at__isnull=True).first()


class IdempotencyKey(models.Model):
    """The first outcome of a write that a phone or a device may retry: the same actor sending
    the same key for the same action gets this object back and nothing is written again — for
    a first write and for a correction alike (core.writes.idempotent). Kept 30 days."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=50)
    key = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    created = models.BooleanField()
    recorded_at = models.DateTimeField(default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "action", "key"], name="idempotency_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.key}"


class ActivationCode(models.Model):
    """A one-time code that lets a person with a new login (from the roster) sign in once and
    choose a password (core.logins). Only its hash is stored; single-use, it expires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activation_codes",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        indexes = [models.Index(fields=["user", "used_at"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
