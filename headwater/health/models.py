"""Check-ins, epidemiological statuses, risk areas, the code rules and the codes they give,
unit daily reports and follow-up items.

Every table is organization-owned (core.owned): it carries its organization key and declares
who reaches its rows, so `Model.objects.visible_to(user)` is the one scope of pages and API."""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.models import HouseholdMember, Organization, Person, Unit
from headwater.core.owned import OrganizationOwned, OrganizationWide, ThroughPerson, ThroughUnit
from headwater.health.choices import (
    CodeColour,
    EpiStatus,
    Household,
    Recovery,
    RiskLevel,
    Slot,
    Whereabouts,
)
from headwater.health.permissions import VIEW_OVERVIEW, VIEW_UNIT_CHECKINS
from headwater.health.querysets import (
    CheckInQuerySet,
    HealthCodeQuerySet,
    RiskAreaQuerySet,
    StatusRecordQuerySet,
)


class CheckIn(OrganizationOwned):
    """One person's morning or afternoon health report. `unit` is the person's unit when they
    checked in, kept on the row so that unit completion is one indexed query. A retried
    submission is recognised by its key in core.IdempotencyKey (action "health.checkin")."""

    scope = ThroughPerson("person")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    date = models.DateField(_("date"))
    slot = models.CharField(_("slot"), max_length=2, choices=Slot.choices)
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    whereabouts = models.CharField(_("whereabouts"), max_length=10, choices=Whereabouts.choices)
    location_note = models.CharField(_("where exactly"), max_length=100, blank=True)
    left_city = models.BooleanField(_("left the city in the last 14 days"), default=False)
    travel_to = models.CharField(_("travelled to"), max_length=100, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    contact_confirmed = models.BooleanField(_("contact with a confirmed case"), default=False)
    contact_suspected = models.BooleanField(_("contact with a suspected case"), default=False)
    contact_risk_area = models.BooleanField(
        _("contact with people from a risk area"), default=False
    )
    last_contact_on = models.DateField(_("last contact on"), null=True, blank=True)
    household = models.CharField(
        _("household"), max_length=10, choices=Household.choices, default=Household.WELL
    )
    household_note = models.CharField(_("household note"), max_length=200, blank=True)
    is_abnormal = models.BooleanField(_("abnormal"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=clock.now)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "date", "slot"], name="checkin_once_per_slot"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "date", "unit", "person", "is_abnormal"]),
            models.Index(fields=["person", "-date"]),
            # The overview's concealment check: one unit's abnormal check-ins of one day.
            models.Index(
                fields=["unit", "date"],
                condition=Q(is_abnormal=True),
                name="checkin_abnormal_unit_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.date} {self.get_slot_display()}"


class StatusRecord(OrganizationOwned):
    """A person's epidemiological status over a period (confirmed, close contact, home
    isolation …). Open while ended_on is empty. The isolation capability writes these through
    health.services.set_status; until it exists the office records them."""

    scope = ThroughPerson("person")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="epi_statuses", verbose_name=_("person")
    )
    kind = models.CharField(_("status"), max_length=20, choices=EpiStatus.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    exposure_on = models.DateField(_("last exposure on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = StatusRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("epidemiological status")
        verbose_name_plural = _("epidemiological statuses")
        indexes = [models.Index(fields=["person", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.person.name}: {self.get_kind_display()}"


class RiskArea(OrganizationOwned):
    """An area the authorities rated high, medium or low risk, valid over a period. Every member
    of the organization may read them (the API lists them to phones); the office edits them."""

    scope = OrganizationWide()

    name = models.CharField(_("area"), max_length=100)
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = RiskAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk area")
        verbose_name_plural = _("risk areas")
        ordering = ["-valid_from", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name", "valid_from"], name="risk_area_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"


class RuleSet(OrganizationOwned):
    """A version of the health-code rules. The newest version of an organization is in force;
    older ones are kept so every code can say which version produced it. Every member may read
    the rules in force (a code's reason names them); the office publishes new versions."""

    scope = OrganizationWide()

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="health_rule_sets"
    )
    version = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    fever_threshold = models.DecimalField(
        _("fever threshold (°C)"), max_digits=3, decimal_places=1, default=37.3
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("health-code rule set")
        verbose_name_plural = _("health-code rule sets")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "version"], name="rule_set_version")
        ]

    def __str__(self) -> str:
        return f"v{self.version}"

    @cached_property
    def ordered_rules(self) -> list["Rule"]:
        """The rules in order, read once per instance (batch recomputes share one instance)."""
        return list(self.rules.all())

    @cached_property
    def tracking_since(self):
        """The day check-ins began: the organization's first rule set, so nobody counts as
        missing check-ins from before they were asked for."""
        first = RuleSet.objects.of(self.organization_id).order_by("version")
        return timezone.localdate(first.values_list("created_at", flat=True).first())


class Rule(OrganizationOwned):
    """One rule: when all its conditions hold, the person gets its colour (first match wins).

    `conditions` is a list of {"fact": name, "op": "is"|"in"|"gte"|"lte", "value": …}; the
    facts are health.rules.FACTS and those other capabilities declare (core.codes). The rule
    carries its rule set's organization itself, as every organization-owned table does."""

    scope = OrganizationWide()

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    colour = models.CharField(_("health code"), max_length=10, choices=CodeColour.choices)
    conditions = models.JSONField(_("conditions"), default=list)
    recovery = models.CharField(
        _("turns green"), max_length=20, choices=Recovery.choices, blank=True
    )
    recovery_days = models.PositiveIntegerField(_("days"), default=0)

    class Meta:
        verbose_name = _("health-code rule")
        verbose_name_plural = _("health-code rules")
        ordering = ["rule_set", "order"]

    def __str__(self) -> str:
        return self.name


class HealthCode(OrganizationOwned):
    """A person's code from `since` on, with the reason in words, the rule and rule-set
    version that produced it and the date it can turn green. The row with is_current is in
    force; earlier rows are the history. Other capabilities read it through core.codes."""

    scope = ThroughPerson("person")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="health_codes", verbose_name=_("person")
    )
    colour = models.CharField(_("health code"), max_length=10, choices=CodeColour.choices)
    reason = models.CharField(_("reason"), max_length=300)
    rule = models.ForeignKey(Rule, on_delete=models.SET_NULL, null=True, blank=True)
    rule_name = models.CharField(_("rule"), max_length=100, blank=True)
    rule_set_version = models.PositiveIntegerField(_("rule-set version"))
    since = models.DateTimeField(_("since"), default=clock.now)
    green_on = models.DateField(_("can turn green on"), null=True, blank=True)
    is_current = models.BooleanField(default=True)

    objects = HealthCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("health code")
        verbose_name_plural = _("health codes")
        ordering = ["-since", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_current=True), name="one_current_code"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "is_current", "colour"]),
            # The briefing's codes at the end of past days: the codes changed since then.
            models.Index(fields=["organization", "since"], name="healthcode_org_since"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}: {self.get_colour_display()}"

    @property
    def css(self) -> str:
        return CodeColour(self.colour).css


