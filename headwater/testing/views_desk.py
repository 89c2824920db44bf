"""Desk pages for the day of sampling (phone or tablet): my desks, a site's desk (tube,
search, registration, queue numbers, the offline queue — driven by testing-desk.js over the
desk API) and the batch caller (refreshed by htmx). Thin: reads through desk_reads, writes
through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from headwater.core.errors import DomainError, NotAllowed
from headwater.core.validators import INT_MAX
from headwater.testing import desk_reads as reads
from headwater.testing.inputs_desk import CallInput
from headwater.testing.models import Batch
from headwater.testing.services import desk_queue

REFRESH = 10  # seconds between refreshes of the batch caller


@login_required
def desk_home(request):
    """The open campaigns whose desks the user works; a site leads to its desk."""
    return render(request, "testing/desk_home.html", {"campaigns": reads.my_desks(request.user)})


@login_required
def desk(request, pk: int):
    """One site's desk: everything happens in the page through the API."""
    site = reads.desk_site(request.user, pk)
    api = "/api/v1/testing/desk"
    context = {
        "site": site,
        "campaign": site.campaign,
        "api": f"{api}/sites/{site.pk}",
        "tube_api": f"{api}/tubes",
        "texts": _texts(),
    }
    return render(request, "testing/desk_site.html", context)


@login_required
def desk_calls(request, pk: int):
    """The batch caller: the site's batches and the next queue numbers; call a batch or the
    next numbers."""
    site = reads.desk_site(request.user, pk)
    if request.method == "POST":
        return _call(request, site)
    context = {"site": site, "calls": reads.calls(site), "refresh": REFRESH}
    if request.GET.get("part") == "list":
        return render(request, "testing/desk_calls_list.html", context)
    return render(request, "testing/desk_calls.html", context)


def _call(request, site):
    action = request.POST.get("action")
    try:
        if action == "batch":
            batch = get_object_or_404(
                Batch.objects.visible_to(request.user).filter(site=site),
                pk=_int(request.POST.get("batch")),
            )
            batch.campaign = site.campaign
            desk_queue.call_batch(batch, by=request.user)
            messages.success(request, _("Batch %(label)s called.") % {"label": batch.label})
        elif action == "numbers":
            tickets = desk_queue.call_numbers(site, CallInput.parse(request.POST), by=request.user)
            numbers = ", ".join(str(t.number) for t in tickets)
            messages.success(request, _("Called: %(numbers)s.") % {"numbers": numbers})
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        messages.error(request, " ".join([e.message, *e.fields.values()]))
    return redirect("testing:desk_calls", site.pk)


def _int(raw) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return 0
    return value if 0 < value <= INT_MAX else 0


def _texts() -> dict[str, str]:
    """The words testing-desk.js shows, in the page's language."""
    return {
        "online": _("Connected"),
        "offline": _("Offline"),
        "waiting": _("%(n)s waiting"),
        "scan_first": _("Scan or type the tube's barcode first."),
        "tube_full": _("This tube is full: scan the next tube."),
        "tube_started": _("Tube %(barcode)s: fill it."),
        "tube_offline": _("Offline: tube %(barcode)s taken as new, checked when sent."),
        "tube_closed": _("Tube %(barcode)s closed."),
        "members": _("%(n)s of %(capacity)s"),
        "open": _("Filling"),
        "closed": _("Tube closed"),
        "registered": _("%(name)s registered in %(barcode)s."),
        "queued": _("Offline: %(name)s kept on this phone, sent when back online."),
        "sent": _("Sent"),
        "kept_waiting": _("Waiting to be sent"),
        "conflict": _("Kept, breaks a rule: the office will look at it"),
        "register": _("Register"),
        "none_found": _("Nobody on the roster matches."),
        "search_offline": _(
            "Offline: searching needs the connection. Type the staff number, ID number "
            "or phone and register by it."
        ),
        "no_barcode": _("No barcode found in the picture."),
        "no_camera": _("The camera cannot be opened here."),
        "ticket_offline": _("Offline: queue numbers need the connection."),
        "close_offline": _("Offline: close the tube when back online."),
        "added": _("%(name)s added to the roster: register them now."),
        "discard": _("Discard"),
        "error": _("Something went wrong; try again."),
        "sign_in": _("Sign in again: what waits is kept on this phone."),
    }
