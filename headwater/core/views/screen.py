"""The command dashboard page (大屏): a frame the page's script fills from GET /api/v1/dashboard
and refreshes without reloading (static/js/screen.js)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from headwater.core import screen


@login_required
def screen_page(request):
    if not screen.may_view(request.user):
        raise PermissionDenied(_("The command dashboard is for the control office and leaders."))
    organization = request.user.organization
    return render(
        request,
        "core/screen.html",
        {
            "organization_name": organization.short_name or organization.name,
            "refresh_seconds": screen.REFRESH_SECONDS,
            "page_seconds": screen.PAGE_SECONDS,
            "labels": {
                "updated": _("Data updated at %(time)s"),
                "stale": _("Update failed: data may be out of date"),
                "loading": _("Loading…"),
                "more": _("%(n)s more"),
                "page": _("Screen %(n)s of %(count)s"),
            },
        },
    )
