"""Visitor and vehicle pages. The guard's phone at a gate (register a visitor or a vehicle,
today's visitors and vehicles, end a visit at the exit), a visit's page with its pass and
printed slip, the host's "visits waiting for me", the office's list with its Excel export and
the logged reveal, and the visitor's pass page opened without an account. Thin: parse, call a
service, show its refusal."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from headwater.access import visit_pass
from headwater.access.choices import Decision, VisitState
from headwater.access.forms_visitors import DecisionForm, VehicleForm, VisitForm
from headwater.access.inputs_visits import RefuseInput, VehicleInput, VisitInput, override_of
from headwater.access.models import Visit
from headwater.access.permissions import VIEW_PASSAGES
from headwater.access.querysets_visitors import guard_gates, vehicles_for, visits_for
from headwater.access.services import vehicles as vehicle_service
from headwater.access.services import visits as service
from headwater.core import clock, downloads, inputs, privacy
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Site
from headwater.core.roles import VIEW_PERSONAL_DATA
from headwater.core.views.generic import xlsx_response

PAGE = 50


def _gate(request, gate_id: int):
    return get_object_or_404(guard_gates(request.user).select_related("site"), pk=gate_id)


def _today(qs, field: str):
    start, end = clock.day_bounds(clock.today())
    return qs.filter(**{f"{field}__gte": start, f"{field}__lt": end})


@login_required
def gates(request):
    """The gates where the user registers visitors and vehicles."""
    return render(
        request,
        "access/visitors_gates.html",
        {"gates": guard_gates(request.user).select_related("site").order_by("site_id", "name")},
    )


@login_required
def gate_visitors(request, gate_id: int):
    """Today's visitors and vehicles of one gate, newest first, with their states."""
    gate = _gate(request, gate_id)
    visits = _today(visits_for(request.user).filter(gate=gate), "registered_at")
    vehicles = _today(vehicles_for(request.user).filter(gate=gate), "at")
    return render(
        request,
        "access/visitors_gate.html",
        {
            "gate": gate,
            "closed": service.is_closed(gate.site),
            "visits": visits.select_related("host").order_by("-registered_at", "-pk"),
            "vehicles": vehicles.select_related("override_by").order_by("-at", "-pk"),
        },
    )


@login_required
def visit_new(request, gate_id: int):
    gate = _gate(request, gate_id)
    form = VisitForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            data = VisitInput.parse(form.cleaned_data)
            visit, _created = service.register_visit(
                gate, data, by=request.user, key=form.cleaned_data["key"]
            )
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except DomainError as e:
            form.add_domain_error(e)
        else:
            return redirect("access:visit", visit.pk)
    return render(
        request,
        "access/visitors_new.html",
        {"gate": gate, "form": form, "closed": service.is_closed(gate.site)},
    )


@login_required
def vehicle_new(request, gate_id: int):
    gate = _gate(request, gate_id)
    today = _today(visits_for(request.user).filter(gate=gate), "registered_at").order_by("-pk")
    form = VehicleForm(request.POST or None, initial={"key": uuid.uuid4().hex}, visits=today[:30])
    if request.method == "POST" and form.is_valid():
        try:
            data = VehicleInput.parse(form.cleaned_data)
            entry, _created = vehicle_service.record_vehicle(
                gate, data, by=request.user, key=form.cleaned_data["key"]
            )
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except DomainError as e:
            form.add_domain_error(e)
        else:
            if entry.decision == Decision.ALLOW:
                messages.success(request, _("%(plate)s: allowed.") % {"plate": entry.plate})
            else:
                messages.error(
                    request,
                    _("%(plate)s: refused — %(reason)s.")
                    % {"plate": entry.plate, "reason": entry.get_reason_display()},
                )
            return redirect("access:gate_visitors", gate.pk)
    return render(
        request,
        "access/visitors_vehicle_new.html",
        {"gate": gate, "form": form, "closed": service.is_closed(gate.site)},
    )


def _visit(request, visit_id: int) -> Visit:
    return get_object_or_404(
        visits_for(request.user).select_related("site", "gate", "host", "organization"),
        pk=visit_id,
    )


