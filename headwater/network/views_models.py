"""Pages of network model versions (office, desktop): the versions with the upload form (the
parser's refusal beside the file field), a version's page (details, make current, the valve
layer — counts by source, generate strategic N-k or random, import a spreadsheet — the
population import and the .inp download). The work is in services/models.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from headwater.core.downloads import attachment
from headwater.core.errors import DomainError
from headwater.core.importer import CONTENT_TYPES
from headwater.core.views.imports import import_page
from headwater.network.choices import ValveSource
from headwater.network.forms_models import GenerateForm, UploadForm
from headwater.network.models import NetworkModel, Valve
from headwater.network.permissions import MANAGE_NETWORK, VIEW_NETWORK
from headwater.network.services import models as service
from headwater.network.services import models_sheets as sheets


def model_of(request, network_model_id: int) -> NetworkModel:
    return get_object_or_404(
        NetworkModel.objects.visible_to(request.user).select_related("uploaded_by__person"),
        pk=network_model_id,
    )


def _versions(user):
    return (
        NetworkModel.objects.visible_to(user)
        .select_related("uploaded_by__person")
        .annotate(valve_count=Count("valves"))
        .defer("inp")
        .order_by("-version")
    )


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
def model_list(request):
    manage = request.user.has_perm(MANAGE_NETWORK)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("Your role may not do this."))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                model, created = service.import_inp(
                    request.user.organization,
                    upload.read(service.MAX_BYTES + 1),
                    upload.name,
                    by=request.user,
                    key=form.cleaned_data["key"],
                    name=form.cleaned_data["name"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as e:
                form.add_domain_error(e)
            else:
                message = (
                    pgettext("network models", "Version %(version)s imported and made current.")
                    if created
                    else pgettext(
                        "network models", "The file is the same as version %(version)s: kept."
                    )
                )
                messages.success(request, message % {"version": model.version})
                return redirect("network:model", model.pk)
    return render(
        request,
        "network/models_list.html",
        {"versions": _versions(request.user), "form": form, "manage": manage},
    )


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
def model_page(request, network_model_id: int):
    model = model_of(request, network_model_id)
    by_source = dict(
        Valve.objects.filter(model=model).values_list("source").annotate(n=Count("pk")).order_by()
    )
    return render(
        request,
        "network/models_detail.html",
        {
            "model": model,
            "valve_counts": [
                (label, by_source.get(value, 0)) for value, label in ValveSource.choices
            ],
            "valve_total": sum(by_source.values()),
            "populated": model.nodes.filter(population__gt=0).count(),
            "manage": request.user.has_perm(MANAGE_NETWORK),
            "generate_form": GenerateForm(),
        },
    )


def _refused(request, error: DomainError) -> None:
    details = "；".join(str(m) for m in error.fields.values())
    messages.error(request, f"{error.message} {details}".strip())


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
@require_POST
def model_current(request, network_model_id: int):
    model = model_of(request, network_model_id)
    _model, changed = service.make_current(model, by=request.user)
    if changed:
        messages.success(
            request,
            pgettext("network models", "Version %(version)s is now the current model.")
            % {"version": model.version},
        )
    return redirect("network:model", model.pk)


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
@require_POST
def model_generate(request, network_model_id: int):
    model = model_of(request, network_model_id)
    form = GenerateForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(
                _("Please correct the marked fields."),
                fields={k: "；".join(v) for k, v in form.errors.items()},
            )
        data = form.cleaned_data
        model, changed = service.generate_valves(
            model,
            placement=data["placement"],
            n=data["n"],
            seed=data["seed"],
            by=request.user,
            key=request.POST.get("key", ""),
        )
    except DomainError as e:
        _refused(request, e)
    else:
        message = (
            pgettext("network models", "Valve layer generated: %(count)s valves (%(note)s).")
            if changed
            else pgettext("network models", "The valve layer is already this one (%(note)s).")
        )
        count = Valve.objects.filter(model=model).count()
        messages.success(request, message % {"count": count, "note": model.valve_layer_note})
    return redirect("network:model", model.pk)


def _template(fmt: str, build, title: str, fallback: str):
    if fmt not in ("xlsx", "csv"):
        return HttpResponseBadRequest(_("Choose xlsx or csv."))
    response = HttpResponse(build(fmt), content_type=CONTENT_TYPES[fmt])
    return attachment(response, f"{title}.{fmt}", f"{fallback}.{fmt}")


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
def valves_import(request, network_model_id: int):
    model = model_of(request, network_model_id)
    fmt = request.GET.get("template")
    if fmt is not None:
        title = pgettext("network models", "Isolation valves")
        return _template(fmt, sheets.valve_template, title, "valves")

    def run(upload):
        return service.import_valves(model, upload, by=request.user, filename=upload.name)

    request.network_model = model
    return import_page(request, "network/models_valves_import.html", run)


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
def population_import(request, network_model_id: int):
    model = model_of(request, network_model_id)
    fmt = request.GET.get("template")
    if fmt is not None:
        title = pgettext("network models", "Customers and population of nodes")
        return _template(fmt, sheets.population_template, title, "population")

    def run(upload):
        return service.import_population(model, upload, by=request.user, filename=upload.name)

    request.network_model = model
    return import_page(request, "network/models_population_import.html", run)


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
def model_inp(request, network_model_id: int):
    model = model_of(request, network_model_id)
    response = HttpResponse(model.inp, content_type="text/plain; charset=utf-8")
    name = model.filename or f"model-v{model.version}.inp"
    if not name.lower().endswith(".inp"):
        name += ".inp"
    return attachment(response, name, f"network-model-v{model.version}.inp")
