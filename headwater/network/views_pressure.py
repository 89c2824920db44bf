"""Pages of the pressure watch (office and dispatchers, desktop): the points with their last
value, time, state and thresholds (the office creates them here), and a point's page with
its last 24 hours charted against the thresholds, its thresholds to edit and its telemetry
device (enrol — the token shown once as text — and revoke). The work is in
services/points.py; reads in reads_pressure.py."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headwater.core.errors import DomainError
from headwater.core.roles import MANAGE_DEVICES
from headwater.network import reads_pressure as reads
from headwater.network.forms_pressure import PointForm, PressureDeviceForm
from headwater.network.inputs_pressure import FIELDS_OUT, DeviceInput, PointInput
from headwater.network.permissions import MANAGE_NETWORK, VIEW_NETWORK
from headwater.network.services import points as service


def _point(request, pk: int):
    return get_object_or_404(reads.points(request.user), pk=pk)


def _require_view(request) -> None:
    if not request.user.has_perm(VIEW_NETWORK):
        raise PermissionDenied(_("Only those who watch the pipe network see pressure points."))


@login_required
def point_list(request):
    _require_view(request)
    manage = request.user.has_perm(MANAGE_NETWORK)
    form = PointForm(request.POST or None) if manage else None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("Only the office may add pressure points."))
        if form.is_valid():
            try:
                point, _created = service.save_point(
                    PointInput.parse(form.cleaned_data),
                    by=request.user,
                    key=request.POST.get("key", ""),
                )
            except DomainError as e:
                form.add_domain_error(e)
            else:
                messages.success(
                    request, _("Pressure point %(code)s saved.") % {"code": point.code}
                )
                return redirect("network:pressure_point", point.pk)
    rows = reads.with_states(reads.points(request.user), request.user.organization)
    return render(
        request,
        "network/pressure_list.html",
        {
            "points": rows,
            "form": form,
            "manage": manage,
            "key": request.POST.get("key") or uuid.uuid4().hex,
            "stale_minutes": int(reads.stale(request.user.organization).total_seconds() // 60),
        },
    )


def _detail(request, point, form=None, status=200):
    point = reads.with_states([point], request.user.organization)[0]
    manage = request.user.has_perm(MANAGE_NETWORK)
    if manage and form is None:
        form = PointForm(initial={f: getattr(point, f) for f in FIELDS_OUT}, auto_id="edit-%s")
    return render(
        request,
        "network/pressure_detail.html",
        {
            "point": point,
            "manage": manage,
            "manage_devices": manage and request.user.has_perm(MANAGE_DEVICES),
            "form": form,
            "device_form": PressureDeviceForm(),
            "chart": reads.chart(point, 24),
            "unit": reads.unit(point),
        },
        status=status,
    )


@login_required
def point_page(request, pressure_point_id: int):
    _require_view(request)
    return _detail(request, _point(request, pressure_point_id))


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
@require_POST
def point_edit(request, pressure_point_id: int):
    point = _point(request, pressure_point_id)
    form = PointForm(request.POST, auto_id="edit-%s")
    if form.is_valid():
        try:
            service.save_point(PointInput.parse(form.cleaned_data), by=request.user, point=point)
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, _("Pressure point %(code)s saved.") % {"code": point.code})
            return redirect("network:pressure_point", point.pk)
    return _detail(request, point, form, status=400)


def _refused(request, error: DomainError) -> None:
    details = "；".join(str(m) for m in error.fields.values())
    messages.error(request, f"{error.message} {details}".strip())


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
@require_POST
def device_enrol(request, pressure_point_id: int):
    point = _point(request, pressure_point_id)
    try:
        point, raw = service.enrol_device(
            point, DeviceInput.parse({"name": request.POST.get("name", "")}), by=request.user
        )
    except DomainError as e:
        _refused(request, e)
        return redirect("network:pressure_point", point.pk)
    # The one time the token is shown: rendered, never redirected to or stored.
    response = render(request, "network/pressure_enrolled.html", {"point": point, "raw": raw})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
@require_POST
def device_revoke(request, pressure_point_id: int):
    point = _point(request, pressure_point_id)
    try:
        _point_row, changed = service.revoke_device(point, by=request.user)
    except DomainError as e:
        _refused(request, e)
    else:
        if changed:
            messages.success(request, _("The point's device is revoked."))
    return redirect("network:pressure_point", point.pk)
