"""The response level page: the level in force, its history, switching, per-level settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headwater.core import levels, services
from headwater.core.choices import ResponseLevel
from headwater.core.errors import DomainError
from headwater.core.forms import LevelSwitchForm
from headwater.core.roles import CHANGE_RESPONSE_LEVEL


@login_required
def response_levels(request):
    org = request.user.organization
    form = LevelSwitchForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid() and request.POST.get("confirm") != "1":
        # First step: show what would change; nothing is written until it is confirmed.
        preview = _preview(request, org, form.cleaned_data["level"])
    elif request.method == "POST" and form.is_valid():
        try:
            services.switch_level(
                org, form.cleaned_data["level"], by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request, _("Response level changed; every per-level setting now follows it.")
            )
            return redirect("core:levels")
    return render(
        request,
        "core/levels.html",
        {
            "form": form,
            "history": org.level_changes.select_related("changed_by")[:50],
            "table": _shown(levels.table(org)),
            "levels": ResponseLevel.choices,
            "current": org.response_level,
            "can_change": request.user.has_perm(CHANGE_RESPONSE_LEVEL),
            "preview": preview,
        },
    )


def _preview(request, org, level: str) -> dict | None:
    """The settings switching to `level` changes, grouped by capability; None (and the
    form's error) when there is nothing to switch to or the user may not."""
    if not request.user.has_perm(CHANGE_RESPONSE_LEVEL):
        return None
    if level == org.response_level:
        return {"level": ResponseLevel(level), "same": True, "groups": []}
    groups: dict[str, list] = {}
    for change in levels.changes(org, level):
        groups.setdefault(change.capability, []).append(change)
    return {"level": ResponseLevel(level), "same": False, "groups": list(groups.items())}


def _shown(table: list[dict]) -> list[dict]:
    """Each row's values as text, in the order of the levels' columns."""
    return [
        {
            "setting": row["setting"],
            "cells": [(lvl, row["setting"].display(row["values"][lvl])) for lvl in row["values"]],
        }
        for row in table
    ]


@login_required
@require_POST
def level_setting(request):
    try:
        services.set_level_value(
            request.user.organization,
            request.POST.get("key", ""),
            request.POST.get("level", ""),
            request.POST.get("value", ""),
            by=request.user,
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("core:levels")
