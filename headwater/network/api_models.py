"""Network model endpoints (/api/v1/network): versions (list, upload as multipart, detail,
make current), the valve layer (generate, list) and a version's nodes and links (paged).

Thin: reads through `visible_to`, writes through services/models.py; refusals come back in
the one error shape (a bad .inp file: 400 `network_bad_model_file`, the line in the
message and in `fields.file`)."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from ninja import File, Form, Header, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.network.models import Link, NetworkModel, Node, Valve
from headwater.network.schemas_models import (
    NetworkLinkOut,
    NetworkModelOut,
    NetworkNodeOut,
    NetworkValveLayerIn,
    NetworkValveOut,
)
from headwater.network.services import models as service

router = Router(auth=SessionAuth())
TAGS = ["network models"]
KEY = Header("", alias="Idempotency-Key", max_length=200)


def _models(request):
    return (
        NetworkModel.objects.visible_to(request.user)
        .annotate(valve_count=Count("valves"))
        .defer("inp")
        .order_by("-version")
    )


def _model(request, network_model_id: int) -> NetworkModel:
    return get_object_or_404(_models(request), pk=network_model_id)


def _out(m: NetworkModel) -> dict:
    return {
        "id": m.pk,
        "version": m.version,
        "name": m.name,
        "filename": m.filename,
        "title": m.title,
        "flow_units": m.flow_units,
        "nodes": m.node_count,
        "links": m.link_count,
        "valves": m.valve_count,
        "valve_layer": m.valve_layer,
        "valve_layer_label": str(m.get_valve_layer_display()) if m.valve_layer else "",
        "valve_layer_note": m.valve_layer_note,
        "current": m.current,
        "note": m.note,
        "uploaded_at": m.uploaded_at,
        "ranking_wanted_at": m.ranking_wanted_at,
        "ranked_at": m.ranked_at,
    }


@router.get("/models", response=list[NetworkModelOut], tags=TAGS)
@paginate(Pagination, page_size=100)
def list_models(request):
    """The organization's model versions, newest first (the current one flagged)."""
    return [_out(m) for m in _models(request)]


@router.post("/models", response={200: NetworkModelOut, 201: NetworkModelOut}, tags=TAGS)
def upload_model(
    request,
    file: File[UploadedFile],
    name: str = Form("", max_length=200),
    note: str = Form("", max_length=2000),
    key: str = KEY,
):
    """Upload an EPANET .inp file (multipart `file`, optional `name`, `note`): a new current
    version (201), or the current one when the file is the same (200). A file the parser
    refuses changes nothing (400 with the line)."""
    model, created = service.import_inp(
        request.user.organization,
        file.read(service.MAX_BYTES + 1),
        file.name or "",
        by=request.user,
        key=key,
        name=name,
        note=note,
    )
    return Status(201 if created else 200, _out(_model(request, model.pk)))


@router.get("/models/{int:network_model_id}", response=NetworkModelOut, tags=TAGS)
def get_model(request, network_model_id: Id):
    return _out(_model(request, network_model_id))


@router.post("/models/{int:network_model_id}/current", response=NetworkModelOut, tags=TAGS)
def make_current(request, network_model_id: Id):
    """Make this version the one in use (again)."""
    service.make_current(_model(request, network_model_id), by=request.user)
    return _out(_model(request, network_model_id))


@router.post("/models/{int:network_model_id}/valves/generate", response=NetworkModelOut, tags=TAGS)
def generate_valves(request, network_model_id: Id, payload: NetworkValveLayerIn, key: str = KEY):
    """Replace the version's valve layer with WNTR's (strategic N-k, or n random valves),
    the same for the same seed."""
    model = _model(request, network_model_id)
    service.generate_valves(model, **payload.dict(), by=request.user, key=key)
    return _out(_model(request, network_model_id))


@router.get("/models/{int:network_model_id}/valves", response=list[NetworkValveOut], tags=TAGS)
@paginate(Pagination, page_size=500)
def list_valves(request, network_model_id: Id):
    model = _model(request, network_model_id)
    return Valve.objects.visible_to(request.user).filter(model=model).order_by("pk")


@router.get("/models/{int:network_model_id}/nodes", response=list[NetworkNodeOut], tags=TAGS)
@paginate(Pagination, page_size=500)
def list_nodes(request, network_model_id: Id):
    model = _model(request, network_model_id)
    return Node.objects.visible_to(request.user).filter(model=model).order_by("pk")


@router.get("/models/{int:network_model_id}/links", response=list[NetworkLinkOut], tags=TAGS)
@paginate(Pagination, page_size=500)
def list_links(request, network_model_id: Id):
    model = _model(request, network_model_id)
    return Link.objects.visible_to(request.user).filter(model=model).order_by("pk")
