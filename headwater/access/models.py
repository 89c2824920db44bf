"""Gates and checkpoints (门禁卡点): the organization's signing keys, gate posts with their
scanner devices and duty teams, printed pass cards, visitors and vehicle entries, canteen
slots with their daily rotation and meal orders, commute bus routes and trips, and the
passages every scan leaves.

Scope: the office and leaders see every gate; a unit head the gates at their units' sites
(subtree); a member of a gate's team that gate and what it recorded; everybody their own
passages, cards and the visits they host. `Passage` is append-only and the one table that
grows without bound (hundreds of millions of rows): see its docstring and ADR 0025."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from headwater.access.choices import (
    Credential,
    Decision,
    Direction,
    GateKind,
    MealOrderKind,
    RefusalReason,
    VisitState,
)
from headwater.access.permissions import MANAGE_GATES, VIEW_PASSAGES
from headwater.core import clock
from headwater.core.models import DeviceToken, Person, Site, Unit
from headwater.core.owned import (
    AnyOf,
    ListedIn,
    OrganizationOwned,
    OrganizationWide,
    PersonIs,
    ThroughSite,
)

USER = settings.AUTH_USER_MODEL


def _by(name):
    return models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=name
    )


def GateScope(prefix: str = "") -> AnyOf:  # noqa: N802 (a scope, named like the others)
    """Rows of a gate: through the gate's site (unit heads their subtree, office and leaders
    everything) and the gates whose team lists the user's person. `prefix` reaches the gate
    from a related row ("gate__")."""
    return AnyOf(
        (
            ThroughSite(f"{prefix}site", VIEW_PASSAGES),
            ListedIn(f"{prefix}id", "access.GateTeamMember", "team__gate_id"),
        )
    )


class SigningKey(OrganizationOwned):
    """An Ed25519 key pair that signs the organization's passes. The newest key not retired
    signs; every key not retired verifies (so a rotation does not void printed cards until the
    old key is retired). The private half never leaves the server: scanners get the public
    halves only."""

    scope = OrganizationWide(MANAGE_GATES)

    key_id = models.CharField(_("key id"), max_length=16)
    public_key = models.CharField(_("public key"), max_length=64)  # base64url, 32 bytes
    private_key = models.CharField(max_length=64, editable=False)  # base64url seed, 32 bytes
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            models.UniqueConstraint(fields=["organization", "key_id"], name="access_key_id_once")
        ]

    def __str__(self) -> str:
        return self.key_id


class Gate(OrganizationOwned):
    """A post where people are scanned: a site gate, a community checkpoint, the door of a
    production area or a canteen, a commute bus."""

    scope = GateScope()

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=GateKind.choices)
    checks_temperature = models.BooleanField(_("checks temperature"), default=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("gate post")
        verbose_name_plural = _("gate posts")
        ordering = ("site_id", "name", "pk")

    def __str__(self) -> str:
        return self.name


class GateDevice(OrganizationOwned):
    """A scanner (phone or tablet) enrolled for one gate with a core device token."""

    scope = ThroughSite("gate__site", MANAGE_GATES)

    gate = models.ForeignKey(
        Gate, on_delete=models.CASCADE, related_name="devices", verbose_name=_("gate post")
    )
    device = models.OneToOneField(
        DeviceToken, on_delete=models.CASCADE, related_name="gate_device", verbose_name=_("device")
    )

    class Meta:
        verbose_name = _("scanner device")
        verbose_name_plural = _("scanner devices")

    def __str__(self) -> str:
        return f"{self.gate} · {self.device}"


class GateTeam(OrganizationOwned):
    """A checkpoint duty team (the seeds' 55 teams of 207 people, in batches)."""

    scope = GateScope("gate__")

    gate = models.ForeignKey(
        Gate, on_delete=models.CASCADE, related_name="teams", verbose_name=_("gate post")
    )
    name = models.CharField(_("name"), max_length=100)
    batch = models.PositiveSmallIntegerField(_("batch"), default=1)
    leader = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team leader"),
    )

    class Meta:
        verbose_name = _("gate team")
        verbose_name_plural = _("gate teams")
        ordering = ("gate_id", "batch", "name", "pk")

    def __str__(self) -> str:
        return self.name


class GateTeamMember(OrganizationOwned):
    scope = GateScope("team__gate__")

    team = models.ForeignKey(
        GateTeam, on_delete=models.CASCADE, related_name="members", verbose_name=_("gate team")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )

    class Meta:
        verbose_name = _("gate team member")
        verbose_name_plural = _("gate team members")
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="access_team_member_once")
        ]


