"""Home page per role, and the error pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

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
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
