"""Continuity listens for the changes that can make a rostered person unavailable: a code
changed (core.codes.changed, sent by health), an absence changed (core.availability.changed,
sent by health's statuses) and duty's own leave saved or deleted. Each sweeps those people's
upcoming shifts through the task queue once the change is committed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from headwater.core import availability, codes
from headwater.duty.models import Leave


def _sweep(person_ids) -> None:
    from headwater.duty.tasks_continuity import sweep_people

    sweep_people(list(person_ids))


def on_change(sender, person_ids, **kwargs) -> None:
    _sweep(person_ids)


def on_leave(sender, instance, **kwargs) -> None:
    pid = instance.person_id
    transaction.on_commit(lambda: _sweep([pid]))


def connect() -> None:
    codes.changed.connect(on_change, dispatch_uid="duty.continuity.codes")
    availability.changed.connect(on_change, dispatch_uid="duty.continuity.availability")
    post_save.connect(on_leave, sender=Leave, dispatch_uid="duty.continuity.leave_saved")
    post_delete.connect(on_leave, sender=Leave, dispatch_uid="duty.continuity.leave_deleted")
