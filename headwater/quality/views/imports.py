"""Importing results from a spreadsheet (quality.imports): the upload page and its templates.
Thin: the import checks, evaluates and writes; the page shows its report."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from headwater.core.downloads import attachment
from headwater.core.importer import CONTENT_TYPES, FORMATS
from headwater.core.views.imports import import_page
from headwater.quality import imports
from headwater.quality.permissions import ENTER_RESULTS


@login_required
@permission_required(ENTER_RESULTS, raise_exception=True)
def import_results(request):
    """Upload form; after an upload, what was imported (samples, results, exceedances) or
    every bad row (nothing written)."""
    if request.user.organization_id is None:
        raise Http404
    return import_page(
        request,
        "quality/import.html",
        lambda upload: imports.import_results(
            upload, upload.name, organization=request.user.organization, by=request.user
        ),
    )


@login_required
@permission_required(ENTER_RESULTS, raise_exception=True)
def template(request, fmt: str):
    """An empty file with the import's headers (xlsx or csv)."""
    if fmt not in FORMATS:
        raise Http404
    response = HttpResponse(imports.template(fmt), content_type=CONTENT_TYPES[fmt])
    name = _("Water quality results import template")
    return attachment(response, f"{name}.{fmt}", f"quality-results-template.{fmt}")
