"""The audit trail: search, and one object's history. Office only."""

from auditlog.registry import auditlog
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from headwater.core import audit, audit_display
from headwater.core.forms import AuditFilter
from headwater.core.roles import VIEW_AUDIT


def _page(request, qs):
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    audit_display.describe(page, request.user.organization)
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
    return render(
        request, "core/audit.html", {"page": _page(request, qs), "f": f, "kinds": _kinds()}
    )


@login_required
@permission_required(VIEW_AUDIT, raise_exception=True)
def object_history(request, model: str, pk: str):
    qs = audit.search(request.user.organization, model=model).filter(object_pk=pk)
    page = _page(request, qs)
    latest = page[0] if page.object_list else None
    heading = f"{latest.content_type.name} · {latest.object_repr}" if latest else ""
    return render(
        request,
        "core/audit.html",
        {"page": page, "f": {"model": model}, "object_pk": pk, "heading": heading},
    )


def _kinds() -> list[tuple[str, str]]:
    """(model name, its label) of every kind of row the trail records, for the filter."""
    kinds = {m._meta.model_name: str(m._meta.verbose_name) for m in auditlog.get_models()}
    return sorted(kinds.items(), key=lambda kv: kv[1])