class UnitReport(OrganizationOwned):
    """A unit's daily return (日报告); a zero report (零报告) when nothing is abnormal. Seen by
    whoever sees the unit's check-ins: its head, monitors, leaders and the office."""

    scope = ThroughUnit("unit", VIEW_UNIT_CHECKINS)

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="health_reports")
    date = models.DateField(_("date"))
    on_duty = models.PositiveIntegerField(_("on duty"), default=0)
    working_from_home = models.PositiveIntegerField(_("working from home"), default=0)
    on_leave = models.PositiveIntegerField(_("on leave"), default=0)
    isolated = models.PositiveIntegerField(_("isolated"), default=0)
    abnormal = models.PositiveIntegerField(_("abnormal"), default=0)
    is_zero = models.BooleanField(_("zero report"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=clock.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The earliest filing judged a possible concealment (可能瞒报) whose flag the office has
    # not cleared; empty when no flag is raised. Later filings and later edits of check-ins
    # never lower it: only health.services.clear_concealment_flag does (ADR 0011).
    flag = models.ForeignKey(
        "UnitReportFiling",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("possible concealment"),
    )

    class Meta:
        verbose_name = _("unit daily report")
        verbose_name_plural = _("unit daily reports")
        constraints = [
            models.UniqueConstraint(fields=["unit", "date"], name="one_report_per_unit_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.date}"


class UnitReportFiling(OrganizationOwned):
    """One sending of a unit's daily report, kept as filed: the figures, who sent it and when,
    and the judgement made at that moment against the unit's check-ins as they stood then —
    how many people had an abnormal check-in and, as evidence, what each had reported
    (a copy, so that a later correction of the check-in does not change what was known)."""

    scope = ThroughUnit("report__unit", VIEW_UNIT_CHECKINS)

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="filings")
    filed_at = models.DateTimeField(_("sent at"), default=clock.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    on_duty = models.PositiveIntegerField(_("on duty"), default=0)
    working_from_home = models.PositiveIntegerField(_("working from home"), default=0)
    on_leave = models.PositiveIntegerField(_("on leave"), default=0)
    isolated = models.PositiveIntegerField(_("isolated"), default=0)
    abnormal = models.PositiveIntegerField(_("abnormal"), default=0)
    is_zero = models.BooleanField(_("zero report"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    # The judgement at filing time.
    abnormal_known = models.PositiveIntegerField(_("abnormal people known"), default=0)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    contradicts = models.BooleanField(_("possible concealment"), default=False)
    # The office's clearing of the flag this filing raised.
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    clear_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("unit daily report filing")
        verbose_name_plural = _("unit daily report filings")
        ordering = ["filed_at", "id"]

    def __str__(self) -> str:
        return f"{self.report} {self.filed_at:%H:%M:%S}"


class ReminderRun(OrganizationOwned):
    """A "remind now" sent by a unit head or the office: to the people of `unit` (the whole
    organization when empty) who had not checked in and, from the office, to the heads of
    the units that had not reported. A second press within a few minutes returns this one."""

    scope = ThroughUnit("unit", VIEW_UNIT_CHECKINS, unowned=True)

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=clock.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    people = models.PositiveIntegerField(_("people reminded"), default=0)
    units = models.PositiveIntegerField(_("units reminded"), default=0)

    class Meta:
        verbose_name = _("check-in reminder")
        verbose_name_plural = _("check-in reminders")
        indexes = [models.Index(fields=["organization", "unit", "-sent_at"])]

    def __str__(self) -> str:
        return f"{self.unit or self.organization} {self.sent_at:%Y-%m-%d %H:%M}"


class FollowUp(OrganizationOwned):
    """An item opened by an abnormal check-in, for the unit head and the office to follow up;
    the isolation capability picks these up."""

    scope = ThroughPerson("person")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="health_followups")
    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="followup")
    reason = models.CharField(_("reason"), max_length=300)
    opened_at = models.DateTimeField(_("opened at"), default=clock.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-opened_at"]
        # The briefing's follow-ups opened and closed by day, and those still open.
        indexes = [
            models.Index(fields=["organization", "opened_at"], name="followup_org_opened"),
            models.Index(fields=["organization", "closed_at"], name="followup_org_closed"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}: {self.reason}"


class CodeRecompute(OrganizationOwned):
    """A request to recompute every code of the organization (new rules, a risk area changed),
    stored in the same transaction as the change, so that it survives a busy database or a
    restarted worker: the queued job works through the people in order and records how far it
    got; a periodic catch-up finishes any request left open."""

    scope = OrganizationWide(VIEW_OVERVIEW)

    reason = models.CharField(_("reason"), max_length=100)
    requested_at = models.DateTimeField(_("requested at"), default=clock.now)
    after_person_id = models.PositiveBigIntegerField(default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("code recompute")
        verbose_name_plural = _("code recomputes")
        indexes = [models.Index(fields=["organization", "done_at"])]

    def __str__(self) -> str:
        return f"{self.reason} {self.requested_at:%Y-%m-%d %H:%M}"


class HouseholdCheckIn(OrganizationOwned):
    """A relative's health line of one day (家属健康情况), recorded by the member of staff in
    their own check-in: one row per relative and day, a later check-in of the day overwriting
    it. `person` is the member of staff (the scope: whoever sees them sees their relatives'
    lines); `checkin` the check-in that last wrote it (its idempotency key covers the line)."""

    scope = ThroughPerson("person")

    member = models.ForeignKey(
        HouseholdMember,
        on_delete=models.CASCADE,
        related_name="health_lines",
        verbose_name=_("household member"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("member of staff")
    )
    checkin = models.ForeignKey(
        CheckIn,
        on_delete=models.CASCADE,
        related_name="household_lines",
        verbose_name=_("check-in"),
    )
    date = models.DateField(_("date"))
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    travel = models.BooleanField(_("travel or contact in the last 14 days"), default=False)
    note = models.CharField(_("travel or contact details"), max_length=200, blank=True)
    is_abnormal = models.BooleanField(_("abnormal"), default=False)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)

    class Meta:
        verbose_name = _("household member's health line")
        verbose_name_plural = _("household members' health lines")
        constraints = [
            models.UniqueConstraint(fields=["member", "date"], name="household_line_once_a_day")
        ]
        indexes = [
            models.Index(fields=["organization", "date", "is_abnormal"], name="household_line_day"),
            # The code fact: a member of staff's relatives abnormal in the last days.
            models.Index(
                fields=["person", "date"],
                condition=Q(is_abnormal=True),
                name="household_line_abnormal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.date}"
