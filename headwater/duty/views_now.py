"""The "now" pages, phone first: who is on duty now, my shifts (and the calendar link), a
shift's duty log with its handover, asking for a swap, the swaps to decide, the shifts that
ended without a handover, and the calendar feed itself (no session: a signed secret URL).
Thin: reads through `visible_to`, writes through services."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.roles import VIEW_PERSONAL_DATA
from headwater.duty import now
from headwater.duty.choices import LogKind, SwapState
from headwater.duty.inputs_now import DecisionInput, HandoverInput, LogInput, SwapInput
from headwater.duty.models import Assignment, Eligibility, Handover, LogEntry, Post, Shift, Swap
from headwater.duty.permissions import VIEW_ON_DUTY, VIEW_ROSTERS
from headwater.duty.services import now_feed, now_log, now_swaps
from headwater.duty.services.now_common import manages, on_shift

SWAP_RELATED = ("assignment__shift__post__unit", "from_person", "to_person", "decided_by")


def _run(request, write, done: str) -> bool:
    """Call a service; its refusal becomes a message (a NotAllowed: the 403 page)."""
    try:
        write()
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        messages.error(request, " ".join(dict.fromkeys([e.message, *e.fields.values()])))
        return False
    messages.success(request, done)
    return True


@login_required
def on_duty(request):
    """Every post with the people on duty now; the duty phone first, to call."""
    if not request.user.has_perm(VIEW_ON_DUTY):
        raise PermissionDenied(_("Your role may not see who is on duty."))
    moment = clock.now()
    rows = now.on_duty(Post.objects.visible_to(request.user), moment)
    context = {
        "rows": rows,
        "leaders": now.leaders(rows),
        "moment": moment,
        "can_reveal": request.user.has_perm(VIEW_PERSONAL_DATA),
    }
    return render(request, "duty/now_on_duty.html", context)


@login_required
def my_shifts(request):
    """The user's upcoming shifts and their calendar link (renewed on request)."""
    if not request.user.person_id:
        raise Http404(_("Your login is not linked to a member of staff."))
    person = request.user.person
    if request.method == "POST" and request.POST.get("action") == "renew":
        _run(
            request,
            lambda: now_feed.regenerate(person, by=request.user),
            _("A new calendar link: the old one no longer works."),
        )
        return redirect("duty:my_shifts")
    moment = clock.now()
    context = {
        "rows": list(now.upcoming(request.user, moment)),
        "moment": moment,
        "feed_url": request.build_absolute_uri(now_feed.path(now_feed.feed_of(person))),
        "waiting": set(
            Swap.objects.filter(from_person=person, state=SwapState.REQUESTED).values_list(
                "assignment_id", flat=True
            )
        ),
    }
    return render(request, "duty/now_my_shifts.html", context)


@never_cache
def calendar_feed(request, token: str):
    """The iCalendar feed of a person's shifts, fetched by calendar apps without a login."""
    feed = now_feed.feed_for_token(token)
    if feed is None:
        raise Http404(_("This calendar link is not valid (renewed or mistyped)."))
    return HttpResponse(now_feed.ics(feed), content_type="text/calendar; charset=utf-8")


@login_required
def shift_log(request, pk: int):
    """A shift's duty log, its handover to the next shift, and the handover it received."""
    shift = get_object_or_404(
        Shift.objects.visible_to(request.user).select_related("post__unit", "post__site", "roster"),
        pk=pk,
    )
    user = request.user
    post = request.POST
    if request.method == "POST":
        key = post.get("key", "")
        action = post.get("action")
        if action == "log":
            _log(request, shift, key)
        elif action == "handover":
            _handover(request, shift, key)
        elif action == "ack":
            handover = get_object_or_404(
                Handover.objects.visible_to(user), pk=post.get("handover") or 0
            )
            _run(
                request,
                lambda: now_log.acknowledge(handover, by=user, key=key),
                _("Handover acknowledged."),
            )
        else:
            return HttpResponseBadRequest(_("Unknown action."))
        return redirect("duty:shift_log", shift.pk)
    received = (
        Handover.objects.filter(next_shift=shift)
        .select_related("shift", "written_by__person", "acknowledged_by__person")
        .first()
    )
    mine = Handover.objects.filter(shift=shift).select_related("acknowledged_by__person").first()
    context = {
        "shift": shift,
        "people": shift.assignments.select_related("person").order_by("-leads", "person__name"),
        "entries": LogEntry.objects.filter(shift=shift).select_related("written_by__person"),
        "kinds": LogKind.choices,
        "may_write": now_log.may_write(user, shift),
        "received": received,
        "may_ack": received is not None and not received.acknowledged_at and on_shift(user, shift),
        "handover": mine,
        "next_shift": now.next_shift(shift),
        "key": uuid.uuid4().hex,
    }
    return render(request, "duty/now_shift_log.html", context)


