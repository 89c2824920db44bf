"""Shapes of the passes API: the phone pass's token, printed cards, signing keys and what a
scanner syncs (public keys and the revocation list). Inputs bounded (core.apitypes)."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Day, Id


class PassTokenOut(Schema):
    token: str
    expires_at: dt.datetime
    seconds: int  # how long a token lives (access.pass_seconds)
    seconds_left: int
    qr: str  # the token as a QR code, an SVG data: URI


class PassCardOut(Schema):
    id: int
    serial: str
    person_id: int
    person_name: str = Field(..., alias="person.name")
    unit_name: str = Field(..., alias="person.unit.name")
    issued_at: dt.datetime
    expires_on: dt.date
    revoked_at: dt.datetime | None
    revoke_reason: str
    state: str  # active | revoked | expired

    @staticmethod
    def resolve_state(card) -> str:
        from headwater.access.services.passes import card_state

        return card_state(card)


class PassCardIn(Schema):
    person_id: Id
    expires_on: Day | None = None


class PassCardRevokeIn(Schema):
    reason: str = Field(..., max_length=200)


class PassCardsPrintIn(Schema):
    card_ids: list[Id] = Field(..., min_length=1, max_length=200)


class SigningKeyOut(Schema):
    id: int
    key_id: str
    public_key: str
    created_at: dt.datetime
    retired_at: dt.datetime | None


class PublicKeysOut(Schema):
    organization_id: int
    keys: dict[str, str]  # key id -> Ed25519 public key, base64url
    revoked_serials: list[str]
    at: dt.datetime
