"""The one audit trail. django-auditlog records every create, update and delete of the models
registered below (who, when, before/after), with the actor taken from the request by its
middleware, or from `acting_as(user)` in tasks and commands. Explicit events that are not a
row change (a view of unmasked personal data, an import) go through `record()`.

A capability registers its domain models here-like in its own AppConfig.ready():
`auditlog.register(MyModel)`; personal fields are passed as mask_fields so that the trail
itself does not leak them.
"""

import json
from contextlib import contextmanager
from contextvars import ContextVar

from auditlog.cid import set_cid
from auditlog.context import auditlog_value, set_actor, set_extra_data
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from headwater.core import models as m

# The auditlog context of the innermost live actor block (AuditMiddleware, acting_as).
_live_block: ContextVar[dict | None] = ContextVar("headwater_audit_live_block", default=None)

PERSONAL_FIELDS = ["phone", "id_number"]

# auditlog's own action names, translated in our catalogue (it ships no Chinese).
ACTION_LABELS = (_("create"), _("update"), _("delete"), _("access"))


def track(model, *, mask: list[str] = (), exclude: list[str] = ()) -> None:
    """Record every create, update and delete of `model` in the trail: its own columns only
    (not reverse relations), with `mask` fields shown masked (core.privacy.mask_value)."""
    fields = [f.name for f in model._meta.concrete_fields if f.name not in exclude]
    auditlog.register(model, include_fields=fields, mask_fields=list(mask))


track(m.Organization)
track(m.Unit)
track(m.Site)
track(m.Person, mask=PERSONAL_FIELDS)
track(m.Qualification)
track(m.HouseholdMember, mask=["phone", "address"])
track(m.User, exclude=["password", "last_login"])
track(m.RoleGrant)
track(m.ResponseLevelChange)
track(m.LevelSettingValue)
track(m.DeviceToken, exclude=["token_hash", "last_used_at"])


@contextmanager
def acting_as(user):
    """Attribute every change inside the block to `user` (for tasks, commands, imports, and
    services called inside a request).

    auditlog's own `set_actor` cannot nest: it does not give an outer block its context back
    when a nested one ends, so the outer block's signal receiver was never disconnected (one
    leaked a request, and every later audit entry of the process ran them all: 800 calls an
    entry after a few hundred check-ins). So a block inside a live one (the request's, opened
    by `AuditMiddleware`, or another `acting_as`) only changes the actor of that live block
    for its duration; only an outermost block opens auditlog's context."""
    live = _live_block.get(None)
    if live is not None:
        previous = live.get("actor")
        live["actor"] = user
        try:
            yield
        finally:
            live["actor"] = previous
        return
    with set_actor(user):
        token = _live_block.set(auditlog_value.get())
        try:
            yield
        finally:
            _live_block.reset(token)


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware (the request's actor, address and correlation id), marking its
    block live so that services' `acting_as` blocks nest inside it."""

    def __call__(self, request):
        set_cid(request)
        with set_extra_data(context_data=self.get_extra_data(request)):
            token = _live_block.set(auditlog_value.get())
            try:
                return self.get_response(request)
            finally:
                _live_block.reset(token)


def record(instance, *, actor, action: int = LogEntry.Action.ACCESS, **changes) -> LogEntry:
    """Record an event about `instance` that is not a row change, e.g. an unmasked view."""
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=action,
        actor=actor if actor and actor.is_authenticated else None,
        changes={k: [None, v] for k, v in changes.items()},
    )


def history(instance) -> QuerySet:
    return LogEntry.objects.get_for_object(instance).select_related("actor", "content_type")


def search(organization, *, text="", model="", actor="", date_from=None, date_to=None):
    """Search one organization's trail: free text over the object and its changes, the model
    name, the actor, dates. Entries carry their organization in additional_data."""
    qs = (
        LogEntry.objects.filter(additional_data__organization_id=organization.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )
    if text:
        # SQLite keeps JSON with \uXXXX escapes, PostgreSQL's jsonb the characters: try both.
        escaped = json.dumps(text)[1:-1]
        qs = qs.filter(
            Q(object_repr__icontains=text)
            | Q(changes__icontains=text)
            | Q(changes__icontains=escaped)
        )
    if model:
        qs = qs.filter(content_type__model=model.lower())
    if actor:
        qs = qs.filter(actor__username__icontains=actor)
    if date_from:
        qs = qs.filter(timestamp__date__gte=date_from)
    if date_to:
        qs = qs.filter(timestamp__date__lte=date_to)
    return qs
