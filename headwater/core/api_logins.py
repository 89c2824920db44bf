"""Logins from the roster and activation codes (core.logins), thin over the service.

Errors are the API's one shape (headwater/api.py): 403 `forbidden` outside the caller's scope,
404 `not_found` for an unknown unit or person, 400 `wrong_state` for a used, expired or unknown
activation code (nothing changes)."""

from datetime import datetime

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from headwater.core import logins
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id
from headwater.core.errors import DomainError
from headwater.core.models import Person, Unit

router = Router(auth=SessionAuth(), tags=["logins"])


class LoginsCreateIn(Schema):
    unit_id: Id | None = None  # None: everyone of the organization (office)


class LoginSkippedOut(Schema):
    employee_no: str
    name: str
    reason: str


class LoginsCreatedOut(Schema):
    created: int
    already: int
    skipped: list[LoginSkippedOut]


class ActivationCodeOut(Schema):
    person_id: int
    username: str
    code: str
    url: str
    expires_at: datetime


class ActivationSmsIn(Schema):
    person_id: Id | None = None
    unit_id: Id | None = None


class ActivationSmsOut(Schema):
    sent: int
    no_phone: list[str]


class ActivationIn(Schema):
    code: str
    password: str


class ActivatedOut(Schema):
    username: str


def _unit(request, unit_id: int) -> Unit:
    return get_object_or_404(logins.units_for(request.user), pk=unit_id)


def _person(request, person_id: int) -> Person:
    people = Person.objects.filter(unit__in=logins.units_for(request.user)).select_related("unit")
    return get_object_or_404(people, pk=person_id)


@router.post("/logins", response=LoginsCreatedOut)
def create_logins(request, payload: LoginsCreateIn):
    """Create a login (username = staff number, no password, staff role) for every person of
    the unit subtree without one; re-running creates nothing new."""
    unit = _unit(request, payload.unit_id) if payload.unit_id else None
    return logins.create_logins(request.user.organization, unit, by=request.user).as_dict()


@router.post("/people/{int:person_id}/activation-code", response=ActivationCodeOut)
def issue_code(request, person_id: Id):
    """A new single-use activation code for one person (older codes stop working); audited."""
    issued = logins.reissue(_person(request, person_id), by=request.user)
    return {
        "person_id": person_id,
        "username": issued.user.username,
        "code": issued.code,
        "url": issued.url,
        "expires_at": issued.expires_at,
    }


@router.post("/logins/activation-sms", response=ActivationSmsOut)
def send_sms(request, payload: ActivationSmsIn):
    """Send a fresh activation code by SMS to one person, or to everyone of a unit awaiting
    activation."""
    if (payload.person_id is None) == (payload.unit_id is None):
        message = _("Give either a person or a unit.")
        raise DomainError(message, fields={"person_id": message})
    if payload.person_id:
        report = logins.send_codes_by_sms(
            by=request.user, person=_person(request, payload.person_id)
        )
    else:
        report = logins.send_codes_by_sms(by=request.user, unit=_unit(request, payload.unit_id))
    return {"sent": report.sent, "no_phone": report.no_phone}


@router.post("/activate", response=ActivatedOut, auth=None)
def activate(request, payload: ActivationIn):
    """Use an activation code and set the login's password (Django's validators) in one step,
    without a session (a client app signs in afterwards)."""
    with transaction.atomic():
        code = logins.find(payload.code)
        refusal = logins.refusal(code)
        if refusal:
            raise DomainError(refusal, code="wrong_state", fields={"code": refusal})
        try:
            password_validation.validate_password(payload.password, code.user)
        except ValidationError as e:
            message = " ".join(e.messages)
            raise DomainError(message, fields={"password": message}) from None
        user = logins.consume(payload.code)
        user.set_password(payload.password)
        user.save(update_fields=["password"])
    return {"username": user.username}
