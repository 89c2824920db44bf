"""Water quality: labs, sampling points, plans and the tasks they generate, samples and their
results (each evaluated against the limit in force on its date and reviewed on three levels),
internal limits, approved temporary relaxations and online-analyzer readings.

The indicator catalog and the national limits are data shipped with the code
(quality/data/*.toml, read by quality.catalog); rows here name an indicator by its code.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.models import DeviceToken, Site, Unit
from headwater.core.owned import OrganizationOwned, OrganizationWide, ThroughUnit
from headwater.quality.choices import (
    Frequency,
    LabKind,
    Outcome,
    PointKind,
    Qualifier,
    RelaxationStatus,
    ReviewStatus,
    SampleSource,
    SupplyType,
    TaskKind,
    TaskStatus,
)
from headwater.quality.permissions import VIEW
from headwater.quality.querysets import InternalLimitQuerySet, PointQuerySet, ResultQuerySet

VALUE = {"max_digits": 20, "decimal_places": 8, "null": True, "blank": True}


class Lab(OrganizationOwned):
    """A laboratory: a plant's lab or the central lab. Its unit is where its people work."""

    scope = OrganizationWide(VIEW)

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=LabKind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )

    class Meta:
        verbose_name = _("lab")
        verbose_name_plural = _("labs")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="quality_lab_code")
        ]

    def __str__(self) -> str:
        return self.name


