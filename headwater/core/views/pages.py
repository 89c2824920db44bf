"""Home page per role, and the error pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from headwater.core.roles import Role
from headwater.core.tiles import tiles_for


@login_required
def home(request):
    user = request.user
    org = user.organization
    roles = sorted(user.roles, key=lambda r: list(Role.values).index(r))
    return render(
        request,
        "core/home.html",
        {
            "tiles": tiles_for(user, org) if org else [],
            "role_labels": [Role(r).label for r in roles],
            "person": user.person,
        },
    )


def page_not_found(request, exception):
    return render(request, "404.html", {"back": _back(request)}, status=404)


def permission_denied(request, exception):
    """A refused page in the layout, in the user's language, with a way back. The API answers
    its own refusals in the one error shape (headwater.api) and never comes here."""
    reason = exception.args[0] if exception and exception.args else ""
    context = {"reason": reason if isinstance(reason, str) else "", "back": _back(request)}
    return render(request, "403.html", context, status=403)


def _back(request) -> str:
    """The page the user came from, only if it is on this site (never an open redirect)."""
    referer = request.META.get("HTTP_REFERER", "")
    allowed = {request.get_host()}
    if referer and url_has_allowed_host_and_scheme(referer, allowed, request.is_secure()):
        if referer != request.build_absolute_uri():
            return referer
    return ""


def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
