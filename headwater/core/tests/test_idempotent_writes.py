"""core.writes.idempotent: a key answers its first outcome; when what the first request
recorded has been removed since, a retry is refused with a clear 409 and writes nothing."""

import pytest

from headwater.core.errors import DomainError
from headwater.core.models import Qualification
from headwater.core.writes import idempotent


def write_for(person):
    def write():
        return Qualification.objects.get_or_create(
            organization=person.organization, person=person, kind="driver"
        )

    return write


def test_a_retried_key_answers_the_first_outcome(office_user, people):
    write = write_for(people["operator"])
    first, created = idempotent("t.q", by=office_user, key="k1", model=Qualification, write=write)
    again, created_again = idempotent(
        "t.q", by=office_user, key="k1", model=Qualification, write=write
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)


def test_a_retry_after_its_record_was_removed_is_refused_and_writes_nothing(office_user, people):
    person = people["operator"]

    def create():
        return Qualification.objects.create(
            organization=person.organization, person=person, kind="driver"
        ), True

    first, _ = idempotent("t.q", by=office_user, key="k2", model=Qualification, write=create)
    first.delete()
    with pytest.raises(DomainError) as refused:
        idempotent("t.q", by=office_user, key="k2", model=Qualification, write=create)
    assert refused.value.status == 409
    assert "已" in refused.value.message or "already" in refused.value.message
    assert Qualification.objects.filter(person=person).count() == 0