@login_required
def visit(request, visit_id: int):
    """One visit: its state, the pass QR once approved (and the link the visitor opens on
    their phone), the printed slip; the host's or office's decision; end at the exit."""
    v = _visit(request, visit_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        done = _act(request, v, form)
        if done:
            return redirect(_next(request) or reverse("access:visit", args=[v.pk]))
        v.refresh_from_db()
    token = visit_pass.pass_token(v)
    pass_url = request.build_absolute_uri(visit_pass.pass_path(v))
    return render(
        request,
        "access/visitors_visit.html",
        {
            "visit": v,
            "form": form,
            "phone": privacy.mask_phone(v.phone),
            "id_number": privacy.mask_id_number(v.id_number),
            "closed": service.is_closed(v.site),
            "token_qr": downloads.qr_data_uri(token) if token else "",
            "link_qr": downloads.qr_data_uri(pass_url),
            "pass_url": pass_url,
            "may_decide": v.state == VisitState.PENDING and service.may_decide(request.user, v),
            "may_end": v.state == VisitState.APPROVED and service.may_end(request.user, v),
            "may_cancel": v.state in (VisitState.PENDING, VisitState.APPROVED)
            and service.may_end(request.user, v),
        },
    )


def _next(request) -> str:
    """Where a decision taken from another page goes back to: a path of this site only."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return ""


def _act(request, v: Visit, form: DecisionForm) -> bool:
    action = request.POST.get("action")
    try:
        if action == "approve":
            service.approve_visit(v, by=request.user, override_reason=override_of(request.POST))
            messages.success(request, _("Visit approved: the pass is valid now."))
        elif action == "refuse":
            service.refuse_visit(v, RefuseInput.parse(request.POST), by=request.user)
            messages.info(request, _("Visit refused."))
        elif action == "end":
            service.end_visit(v, by=request.user)
            messages.info(request, _("Visit ended: the pass no longer opens the gate."))
        elif action == "cancel":
            service.cancel_visit(v, by=request.user)
            messages.info(request, _("Visit cancelled."))
        else:
            raise DomainError(_("Unknown action."))
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        if form.is_valid():
            form.add_domain_error(e)
        return False
    return True


@login_required
def visit_slip(request, visit_id: int):
    """The printed visitor slip (PDF): the pass QR, masked name, host, site, valid until."""
    v = _visit(request, visit_id)
    token = visit_pass.pass_token(v)
    if token is None:
        raise Http404(_("Only an approved visit that has not ended has a slip."))
    html = render_to_string(
        "access/visitors_slip_pdf.html",
        {
            "visit": v,
            "name": privacy.mask_name(v.name),
            "qr": downloads.qr_data_uri(token),
            "printed_at": clock.now(),
        },
    )
    response = HttpResponse(downloads.pdf(html), content_type="application/pdf")
    return downloads.attachment(response, f"{_('Visitor slip')}-{v.pk}.pdf", f"visit-{v.pk}.pdf")


@login_required
def my_visits(request):
    """The host's phone page: visits waiting for them first, then today's others."""
    person_id = request.user.person_id
    if person_id is None:
        raise PermissionDenied(_("This page is for members of staff."))
    mine = Visit.objects.visible_to(request.user).filter(host_id=person_id)
    pending = mine.filter(state=VisitState.PENDING).select_related("site", "gate")
    recent = (
        mine.exclude(state=VisitState.PENDING)
        .filter(registered_at__gte=clock.now() - dt.timedelta(days=7))
        .select_related("site", "gate")[:30]
    )
    closed_kinds = {v.site_id: service.is_closed(v.site) for v in pending}
    return render(
        request,
        "access/visitors_mine.html",
        {"pending": [(v, closed_kinds[v.site_id]) for v in pending], "recent": recent},
    )


def _office_rows(request):
    qs = Visit.objects.visible_to(request.user).select_related("site", "gate", "host")
    filters = {}
    site_id = request.GET.get("site", "")
    if site_id.isdigit():
        site = get_object_or_404(Site.objects.visible_to(request.user), pk=int(site_id))
        qs, filters["site"] = qs.filter(site=site), site.pk
    day = request.GET.get("day", "")
    try:
        when = dt.date.fromisoformat(day) if day else None
    except ValueError:
        when = None
    if when is not None and 1900 <= when.year < 3000:
        start, end = clock.day_bounds(when)
        qs, filters["day"] = qs.filter(registered_at__gte=start, registered_at__lt=end), when
    state = request.GET.get("state", "")
    if state in VisitState.values:
        qs, filters["state"] = qs.filter(state=state), state
    return qs.order_by("-registered_at", "-pk"), filters


@login_required
def visits(request):
    """The office's list of visits: by site, day and state; phones and ID numbers masked, a
    reveal logged; Excel."""
    if not request.user.has_perm(VIEW_PASSAGES):
        raise PermissionDenied(_("Your role may not see the visitors."))
    if request.method == "POST":
        return _reveal(request)
    qs, filters = _office_rows(request)
    if request.GET.get("export") == "xlsx":
        return _export(qs)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    revealed = request.session.pop("access_revealed", None)
    rows = [
        {
            "visit": v,
            "phone": privacy.mask_phone(v.phone),
            "id_number": privacy.mask_id_number(v.id_number),
            "revealed": revealed if revealed and revealed.get("visit") == v.pk else None,
        }
        for v in page.object_list
    ]
    sites = Site.objects.visible_to(request.user).filter(
        pk__in=Visit.objects.visible_to(request.user).values("site_id")
    )
    return render(
        request,
        "access/visitors_office.html",
        {
            "rows": rows,
            "page": page,
            "filters": filters,
            "sites": sites,
            "states": VisitState.choices,
            "can_reveal": request.user.has_perm(VIEW_PERSONAL_DATA),
            "query": request.GET.urlencode(),
        },
    )


def _reveal(request):
    v = get_object_or_404(
        Visit.objects.visible_to(request.user), pk=_int(request.POST.get("visit"))
    )
    try:
        shown = privacy.reveal(request.user, v, purpose=_("visitor list"))
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    request.session["access_revealed"] = {"visit": v.pk, **shown}
    back = request.POST.get("query", "")
    return redirect(reverse("access:visits") + (f"?{back}" if back else ""))


def _int(raw) -> int:
    value = inputs.id_value(raw)
    if value is None:
        raise Http404
    return value


def _export(qs):
    header = [
        _("Registered at"),
        _("Site"),
        _("Gate post"),
        _("Name"),
        _("Phone"),
        _("ID number"),
        _("Company or organization"),
        _("Reason for the visit"),
        pgettext("visit", "Host"),
        _("Plate"),
        _("Temperature"),
        _("State"),
        _("Valid until"),
        _("Override reason"),
    ]

    def local(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    rows = (
        [
            local(v.registered_at),
            v.site.name,
            v.gate.name if v.gate else "",
            v.name,
            privacy.mask_phone(v.phone),
            privacy.mask_id_number(v.id_number),
            v.company,
            v.reason,
            v.host.name if v.host else "",
            v.plate,
            float(v.temperature) if v.temperature is not None else "",
            v.get_state_display(),
            local(v.valid_until),
            v.override_reason,
        ]
        for v in qs.iterator(chunk_size=1000)
    )
    return xlsx_response(header, rows, _("Visitors"), "visitors.xlsx")


def visit_pass_page(request, token: str):
    """The visitor's pass, opened from the link without an account: masked name, host, site,
    valid until, state, and the QR while the visit is valid."""
    pk = visit_pass.visit_id_of(token)
    if pk is None:
        raise Http404(_("This visitor pass link is not valid."))
    v = get_object_or_404(Visit.objects.select_related("site", "host", "organization"), pk=pk)
    pass_token = visit_pass.pass_token(v)
    expired = (v.state == VisitState.APPROVED and pass_token is None) or v.state == VisitState.ENDED
    return render(
        request,
        "access/visitors_pass.html",
        {
            "visit": v,
            "name": privacy.mask_name(v.name),
            "host": v.host.name if v.host else "",
            "qr": downloads.qr_data_uri(pass_token) if pass_token else "",
            "expired": expired,
        },
    )
