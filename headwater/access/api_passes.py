"""Passes endpoints (/api/v1/access): one's own phone pass (the token and its QR, fetched again
by the pass page before it expires), printed cards (list, issue, revoke, print), signing keys
(list, rotate, retire) and what a scanner syncs for checking passes offline (the public keys
and the revocation list; the device's own sync endpoint is the scanner's).

Thin: reads through `visible_to`, writes through services/passes.py; refusals come back in the
one error shape."""

import math

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from ninja.pagination import paginate

from headwater.access import signing
from headwater.access.inputs_passes import CardInput
from headwater.access.models import PassCard, SigningKey
from headwater.access.permissions import MANAGE_GATES, OWN_PASS, SCAN
from headwater.access.printing_passes import pdf_response
from headwater.access.reads_passes import cards_queryset
from headwater.access.schemas_passes import (
    PassCardIn,
    PassCardOut,
    PassCardRevokeIn,
    PassCardsPrintIn,
    PassTokenOut,
    PublicKeysOut,
    SigningKeyOut,
)
from headwater.access.services import passes
from headwater.core import clock
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.downloads import qr_data_uri
from headwater.core.errors import NotAllowed, require

router = Router(auth=SessionAuth())
PASS, CARDS, KEYS = "health pass", "pass cards", "signing keys"
KEY = Header("", alias="Idempotency-Key")


def token_answer(person) -> dict:
    token, expires_at = passes.phone_token(person)
    return {
        "token": token,
        "expires_at": expires_at,
        "seconds": passes.pass_seconds(person.organization),
        "seconds_left": max(0, math.ceil((expires_at - clock.now()).total_seconds())),
        "qr": qr_data_uri(token),
    }


@router.get("/pass", response=PassTokenOut, tags=[PASS])
def my_pass(request):
    """The caller's phone pass now: a token valid `seconds` (access.pass_seconds) and its QR
    code. The pass page asks again before it expires."""
    require(request.user, OWN_PASS)
    if not request.user.person_id:
        raise Http404(_("Your login is not linked to a member of staff."))
    return token_answer(request.user.person)


def _card(request, card_id: int) -> PassCard:
    return get_object_or_404(
        PassCard.objects.visible_to(request.user).select_related("person__unit"), pk=card_id
    )


@router.get("/cards", response=list[PassCardOut], tags=[CARDS])
@paginate(Pagination, page_size=50)
def list_cards(request, q: str = "", state: str = ""):
    """Printed cards, newest first: the office's every card, anybody else's their own."""
    return cards_queryset(request.user, q, state[:10])


@router.post("/cards", response={200: PassCardOut, 201: PassCardOut}, tags=[CARDS])
def issue_card(request, payload: PassCardIn, idempotency_key: str = KEY):
    """A new card for a member of staff (the office); their previous card is revoked. A retry
    with the same Idempotency-Key answers 200 with the first card."""
    require(request.user, MANAGE_GATES)
    data = CardInput.parse(payload.dict(), request.user)
    card, created = passes.issue_card(
        data.person, by=request.user, key=idempotency_key, expires_on=data.expires_on
    )
    return Status(201 if created else 200, card)


@router.get("/cards/{int:card_id}", response=PassCardOut, tags=[CARDS])
def get_card(request, card_id: Id):
    return _card(request, card_id)


@router.post("/cards/{int:card_id}/revoke", response=PassCardOut, tags=[CARDS])
def revoke_card(request, card_id: Id, payload: PassCardRevokeIn):
    """Revoke a card with a reason (the office); revoking it again changes nothing."""
    card, _created = passes.revoke_card(_card(request, card_id), payload.reason, by=request.user)
    return card


@router.get("/cards/{int:card_id}/pdf", tags=[CARDS])
def card_pdf(request, card_id: Id):
    """One card, printable (PDF; the office)."""
    card = _card(request, card_id)
    require(request.user, MANAGE_GATES)
    return pdf_response([card], request.user.organization)


@router.post("/cards/print", tags=[CARDS])
def print_cards(request, payload: PassCardsPrintIn):
    """Several cards in one PDF, ten an A4 page (the office; revoked cards are left out)."""
    require(request.user, MANAGE_GATES)
    cards = list(
        cards_queryset(request.user)
        .filter(pk__in=payload.card_ids, revoked_at__isnull=True)
        .order_by("person__unit__path", "person__employee_no")
    )
    if not cards:
        raise Http404(_("None of these cards can be printed."))
    return pdf_response(cards, request.user.organization)


@router.get("/keys", response=list[SigningKeyOut], tags=[KEYS])
def list_keys(request):
    """The organization's signing keys, newest first (public halves only; the office)."""
    require(request.user, MANAGE_GATES)
    return SigningKey.objects.visible_to(request.user).order_by("-created_at", "-pk")


@router.post("/keys/rotate", response={201: SigningKeyOut}, tags=[KEYS])
def rotate_key(request):
    """A new key that signs from now on; the earlier ones verify until retired."""
    if request.user.organization is None:
        raise Http404(_("Not found."))
    key, _created = passes.rotate_key(request.user.organization, by=request.user)
    return Status(201, key)


@router.post("/keys/{int:signing_key_id}/retire", response=SigningKeyOut, tags=[KEYS])
def retire_key(request, signing_key_id: Id):
    """Retire a key: what it signed stops passing (not the last key that verifies)."""
    key = get_object_or_404(SigningKey.objects.visible_to(request.user), pk=signing_key_id)
    return passes.retire_key(key, by=request.user)[0]


@router.get("/keys/public", response=PublicKeysOut, tags=[KEYS])
def public_keys(request):
    """What a scanner needs to check passes offline: the public keys that verify and the
    serials of revoked cards (a scanning guard or the office)."""
    user = request.user
    if not (user.has_perm(SCAN) or user.has_perm(MANAGE_GATES)):
        raise NotAllowed(_("Your role may not do this."))
    organization = user.organization
    if organization is None:
        raise Http404(_("Not found."))
    return {
        "organization_id": organization.pk,
        "keys": signing.public_keys(organization),
        "revoked_serials": passes.revoked_serials(organization),
        "at": clock.now(),
    }
