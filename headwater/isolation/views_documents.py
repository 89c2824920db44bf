"""The case's documents (ADR 0022): the isolation notice and the release certificate as PDF
downloads, and the public verification page their QR codes link to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from headwater.core.downloads import attachment
from headwater.core.privacy import mask_name
from headwater.isolation import documents
from headwater.isolation.models import Case
from headwater.isolation.services.common import is_office

RELATED = ("person", "household_member", "unit", "monitor", "volunteer", "organization")


def _case(request, pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(request.user).select_related(*RELATED), pk=pk)


def _pdf(request, case: Case, document: str, title: str, fallback: str) -> HttpResponse:
    url = request.build_absolute_uri(documents.verify_path(case, document))
    pdf = documents.render(case, document, url)
    name = f"{title} {case.subject_name} {case.started_on:%Y-%m-%d}.pdf"
    return attachment(
        HttpResponse(pdf, content_type="application/pdf"), name, f"{fallback}-{case.pk}.pdf"
    )


@login_required
def notice(request, pk: int):
    """The isolation notice: the office, or the case's monitor who hands it over."""
    case = _case(request, pk)
    user = request.user
    if not (is_office(user, case.organization_id) or user.person_id == case.monitor_id):
        raise PermissionDenied(_("Only the office and the case's monitor print the notice."))
    return _pdf(request, case, documents.NOTICE, _("Isolation notice"), "isolation-notice")


@login_required
def release(request, pk: int):
    """The release certificate of a released case (the office)."""
    case = _case(request, pk)
    if not is_office(request.user, case.organization_id):
        raise PermissionDenied(_("Only the office issues the release certificate."))
    if case.is_open:
        messages.error(request, _("This case has not been released."))
        return redirect("isolation:case", case.pk)
    return _pdf(request, case, documents.RELEASE, _("Release certificate"), "release-certificate")


@never_cache
def verify(request, token: str):
    """Anyone with the link (no login): the document is genuine, and the case's state now."""
    found = documents.case_of(token)
    if found is None:
        raise Http404(_("This verification link is not valid."))
    pk, document = found
    case = get_object_or_404(
        Case.objects.select_related("organization", "person", "household_member"), pk=pk
    )
    context = {
        "case": case,
        "document": document,
        "name": mask_name(case.subject_name),
    }
    return render(request, "isolation/documents_verify.html", context)
