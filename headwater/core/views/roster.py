"""Roster import and export pages (Excel .xlsx and CSV)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render

from headwater.core.roles import EXPORT_ROSTER, IMPORT_ROSTER


@login_required
@permission_required(IMPORT_ROSTER, raise_exception=True)
def roster_import(request):
    return render(request, "core/roster_import.html", {})


@login_required
@permission_required(EXPORT_ROSTER, raise_exception=True)
def roster_export(request):
    return HttpResponse(status=501)
