"""A staff member's phone pages: today's check-in with their health code on top, and their
health timeline. Thin: the rules are in services, the reads in pages_support."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import DomainError
from headwater.health import household, pages_support, services, windows
from headwater.health.choices import Slot
from headwater.health.forms import CheckInForm
from headwater.health.permissions import CHECK_IN


def _own_person(user):
    """Check-ins are personal: a login without a person (a service account) has none."""
    if user.person is None:
        raise PermissionDenied(_("This login is not linked to a member of staff."))
    return user.person


@login_required
@permission_required(CHECK_IN, raise_exception=True)
def checkin(request):
    person = _own_person(request.user)
    org = person.organization
    slot = windows.current_slot(org)
    existing = pages_support.todays_checkin(request.user, person, slot)
    members, lines = household.todays_household(person, clock.today())
    if request.method == "POST":
        form = CheckInForm(request.POST, members=members)
        if form.is_valid():
            data = {**form.cleaned_data, "relatives": form.relatives()}
            try:
                services.submit_checkin(person, data, by=request.user, key=data["key"])
            except DomainError as e:
                form.add_domain_error(e)
                # The slot may have closed while the form was open: the next try goes to the
                # slot open now.
                form.data = form.data.copy()
                form.data["slot"] = slot
            else:
                messages.success(request, _("Checked in. Thank you."))
                return redirect("health:checkin")
    else:
        form = CheckInForm(initial=CheckInForm.initial_for(slot, existing, lines), members=members)
    _opens, closes = windows.window(org, clock.today(), slot)
    code = pages_support.code_to_show(request.user, person)
    return render(
        request,
        "health/checkin.html",
        {
            "form": form,
            "code": code,
            "help": pages_support.code_help(person, code),
            "existing": existing,
            "relatives": form.relative_rows(),
            # The window ends at the next slot's start; people read "until 23:59", not "00:00".
            "closes": closes - dt.timedelta(minutes=1),
            "slot_label": Slot(slot).label if len(windows.slots_for(org)) > 1 else "",
            "today": clock.today(),
        },
    )


@login_required
@permission_required(CHECK_IN, raise_exception=True)
def my_timeline(request):
    person = _own_person(request.user)
    code = pages_support.code_to_show(request.user, person)
    return render(
        request,
        "health/my_timeline.html",
        {
            "code": code,
            "help": pages_support.code_help(person, code),
            "events": pages_support.timeline(request.user, person, clock.today()),
            "days": pages_support.TIMELINE_DAYS,
        },
    )
