"""Row locks taken the one way: in primary-key order (two writers locking the same rows never
deadlock), and the state re-checked on the locked rows, never on copies read before the lock.

    with transaction.atomic():
        results = locks.lock(Result.objects.filter(pk__in=ids))
        wrong = [r for r in results if r.status not in allowed]   # re-check on locked rows
        ...
        r.save(update_fields=["status", "checked_by", "checked_at"])

SQLite has no row locks: there `select_for_update` is a no-op and the database's single writer
(immediate transactions) serializes the writes instead.
"""

from typing import TypeVar

from django.db import models, transaction

T = TypeVar("T", bound=models.Model)


def lock(queryset: models.QuerySet, *, of: tuple[str, ...] = ("self",)) -> list:
    """Lock the rows of `queryset` in primary-key order and return them freshly read. Must run
    inside a transaction."""
    if not transaction.get_connection(queryset.db).in_atomic_block:
        raise RuntimeError("locks.lock() must run inside transaction.atomic()")
    return list(queryset.select_for_update(of=of).order_by("pk"))


def lock_one(model_or_queryset, pk) -> T:
    """Lock one row and return it freshly read (DoesNotExist when it is gone)."""
    qs = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    rows = lock(qs.filter(pk=pk))
    if not rows:
        raise qs.model.DoesNotExist
    return rows[0]
