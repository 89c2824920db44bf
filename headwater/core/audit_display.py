"""The audit trail in words a reader of the office understands: each change as (label, before,
after) with the field's Chinese label, choices by their label, yes/no, related rows by name
and times in local time to the minute. Internal columns (ids, the unit tree's bookkeeping) are
left out. `describe(entries, organization)` does a page of entries in one query per related
model, never one per value."""

import datetime as dt
from collections import defaultdict
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

# Details of events that are not row changes (core.audit.record).
EVENT_LABELS = {
    "purpose": _("purpose"),
    "revealed": _("shown in full"),
    "roster_import": _("roster import"),
    "roster_export": _("roster export"),
    "role_grant_import": _("role grant import"),
    "signin_locked": _("sign-in locked (address)"),
    "signin_unlocked": _("sign-in lock lifted"),
}

# Labels of columns that many models share without a verbose_name of their own (an abstract
# base's key, "… by" keys): one translation here instead of a migration in every app.
SHARED_LABELS = {
    "organization": _("Organization"),
    "person": _("Person"),
    "unit": _("Unit"),
    "entered_by": _("Entered by"),
    "submitted_by": _("Submitted by"),
    "recorded_by": _("Recorded by"),
    "changed_by": _("Changed by"),
    "is_current": _("In force"),
    "point_kind": _("Kind of sampling point"),
    "checked_at": _("Checked at"),
    "approved_at": _("Approved at"),
    "proposed_at": _("Proposed at"),
    "decided_at": _("Decided at"),
    "missed_alerted": _("Missed-sampling alert sent"),
}

# Labels of the items of list fields (a check-in's symptoms): (model label, field) -> {value:
# label}; a capability declares its own with `list_choices()` in AppConfig.ready().
ITEM_CHOICES: dict[tuple[str, str], dict] = {}

HIDDEN = {"id"}
TREE_COLUMNS = {"path", "depth", "numchild"}  # treebeard's materialized-path bookkeeping


def list_choices(model, field: str, choices) -> None:
    """Show the items of `model.field` (a JSON list of choice values) by their labels."""
    ITEM_CHOICES[(model._meta.label, field)] = dict(choices)


def label(model, name: str) -> str:
    """The field's label in the user's language; for an event detail, the detail's."""
    if name in EVENT_LABELS:
        return str(EVENT_LABELS[name])
    try:
        field = model._meta.get_field(name)
    except Exception:  # a field since removed, or a detail we do not know
        return name
    explicit = str(field.verbose_name) != name.replace("_", " ")
    if explicit:
        return str(field.verbose_name)
    if name in SHARED_LABELS:
        return str(SHARED_LABELS[name])
    if field.is_relation and field.related_model is not None:
        return str(field.related_model._meta.verbose_name)
    return str(field.verbose_name)


def shown_fields(model, changes: dict) -> list[str]:
    hidden = set(HIDDEN)
    if model is not None and issubclass(model, MP_Node):
        hidden |= TREE_COLUMNS
    return [name for name in changes if name not in hidden]


def describe(entries, organization) -> None:
    """Give each entry `rows`: [(label, before, after)] in words. Related rows are read for
    the whole page at once, and only the organization's own."""
    parsed = [(e, _model(e), _changes(e)) for e in entries]
    wanted: dict[type, set] = defaultdict(set)
    for _entry, model, changes in parsed:
        for name in shown_fields(model, changes):
            field = _field(model, name)
            if field is not None and (field.many_to_one or _is_one_to_one(field)):
                for value in changes[name]:
                    if value not in (None, "", "None"):
                        wanted[field.related_model].add(str(value))
    names = {m: _names(m, pks, organization) for m, pks in wanted.items()}
    for entry, model, changes in parsed:
        rows = [
            (
                label(model, name) if model is not None else name,
                _word(model, name, changes[name][0], names),
                _word(model, name, changes[name][1], names),
            )
            for name in shown_fields(model, changes)
        ]
        # A blank field of a new row says nothing.
        entry.rows = [row for row in rows if row[1] or row[2]]


def _model(entry: LogEntry):
    return entry.content_type.model_class() if entry.content_type else None


def _changes(entry: LogEntry) -> dict[str, list]:
    raw = entry.changes if isinstance(entry.changes, dict) else {}
    out = {}
    for name, change in raw.items():
        before, after = (change + [None, None])[:2] if isinstance(change, list) else (None, change)
        out[name] = [before, after]
    return out


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _is_one_to_one(field) -> bool:
    return field is not None and field.one_to_one and field.concrete


def _names(model, pks: set[str], organization) -> dict[str, str] | None:
    """{pk: name} of the organization's rows of `model`; None for a model that belongs to no
    organization (its rows are shown by key: nothing tells whose they are)."""
    qs = model._default_manager.all()
    if model._meta.label == "core.Organization":
        qs = qs.filter(pk=organization.pk)
    elif any(f.name == "organization" for f in model._meta.concrete_fields):
        qs = qs.filter(organization=organization)
    else:
        return None
    valid = [pk for pk in pks if pk.lstrip("-").isdigit()]
    if model is get_user_model():
        # A login by the name of its member of staff, when it has one.
        rows = qs.select_related("person").in_bulk(valid)
        return {str(pk): u.person.name if u.person else u.username for pk, u in rows.items()}
    return {str(pk): str(obj) for pk, obj in qs.in_bulk(valid).items()}


def _word(model, name: str, value: Any, names: dict) -> str:
    if value in (None, "None"):
        return ""
    if name == "revealed" and isinstance(value, str):
        return "、".join(label(model, part) for part in value.split(",") if part)
    field = _field(model, name)
    if field is None:
        return _plain(value)
    items = ITEM_CHOICES.get((model._meta.label, name))
    if items is not None and isinstance(value, list):
        return "、".join(str(items.get(v, v)) for v in value)
    if field.many_to_one or _is_one_to_one(field):
        known = names.get(field.related_model)
        if known is None:
            return _plain(value)
        return known.get(str(value), gettext("(deleted)"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        truth = value if isinstance(value, bool) else str(value) == "True"
        return gettext("Yes") if truth else gettext("No")
    if isinstance(field, models.DateTimeField):
        return _local_time(value)
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _local_time(value: Any) -> str:
    """A stored time (UTC, maybe with microseconds) in local time to the minute."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
