"""Closing a follow-up item with its outcome (health.services.close_follow_up): the office, or
a capability acting for it (an isolation case opened from the item)."""

import pytest

from headwater.core.errors import DomainError, NotAllowed
from headwater.health import services
from headwater.health.models import FollowUp
from headwater.health.tests.office_pages import at, check_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(people, time_machine):
    time_machine.move_to(at(8), tick=False)
    check_in(people["operator"], "38.4")
    return FollowUp.objects.get(person=people["operator"])


def test_the_office_closes_an_item_with_its_outcome(item, office_user):
    closed, created = services.close_follow_up(item, "isolated", by=office_user)

    item.refresh_from_db()
    assert (created, item.outcome, item.closed_at) == (False, "isolated", at(8))
    assert closed.pk == item.pk


def test_an_item_closed_already_is_refused_and_kept(item, office_user):
    services.close_follow_up(item, "cleared", by=office_user)

    with pytest.raises(DomainError):
        services.close_follow_up(item, "isolated", by=office_user)

    item.refresh_from_db()
    assert item.outcome == "cleared"


def test_an_outcome_is_required_and_a_unit_head_may_not_close(item, office_user, unit_head_user):
    with pytest.raises(DomainError) as refused:
        services.close_follow_up(item, "  ", by=office_user)
    assert set(refused.value.fields) == {"outcome"}
    with pytest.raises(NotAllowed):
        services.close_follow_up(item, "isolated", by=unit_head_user)

    item.refresh_from_db()
    assert (item.closed_at, item.outcome) == (None, "")
