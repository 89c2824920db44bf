"""Household members (家属) endpoints: a member of staff lists, registers, edits and
deactivates their own relatives; the office does it for anyone in its scope; whoever sees the
member of staff sees their relatives, phone and address masked (ADR 0017).

Thin over core.household: reads through `visible_to`, writes through its services."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status
from ninja.pagination import paginate

from headwater.core import household
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination, Patch
from headwater.core.choices import Relation
from headwater.core.errors import NotAllowed
from headwater.core.models import HouseholdMember, Person

router = Router(auth=SessionAuth(), tags=["household members"])
PAGE = 50


class MemberIn(Schema):
    person_id: Id | None = Field(None, description="The member of staff; empty: yourself")
    name: str = Field(..., max_length=100)
    relation: str = Field(..., max_length=20)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)


class MemberPatch(Patch):
    name: str | None = Field(None, max_length=100)
    relation: str | None = Field(None, max_length=20)
    phone: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=200)


class HouseholdMemberOut(Schema):
    id: int
    person_id: int
    person_name: str
    name: str
    relation: str
    relation_label: str
    phone: str
    address: str
    is_active: bool
    created_at: dt.datetime


class HouseholdRevealIn(Schema):
    purpose: str = Field("", max_length=200)


class MemberRevealOut(Schema):
    phone: str
    address: str


def _out(member: HouseholdMember, viewer) -> dict:
    return {
        "id": member.pk,
        "person_id": member.person_id,
        "person_name": member.person.name,
        "name": member.name,
        "relation": member.relation,
        "relation_label": str(Relation(member.relation).label),
        "is_active": member.is_active,
        "created_at": member.created_at,
        **household.shown(member, viewer),
    }


def _visible(request):
    return HouseholdMember.objects.visible_to(request.user).select_related("person")


class Shown:
    """The rows of a queryset as the viewer sees them, built only for the page the paginator
    slices (never the whole organization's relatives at once)."""

    def __init__(self, rows, viewer):
        self.rows, self.viewer = rows, viewer

    def all(self) -> "Shown":
        return self

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, key):
        return [_out(m, self.viewer) for m in self.rows[key]]


@router.get("/household", response=list[HouseholdMemberOut])
@paginate(Pagination, page_size=PAGE)
def list_members(request, person_id: Id | None = None, active: bool | None = None):
    """The relatives the caller sees: their own, and those of the staff in their scope."""
    qs = _visible(request)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    return Shown(qs.order_by("person__employee_no", "id"), request.user)


@router.get("/household/{int:member_id}", response=HouseholdMemberOut)
def get_member(request, member_id: Id):
    return _out(get_object_or_404(_visible(request), pk=member_id), request.user)


@router.post("/household", response={200: HouseholdMemberOut, 201: HouseholdMemberOut})
def register_member(
    request, payload: MemberIn, idempotency_key: str = Header("", alias="Idempotency-Key")
):
    """Register a relative: 201; 200 when the same idempotency key was seen before."""
    if payload.person_id is None:
        if request.user.person_id is None:
            raise NotAllowed(_("Your login is not linked to a person on the roster."))
        person_id = request.user.person_id
    else:
        person_id = payload.person_id
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    member, created = household.register_member(
        person, payload.dict(exclude={"person_id"}), by=request.user, key=idempotency_key
    )
    member.person = person
    return Status(201 if created else 200, _out(member, request.user))


@router.patch("/household/{int:member_id}", response=HouseholdMemberOut)
def update_member(request, member_id: Id, payload: MemberPatch):
    member = get_object_or_404(
        household.editable(request.user).select_related("person"), pk=member_id
    )
    member, _created = household.update_member(
        member, payload.dict(exclude_unset=True), by=request.user, partial=True
    )
    return _out(member, request.user)


@router.post("/household/{int:member_id}/deactivate", response=HouseholdMemberOut)
def deactivate_member(request, member_id: Id):
    """The relative no longer lives with the member of staff (kept with their past lines)."""
    member = get_object_or_404(
        household.editable(request.user).select_related("person"), pk=member_id
    )
    member, _created = household.deactivate_member(member, by=request.user)
    return _out(member, request.user)


@router.post("/household/{int:member_id}/reveal", response=MemberRevealOut)
def reveal_member(request, member_id: Id, payload: HouseholdRevealIn):
    """Phone and address in full; only for roles allowed personal data, and logged."""
    member = get_object_or_404(_visible(request), pk=member_id)
    return household.reveal_member(request.user, member, purpose=payload.purpose)
