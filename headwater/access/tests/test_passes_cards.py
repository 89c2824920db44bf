"""Printed pass cards: issued by the office with a long-lived signed token carrying the
serial, one valid card a person (a new one revokes the old), revoked with a reason (audited,
idempotent) onto the revocation list scanners sync; every refusal changes nothing."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry
from django.utils import timezone

from headwater.access import signing
from headwater.access.models import PassCard
from headwater.access.services import passes
from headwater.access.tests.factories_passes import PassCardFactory
from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed

T0 = timezone.make_aware(dt.datetime(2026, 3, 9, 8, 0, 0))


def rows():
    return list(
        PassCard.objects.order_by("pk").values_list(
            "pk", "serial", "revoked_at", "revoke_reason", "expires_on"
        )
    )


def test_a_card_is_valid_a_year_and_its_token_carries_its_serial(office_user, people, org):
    with time_machine.travel(T0, tick=False):
        card, created = passes.issue_card(people["operator"], by=office_user)
        claims = signing.verify(passes.card_token(card), org)
    assert created is True
    assert (card.person, card.issued_by, card.revoked_at) == (people["operator"], office_user, None)
    assert card.expires_on == dt.date(2027, 3, 9)
    assert len(card.serial) == 12
    assert (claims.kind, claims.subject_id, claims.nonce) == ("c", card.pk, card.serial)
    assert claims.expires == int(clock.day_bounds(dt.date(2027, 3, 9))[1].timestamp())


def test_a_card_token_passes_until_its_last_day_ends(office_user, people, org):
    with time_machine.travel(T0, tick=False):
        card, _ = passes.issue_card(
            people["operator"], by=office_user, expires_on=dt.date(2026, 3, 20)
        )
        token = passes.card_token(card)
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 3, 20, 23, 59)), tick=False):
        assert signing.verify(token, org).nonce == card.serial
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 3, 21, 0, 1)), tick=False):
        with pytest.raises(DomainError) as caught:
            signing.verify(token, org)
    assert caught.value.code == "pass_expired"


def test_a_new_card_revokes_the_previous_one(office_user, people, org):
    first, _ = passes.issue_card(people["operator"], by=office_user)
    second, _ = passes.issue_card(people["operator"], by=office_user)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert (first.revoke_reason, first.revoked_by) == (passes.REISSUED, office_user)
    assert second.revoked_at is None and second.serial != first.serial
    assert passes.revoked_serials(org) == [first.serial]
    assert PassCard.objects.filter(person=people["operator"], revoked_at=None).count() == 1


def test_a_retried_issue_with_the_same_key_makes_one_card(office_user, people):
    first, created = passes.issue_card(people["operator"], by=office_user, key="k-1")
    again, created_again = passes.issue_card(people["operator"], by=office_user, key="k-1")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert PassCard.objects.count() == 1


def test_revoking_puts_the_serial_on_the_list_and_is_audited(office_user, people, org):
    card = PassCardFactory(person=people["operator"])
    revoked, changed = passes.revoke_card(card, "卡片遗失", by=office_user)
    assert changed is True
    assert (revoked.revoke_reason, revoked.revoked_by) == ("卡片遗失", office_user)
    assert passes.revoked_serials(org) == [card.serial]
    entry = LogEntry.objects.get_for_object(card).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == office_user
    assert entry.changes_dict["revoke_reason"] == ["", "卡片遗失"]


def test_revoking_twice_changes_nothing_the_second_time(office_user, people, org):
    card = PassCardFactory(person=people["operator"])
    first, _ = passes.revoke_card(card, "卡片遗失", by=office_user)
    before = rows()
    again, changed = passes.revoke_card(card, "另一个原因", by=office_user)
    assert changed is False
    assert (again.revoked_at, again.revoke_reason) == (first.revoked_at, "卡片遗失")
    assert rows() == before
    assert passes.revoked_serials(org) == [card.serial]


def test_the_revocation_list_leaves_out_cards_past_their_end(office_user, people, org):
    old = PassCardFactory(person=people["operator"], expires_on=clock.today() - dt.timedelta(2))
    live = PassCardFactory(person=people["head"])
    mine = PassCardFactory(person=people["clerk"])
    for card in (old, live):
        passes.revoke_card(card, "离职", by=office_user)
    assert passes.revoked_serials(org) == [live.serial]
    assert mine.serial not in passes.revoked_serials(org)


def test_a_revocation_without_a_reason_is_refused_and_changes_nothing(office_user, people):
    card = PassCardFactory(person=people["operator"])
    before = rows()
    for reason in ("", "   ", "长" * 201):
        with pytest.raises(DomainError) as caught:
            passes.revoke_card(card, reason, by=office_user)
        assert list(caught.value.fields) == ["reason"]
    assert rows() == before


def test_staff_may_not_issue_or_revoke_and_nothing_changes(staff_user, unit_head_user, people):
    card = PassCardFactory(person=people["operator"])
    before = rows()
    for user in (staff_user, unit_head_user):
        with pytest.raises(NotAllowed):
            passes.issue_card(people["operator"], by=user)
        with pytest.raises(NotAllowed):
            passes.revoke_card(card, "遗失", by=user)
    assert rows() == before


def test_another_organizations_office_cannot_touch_our_cards(outsider, people):
    card = PassCardFactory(person=people["operator"])
    before = rows()
    with pytest.raises(DomainError) as issued:
        passes.issue_card(people["operator"], by=outsider)
    with pytest.raises(DomainError) as revoked:
        passes.revoke_card(card, "遗失", by=outsider)
    assert (issued.value.status, revoked.value.status) == (404, 404)
    assert rows() == before


def test_a_card_cannot_end_in_the_past(office_user, people):
    with pytest.raises(DomainError) as caught:
        passes.issue_card(
            people["operator"], by=office_user, expires_on=clock.today() - dt.timedelta(1)
        )
    assert list(caught.value.fields) == ["expires_on"]
    assert rows() == []
