"""The one write contract of every service.

A use-case returns `(object, created)`, runs in one transaction, and schedules its side
effects (tasks, deliveries) with `transaction.on_commit` so that nothing is sent for a write
that rolled back. A write that a phone or a device may retry takes a client key and goes
through `idempotent()`: the same actor sending the same key for the same action gets the first
outcome back and nothing is written again, for a first write and for a correction alike; two
copies racing in parallel leave one write (the loser's transaction is rolled back whole).

    def submit_checkin(person, data, *, by, key="") -> Written[CheckIn]:
        return idempotent("health.checkin", by=by, key=key, model=CheckIn,
                          write=lambda: _submit(person, data, by=by))
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from headwater.core.errors import CoreError, DomainError
from headwater.core.models import IdempotencyKey

T = TypeVar("T", bound=models.Model)
Written = tuple[T, bool]

KEY_LENGTH = 64


def clean_key(key: str | None) -> str:
    return (key or "").strip()[:KEY_LENGTH]


def replay(action: str, *, by, key: str, model: type[T]) -> T | None:
    """The object the first request with this key wrote, if any."""
    key = clean_key(key)
    if not key or not getattr(by, "pk", None):
        return None
    # Two plain indexed look-ups rather than one `pk IN (subquery) ORDER BY pk`: a new key (the
    # common case) costs one query, and PostgreSQL cannot turn the look-up into a scan of the
    # whole table in primary-key order.
    object_id = (
        IdempotencyKey.objects.filter(user=by, action=action, key=key)
        .values_list("object_id", flat=True)
        .first()
    )
    if object_id is None:
        return None
    return model._default_manager.filter(pk=object_id).first()


def idempotent(
    action: str, *, by, key: str, model: type[T], write: Callable[[], Written[T]]
) -> Written[T]:
    """Run `write` in one transaction, once per (actor, action, key). A replay answers
    `(first object, False)`. Without a key it is simply `write` in a transaction.

    The key is not looked up first: the write runs and its key row is inserted in the same
    transaction, so a new key (nearly every request) costs one statement. A key seen before
    makes that insert fail; the whole transaction is then rolled back (whatever the retry
    wrote, alerted or scheduled is undone) and the first outcome is answered. A retry that
    the write itself refuses (its window has closed since, say) is answered the first outcome
    too."""
    key = clean_key(key)
    keyed = bool(key) and bool(getattr(by, "pk", None))
    try:
        with transaction.atomic():
            obj, created = write()
            if keyed:
                IdempotencyKey.objects.create(
                    organization_id=obj.organization_id,
                    user=by,
                    action=action,
                    key=key,
                    object_id=obj.pk,
                    created=created,
                )
        return obj, created
    except (IntegrityError, DomainError):
        # The key was seen before (a retry, or a parallel copy whose write won): ours is
        # rolled back whole and the first outcome stands.
        if keyed and (first := replay(action, by=by, key=key, model=model)) is not None:
            return first, False
        if keyed and IdempotencyKey.objects.filter(user=by, action=action, key=key).exists():
            # The first request's record has been removed since: answering it is impossible,
            # writing again would make a second one.
            raise DomainError(
                _(
                    "This request was already sent once and what it recorded has since been "
                    "removed. Start again as a new request."
                ),
                code=CoreError.CONFLICT,
                status=409,
            ) from None
        raise


def forget_old_keys(before) -> int:
    """Delete keys recorded before `before` (a retry that late is a new request)."""
    return IdempotencyKey.objects.filter(recorded_at__lt=before).delete()[0]
