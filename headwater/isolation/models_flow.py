"""The escalation flow (应急处理流程) of an abnormal finding, on duty or in isolation: who was
told when, against which deadline, and how it ended. The transitions are in
`services/flow.py` (TRANSITIONS), the one place they are written."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.models import Person, Unit
from headwater.core.owned import AnyOf, OrganizationOwned, PersonIs, ThroughUnit
from headwater.isolation.permissions import VIEW_CASES

__all__ = ["Flow", "FlowScope", "FlowState", "FlowStep"]


class FlowState(models.TextChoices):
    REPORTED = "reported", _("Finding reported")
    HEAD_INFORMED = "head_informed", _("Unit head informed")
    OFFICE_INFORMED = "office_informed", _("Office informed")
    REFERRED = "referred", _("Medical referral or transfer")
    CLEARED = "cleared", _("Cleared")
    SUSPECTED = "suspected", _("Suspected case")
    CONFIRMED = "confirmed", _("Confirmed case")
    HOSPITALIZED = "hospitalized", _("Hospitalized")


OPEN_STATES = (
    FlowState.REPORTED,
    FlowState.HEAD_INFORMED,
    FlowState.OFFICE_INFORMED,
    FlowState.REFERRED,
)


def FlowScope(prefix: str = "") -> AnyOf:  # noqa: N802 (a scope, named like the others)
    """Grants holding `isolation.view_cases` over the flow's unit (unit head: subtree; office:
    the organization); besides, the monitor of the flow's case sees it."""
    return AnyOf(
        (ThroughUnit(f"{prefix}unit", VIEW_CASES), PersonIs((f"{prefix}case__monitor_id",)))
    )


class Flow(OrganizationOwned):
    """One abnormal finding and its handling, from the report to its outcome. Open while its
    state is one of OPEN_STATES; `due_at` is the current step's deadline (none once closed
    or when the step has none), `alerted` whether its lateness has been reported."""

    scope = FlowScope()

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="flows", verbose_name=_("person")
    )
    case = models.ForeignKey(
        "isolation.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flows",
        verbose_name=_("isolation case"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    finding = models.CharField(_("what was found"), max_length=300)
    state = models.CharField(
        _("state"), max_length=16, choices=FlowState.choices, default=FlowState.REPORTED
    )
    opened_at = models.DateTimeField(_("reported at"), default=clock.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    due_at = models.DateTimeField(_("current step due by"), null=True, blank=True)
    alerted = models.BooleanField(_("lateness reported"), default=False)

    class Meta:
        verbose_name = _("escalation flow")
        verbose_name_plural = _("escalation flows")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "state"], name="isolation_flow_org_state"),
            models.Index(fields=["due_at"], name="isolation_flow_due"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class FlowStep(OrganizationOwned):
    """One step of a flow: the state it reached, who did it, when, and its deadline."""

    scope = FlowScope("flow__")

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=16, choices=FlowState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("done at"), default=clock.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("flow step")
        verbose_name_plural = _("flow steps")
        ordering = ["done_at", "id"]

    def __str__(self) -> str:
        return f"{self.flow_id} {self.step}"