class SamplingPoint(OrganizationOwned):
    """Where water is sampled. `unit` owns the point (a plant for its raw and finished water,
    the central lab or a department for network points): it decides who sees the point and
    groups compliance "by plant". `network_node` names a node of the network model."""

    scope = ThroughUnit("unit", VIEW)

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=PointKind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    lab = models.ForeignKey(
        Lab, on_delete=models.PROTECT, related_name="points", verbose_name=_("lab")
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    supply_type = models.CharField(
        _("supply type"), max_length=10, choices=SupplyType.choices, default=SupplyType.URBAN
    )
    network_node = models.CharField(_("network model node"), max_length=50, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = PointQuerySet.as_manager()

    class Meta:
        verbose_name = _("sampling point")
        verbose_name_plural = _("sampling points")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="quality_point_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SamplingPlan(OrganizationOwned):
    """Which indicators to test, how often, at one point or at every active point of a kind.

    Frequencies: every `every_hours` hours from midnight; at `times` ("08:00", "16:00") each
    day; daily at the first of `times` (08:00 if none); on `weekdays` (0 = Monday) at the
    first time; monthly on `day_of_month`; half-yearly on `day_of_month` of `months` (1, 7).
    A task is due at its time and missed `window_hours` later. `levels` limits the plan to
    some response levels (empty: always), for the extra testing of an epidemic."""

    scope = ThroughUnit("point__unit", VIEW, unowned=True)  # no point: organization-wide

    name = models.CharField(_("name"), max_length=100)
    lab = models.ForeignKey(
        Lab, on_delete=models.PROTECT, related_name="plans", verbose_name=_("lab")
    )
    point_kind = models.CharField(
        _("point kind"), max_length=10, choices=PointKind.choices, blank=True
    )
    point = models.ForeignKey(
        SamplingPoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("sampling point"),
    )
    indicators = models.JSONField(_("indicators"), default=list)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices)
    every_hours = models.PositiveSmallIntegerField(_("every N hours"), null=True, blank=True)
    times = models.JSONField(_("times of day"), default=list, blank=True)
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    day_of_month = models.PositiveSmallIntegerField(_("day of month"), null=True, blank=True)
    months = models.JSONField(_("months"), default=list, blank=True)
    window_hours = models.PositiveSmallIntegerField(_("hours to do it"), default=8)
    levels = models.JSONField(_("response levels"), default=list, blank=True)
    starts_on = models.DateField(_("starts on"), default=clock.today)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("sampling plan")
        verbose_name_plural = _("sampling plans")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(point_kind="") | Q(point__isnull=False), name="quality_plan_target"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SamplingTask(OrganizationOwned):
    """One visit to sample one point: generated from a plan (routine) or opened by an
    exceedance (re-sampling). Generation is idempotent: one task per plan, point and time."""

    scope = ThroughUnit("point__unit", VIEW)

    plan = models.ForeignKey(
        SamplingPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    point = models.ForeignKey(
        SamplingPoint,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("sampling point"),
    )
    lab = models.ForeignKey(
        Lab, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("lab")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=TaskKind.choices, default=TaskKind.ROUTINE
    )
    indicators = models.JSONField(_("indicators"), default=list)
    due_at = models.DateTimeField(_("due at"))
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    cause = models.ForeignKey(
        "Result",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exceedance that caused it"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    missed_alerted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("sampling task")
        verbose_name_plural = _("sampling tasks")
        ordering = ["due_at", "point__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "point", "due_at"],
                name="quality_task_once",
                condition=Q(plan__isnull=False),
            )
        ]
        indexes = [models.Index(fields=["organization", "status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.point} {self.due_at:%Y-%m-%d %H:%M}"


class Sample(OrganizationOwned):
    """Water taken at one point at one time; its results are the indicators tested on it."""

    scope = ThroughUnit("point__unit", VIEW)

    point = models.ForeignKey(
        SamplingPoint,
        on_delete=models.PROTECT,
        related_name="samples",
        verbose_name=_("sampling point"),
    )
    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="+", verbose_name=_("lab"))
    task = models.OneToOneField(
        SamplingTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="sample"
    )
    sampled_at = models.DateTimeField(_("sampled at"))
    source = models.CharField(_("source"), max_length=10, choices=SampleSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), default=clock.now)

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["-sampled_at"]
        constraints = [
            models.UniqueConstraint(fields=["point", "sampled_at"], name="quality_sample_once")
        ]
        indexes = [models.Index(fields=["organization", "sampled_at"])]

    def __str__(self) -> str:
        return f"{self.point.code} {self.sampled_at:%Y-%m-%d %H:%M}"


class Result(OrganizationOwned):
    """One indicator tested on one sample, with its evaluation frozen at entry: the limit in
    force on the sampling date (national, relaxed or internal), the outcome and, for raw water,
    the GB 3838 class. Point, kind, unit and date are copied from the sample so that compliance
    reports are single indexed aggregations."""

    scope = ThroughUnit("unit", VIEW)

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="results")
    point = models.ForeignKey(SamplingPoint, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    point_kind = models.CharField(max_length=10, choices=PointKind.choices)
    sampled_at = models.DateTimeField(_("sampled at"))
    sampled_on = models.DateField(_("sampled on"))
    indicator = models.CharField(_("indicator"), max_length=40)
    raw = models.CharField(_("reported value"), max_length=40)
    qualifier = models.CharField(
        _("qualifier"), max_length=3, choices=Qualifier.choices, blank=True, default=""
    )
    value = models.DecimalField(_("value"), **VALUE)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    limit_text = models.CharField(_("limit"), max_length=80, blank=True)
    standard = models.CharField(_("standard"), max_length=40, blank=True)
    source_class = models.PositiveSmallIntegerField(_("GB 3838 class"), null=True, blank=True)
    internal_outcome = models.CharField(
        _("internal limit"), max_length=12, choices=Outcome.choices, blank=True
    )
    relaxation = models.ForeignKey(
        "Relaxation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.ENTERED
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=200, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["sample_id", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "indicator"], name="quality_result_once")
        ]
        indexes = [
            # Compliance reports: official results of a period.
            models.Index(fields=["organization", "status", "sampled_on"]),
            # Trend charts: one point's indicator over time.
            models.Index(fields=["point", "indicator", "sampled_at"]),
            models.Index(fields=["organization", "outcome", "sampled_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.raw}"


class InternalLimit(OrganizationOwned):
    """A stricter limit the utility sets itself (内控指标), beside the national one. Breaching
    it warns; official compliance still follows the national limit."""

    scope = OrganizationWide(VIEW)

    indicator = models.CharField(_("indicator"), max_length=40)
    point_kind = models.CharField(
        _("point kind"),
        max_length=10,
        choices=PointKind.choices,
        blank=True,
        help_text=_("Empty: every kind of point."),
    )
    minimum = models.DecimalField(_("minimum"), **VALUE)
    maximum = models.DecimalField(_("maximum"), **VALUE)
    valid_from = models.DateField(_("valid from"), default=clock.today)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = InternalLimitQuerySet.as_manager()

    class Meta:
        verbose_name = _("internal limit")
        verbose_name_plural = _("internal limits")
        ordering = ["indicator", "point_kind"]

    def __str__(self) -> str:
        return self.indicator


class Relaxation(OrganizationOwned):
    """A temporary, approved relaxation of a sensory or general-chemical limit during a
    public-health emergency after a risk assessment (GB 5749-2022, 4.4). Proposed by the
    quality department, approved by someone else holding the approval permission; it is in
    force only from `valid_from` to `valid_until` and only once approved."""

    scope = OrganizationWide(VIEW)

    indicator = models.CharField(_("indicator"), max_length=40)
    point_kind = models.CharField(
        _("point kind"),
        max_length=10,
        choices=PointKind.choices,
        blank=True,
        help_text=_("Empty: every kind of point."),
    )
    minimum = models.DecimalField(_("relaxed minimum"), **VALUE)
    maximum = models.DecimalField(_("relaxed maximum"), **VALUE)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    reason = models.CharField(_("reason"), max_length=200)
    risk_assessment = models.TextField(_("risk assessment"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RelaxationStatus.choices,
        default=RelaxationStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("relaxation")
        verbose_name_plural = _("relaxations")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.valid_from}–{self.valid_until}"


class AnalyzerReading(OrganizationOwned):
    """A reading of an online analyzer (turbidity, residual chlorine … every few minutes),
    sent with a device token. A time series beside the lab results: evaluated against the same
    limits and able to raise the same alerts, but not part of official compliance."""

    scope = ThroughUnit("point__unit", VIEW)

    point = models.ForeignKey(SamplingPoint, on_delete=models.CASCADE, related_name="readings")
    indicator = models.CharField(_("indicator"), max_length=40)
    at = models.DateTimeField(_("measured at"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=8)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    device = models.ForeignKey(
        DeviceToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("analyzer reading")
        verbose_name_plural = _("analyzer readings")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "indicator", "at"], name="quality_reading_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.value} @ {self.at:%Y-%m-%d %H:%M}"
