"""Isolation cases (隔离), their history and the monitor's daily follow-ups.

A case's subject is a member of staff or one of their household members; `unit` is the staff
member's unit, kept on the row so that a unit head's scope is one indexed path filter."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.models import HouseholdMember, Person, Unit
from headwater.core.owned import AnyOf, OrganizationOwned, PersonIs, ThroughUnit
from headwater.isolation.choices import CaseKind, CaseState, Channel, EventKind, Mood
from headwater.isolation.permissions import VIEW_CASES
from headwater.isolation.querysets import CaseCheckQuerySet, CaseQuerySet


def CaseScope(prefix: str = "") -> AnyOf:  # noqa: N802 (a scope, named like the others)
    """Grants holding `isolation.view_cases` over the case's unit or an ancestor (the
    organization for an organization-wide grant); besides, the case's monitor sees the cases
    they follow and the isolated person their own, whatever their grants. The case's volunteer
    does not: a volunteer never sees the person's health (the case's reason, its follow-ups,
    its flow) — they reach the service requests of the cases they serve (`RequestScope`),
    which carry what a delivery needs (ADR 0021). `prefix` reaches the case from a related
    row ("case__")."""
    return AnyOf(
        (
            ThroughUnit(f"{prefix}unit", VIEW_CASES),
            PersonIs((f"{prefix}monitor_id", f"{prefix}person_id")),
        )
    )


class Case(OrganizationOwned):
    """One isolation of a member of staff or a household member, from its start to its
    release. Open while `state` is open: at most one open case per subject (a constraint)."""

    scope = CaseScope()

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="isolation_cases",
        verbose_name=_("member of staff"),
    )
    household_member = models.ForeignKey(
        HouseholdMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="isolation_cases",
        verbose_name=_("household member isolated"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind of isolation"), max_length=12, choices=CaseKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    exposure_on = models.DateField(_("last exposure on"), null=True, blank=True)
    started_on = models.DateField(_("isolated from"))
    planned_end = models.DateField(_("planned end"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    household_isolated = models.ManyToManyField(
        HouseholdMember,
        blank=True,
        related_name="+",
        verbose_name=_("household members isolated with"),
    )
    monitor = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitored_cases",
        verbose_name=_("monitor"),
    )
    volunteer = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_cases",
        verbose_name=_("volunteer"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), default=clock.now)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_proposed_at = models.DateTimeField(_("release proposed at"), null=True, blank=True)
    followup_id = models.PositiveBigIntegerField(_("health follow-up"), null=True, blank=True)
    status_id = models.PositiveBigIntegerField(_("epidemiological status"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("isolation case")
        verbose_name_plural = _("isolation cases")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state="open", household_member__isnull=True),
                name="isolation_one_open_case_per_person",
            ),
            models.UniqueConstraint(
                fields=["household_member"],
                condition=Q(state="open", household_member__isnull=False),
                name="isolation_one_open_case_per_relative",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "state"], name="isolation_case_org_state"),
            models.Index(fields=["monitor", "state"], name="isolation_case_monitor"),
            models.Index(fields=["organization", "opened_at"], name="isolation_case_opened"),
            models.Index(fields=["organization", "released_at"], name="isolation_case_released"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name}: {self.get_kind_display()}"

    @property
    def subject_name(self) -> str:
        if self.household_member_id:
            return self.household_member.name
        return self.person.name

    @property
    def is_open(self) -> bool:
        return self.state == CaseState.OPEN


class CaseEvent(OrganizationOwned):
    """One step of a case's history (its timeline): who did what, when, with a note."""

    scope = CaseScope("case__")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class CaseCheck(OrganizationOwned):
    """A monitor's daily follow-up of an isolated person (盯控记录): temperatures, symptoms,
    needs, mood and how they were reached. A retried save from a phone is recognised by its
    key in core.IdempotencyKey (action "isolation.check")."""

    scope = CaseScope("case__")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checks")
    date = models.DateField(_("date"))
    morning_temperature = models.DecimalField(
        _("morning temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    afternoon_temperature = models.DecimalField(
        _("afternoon temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    symptoms = models.CharField(_("symptoms"), max_length=200, blank=True)
    needs = models.CharField(_("needs"), max_length=300, blank=True)
    mood = models.CharField(_("mood"), max_length=5, choices=Mood.choices, default=Mood.GOOD)
    channel = models.CharField(_("reached by"), max_length=5, choices=Channel.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_normal = models.BooleanField(_("normal"), default=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = CaseCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("isolation follow-up")
        verbose_name_plural = _("isolation follow-ups")
        ordering = ["-date", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["case", "date"], name="isolation_check_case_date")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.date}"


from headwater.isolation.models_flow import *  # noqa: E402,F401,F403
from headwater.isolation.models_requests import *  # noqa: E402,F401,F403
from headwater.isolation.models_supervision import *  # noqa: E402,F401,F403