def _log(request, shift, key):
    try:
        data = LogInput.parse(request.POST)
    except DomainError as e:
        messages.error(request, " ".join([e.message, *e.fields.values()]))
        return
    _run(
        request,
        lambda: now_log.add_entry(shift, data, by=request.user, key=key),
        _("Entry added to the duty log."),
    )


def _handover(request, shift, key):
    try:
        data = HandoverInput.parse(request.POST)
    except DomainError as e:
        messages.error(request, " ".join([e.message, *e.fields.values()]))
        return
    _run(
        request,
        lambda: now_log.write_handover(shift, data, by=request.user, key=key),
        _("Handover note saved for the next shift."),
    )


@login_required
def swap_request(request, pk: int):
    """The person on a shift picks a colleague of the post's team to hand it to."""
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("shift__post", "person"),
        pk=pk,
    )
    if assignment.person_id != request.user.person_id:
        raise PermissionDenied(_("Only the person on this shift may ask to hand it over."))
    if request.method == "POST":
        try:
            data = SwapInput.parse(request.POST)
        except DomainError as e:
            messages.error(request, " ".join([e.message, *e.fields.values()]))
        else:
            done = _run(
                request,
                lambda: now_swaps.request(
                    assignment, data, by=request.user, key=request.POST.get("key", "")
                ),
                _("Swap asked: the unit head decides."),
            )
            if done:
                return redirect("duty:my_shifts")
    # The post's team, by name only, to the member of it who asks (the swap needs a name).
    colleagues = (
        Eligibility.objects.of(assignment.organization_id)
        .filter(post_id=assignment.shift.post_id)
        .exclude(person__employment_status="left")
        .exclude(person_id=assignment.person_id)
        .select_related("person")
        .order_by("reserve", "person__name")
    )
    context = {"a": assignment, "colleagues": colleagues, "key": uuid.uuid4().hex}
    return render(request, "duty/now_swap_request.html", context)


@login_required
def swaps(request):
    """Swaps the user asked, is asked to take, or decides on; waiting ones first."""
    rows = list(
        Swap.objects.visible_to(request.user)
        .select_related(*SWAP_RELATED)
        .order_by("-requested_at", "-pk")[:100]
    )
    for w in rows:
        w.may_decide = w.state == SwapState.REQUESTED and manages(
            request.user, w.assignment.shift.post
        )
        w.may_withdraw = (
            w.state == SwapState.REQUESTED and w.from_person_id == request.user.person_id
        )
    rows.sort(key=lambda w: (w.state != SwapState.REQUESTED,))
    return render(request, "duty/now_swaps.html", {"rows": rows, "key": uuid.uuid4().hex})


@login_required
def swap_decide(request, pk: int):
    if request.method != "POST":
        return redirect("duty:swaps")
    swap = get_object_or_404(
        Swap.objects.visible_to(request.user).select_related(*SWAP_RELATED), pk=pk
    )
    key, action, user = request.POST.get("key", ""), request.POST.get("action"), request.user
    if action == "approve":
        _run(request, lambda: now_swaps.approve(swap, by=user, key=key), _("Swap approved."))
    elif action == "refuse":
        try:
            data = DecisionInput.parse(request.POST)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            _run(
                request, lambda: now_swaps.refuse(swap, data, by=user, key=key), _("Swap refused.")
            )
    elif action == "withdraw":
        _run(request, lambda: now_swaps.withdraw(swap, by=user, key=key), _("Swap withdrawn."))
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    return redirect("duty:swaps")


@login_required
def missing_handovers(request):
    """Shifts of the last 7 days that ended without a handover, in the user's scope."""
    if not request.user.has_perm(VIEW_ROSTERS):
        raise PermissionDenied(_("Your role may not see the duty logs of posts."))
    moment = clock.now()
    rows = now_log.without_handover(
        Shift.objects.visible_to(request.user), moment - dt.timedelta(days=7), moment
    )[:200]
    return render(request, "duty/now_missing_handovers.html", {"rows": rows})