class PassCard(OrganizationOwned):
    """A printed pass for somebody without a phone: a long-lived signed token carrying the
    card's serial, revocable by the office (the revocation list scanners sync)."""

    scope = AnyOf((OrganizationWide(MANAGE_GATES), PersonIs(("person_id",))))

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    serial = models.CharField(_("serial"), max_length=24)
    issued_at = models.DateTimeField(_("issued at"), default=clock.now)
    issued_by = _by(_("issued by"))
    expires_on = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = _by(_("revoked by"))
    revoke_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pass card")
        verbose_name_plural = _("pass cards")
        constraints = [
            models.UniqueConstraint(fields=["organization", "serial"], name="access_card_serial")
        ]

    def __str__(self) -> str:
        return self.serial


class Visit(OrganizationOwned):
    """A visitor registered at a gate (访客登记): who, from where, why, whom they visit, the
    declared travel and contact history; the host approves when the site requires it; the
    visitor pass is valid from approval to `valid_until`."""

    scope = AnyOf((ThroughSite("site", VIEW_PASSAGES), PersonIs(("host_id",))))

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    gate = models.ForeignKey(
        Gate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gate post"),
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    company = models.CharField(_("organization"), max_length=100, blank=True)
    reason = models.CharField(_("reason for the visit"), max_length=200)
    host = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host"),
    )
    plate = models.CharField(_("plate"), max_length=16, blank=True)
    temperature = models.DecimalField(
        _("temperature"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    travel_history = models.CharField(_("declared travel"), max_length=300, blank=True)
    contact_history = models.CharField(_("declared contacts"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=VisitState.choices, default=VisitState.PENDING
    )
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), default=clock.now)
    registered_by = _by(_("registered by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = _by(_("decided by"))
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    # a closed site let this outsider in on the host's word (封闭管理 override)
    override_reason = models.CharField(_("override reason"), max_length=200, blank=True)
    key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ("-registered_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key"], condition=~Q(key=""), name="access_visit_key"
            )
        ]

    def __str__(self) -> str:
        return self.name


class VehicleEntry(OrganizationOwned):
    """A vehicle at a gate (车辆登记): plate, driver, cargo, disinfection, the decision."""

    scope = GateScope("gate__")

    gate = models.ForeignKey(
        Gate, on_delete=models.PROTECT, related_name="+", verbose_name=_("gate post")
    )
    at = models.DateTimeField(_("time"), default=clock.now)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.IN
    )
    plate = models.CharField(_("plate"), max_length=16)
    driver_name = models.CharField(_("driver"), max_length=50, blank=True)
    driver_phone = models.CharField(_("driver's phone"), max_length=20, blank=True)
    driver_temperature = models.DecimalField(
        _("temperature"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    cargo = models.CharField(_("cargo"), max_length=200, blank=True)
    disinfected = models.BooleanField(_("disinfected"), default=False)
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vehicles",
        verbose_name=_("visit"),
    )
    decision = models.CharField(_("decision"), max_length=6, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=24, choices=RefusalReason.choices, blank=True)
    override_reason = models.CharField(_("override reason"), max_length=200, blank=True)
    override_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )
    guard = _by(_("guard"))
    key = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("vehicle entry")
        verbose_name_plural = _("vehicle entries")
        ordering = ("-at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="access_vehicle_key")
        ]
        indexes = [models.Index(fields=["gate", "at"], name="access_vehicle_gate_at")]


