"""Service requests of isolated people (服务预约): shopping, garbage, medicine, repairs — booked
by the person, their monitor or the office, served by the case's volunteer or, when the case
has none, the volunteer pool (holders of the monitor role over the case's unit)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.models import Person
from headwater.core.owned import OrganizationOwned, Scope, ThroughUnit
from headwater.isolation.choices_requests import RequestKind, RequestState
from headwater.isolation.models import Case, CaseScope
from headwater.isolation.permissions import SERVE_REQUESTS

__all__ = ["RequestEvent", "RequestScope", "ServiceRequest"]


@dataclass(frozen=True)
class RequestScope(Scope):
    """Who sees a request: whoever sees its case (office, unit heads, the case's monitor and
    person), the case's volunteer, the volunteer who accepted it, and the pool — grants
    holding `isolation.serve_requests` over the case's unit, for cases without a volunteer."""

    prefix: str = ""

    def q(self, user):
        p = self.prefix
        case = CaseScope(f"{p}case__").q(user)
        if case is not None and not case:
            return Q()
        pool = ThroughUnit(f"{p}case__unit", SERVE_REQUESTS).q(user)
        parts = [q for q in (case, pool) if q is not None]
        if pool is not None:
            parts[-1] = pool & Q(**{f"{p}case__volunteer__isnull": True})
        if user.person_id:
            parts.append(Q(**{f"{p}accepted_by_id": user.person_id}))
            parts.append(Q(**{f"{p}case__volunteer_id": user.person_id}))
        if not parts:
            return None
        q = parts[0]
        for part in parts[1:]:
            q |= part
        return q


class ServiceRequest(OrganizationOwned):
    """One booked service for an isolated person: open → accepted → delivered → closed (the
    person confirms) or reopened (back to the volunteer who accepted it)."""

    scope = RequestScope()

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="requests", verbose_name=_("case")
    )
    kind = models.CharField(_("service"), max_length=12, choices=RequestKind.choices)
    details = models.CharField(_("details"), max_length=500)
    window_start = models.DateTimeField(_("preferred from"))
    window_end = models.DateTimeField(_("preferred until"))
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    accepted_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    delivery_note = models.CharField(_("delivery note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("booked at"), default=clock.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("not-accepted alert at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "state"], name="isolation_request_state"),
            models.Index(fields=["case", "state"], name="isolation_request_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.state}"


class RequestEvent(OrganizationOwned):
    """One step of a request's history: who moved it to which state, when, with a note."""

    scope = RequestScope("request__")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices)
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
        verbose_name = _("service request event")
        verbose_name_plural = _("service request events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.state}"
