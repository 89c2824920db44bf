"""Test campaigns (核酸检测): the campaign and its sampling sites, desk operators and batches;
the roster (staff of units and outside people, 不落一人); queue numbers; tubes and the samples
pooled into them; individual retests after a positive or invalid pool.

Every row hangs off its campaign. Scope: the office and leaders see every campaign; a unit
head sees the campaigns and their own units' people on the rosters; a desk operator sees the
one campaign they are listed for (`CampaignOperator`) and nothing else."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.models import Person, Site, Unit
from headwater.core.owned import AnyOf, ListedIn, OrganizationOwned, OrganizationWide, ThroughUnit
from headwater.testing.choices import (
    CampaignState,
    EntrySource,
    EntryStatus,
    PoolSize,
    RetestState,
    TubeKind,
    TubeResult,
    TubeState,
)
from headwater.testing.permissions import MANAGE_CAMPAIGNS, VIEW_CAMPAIGNS


def CampaignScope(prefix: str = "") -> AnyOf:  # noqa: N802 (a scope, named like the others)
    """Rows of campaigns: every campaign for holders of `testing.view_campaigns` (office,
    leaders, unit heads — a campaign's name and dates are not personal); the campaigns a desk
    operator is listed for. `prefix` reaches the campaign from a related row ("campaign__")."""
    return AnyOf(
        (
            OrganizationWide(VIEW_CAMPAIGNS),
            ListedIn(f"{prefix}id", "testing.CampaignOperator", "campaign_id"),
        )
    )


def PeopleScope(prefix: str = "") -> AnyOf:  # noqa: N802
    """Rows about one person on a roster: through the roster entry's unit (a unit head their
    subtree; an organization-wide grant every row, outsiders included — they have no unit),
    and every row of the campaigns a desk operator is listed for. `prefix` reaches the entry
    ("entry__")."""
    return AnyOf(
        (
            ThroughUnit(f"{prefix}unit", VIEW_CAMPAIGNS),
            ListedIn(f"{prefix}campaign_id", "testing.CampaignOperator", "campaign_id"),
        )
    )


class Campaign(OrganizationOwned):
    """One round of testing: its dates, pooling size and what people must bring."""

    scope = CampaignScope()

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    pool_size = models.PositiveSmallIntegerField(
        _("pooling size"), choices=PoolSize.choices, default=PoolSize.FIVE
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    bring = models.CharField(
        _("what to bring"),
        max_length=300,
        blank=True,
        help_text=_("Told to everyone in the notice, e.g. ID card, mask, the pass on the phone."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("test campaign")
        verbose_name_plural = _("test campaigns")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SamplingSite(OrganizationOwned):
    """A place where a campaign takes samples, with its desks and its queue-number counter
    (`next_number`, advanced in one UPDATE so two desks never hand out the same number)."""

    scope = CampaignScope("campaign__")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="sites", verbose_name=_("campaign")
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    site = models.ForeignKey(
        Site,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site of the organization"),
    )
    desks = models.PositiveSmallIntegerField(_("desks"), default=1)
    next_number = models.PositiveIntegerField(_("next queue number"), default=1)

    class Meta:
        verbose_name = _("sampling site")
        verbose_name_plural = _("sampling sites")
        ordering = ["campaign", "pk"]

    def __str__(self) -> str:
        return self.name


class CampaignOperator(OrganizationOwned):
    """A person working a desk (or calling batches) for a campaign, at one of its sites."""

    scope = CampaignScope("campaign__")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="operators", verbose_name=_("campaign")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    site = models.ForeignKey(
        SamplingSite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="operators",
        verbose_name=_("sampling site"),
    )

    class Meta:
        verbose_name = _("desk operator")
        verbose_name_plural = _("desk operators")
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="operator_once")]


class Outsider(OrganizationOwned):
    """A person from outside the organization (a contractor's or supervisor's worker),
    registered once and put on the rosters of later campaigns. Phone and ID number are
    personal data, masked like staff's."""

    scope = OrganizationWide(MANAGE_CAMPAIGNS)

    name = models.CharField(_("name"), max_length=100)
    company = models.CharField(_("company"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=clock.now)

    class Meta:
        verbose_name = _("outside person")
        verbose_name_plural = _("outside people")
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "id_number"],
                condition=~Q(id_number=""),
                name="outsider_id_number_once",
            )
        ]
        indexes = [models.Index(fields=["organization", "phone"])]

    def __str__(self) -> str:
        return self.name


