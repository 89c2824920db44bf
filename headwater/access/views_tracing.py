"""The contact-tracing page (office, desktop): pick a person and a window, see the contacts by
level and closeness with their evidence and the graph of the chains, open follow-ups or
isolation cases for the chosen contacts in one step."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods

from headwater.access.inputs_tracing import DEFAULT_DAYS, TraceInput
from headwater.access.permissions import TRACE
from headwater.access.services import tracing as service
from headwater.access.services.tracing_followups import FOLLOWUP, open_followups
from headwater.core import clock
from headwater.core.errors import DomainError
from headwater.core.models import Person

KIND_LABELS = {
    "gate": gettext_lazy("same gate"),
    "slot": gettext_lazy("same canteen slot"),
    "bus": gettext_lazy("same bus trip"),
    "shift": gettext_lazy("same duty shift"),
}


def graph(result: service.TraceResult) -> dict:
    """Nodes and links for the ECharts graph (level 0 is the traced person)."""
    nodes = [{"id": str(result.person_id), "name": result.name, "level": 0, "score": 0}]
    nodes += [
        {"id": str(t.person_id), "name": t.name, "level": t.level, "score": t.score}
        for t in result.level1 + result.level2
    ]
    links = [
        {"source": str(e["source"]), "target": str(e["target"]), "value": e["score"]}
        for e in result.edges
    ]
    labels = {
        "levels": [_("Traced person"), _("Level 1"), _("Level 2")],
        "score": pgettext("tracing", "score"),
    }
    return {"nodes": nodes, "links": links, "labels": labels}


def _search(people, q: str):
    if not q:
        return []
    return list(
        people.filter(Q(name__icontains=q) | Q(employee_no__icontains=q))
        .select_related("unit")
        .order_by("name", "pk")[:20]
    )


@login_required
@permission_required(TRACE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def tracing(request):
    people = Person.objects.visible_to(request.user)
    if request.method == "POST":
        return _followups(request)
    q = request.GET.get("q", "").strip()[:50]
    context = {
        "q": q,
        "found": _search(people, q),
        "kind_labels": KIND_LABELS,
        "start_value": request.GET.get("start")
        or (clock.today() - dt.timedelta(days=DEFAULT_DAYS)).isoformat(),
        "end_value": request.GET.get("end") or clock.today().isoformat(),
        "params": request.GET.urlencode(),
        "form": request.GET,
    }
    if "person_id" in request.GET and "find" not in request.GET:
        try:
            data = TraceInput.parse(request.GET, people)
            result = service.trace(
                data.person, data.start, data.end, depth=data.depth, by=request.user
            )
            context |= {"result": result, "graph": graph(result), "traced": data.person}
        except DomainError as e:
            context["error"] = e
    return render(request, "access/tracing.html", context)


def _followups(request):
    back = request.POST.get("back", "")
    target = "/access/tracing/" + (f"?{back}" if back and "\n" not in back else "")
    try:
        done = open_followups(
            request.POST.getlist("person_ids"),
            by=request.user,
            reason=request.POST.get("reason", ""),
            action=request.POST.get("action", FOLLOWUP),
        )
    except DomainError as e:
        messages.error(request, " ".join([e.message, *e.fields.values()]))
        return redirect(target)
    messages.success(
        request,
        _("Opened: %(opened)s; already open: %(already)s.")
        % {"opened": len(done.opened), "already": len(done.already)},
    )
    return redirect(target)
