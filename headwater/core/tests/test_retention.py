"""Leavers' personal data is blanked after the retention period in force (PIPL)."""

import datetime as dt

import time_machine

from headwater.core import services
from headwater.core.tasks import purge_personal_data


def leave(person, on: dt.date) -> None:
    person.employment_status = "left"
    person.left_on = on
    person.save()


def test_leaver_past_retention_loses_phone_and_id_number(people, org):
    leave(people["operator"], dt.date(2026, 1, 1))
    with time_machine.travel(dt.datetime(2026, 7, 1, 4, 0, tzinfo=dt.UTC)):
        assert purge_personal_data.call_local() == 1
    people["operator"].refresh_from_db()
    assert (people["operator"].phone, people["operator"].id_number) == ("", "")


def test_leaver_within_retention_is_kept(people, org):
    leave(people["operator"], dt.date(2026, 1, 1))
    with time_machine.travel(dt.datetime(2026, 6, 29, 4, 0, tzinfo=dt.UTC)):
        assert services.purge_expired_personal_data(org) == 0
    people["operator"].refresh_from_db()
    assert people["operator"].phone == "13912345678"


def test_emergency_level_keeps_data_longer(people, org, office_user):
    leave(people["operator"], dt.date(2026, 1, 1))
    services.switch_level(org, "level1", by=office_user, reason="一级响应")
    with time_machine.travel(dt.datetime(2026, 7, 1, 4, 0, tzinfo=dt.UTC)):
        assert services.purge_expired_personal_data(org) == 0


def test_active_staff_are_never_purged(people, org):
    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=dt.UTC)):
        assert services.purge_expired_personal_data(org) == 0