class Batch(OrganizationOwned):
    """A group called down together (a unit, a company, a building) to one site in a time
    window; the window and site are what the notice tells its people."""

    scope = CampaignScope("campaign__")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="batches", verbose_name=_("campaign")
    )
    site = models.ForeignKey(
        SamplingSite, on_delete=models.CASCADE, related_name="batches", verbose_name=_("site")
    )
    label = models.CharField(_("batch"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    company = models.CharField(_("company"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("window starts"))
    ends_at = models.DateTimeField(_("window ends"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.label


class RosterEntry(OrganizationOwned):
    """One person to be tested in a campaign: a member of staff or an outside person, their
    site and batch, and where they stand (`status`, kept by the services)."""

    scope = PeopleScope()

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="entries", verbose_name=_("campaign")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member of staff"),
    )
    outsider = models.ForeignKey(
        Outsider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("outside person"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    company = models.CharField(_("company"), max_length=100, blank=True)
    site = models.ForeignKey(
        SamplingSite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sampling site"),
    )
    batch = models.ForeignKey(
        Batch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("batch"),
    )
    source = models.CharField(_("on the roster from"), max_length=10, choices=EntrySource.choices)
    added_reason = models.CharField(_("reason for adding"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    created_at = models.DateTimeField(_("added at"), default=clock.now)

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=Q(person__isnull=False),
                name="entry_person_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "outsider"],
                condition=Q(outsider__isnull=False),
                name="entry_outsider_once",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False, outsider__isnull=True)
                | Q(person__isnull=True, outsider__isnull=False),
                name="entry_person_or_outsider",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["campaign", "unit"]),
        ]

    def subject(self):
        return self.person or self.outsider

    def __str__(self) -> str:
        return str(self.subject())


class Ticket(OrganizationOwned):
    """A queue number handed out at a site (written on the back of a hand at −14 °C): unique
    per site, optionally bound to the roster entry it was given to."""

    scope = CampaignScope("campaign__")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="tickets", verbose_name=_("campaign")
    )
    site = models.ForeignKey(
        SamplingSite, on_delete=models.CASCADE, related_name="tickets", verbose_name=_("site")
    )
    number = models.PositiveIntegerField(_("queue number"))
    entry = models.ForeignKey(
        RosterEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("roster entry"),
    )
    issued_at = models.DateTimeField(_("issued at"), default=clock.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)

    class Meta:
        verbose_name = _("queue number")
        verbose_name_plural = _("queue numbers")
        ordering = ["site", "number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="ticket_number_once")
        ]


class Tube(OrganizationOwned):
    """A sampling tube, known by the barcode printed on its label before the day. A pooled
    tube takes up to `capacity` people (the campaign's pooling size); an individual retest
    tube one. Its result clears or flags every member."""

    scope = CampaignScope("campaign__")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="tubes", verbose_name=_("campaign")
    )
    barcode = models.CharField(_("barcode"), max_length=40)
    kind = models.CharField(
        _("kind"), max_length=10, choices=TubeKind.choices, default=TubeKind.POOL
    )
    capacity = models.PositiveSmallIntegerField(_("places"))
    state = models.CharField(
        _("state"), max_length=10, choices=TubeState.choices, default=TubeState.UNUSED
    )
    site = models.ForeignKey(
        SamplingSite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tubes",
        verbose_name=_("sampling site"),
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    lab_members = models.PositiveSmallIntegerField(
        _("members counted by the laboratory"), null=True, blank=True
    )
    result = models.CharField(
        _("result"), max_length=10, choices=TubeResult.choices, default=TubeResult.PENDING
    )
    result_at = models.DateTimeField(_("result time"), null=True, blank=True)
    result_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("result recorded by"),
    )

    class Meta:
        verbose_name = _("tube")
        verbose_name_plural = _("tubes")
        ordering = ["campaign", "barcode"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "barcode"], name="tube_barcode_once")
        ]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return self.barcode


class Sample(OrganizationOwned):
    """One person's swab in one tube. Online, a person is sampled once per campaign (and once
    more per retest) and a tube takes no more than its places; a registration replayed from a
    desk's offline queue is never lost: when it breaks either rule it is kept with `conflict`
    set and the completeness view names it (the swab is in the tube) — ADR 0023."""

    scope = PeopleScope("entry__")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="samples", verbose_name=_("campaign")
    )
    entry = models.ForeignKey(
        RosterEntry,
        on_delete=models.CASCADE,
        related_name="samples",
        verbose_name=_("roster entry"),
    )
    tube = models.ForeignKey(
        Tube, on_delete=models.PROTECT, related_name="samples", verbose_name=_("tube")
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("queue number"),
    )
    retest_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retests",
        verbose_name=_("retest of"),
    )
    taken_at = models.DateTimeField(_("sampled at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    proxy_name = models.CharField(
        _("registered on their behalf by"),
        max_length=100,
        blank=True,
        help_text=_("Who gave the details for the person (an elder, someone without a phone)."),
    )
    offline = models.BooleanField(_("recorded offline"), default=False)
    conflict = models.BooleanField(_("breaks a rule (kept from an offline queue)"), default=False)

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["campaign", "taken_at", "pk"]
        indexes = [
            models.Index(fields=["campaign", "entry"]),
            models.Index(fields=["tube"]),
        ]


class Retest(OrganizationOwned):
    """The follow-up item for one member of a positive or invalid pool: open until their
    individual retest has a result."""

    scope = PeopleScope("entry__")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="retests", verbose_name=_("campaign")
    )
    entry = models.ForeignKey(
        RosterEntry,
        on_delete=models.CASCADE,
        related_name="retests",
        verbose_name=_("roster entry"),
    )
    pool = models.ForeignKey(
        Tube, on_delete=models.PROTECT, related_name="retests", verbose_name=_("pooled tube")
    )
    sample = models.ForeignKey(
        Sample,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retest sample"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RetestState.choices, default=RetestState.OPEN
    )
    result = models.CharField(
        _("result"), max_length=10, choices=TubeResult.choices, default=TubeResult.PENDING
    )
    opened_at = models.DateTimeField(_("opened at"), default=clock.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("retest")
        verbose_name_plural = _("retests")
        ordering = ["campaign", "opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "pool"], name="retest_once_per_pool")
        ]
        indexes = [models.Index(fields=["campaign", "state"])]


from headwater.testing.models_setup import BatchNotice, LabelSheet  # noqa: E402, F401
