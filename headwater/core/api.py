"""Core endpoints: units, sites, people, response level and its settings, audit trail.

Thin: every read goes through a `visible_to` scope, every write through core.services.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from headwater.core import accounts, audit, levels, privacy, services
from headwater.core.apiauth import DeviceTokenAuth, SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.choices import ResponseLevel
from headwater.core.errors import DomainError, require
from headwater.core.models import DeviceToken, Person, Site, Unit
from headwater.core.roles import CHANGE_RESPONSE_LEVEL, CHANGE_SITE, VIEW_AUDIT
from headwater.core.schemas import (
    AuditEntryOut,
    DeviceOut,
    LevelIn,
    LevelOut,
    LevelPreviewOut,
    LevelSettingOut,
    LevelValueIn,
    PersonIn,
    PersonOut,
    PersonPatch,
    RevealIn,
    RevealOut,
    SiteIn,
    SiteOut,
    UnitOut,
    UnlockOut,
)

router = Router(auth=SessionAuth())
PAGE = 50


@router.get("/units", response=list[UnitOut], tags=["units"])
@paginate(Pagination, page_size=PAGE)
def list_units(request):
    return Unit.objects.visible_to(request.user).order_by("path")


@router.get("/units/{int:unit_id}", response=UnitOut, tags=["units"])
def get_unit(request, unit_id: Id):
    return get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)


def _sites_for(request):
    device = request.auth if isinstance(request.auth, DeviceToken) else None
    if device:
        return Site.objects.filter(organization_id=device.organization_id)
    return Site.objects.visible_to(request.user)


@router.get(
    "/sites", response=list[SiteOut], tags=["sites"], auth=[SessionAuth(), DeviceTokenAuth()]
)
@paginate(Pagination, page_size=PAGE)
def list_sites(request, kind: str = ""):
    qs = _sites_for(request).select_related("unit")
    return qs.filter(kind=kind) if kind else qs


@router.get(
    "/sites/{int:site_id}",
    response=SiteOut,
    tags=["sites"],
    auth=[SessionAuth(), DeviceTokenAuth()],
)
def get_site(request, site_id: Id):
    return get_object_or_404(_sites_for(request), pk=site_id)


@router.post("/sites", response={201: SiteOut}, tags=["sites"])
def create_site(request, payload: SiteIn):
    if not request.user.has_perm(CHANGE_SITE):
        raise PermissionDenied
    site = services.save_site(
        Site(organization=request.user.organization, **payload.dict()), by=request.user
    )
    return Status(201, site)


@router.get("/people", response=list[PersonOut], tags=["people"])
@paginate(Pagination, page_size=PAGE)
def list_people(request, q: str = "", unit_id: Id | None = None, critical: bool | None = None):
    qs = Person.objects.visible_to(request.user).select_related("unit")
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(employee_no=q)
    if unit_id:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
        qs = qs.filter(unit__path__startswith=unit.path)
    if critical is not None:
        qs = qs.filter(is_critical=critical)
    return qs.order_by("employee_no")


@router.get("/people/{int:person_id}", response=PersonOut, tags=["people"])
def get_person(request, person_id: Id):
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("unit"), pk=person_id
    )


def _unit_in_scope(request, unit_id: Id) -> Unit:
    unit = Unit.objects.visible_to(request.user).filter(pk=unit_id).first()
    if unit is None:
        message = services.unknown_unit_message()
        raise DomainError(message, fields={"unit_id": message})
    return unit


@router.post("/people", response={201: PersonOut}, tags=["people"])
def create_person(request, payload: PersonIn):
    data = payload.dict()
    unit = _unit_in_scope(request, data.pop("unit_id"))
    person = Person(organization=request.user.organization, unit=unit, **data)
    return Status(201, services.save_person(person, by=request.user))


@router.patch("/people/{int:person_id}", response=PersonOut, tags=["people"])
def update_person(request, person_id: Id, payload: PersonPatch):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    data = payload.dict(exclude_unset=True)
    if "unit_id" in data:
        person.unit = _unit_in_scope(request, data.pop("unit_id"))
    for name, value in data.items():
        setattr(person, name, value)
    return services.save_person(person, by=request.user)


@router.post("/people/{int:person_id}/unlock-signin", response=UnlockOut, tags=["people"])
def unlock_signin(request, person_id: Id):
    """Lift a sign-in lock-out on the person's login (office); audited."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    was_locked = accounts.unlock_signin(accounts.signin_user_of(person), by=request.user)
    return {"was_locked": was_locked}


@router.post("/people/{int:person_id}/reveal", response=RevealOut, tags=["people"])
def reveal_person(request, person_id: Id, payload: RevealIn):
    """Full phone and ID number; only for roles allowed to see them, and logged."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    return privacy.reveal(request.user, person, purpose=payload.purpose)


def _level_out(org) -> dict:
    change = org.level_changes.first()
    level = change.level if change else ResponseLevel.NORMAL
    return {
        "level": level,
        "label": str(ResponseLevel(level).label),
        "changed_at": change.changed_at if change else None,
        "reason": change.reason if change else "",
    }


@router.get("/response-level", response=LevelOut, tags=["response level"])
def get_level(request):
    return _level_out(request.user.organization)


@router.post("/response-level", response=LevelOut, tags=["response level"])
def set_level(request, payload: LevelIn):
    org = request.user.organization
    services.switch_level(org, payload.level, by=request.user, reason=payload.reason)
    return _level_out(org)


@router.get("/response-level/preview", response=LevelPreviewOut, tags=["response level"])
def preview_level(request, level: ResponseLevel):
    """What switching to `level` would change: every per-level setting whose value differs,
    by capability (old → new). Reads only; the switch is POST /response-level."""
    require(request.user, CHANGE_RESPONSE_LEVEL)
    org = request.user.organization
    return {
        "level": level,
        "label": str(ResponseLevel(level).label),
        "current": org.response_level,
        "changes": [
            {"key": c.key, "label": c.label, "capability": c.capability, "old": c.old, "new": c.new}
            for c in levels.changes(org, level)
        ],
    }


@router.get("/response-level/settings", response=list[LevelSettingOut], tags=["response level"])
def list_level_settings(request):
    return [
        {"key": r["setting"].key, "label": str(r["setting"].label), "values": r["values"]}
        for r in levels.table(request.user.organization)
    ]


@router.put(
    "/response-level/settings/{key}/{level}", response=LevelSettingOut, tags=["response level"]
)
def put_level_setting(request, key: str, level: str, payload: LevelValueIn):
    org = request.user.organization
    services.set_level_value(org, key, level, payload.value, by=request.user)
    row = next(r for r in levels.table(org) if r["setting"].key == key)
    return {"key": key, "label": str(row["setting"].label), "values": row["values"]}


@router.get("/audit", response=list[AuditEntryOut], tags=["audit"])
@paginate(Pagination, page_size=PAGE)
def search_audit(request, q: str = "", model: str = "", actor: str = ""):
    if not request.user.has_perm(VIEW_AUDIT):
        raise PermissionDenied
    return audit.search(request.user.organization, text=q, model=model, actor=actor)


@router.get("/devices/me", response=DeviceOut, tags=["devices"], auth=DeviceTokenAuth())
def device_me(request):
    device = request.auth
    return {
        "name": device.name,
        "organization": device.organization.name,
        "site_id": device.site_id,
    }
