"""The phone pass's token: signed with the organization's key, valid access.pass_seconds (plus
the scanner's grace for clocks), refused when expired, forged, tampered with or another
organization's — and a refusal writes nothing."""

import base64
import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from headwater.access import signing
from headwater.access.errors import AccessError
from headwater.access.models import SigningKey
from headwater.access.services import passes
from headwater.core.errors import DomainError
from headwater.core.models import LevelSettingValue

T0 = timezone.make_aware(dt.datetime(2026, 3, 9, 8, 0, 0))


def refused(token, org) -> str:
    with pytest.raises(DomainError) as caught:
        signing.verify(token, org)
    return caught.value.code


def test_a_phone_token_carries_the_person_and_lives_the_set_interval(people, org):
    person = people["operator"]
    with time_machine.travel(T0, tick=False):
        token, expires_at = passes.phone_token(person)
        claims = signing.verify(token, org)
    key = SigningKey.objects.get(organization=org)
    assert (claims.organization_id, claims.kind, claims.subject_id) == (org.pk, "p", person.pk)
    assert claims.key_id == key.key_id
    assert expires_at == T0 + dt.timedelta(seconds=60)
    assert claims.expires - claims.issued == 60


def test_each_token_is_new_so_a_screenshot_is_worth_one_interval(people, org):
    with time_machine.travel(T0, tick=False):
        first, _ = passes.phone_token(people["operator"])
        second, _ = passes.phone_token(people["operator"])
    assert first != second
    assert SigningKey.objects.filter(organization=org).count() == 1  # one key, made once


def test_the_interval_follows_the_level_setting(people, org):
    LevelSettingValue.objects.create(
        organization=org, level=org.response_level, key="access.pass_seconds", value=30
    )
    with time_machine.travel(T0, tick=False):
        _token, expires_at = passes.phone_token(people["operator"])
    assert expires_at == T0 + dt.timedelta(seconds=30)


def test_a_token_still_passes_within_the_grace_and_not_after(people, org):
    with time_machine.travel(T0, tick=False):
        token, _ = passes.phone_token(people["operator"])
    grace = 60 + signing.SKEW_SECONDS
    with time_machine.travel(T0 + dt.timedelta(seconds=grace), tick=False):
        assert signing.verify(token, org).subject_id == people["operator"].pk
    with time_machine.travel(T0 + dt.timedelta(seconds=grace + 1), tick=False):
        assert refused(token, org) == AccessError.TOKEN_EXPIRED


def test_an_old_token_from_yesterday_is_refused(people, org):
    with time_machine.travel(T0 - dt.timedelta(days=1), tick=False):
        token, _ = passes.phone_token(people["operator"])
    with time_machine.travel(T0, tick=False):
        assert refused(token, org) == AccessError.TOKEN_EXPIRED


def test_a_token_of_another_organization_is_refused(people, org, outsider):
    theirs, _ = passes.phone_token(outsider.person)
    assert refused(theirs, org) == AccessError.TOKEN_INVALID
    ours, _ = passes.phone_token(people["operator"])
    assert refused(ours, outsider.organization) == AccessError.TOKEN_INVALID


def _tamper(token: str, **changes) -> str:
    payload, signature = token[len(signing.PREFIX) :].split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body.update(changes)
    raw = json.dumps(body, separators=(",", ":")).encode()
    forged = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return f"{signing.PREFIX}{forged}.{signature}"


def test_a_tampered_token_is_refused(people, org):
    token, _ = passes.phone_token(people["operator"])
    assert refused(_tamper(token, s=people["head"].pk), org) == AccessError.TOKEN_INVALID
    assert refused(_tamper(token, e=4_000_000_000), org) == AccessError.TOKEN_INVALID


def test_a_token_signed_by_a_key_we_never_made_is_refused(people, org):
    key = signing.ensure_key(org)
    # a forger's own key pair, under our key's id
    seed, public = signing._new_pair()
    forger = SigningKey(organization=org, key_id=key.key_id, public_key=public, private_key=seed)
    forged = signing.sign(forger, "p", people["operator"].pk, expires=4_000_000_000)
    assert refused(forged, org) == AccessError.TOKEN_INVALID


@pytest.mark.parametrize("junk", ["", "hello", "HW1.", "HW1.x.y.z", "HW1." + "A" * 500])
def test_garbage_is_refused_as_not_a_pass(org, junk):
    assert refused(junk, org) == AccessError.TOKEN_INVALID


def test_a_refusal_writes_nothing(people, org):
    token, _ = passes.phone_token(people["operator"])
    keys = list(SigningKey.objects.values_list("pk", "retired_at"))
    refused(_tamper(token, s=1), org)
    assert list(SigningKey.objects.values_list("pk", "retired_at")) == keys