class MealSlot(OrganizationOwned):
    """A lunch (or dinner) slot of a canteen: 11:10 for 15 minutes, 120 places."""

    scope = OrganizationWide()

    canteen = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("canteen")
    )
    name = models.CharField(_("name"), max_length=50)
    starts = models.TimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"))
    capacity = models.PositiveIntegerField(_("places"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("meal slot")
        verbose_name_plural = _("meal slots")
        ordering = ("canteen_id", "position", "starts", "pk")

    def __str__(self) -> str:
        return self.name


class DiningGroup(OrganizationOwned):
    """A unit's place in a canteen's rotation (循环滚动): on `starts_on` the unit eats in the
    slot at `position`; with `rotates`, one slot later each following day, round the
    canteen's slots (`dining.slot_for`)."""

    scope = OrganizationWide()

    canteen = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("canteen")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    position = models.PositiveSmallIntegerField(_("slot on the first day"))
    starts_on = models.DateField(_("from"))
    rotates = models.BooleanField(_("rotates daily"), default=True)

    class Meta:
        verbose_name = _("dining group")
        verbose_name_plural = _("dining groups")
        constraints = [
            models.UniqueConstraint(fields=["canteen", "unit"], name="access_dining_unit_once")
        ]


class MealOrder(OrganizationOwned):
    """A unit's box meals or group order for a day."""

    scope = AnyOf((OrganizationWide(MANAGE_GATES), ThroughSite("canteen", VIEW_PASSAGES)))

    canteen = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("canteen")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=8, choices=MealOrderKind.choices)
    count = models.PositiveIntegerField(_("number of meals"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    ordered_at = models.DateTimeField(_("ordered at"), default=clock.now)
    ordered_by = _by(_("ordered by"))

    class Meta:
        verbose_name = _("meal order")
        verbose_name_plural = _("meal orders")
        constraints = [
            models.UniqueConstraint(
                fields=["canteen", "unit", "day", "kind"], name="access_meal_order_once"
            )
        ]


class BusRoute(OrganizationOwned):
    """A commute bus route; boarding is a scan at its bus gate."""

    scope = OrganizationWide()

    name = models.CharField(_("name"), max_length=100)
    gate = models.ForeignKey(
        Gate, on_delete=models.PROTECT, related_name="+", verbose_name=_("gate post")
    )
    stops = models.CharField(_("stops"), max_length=500, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("bus route")
        verbose_name_plural = _("bus routes")

    def __str__(self) -> str:
        return self.name


class BusTrip(OrganizationOwned):
    """One run of a route on a day, its passengers (boarding passages) and disinfection."""

    scope = OrganizationWide()

    route = models.ForeignKey(
        BusRoute, on_delete=models.CASCADE, related_name="trips", verbose_name=_("bus route")
    )
    day = models.DateField(_("day"))
    departs = models.TimeField(_("departs"))
    plate = models.CharField(_("plate"), max_length=16, blank=True)
    driver_name = models.CharField(_("driver"), max_length=50, blank=True)
    disinfected_at = models.DateTimeField(_("disinfected at"), null=True, blank=True)
    disinfected_by = _by(_("disinfected by"))
    disinfection_note = models.CharField(_("disinfection"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bus trip")
        verbose_name_plural = _("bus trips")
        ordering = ("day", "departs", "pk")
        constraints = [
            models.UniqueConstraint(fields=["route", "day", "departs"], name="access_trip_once")
        ]


class Passage(OrganizationOwned):
    """One scan at a gate (通行记录): who (a person or a visitor), where, when (the device's
    scan time, kept when the scan was queued offline), which way, the temperature, the
    decision and why, by which guard or device.

    Append-only: nothing updates or deletes a passage (a correction is a new one). Built to
    grow to hundreds of millions of rows: narrow, bigint keys, no audit rows, and the three
    indexes the reads use — (gate, at) for the ledger and "who was here around then",
    (person, at) for one person's movements, (organization, at) for the day's counts, and
    (slot, at) of the canteen's passages for "who ate in that slot". The
    idempotency key is unique together with `at` so that the table can be partitioned by
    month on PostgreSQL (a unique constraint of a partitioned table must hold its partition
    key; a replay carries the same scan time)."""

    scope = AnyOf((GateScope("gate__"), PersonIs(("person_id",))))

    id = models.BigAutoField(primary_key=True)
    gate = models.ForeignKey(
        Gate,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("gate post"),
    )
    at = models.DateTimeField(_("time"))
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("person"),
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visit"),
    )
    credential = models.CharField(_("shown"), max_length=6, choices=Credential.choices)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.IN
    )
    temperature = models.DecimalField(
        _("temperature"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    decision = models.CharField(_("decision"), max_length=6, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=24, choices=RefusalReason.choices, blank=True)
    override_reason = models.CharField(_("override reason"), max_length=200, blank=True)
    slot = models.ForeignKey(
        MealSlot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("meal slot"),
    )
    trip = models.ForeignKey(
        BusTrip,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bus trip"),
    )
    guard = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("guard"),
    )
    device = models.ForeignKey(
        DeviceToken,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("device"),
    )
    # what an offline scanner showed at the gate, when the server's later decision differs
    device_decision = models.CharField(
        _("decision on the device"), max_length=6, choices=Decision.choices, blank=True
    )
    token_id = models.CharField(max_length=24, blank=True, editable=False)
    key = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ("-at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["organization", "key", "at"], name="access_passage_key")
        ]
        indexes = [
            # Covering on PostgreSQL (INCLUDE; SQLite builds the plain index): contact tracing
            # reads the others at a gate in a window, and a person's passages, from the index
            # alone (index-only scans) — the heap rows of one gate's minute lie far apart.
            models.Index(
                fields=["gate", "at"],
                name="access_passage_gate_cover",
                include=["person", "slot", "trip"],
            ),
            models.Index(
                fields=["person", "at"],
                name="access_passage_person_cover",
                include=["gate", "slot", "trip"],
            ),
            models.Index(fields=["organization", "at"], name="access_passage_org_at"),
            # A canteen slot's passages of a day, for tracing's "same slot" (partial: only
            # canteen passages carry a slot).
            models.Index(
                fields=["slot", "at"],
                name="access_passage_slot_cover",
                include=["gate", "person"],
                condition=models.Q(slot__isnull=False),
            ),
            # ... and a bus trip's riders (only boardings carry a trip).
            models.Index(
                fields=["trip"],
                name="access_passage_trip_cover",
                include=["person", "at"],
                condition=models.Q(trip__isnull=False),
            ),
        ]


from headwater.access.models_dining import UnitMealOrder  # noqa: E402,F401 (the dining part)
