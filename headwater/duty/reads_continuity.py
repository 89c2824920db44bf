"""Continuity's scoped reads for pages and the API (nothing else reads for them)."""

from headwater.core.querysets import unit_scope
from headwater.duty.models import LoopGroup, Post, Shift, ShiftFlag
from headwater.duty.permissions import VIEW_ROSTERS

FLAG_RELATED = ("person", "assignment__person", "assignment__shift__post__unit")


def flags(user):
    return ShiftFlag.objects.visible_to(user).select_related(*FLAG_RELATED)


def posts(user):
    """The posts of the units whose rosters the user sees."""
    qs = Post.objects.visible_to(user).filter(active=True)
    if user.is_superuser:
        return qs
    scope = unit_scope(user, VIEW_ROSTERS, "unit__")
    return qs.filter(scope) if scope is not None else qs.none()


def shifts(user):
    return (
        Shift.objects.visible_to(user)
        .filter(post__in=posts(user))
        .select_related("post__unit", "roster")
    )


def groups(user):
    return LoopGroup.objects.visible_to(user)
