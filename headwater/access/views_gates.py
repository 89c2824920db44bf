"""Pages of gate posts (office, desktop; usable on a phone): the list by site with devices,
teams and today's passages and refusals; a gate's page with its scanners (enrol — the token
shown once as text and QR code — and revoke) and its duty teams and members; the teams'
spreadsheet import. The work is in services/gates.py and services/gates_import.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from headwater.access.choices import Decision, GateKind
from headwater.access.forms_gates import DeviceForm, GateForm, MemberForm, TeamForm
from headwater.access.inputs_gates import DeviceInput, GateInput, MemberInput, TeamInput
from headwater.access.models import Gate, GateDevice, GateTeam, GateTeamMember, Passage
from headwater.access.permissions import MANAGE_GATES
from headwater.access.permissions_gates import MANAGE_TEAMS
from headwater.access.services import gates as service
from headwater.access.services import gates_import
from headwater.core import clock, inputs
from headwater.core.downloads import attachment, qr_data_uri
from headwater.core.errors import DomainError
from headwater.core.importer import CONTENT_TYPES
from headwater.core.models import Site
from headwater.core.views.imports import import_page


def gate_of(request, pk: int) -> Gate:
    return get_object_or_404(Gate.objects.visible_to(request.user).select_related("site"), pk=pk)


def today_counts(gate_ids) -> dict[int, dict[str, int]]:
    """Today's passages and refusals per gate: one grouped query on the (gate, at) index."""
    start, end = clock.day_bounds(clock.today())
    rows = (
        Passage.objects.filter(gate_id__in=gate_ids, at__gte=start, at__lt=end)
        .values_list("gate_id", "decision")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[int, dict[str, int]] = {}
    for gate_id, decision, n in rows:
        figures = out.setdefault(gate_id, {"passages": 0, "refused": 0})
        figures["passages"] += n
        if decision == Decision.REFUSE:
            figures["refused"] += n
    return out


def listed_gates(user, site: int | None = None, kind: str = ""):
    gates = (
        Gate.objects.visible_to(user)
        .select_related("site")
        .annotate(
            device_count=Count(
                "devices",
                filter=Q(devices__device__revoked_at__isnull=True),
                distinct=True,
            ),
            team_count=Count("teams", distinct=True),
        )
        .order_by("site__name", "site_id", "name", "pk")
    )
    if site:
        gates = gates.filter(site_id=site)
    if kind in GateKind.values:
        gates = gates.filter(kind=kind)
    return gates


@login_required
def gate_list(request):
    site = _int(request.GET.get("site"))
    kind = request.GET.get("kind", "")[:20]
    gates = list(listed_gates(request.user, site, kind))
    figures = today_counts([g.pk for g in gates])
    for gate in gates:
        gate.today = figures.get(gate.pk, {"passages": 0, "refused": 0})
    return render(
        request,
        "access/gates_list.html",
        {
            "gates": gates,
            "sites": Site.objects.visible_to(request.user).order_by("name"),
            "kinds": GateKind.choices,
            "site": site,
            "kind": kind,
            "today": clock.today(),
            "may_manage": request.user.has_perm(MANAGE_GATES),
            "may_import": request.user.has_perm(MANAGE_TEAMS),
        },
    )


def _sites(user):
    return Site.objects.filter(organization_id=user.organization_id).order_by("name")


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
def gate_new(request):
    return _gate_form(request, None)


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
def gate_edit(request, pk: int):
    return _gate_form(request, gate_of(request, pk))


def _gate_form(request, gate: Gate | None):
    initial = {}
    if gate is not None:
        initial = {
            "name": gate.name,
            "site": gate.site_id,
            "kind": gate.kind,
            "checks_temperature": gate.checks_temperature,
            "active": gate.active,
        }
    form = GateForm(request.POST or None, initial=initial, sites=_sites(request.user))
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "site_id": form.cleaned_data["site"]}
        try:
            saved, _created = service.save_gate(GateInput.parse(data), by=request.user, gate=gate)
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(
                request, pgettext("gates", "Gate post %(name)s saved.") % {"name": saved.name}
            )
            return redirect("access:gate", saved.pk)
    return render(request, "access/gates_form.html", {"form": form, "gate": gate})


@login_required
def gate_page(request, pk: int):
    gate = gate_of(request, pk)
    manage = request.user.has_perm(MANAGE_GATES)
    teams = list(
        GateTeam.objects.visible_to(request.user)
        .filter(gate=gate)
        .select_related("leader")
        .prefetch_related("members__person__unit")
    )
    devices = (
        GateDevice.objects.visible_to(request.user)
        .filter(gate=gate)
        .select_related("device")
        .order_by("device__revoked_at", "-device__created_at", "pk")
    )
    return render(
        request,
        "access/gates_detail.html",
        {
            "gate": gate,
            "devices": devices,
            "teams": teams,
            "manage": manage,
            "manage_teams": service.may_manage_teams(request.user, gate),
            "device_form": DeviceForm(),
            "team_form": TeamForm(),
            "member_form": MemberForm(),
            "today": clock.today(),
        },
    )


