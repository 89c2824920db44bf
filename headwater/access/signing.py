"""Signed passes: the one token format, signed with the organization's Ed25519 key
(`cryptography`), verified here and, offline, on the scanner with the public halves only
(ADR 0025).

    HW1.<payload>.<signature>

`payload` is base64url (no padding) of compact JSON {"o": organization id, "k": key id,
"t": kind ("p" phone pass, "c" printed card, "v" visitor pass), "s": subject id (person,
card or visit), "i": issued (unix seconds), "e": expires (unix seconds), "n": nonce (the
card's serial for a card)}; `signature` is base64url of Ed25519 over the ASCII bytes
"HW1." + payload. A phone pass lives `access.pass_seconds` (60 s) plus a grace for clocks
(`SKEW_SECONDS`); a card until its end date; a visitor pass until the visit's end.

Nothing here writes rows but `ensure_key`/`rotate` (keys) — the decisions about who passes
are in `services/scan.py`.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.db import transaction
from django.utils.translation import gettext as _

from headwater.access.errors import AccessError
from headwater.access.models import SigningKey
from headwater.core import clock
from headwater.core.errors import DomainError

PREFIX = "HW1."
SKEW_SECONDS = 30  # a phone's clock a little ahead or behind the scanner's
MAX_TOKEN_LENGTH = 400
KIND_PASS, KIND_CARD, KIND_VISIT = "p", "c", "v"
KINDS = (KIND_PASS, KIND_CARD, KIND_VISIT)


@dataclass(frozen=True)
class Claims:
    organization_id: int
    key_id: str
    kind: str  # KIND_PASS | KIND_CARD | KIND_VISIT
    subject_id: int
    issued: int
    expires: int
    nonce: str

    @property
    def token_id(self) -> str:
        """What a passage records to recognise a replay: kind, key and nonce."""
        return f"{self.kind}{self.nonce}"[:24]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _new_pair() -> tuple[str, str]:
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return _b64(seed), _b64(public)


def ensure_key(organization) -> SigningKey:
    """The key that signs now, made on first use (race-safe: one per organization)."""
    key = active_key(organization)
    if key is not None:
        return key
    with transaction.atomic():
        # lock the organization row so two first signers make one key, not two
        type(organization).objects.select_for_update().filter(pk=organization.pk).first()
        key = active_key(organization)
        if key is None:
            seed, public = _new_pair()
            key = SigningKey.objects.create(
                organization=organization,
                key_id=secrets.token_hex(4),
                public_key=public,
                private_key=seed,
            )
    return key


def active_key(organization) -> SigningKey | None:
    return (
        SigningKey.objects.of(organization)
        .filter(retired_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


def rotate(organization) -> SigningKey:
    """A new signing key; earlier keys keep verifying until they are retired."""
    seed, public = _new_pair()
    return SigningKey.objects.create(
        organization=organization, key_id=secrets.token_hex(4), public_key=public, private_key=seed
    )


def public_keys(organization) -> dict[str, str]:
    """{key id: public key (base64url)} of every key that verifies: what scanners sync."""
    rows = SigningKey.objects.of(organization).filter(retired_at__isnull=True)
    return dict(rows.values_list("key_id", "public_key"))


def sign(key: SigningKey, kind: str, subject_id: int, *, expires: int, nonce: str = "") -> str:
    """A token of `kind` for `subject_id`, valid until `expires` (unix seconds)."""
    assert kind in KINDS
    now = int(clock.now().timestamp())
    body = {
        "o": key.organization_id,
        "k": key.key_id,
        "t": kind,
        "s": subject_id,
        "i": now,
        "e": int(expires),
        "n": nonce or secrets.token_hex(6),
    }
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    private = Ed25519PrivateKey.from_private_bytes(_unb64(key.private_key))
    signature = private.sign((PREFIX + payload).encode("ascii"))
    return f"{PREFIX}{payload}.{_b64(signature)}"


def _invalid():
    return DomainError(
        _("This is not a pass of this organization."), code=AccessError.TOKEN_INVALID, status=400
    )


def read(token: str) -> Claims:
    """The claims of a well-formed token, NOT yet verified (which key signed it: `verify`)."""
    token = (token or "").strip()
    if not token.startswith(PREFIX) or len(token) > MAX_TOKEN_LENGTH:
        raise _invalid()
    try:
        payload, _sig = token[len(PREFIX) :].split(".")
        body = json.loads(_unb64(payload))
        claims = Claims(
            organization_id=int(body["o"]),
            key_id=str(body["k"]),
            kind=str(body["t"]),
            subject_id=int(body["s"]),
            issued=int(body["i"]),
            expires=int(body["e"]),
            nonce=str(body["n"]),
        )
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise _invalid() from None
    if claims.kind not in KINDS:
        raise _invalid()
    return claims


def verify(token: str, organization, *, keys: dict[str, str] | None = None) -> Claims:
    """The claims of a token signed by one of `organization`'s keys and not expired.

    Refused (DomainError, nothing written): not a pass, another organization's, a key
    unknown or retired, a bad signature, expired. `keys` ({key id: public key}) saves the
    read of the keys on a hot path."""
    claims = read(token)
    if claims.organization_id != organization.pk:
        raise _invalid()
    keys = public_keys(organization) if keys is None else keys
    public = keys.get(claims.key_id)
    if public is None:
        raise _invalid()
    payload, signature = token.strip()[len(PREFIX) :].split(".")
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(public)).verify(
            _unb64(signature), (PREFIX + payload).encode("ascii")
        )
    except (InvalidSignature, ValueError, binascii.Error):
        raise _invalid() from None
    if claims.expires + SKEW_SECONDS < clock.now().timestamp():
        raise DomainError(
            _("This pass has expired: ask for the current one on the phone."),
            code=AccessError.TOKEN_EXPIRED,
            status=400,
        )
    return claims
