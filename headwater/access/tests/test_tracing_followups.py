"""Opening follow-ups (the close-contact status, through health) or isolation cases (through
isolation) for chosen contacts in one step: once per person, the office only."""

import pytest

from headwater.access.services.tracing_followups import FOLLOWUP, ISOLATION, open_followups
from headwater.core.errors import DomainError, NotAllowed
from headwater.health.choices import EpiStatus
from headwater.health.models import StatusRecord
from headwater.isolation.models import Case

pytestmark = pytest.mark.django_db


def test_follow_ups_open_once_per_person(people, office_user):
    chosen = [people["operator"].pk, people["head"].pk]

    first = open_followups(chosen, by=office_user, reason="甲的密接")
    again = open_followups([*chosen, people["other_plant"].pk], by=office_user, reason="甲的密接")

    assert (sorted(first.opened), first.already) == (sorted(chosen), [])
    assert (again.opened, sorted(again.already)) == ([people["other_plant"].pk], sorted(chosen))
    records = StatusRecord.objects.filter(kind=EpiStatus.CLOSE_CONTACT)
    assert sorted(records.values_list("person_id", flat=True)) == sorted(
        [*chosen, people["other_plant"].pk]
    )
    assert set(records.values_list("note", flat=True)) == {"甲的密接"}


def test_isolation_cases_open_once_per_person(people, office_user):
    chosen = [people["operator"].pk]

    first = open_followups(chosen, by=office_user, reason="甲的密接", action=ISOLATION)
    again = open_followups(chosen, by=office_user, reason="甲的密接", action=ISOLATION)

    assert (first.opened, again.opened, again.already) == (chosen, [], chosen)
    case = Case.objects.get()
    assert (case.person_id, case.kind, case.reason) == (chosen[0], "observation", "甲的密接")


def test_refusals_change_nothing(people, office_user, staff_user, outsider):
    chosen = [people["operator"].pk]
    with pytest.raises(NotAllowed):
        open_followups(chosen, by=staff_user, reason="x")
    with pytest.raises(DomainError) as hidden:
        open_followups(chosen, by=outsider, reason="x")
    assert hidden.value.status == 404
    with pytest.raises(DomainError) as no_reason:
        open_followups(chosen, by=office_user, reason=" ")
    assert list(no_reason.value.fields) == ["reason"]
    with pytest.raises(DomainError) as nobody:
        open_followups([], by=office_user, reason="x", action=FOLLOWUP)
    assert list(nobody.value.fields) == ["person_ids"]
    assert (StatusRecord.objects.count(), Case.objects.count()) == (0, 0)