def _refused(request, error: DomainError) -> None:
    details = "；".join(str(m) for m in error.fields.values())
    messages.error(request, f"{error.message} {details}".strip())


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
@require_POST
def gate_deactivate(request, pk: int):
    gate = gate_of(request, pk)
    _gate, changed = service.deactivate_gate(gate, by=request.user)
    if changed:
        messages.success(
            request,
            pgettext("gates", "Gate post %(name)s closed; its scanners stopped.")
            % {"name": gate.name},
        )
    return redirect("access:gate", gate.pk)


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
@require_POST
def device_enrol(request, pk: int):
    gate = gate_of(request, pk)
    form = DeviceForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(
                _("Please correct the marked fields."),
                fields={"name": _("This field is required.")},
            )
        row, raw = service.enrol_device(gate, DeviceInput.parse(form.cleaned_data), by=request.user)
    except DomainError as e:
        _refused(request, e)
        return redirect("access:gate", gate.pk)
    # The one time the token is shown: rendered, never redirected to or stored.
    response = render(
        request,
        "access/gates_enrolled.html",
        {"gate": gate, "row": row, "raw": raw, "qr": qr_data_uri(raw)},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
@require_POST
def device_revoke(request, pk: int):
    row = get_object_or_404(
        GateDevice.objects.visible_to(request.user).select_related("device", "gate"), pk=pk
    )
    _row, changed = service.revoke_device(row, by=request.user)
    if changed:
        messages.success(
            request, pgettext("gates", "Scanner %(name)s revoked.") % {"name": row.device.name}
        )
    return redirect("access:gate", row.gate_id)


@login_required
@require_POST
def team_new(request, pk: int):
    gate = gate_of(request, pk)
    return _save_team(request, gate, None)


@login_required
@require_POST
def team_edit(request, pk: int):
    team = _team_of(request, pk)
    return _save_team(request, team.gate, team)


def _save_team(request, gate, team):
    form = TeamForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(
                _("Please correct the marked fields."),
                fields={k: "；".join(v) for k, v in form.errors.items()},
            )
        saved, created = service.save_team(
            gate, TeamInput.parse(form.cleaned_data), by=request.user, team=team
        )
    except DomainError as e:
        _refused(request, e)
    else:
        message = (
            pgettext("gates", "Team %(name)s created.")
            if created
            else pgettext("gates", "Team %(name)s saved.")
        )
        messages.success(request, message % {"name": saved.name})
    return redirect("access:gate", gate.pk)


def _team_of(request, pk: int) -> GateTeam:
    return get_object_or_404(
        GateTeam.objects.visible_to(request.user).select_related("gate__site__unit"), pk=pk
    )


@login_required
@require_POST
def team_delete(request, pk: int):
    team = _team_of(request, pk)
    try:
        service.delete_team(team, by=request.user)
    except DomainError as e:
        _refused(request, e)
    else:
        messages.success(request, pgettext("gates", "Team %(name)s removed.") % {"name": team.name})
    return redirect("access:gate", team.gate_id)


@login_required
@require_POST
def member_add(request, pk: int):
    team = _team_of(request, pk)
    try:
        member, created = service.add_member(
            team, MemberInput.parse({"who": request.POST.get("who", "")}), by=request.user
        )
    except DomainError as e:
        _refused(request, e)
    else:
        if created:
            messages.success(
                request,
                pgettext("gates", "%(person)s put on team %(team)s.")
                % {"person": member.person.name, "team": team.name},
            )
    return redirect("access:gate", team.gate_id)


@login_required
@require_POST
def member_remove(request, pk: int):
    member = get_object_or_404(
        GateTeamMember.objects.visible_to(request.user).select_related(
            "team__gate__site__unit", "person"
        ),
        pk=pk,
    )
    try:
        service.remove_member(member, by=request.user)
    except DomainError as e:
        _refused(request, e)
    else:
        messages.success(
            request,
            pgettext("gates", "%(person)s taken off team %(team)s.")
            % {"person": member.person.name, "team": member.team.name},
        )
    return redirect("access:gate", member.team.gate_id)


@login_required
@permission_required(MANAGE_TEAMS, raise_exception=True)
def teams_import(request):
    fmt = request.GET.get("template")
    if fmt is not None:
        if fmt not in ("xlsx", "csv"):
            return HttpResponseBadRequest(_("Choose xlsx or csv."))
        response = HttpResponse(gates_import.template(fmt), content_type=CONTENT_TYPES[fmt])
        return attachment(response, f"{_('Gate duty teams')}.{fmt}", f"gate-teams.{fmt}")

    def run(upload):
        return gates_import.import_teams(
            request.user.organization, upload, upload.name, by=request.user
        )

    return import_page(request, "access/gates_import.html", run)


_int = inputs.id_value  # the one id reader (core.inputs)
