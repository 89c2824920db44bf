"""The audit trail: search, and one object's history. Office only."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from headwater.core import audit
from headwater.core.forms import AuditFilter
from headwater.core.roles import VIEW_AUDIT


def _page(request, qs):
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.rows = audit.changes_in_words(entry)
    return page


@login_required
@permission_required(VIEW_AUDIT, raise_exception=True)
def audit_trail(request):
    f = {k: request.GET.get(k, "").strip() for k in ("q", "model", "actor", "date_from", "date_to")}
    dates = AuditFilter(request.GET).values(request)
    qs = audit.search(
        request.user.organization,
        text=f["q"],
        model=f["model"],
        actor=f["actor"],
        date_from=dates.get("date_from"),
        date_to=dates.get("date_to"),
    )
    return render(request, "core/audit.html", {"page": _page(request, qs), "f": f})


@login_required
@permission_required(VIEW_AUDIT, raise_exception=True)
def object_history(request, model: str, pk: str):
    qs = audit.search(request.user.organization, model=model).filter(object_pk=pk)
    return render(
        request,
        "core/audit.html",
        {"page": _page(request, qs), "f": {"model": model}, "object_pk": pk},
    )
