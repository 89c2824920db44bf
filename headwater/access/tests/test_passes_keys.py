"""Signing keys: a rotation makes a new key that signs from then on while the previous key
keeps verifying; retiring a key makes what it signed (passes and printed cards) refused;
the last key that verifies cannot be retired; only the office of the organization acts."""

import pytest
from auditlog.models import LogEntry

from headwater.access import signing
from headwater.access.errors import AccessError
from headwater.access.models import SigningKey
from headwater.access.services import passes
from headwater.access.tests.factories_passes import PassCardFactory
from headwater.core.errors import DomainError, NotAllowed


def keys():
    return list(SigningKey.objects.order_by("pk").values_list("pk", "key_id", "retired_at"))


def test_after_a_rotation_the_new_key_signs_and_the_old_one_still_verifies(
    office_user, people, org
):
    old_token, _ = passes.phone_token(people["operator"])
    old_key = signing.active_key(org)
    new_key, created = passes.rotate_key(org, by=office_user)
    new_token, _ = passes.phone_token(people["operator"])
    assert created is True and new_key.key_id != old_key.key_id
    assert signing.read(new_token).key_id == new_key.key_id
    assert signing.verify(old_token, org).key_id == old_key.key_id
    assert set(signing.public_keys(org)) == {old_key.key_id, new_key.key_id}


def test_a_retired_key_no_longer_verifies_its_passes_nor_its_cards(office_user, people, org):
    token, _ = passes.phone_token(people["operator"])
    card = PassCardFactory(person=people["head"])
    card_token = passes.card_token(card)
    old_key = signing.active_key(org)
    passes.rotate_key(org, by=office_user)
    retired, changed = passes.retire_key(old_key, by=office_user)
    assert changed is True and retired.retired_at is not None
    for refused in (token, card_token):
        with pytest.raises(DomainError) as caught:
            signing.verify(refused, org)
        assert caught.value.code == AccessError.TOKEN_INVALID
    assert old_key.key_id not in signing.public_keys(org)
    # printed again, the card is signed by the key in force and passes
    assert signing.verify(passes.card_token(card), org).nonce == card.serial
    entry = LogEntry.objects.get_for_object(old_key).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == office_user and "retired_at" in entry.changes_dict
    assert "private_key" not in entry.changes_dict


def test_retiring_the_last_key_is_refused_and_changes_nothing(office_user, org):
    key = signing.ensure_key(org)
    before = keys()
    with pytest.raises(DomainError) as caught:
        passes.retire_key(key, by=office_user)
    assert caught.value.code == AccessError.NO_KEY
    assert keys() == before


def test_retiring_a_retired_key_changes_nothing(office_user, org):
    old = signing.ensure_key(org)
    passes.rotate_key(org, by=office_user)
    first, _ = passes.retire_key(old, by=office_user)
    before = keys()
    again, changed = passes.retire_key(old, by=office_user)
    assert (changed, again.retired_at) == (False, first.retired_at)
    assert keys() == before


def test_only_the_office_rotates_or_retires(staff_user, unit_head_user, office_user, org):
    old = signing.ensure_key(org)
    passes.rotate_key(org, by=office_user)
    before = keys()
    for user in (staff_user, unit_head_user):
        with pytest.raises(NotAllowed):
            passes.rotate_key(org, by=user)
        with pytest.raises(NotAllowed):
            passes.retire_key(old, by=user)
    assert keys() == before


def test_another_organizations_office_cannot_rotate_or_retire_ours(outsider, office_user, org):
    old = signing.ensure_key(org)
    passes.rotate_key(org, by=office_user)
    before = keys()
    with pytest.raises(DomainError) as rotated:
        passes.rotate_key(org, by=outsider)
    with pytest.raises(DomainError) as retired:
        passes.retire_key(old, by=outsider)
    assert (rotated.value.status, retired.value.status) == (404, 404)
    assert keys() == before
