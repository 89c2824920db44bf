"""Roster import and export pages (Excel .xlsx and CSV); the work is in core.roster."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from headwater.core import roster
from headwater.core.downloads import attachment
from headwater.core.errors import NotAllowed
from headwater.core.importer import CONTENT_TYPES, FORMATS
from headwater.core.models import Person
from headwater.core.roles import EXPORT_ROSTER, IMPORT_ROSTER
from headwater.core.views.imports import import_page


@login_required
@permission_required(IMPORT_ROSTER, raise_exception=True)
def roster_import(request):
    """Upload form; after an upload, the summary or every bad row (and nothing written)."""
    return import_page(
        request,
        "core/roster_import.html",
        lambda upload: roster.import_roster(
            request.user.organization, upload, upload.name, by=request.user
        ),
    )


@login_required
@permission_required(EXPORT_ROSTER, raise_exception=True)
def roster_export(request):
    """`?format=xlsx|csv`; `&unmasked=1` for full phone and ID numbers (permission, logged)."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Choose xlsx or csv."))
    try:
        data = roster.export_roster(
            Person.objects.visible_to(request.user),
            fmt,
            unmasked=request.GET.get("unmasked") == "1",
            by=request.user,
        )
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    return file_response(data, fmt, *roster.export_filename(fmt))


@login_required
@permission_required(IMPORT_ROSTER, raise_exception=True)
def roster_template(request):
    """An empty roster file with the expected headers."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Choose xlsx or csv."))
    return file_response(roster.roster_template(fmt), fmt, *roster.template_filename(fmt))


def file_response(data: bytes, fmt: str, name: str, fallback: str) -> HttpResponse:
    return attachment(HttpResponse(data, content_type=CONTENT_TYPES[fmt]), name, fallback)
