"""Two-level supervision (两级监督) of isolation cases: a supervisor's daily phone calls to a
random sample of open cases, and the correction items a "no" on the checklist opens.

Calls and corrections are seen through the case's unit (`isolation.view_cases`: unit heads
their subtree, the office and leaders everything) — not by the case's monitor or person:
the calls check on them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.owned import OrganizationOwned, ThroughUnit
from headwater.isolation.models import Case
from headwater.isolation.permissions import VIEW_CASES

__all__ = ["Correction", "Finding", "SupervisionCall"]


class Finding(models.TextChoices):
    """The supervisor's checklist: one yes/no question each."""

    TEMPERATURE = "temperature", _("Temperature reported every day?")
    FAMILY = "family", _("Family members isolated?")
    SUPPLIES = "supplies", _("Shopping and garbage handled?")
    HELPERS = "helpers", _("Monitor and volunteer serving?")


class SupervisionCall(OrganizationOwned):
    """One case of a day's sample and the supervisor's call to it (督查回访): drawn first
    (`called_at` unset), then the checklist's answers, each yes/no with a note. One per case
    and day (a constraint): drawing again the same day draws nothing new."""

    scope = ThroughUnit("case__unit", VIEW_CASES)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervision_calls")
    date = models.DateField(_("date"))
    drawn_at = models.DateTimeField(_("drawn at"), default=clock.now)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("called by"),
    )
    temperature_ok = models.BooleanField(_("temperature reported"), null=True)
    temperature_note = models.CharField(_("note"), max_length=200, blank=True)
    family_ok = models.BooleanField(_("family isolated"), null=True)
    family_note = models.CharField(_("note"), max_length=200, blank=True)
    supplies_ok = models.BooleanField(_("shopping and garbage handled"), null=True)
    supplies_note = models.CharField(_("note"), max_length=200, blank=True)
    helpers_ok = models.BooleanField(_("monitor and volunteer serving"), null=True)
    helpers_note = models.CharField(_("note"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("supervision call")
        verbose_name_plural = _("supervision calls")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "date"], name="isolation_one_call_per_day")
        ]
        indexes = [
            models.Index(fields=["organization", "date"], name="isolation_call_org_date"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.date}"

    @property
    def answers(self) -> list[tuple[str, str, bool | None, str]]:
        """(finding, question, yes/no, note) in checklist order."""
        return [
            (f.value, f.label, getattr(self, f"{f.value}_ok"), getattr(self, f"{f.value}_note"))
            for f in Finding
        ]


class Correction(OrganizationOwned):
    """A correction item (整改事项) opened by a "no" on a supervision call; the unit head of
    the case's unit closes it with a note. One per call and finding (a constraint)."""

    scope = ThroughUnit("case__unit", VIEW_CASES)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="corrections")
    call = models.ForeignKey(SupervisionCall, on_delete=models.CASCADE, related_name="corrections")
    finding = models.CharField(_("finding"), max_length=12, choices=Finding.choices)
    detail = models.CharField(_("what the call found"), max_length=200, blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=clock.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    note = models.CharField(_("how it was corrected"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("correction item")
        verbose_name_plural = _("correction items")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "finding"], name="isolation_one_correction_per_finding"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "closed_at"], name="isolation_correction_open"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.finding}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
