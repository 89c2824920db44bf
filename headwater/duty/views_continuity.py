"""Continuity pages (office and unit heads, desktop): shifts to cover (the open flags) and a
flag with its suggested replacements (accept one in a tap), the 14-day staffing margin, the
reserve pool (draw one onto a short shift), closed-loop groups with their health panel and
the rotation hand-over. Thin: scoped reads, writes through duty.services.continuity_*."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.querysets import reaches
from headwater.duty import reads_continuity as reads
from headwater.duty.choices import FlagState, LoopState, RosterState
from headwater.duty.inputs_continuity import GroupInput, HandoverInput, PickInput
from headwater.duty.permissions import MANAGE_ROSTERS, VIEW_ROSTERS
from headwater.duty.services import continuity_loops, continuity_margin, continuity_replace

PAGE = 200


def _may_manage(user, post) -> bool:
    return user.has_perm(MANAGE_ROSTERS) and reaches(user, MANAGE_ROSTERS, post.unit)


def _pick(request, write) -> bool:
    """Run a write choosing a person; True when done. A refusal shows as a message."""
    try:
        data = PickInput.parse(request.POST)
        write(data.person_id, request.POST.get("key", ""))
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        messages.error(request, e.message)
        return False
    return True


@login_required
@permission_required(VIEW_ROSTERS, raise_exception=True)
def flags(request):
    """Open flags, soonest shift first; the handled ones below."""
    qs = reads.flags(request.user)
    context = {
        "open": list(
            qs.filter(state=FlagState.OPEN).order_by("assignment__shift__starts_at")[:PAGE]
        ),
        "handled": list(qs.exclude(state=FlagState.OPEN).order_by("-resolved_at", "-pk")[:20]),
    }
    return render(request, "duty/continuity_flags.html", context)


@login_required
@permission_required(VIEW_ROSTERS, raise_exception=True)
def flag(request, pk: int):
    """A flag with its suggested replacements, best first; accept one in a tap."""
    item = get_object_or_404(reads.flags(request.user), pk=pk)
    shift = item.assignment.shift
    if request.method == "POST":
        done = _pick(
            request,
            lambda person_id, key: continuity_replace.accept(
                item, person_id, by=request.user, key=key
            ),
        )
        if done:
            messages.success(request, _("Replacement accepted; they have been told."))
            return redirect("duty:flag", pk=item.pk)
        return redirect("duty:flag", pk=item.pk)
    found = continuity_replace.suggestions(item) if item.state == FlagState.OPEN else []
    context = {
        "flag": item,
        "shift": shift,
        "suggestions": found,
        "may_manage": _may_manage(request.user, shift.post),
        "key": uuid.uuid4().hex,
    }
    return render(request, "duty/continuity_flag.html", context)


@login_required
@permission_required(VIEW_ROSTERS, raise_exception=True)
def margins(request):
    """Each critical post's qualified available people against the minimum, 14 days."""
    found = continuity_margin.margins(reads.posts(request.user).filter(critical=True))
    days = [d.day for d in found[0].days] if found else []
    return render(request, "duty/continuity_margins.html", {"margins": found, "days": days})


@login_required
@permission_required(VIEW_ROSTERS, raise_exception=True)
def reserve(request):
    """The reserve pool per post: who, from which unit, qualified, free today."""
    rows = continuity_margin.reserve_pool(reads.posts(request.user))
    now = clock.now()
    short = (
        reads.shifts(request.user)
        .filter(
            roster__state=RosterState.PUBLISHED,
            starts_at__gt=now,
            starts_at__lt=now + dt.timedelta(days=continuity_margin.DAYS),
        )
        .annotate(people=Count("assignments"))
        .filter(people__lt=F("post__min_people"))
        .order_by("starts_at")[:50]
    )
    return render(request, "duty/continuity_reserve.html", {"rows": rows, "short": short})


@login_required
@permission_required(VIEW_ROSTERS, raise_exception=True)
def draw(request, pk: int):
    """A shift's candidates (team, then reserve); put one on it in a tap."""
    shift = get_object_or_404(reads.shifts(request.user), pk=pk)
    if request.method == "POST":
        done = _pick(
            request,
            lambda person_id, key: continuity_replace.draw(
                shift, person_id, by=request.user, key=key
            ),
        )
        if done:
            messages.success(request, _("Added to the shift; they have been told."))
        return redirect("duty:draw", pk=shift.pk)
    context = {
        "shift": shift,
        "on_shift": list(shift.assignments.select_related("person__unit")),
        "candidates": continuity_replace.candidates(shift),
        "may_manage": _may_manage(request.user, shift.post),
        "key": uuid.uuid4().hex,
    }
    return render(request, "duty/continuity_draw.html", context)


@login_required
@permission_required(VIEW_ROSTERS, raise_exception=True)
def loops(request):
    """Closed-loop groups by post with the health panel; create a group; hand over."""
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        post = get_object_or_404(reads.posts(request.user), pk=request.POST.get("post") or 0)
        try:
            data = GroupInput.parse(
                {**request.POST.dict(), "member_ids": request.POST.getlist("member_ids")}
            )
            continuity_loops.create_group(post, data, by=request.user)
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except DomainError as e:
            errors = e.fields
            messages.error(request, e.message)
        else:
            messages.success(request, _("Group created."))
            return redirect("duty:loops")
    groups = reads.groups(request.user).order_by("post__name", "starts_on", "pk")
    health = continuity_loops.health(groups) if groups.exists() else []
    posts = list(reads.posts(request.user).prefetch_related("eligible__person"))
    context = {
        "groups": [(h, _may_manage(request.user, h.group.post)) for h in health],
        "posts": [p for p in posts if _may_manage(request.user, p)],
        "errors": errors,
        "values": values,
        "on_site": LoopState.ON_SITE,
    }
    return render(request, "duty/continuity_loops.html", context)


@login_required
@permission_required(VIEW_ROSTERS, raise_exception=True)
def handover(request, pk: int):
    group = get_object_or_404(reads.groups(request.user), pk=pk)
    if request.method != "POST":
        return redirect("duty:loops")
    try:
        data = HandoverInput.parse(request.POST)
        continuity_loops.hand_over(group, by=request.user, outgoing_to=data.outgoing_to)
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("%(group)s is now on site.") % {"group": group.name})
    return redirect("duty:loops")
