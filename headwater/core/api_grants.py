"""Role grants and devices in the API (ADR 0012 "Roles and devices on pages"). Thin over
core.grants and core.devices: lists scoped to what the caller manages, writes refused in the
error shape with nothing changed (a grant wider than the caller's, an unknown role, a person
without a login)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from headwater.core import devices, grants
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.errors import DomainError
from headwater.core.models import Person, Site, Unit
from headwater.core.roles import MANAGE_DEVICES, MANAGE_ROLES

router = Router(auth=SessionAuth())
PAGE = 50


class GrantOut(Schema):
    id: int
    role: str
    role_label: str
    unit_id: int | None
    unit_name: str | None
    site_id: int | None  # a gate guard's site; none for every other role
    site_name: str | None
    person_id: int | None
    person_name: str | None
    username: str

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_site_name(obj) -> str | None:
        return obj.site.name if obj.site_id else None

    @staticmethod
    def resolve_person_id(obj) -> int | None:
        return obj.user.person_id

    @staticmethod
    def resolve_person_name(obj) -> str | None:
        return obj.user.person.name if obj.user.person_id else None

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.username


class GrantIn(Schema):
    person_id: Id
    role: str = Field(max_length=40)
    unit_id: Id | None = None  # none: the whole organization (a gate guard: the site's unit)
    site_id: Id | None = None  # a gate guard's site (required for one, refused for others)


class RevokedOut(Schema):
    revoked: bool


class DeviceTokenOut(Schema):
    id: int
    name: str
    site_id: int | None
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class DeviceIn(Schema):
    name: str = Field(max_length=100)
    site_id: Id | None = None


class EnrolledOut(DeviceTokenOut):
    token: str  # shown once: only its hash is stored


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@router.get("/role-grants", response=list[GrantOut], tags=["roles"])
@paginate(Pagination, page_size=PAGE)
def list_grants(
    request,
    role: str = "",
    unit_id: Id | None = None,
    site_id: Id | None = None,
    person_id: Id | None = None,
):
    """The grants the caller manages (office: the organization's; unit head: their units')."""
    _require(request, MANAGE_ROLES)
    qs = grants.visible_grants(request.user).order_by("unit__path", "role", "pk")
    if role:
        qs = qs.filter(role=role)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if site_id is not None:
        qs = qs.filter(site_id=site_id)
    if person_id is not None:
        qs = qs.filter(user__person_id=person_id)
    return qs


@router.post("/role-grants", response={200: GrantOut, 201: GrantOut}, tags=["roles"])
def create_grant(request, payload: GrantIn):
    """Grant a role; 201 when new, 200 when it existed. Refused (403) when wider than the
    caller's own roles; 400 for an unknown role or a person without a login."""
    _require(request, MANAGE_ROLES)
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=payload.person_id)
    role = grants.parse_role(payload.role)
    unit = None
    if payload.unit_id is not None:
        unit = Unit.objects.visible_to(request.user).filter(pk=payload.unit_id).first()
        if unit is None:
            message = _("Choose a unit you may see.")
            raise DomainError(message, fields={"unit_id": message})
    site = None
    if payload.site_id is not None:
        site = Site.objects.visible_to(request.user).filter(pk=payload.site_id).first()
        if site is None:
            message = _("Choose a site of your organization.")
            raise DomainError(message, fields={"site_id": message})
    grant, created = grants.grant(person, role, unit, site, by=request.user)
    grant = grants.visible_grants(request.user).get(pk=grant.pk)
    return Status(201 if created else 200, grant)


@router.delete("/role-grants/{int:grant_id}", response=RevokedOut, tags=["roles"])
def delete_grant(request, grant_id: Id):
    _require(request, MANAGE_ROLES)
    grant = get_object_or_404(grants.visible_grants(request.user), pk=grant_id)
    return {"revoked": grants.revoke(grant, by=request.user)}


@router.get("/devices", response=list[DeviceTokenOut], tags=["devices"])
@paginate(Pagination, page_size=PAGE)
def list_devices(request):
    _require(request, MANAGE_DEVICES)
    return devices.visible_devices(request.user)


@router.post("/devices", response={201: EnrolledOut}, tags=["devices"])
def enrol_device(request, payload: DeviceIn):
    """Enrol a device; the answer carries its token, the only time it is given out."""
    _require(request, MANAGE_DEVICES)
    site = None
    if payload.site_id is not None:
        site = Site.objects.visible_to(request.user).filter(pk=payload.site_id).first()
        if site is None:
            message = _("Choose a site of your organization.")
            raise DomainError(message, fields={"site_id": message})
    device, raw = devices.enrol(request.user.organization, payload.name, site, by=request.user)
    out = DeviceTokenOut.from_orm(device).dict()
    return Status(201, {**out, "token": raw})


@router.post("/devices/{int:device_id}/revoke", response=RevokedOut, tags=["devices"])
def revoke_device(request, device_id: Id):
    _require(request, MANAGE_DEVICES)
    device = get_object_or_404(devices.visible_devices(request.user), pk=device_id)
    return {"revoked": devices.revoke(device, by=request.user)}
