"""Passes and keys (ADR 0025, "Passes and keys"): the short-lived token of a person's phone
pass, printed pass cards (issue, re-issue, revoke, the revocation list scanners sync) and the
organization's signing keys (rotate, retire).

Tokens are made by `access.signing` only; nothing here changes their format. A card's token is
signed when it is printed (the card row keeps no token: any print of it verifies while the key
that signed it is not retired, and its serial — the token's nonce — is what a revocation
names)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.access import signing
from headwater.access.errors import AccessError
from headwater.access.models import PassCard, SigningKey
from headwater.access.permissions import MANAGE_GATES
from headwater.core import clock, levels, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, require
from headwater.core.models import Person
from headwater.core.writes import Written, idempotent

CARD_DAYS = 365  # a card is valid a year unless the office says otherwise
REISSUED = "reissued"  # the reason recorded on a card a new one replaced


def _unix(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def _same_organization(by, organization_id: int) -> None:
    if by.organization_id != organization_id:
        raise DomainError(_("Not found."), status=404)


# --- the phone pass ---------------------------------------------------------------------------


def pass_seconds(organization) -> int:
    return int(levels.value(organization, "access.pass_seconds"))


def phone_token(person) -> tuple[str, dt.datetime]:
    """The token the person's phone shows now and when it stops being valid: kind "p",
    subject the person, valid `access.pass_seconds` (a scanner adds a small grace for
    clocks). A new token each call (a fresh nonce): a screenshot is worth one interval."""
    organization = person.organization
    key = signing.ensure_key(organization)
    expires_at = clock.now().replace(microsecond=0) + dt.timedelta(
        seconds=pass_seconds(organization)
    )
    token = signing.sign(key, signing.KIND_PASS, person.pk, expires=_unix(expires_at))
    return token, expires_at


# --- printed cards ----------------------------------------------------------------------------


def card_expires_at(card: PassCard) -> dt.datetime:
    """The end of the card's last day, local time."""
    return clock.day_bounds(card.expires_on)[1]


def card_token(card: PassCard) -> str:
    """The long-lived token printed on `card`: kind "c", subject the card, nonce its serial,
    signed by the key that signs now."""
    key = signing.ensure_key(card.organization)
    return signing.sign(
        key,
        signing.KIND_CARD,
        card.pk,
        expires=_unix(card_expires_at(card)),
        nonce=card.serial,
    )


def _new_serial() -> str:
    return secrets.token_hex(6).upper()  # 12 characters, 48 random bits


def issue_card(
    person, *, by, key: str = "", expires_on: dt.date | None = None
) -> Written[PassCard]:
    """A new printed card for `person` (office only), valid until `expires_on` (a year by
    default). One active card a person: the previous one is revoked ("reissued") in the same
    transaction, so a lost card stops passing as soon as its replacement exists. `key` makes
    a retried request return the first card."""
    require(by, MANAGE_GATES)
    _same_organization(by, person.organization_id)
    return idempotent(
        "access.issue_card",
        by=by,
        key=key,
        model=PassCard,
        write=lambda: _issue(person, by=by, expires_on=expires_on),
    )


def _issue(person, *, by, expires_on: dt.date | None) -> Written[PassCard]:
    today = clock.today()
    expires_on = expires_on or today + dt.timedelta(days=CARD_DAYS)
    if expires_on < today:
        raise DomainError(
            _("A card cannot end before today."),
            fields={"expires_on": _("Choose today or a later day.")},
        )
    now = clock.now()
    with transaction.atomic(), acting_as(by):
        # the person's row serializes two offices issuing at once: one active card stays
        locks.lock(Person.objects.filter(pk=person.pk))
        for old in locks.lock(PassCard.objects.filter(person=person, revoked_at__isnull=True)):
            old.revoked_at, old.revoked_by, old.revoke_reason = now, by, REISSUED
            old.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        card = PassCard.objects.create(
            organization_id=person.organization_id,
            person=person,
            serial=_new_serial(),
            issued_at=now,
            issued_by=by,
            expires_on=expires_on,
        )
    return card, True


def revoke_card(card: PassCard, reason: str, *, by) -> Written[PassCard]:
    """Revoke `card` (office only) with a reason: it goes on the revocation list and every
    scanner refuses it from its next sync. Revoking a revoked card changes nothing."""
    require(by, MANAGE_GATES)
    _same_organization(by, card.organization_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why the card is revoked."), fields={"reason": _("This field is required.")}
        )
    if len(reason) > 200:
        raise DomainError(
            _("Say why the card is revoked."),
            fields={"reason": _("At most %(n)s characters.") % {"n": 200}},
        )
    with transaction.atomic(), acting_as(by):
        card = locks.lock_one(PassCard, card.pk)
        if card.revoked_at is not None:
            return card, False
        card.revoked_at, card.revoked_by, card.revoke_reason = clock.now(), by, reason
        card.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return card, True


def revoked_serials(organization) -> list[str]:
    """The serials of the revoked cards still within their dates (a card past its end date is
    refused by its token's expiry anyway): the revocation list scanners sync."""
    since = clock.today() - dt.timedelta(days=1)  # a day's grace for a scanner's clock
    rows = PassCard.objects.of(organization).filter(revoked_at__isnull=False, expires_on__gte=since)
    return sorted(rows.values_list("serial", flat=True))


def card_state(card: PassCard) -> str:
    """ "active", "revoked" or "expired" (for lists and the API)."""
    if card.revoked_at is not None:
        return "revoked"
    return "expired" if card.expires_on < clock.today() else "active"


# --- signing keys -----------------------------------------------------------------------------


def rotate_key(organization, *, by) -> Written[SigningKey]:
    """A new signing key (office only): it signs from now on; the earlier keys keep verifying
    until they are retired, so passes and cards already out keep working."""
    require(by, MANAGE_GATES)
    _same_organization(by, organization.pk)
    with transaction.atomic(), acting_as(by):
        locks.lock(type(organization).objects.filter(pk=organization.pk))
        key = signing.rotate(organization)
    return key, True


def retire_key(key: SigningKey, *, by) -> Written[SigningKey]:
    """Retire `key` (office only): from now on nothing it signed verifies, here or on a
    scanner after its next sync. The last key that verifies cannot be retired (rotate first).
    Retiring a retired key changes nothing."""
    require(by, MANAGE_GATES)
    _same_organization(by, key.organization_id)
    with transaction.atomic(), acting_as(by):
        active = locks.lock(
            SigningKey.objects.of(key.organization_id).filter(retired_at__isnull=True)
        )
        key = locks.lock_one(SigningKey, key.pk)
        if key.retired_at is not None:
            return key, False
        if [k.pk for k in active] == [key.pk]:
            raise DomainError(
                _("This is the only key that signs passes: make a new key before retiring it."),
                code=AccessError.NO_KEY,
            )
        key.retired_at = clock.now()
        key.save(update_fields=["retired_at"])
    return key, True
