"""Opening a case by hand, from a health follow-up item and from a list; the refusals."""

import datetime as dt

import pytest

from headwater.core import codes
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import HouseholdMember
from headwater.health import services as health
from headwater.health.models import FollowUp, StatusRecord
from headwater.isolation import services
from headwater.isolation.inputs import CaseInput
from headwater.isolation.models import Case, CaseEvent
from headwater.isolation.tests.conftest import DAY, at, open_case, setting

pytestmark = pytest.mark.django_db


def test_opening_by_hand_sets_the_status_and_turns_the_code_yellow(
    org, office_user, people, monitor, volunteer, time_machine
):
    time_machine.move_to(at(9))
    operator = people["operator"]

    case = open_case(org, office_user, operator, monitor=monitor, volunteer=volunteer)

    assert (case.kind, case.state, case.started_on, case.planned_end) == (
        "home",
        "open",
        DAY,
        DAY + dt.timedelta(days=14),
    )
    assert case.unit == operator.unit
    status = StatusRecord.objects.get(person=operator)
    assert (status.kind, status.started_on, status.ended_on, case.status_id) == (
        "home_isolation",
        DAY,
        None,
        status.pk,
    )
    assert codes.current(operator.pk).colour == "yellow"
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == [
        "opened",
        "assigned",
    ]


def test_the_planned_end_follows_the_kinds_setting(org, office_user, people, time_machine):
    time_machine.move_to(at(9))
    setting(org, "isolation.days_centralized", 21)

    case = open_case(org, office_user, people["operator"], kind="centralized", planned_end=None)

    assert case.planned_end == DAY + dt.timedelta(days=21)


def test_a_household_member_case_sets_no_status(org, office_user, people, time_machine):
    time_machine.move_to(at(9))
    operator = people["operator"]
    wife = HouseholdMember.objects.create(
        organization=org, person=operator, name="李妻", relation="spouse"
    )
    son = HouseholdMember.objects.create(
        organization=org, person=operator, name="李子", relation="child"
    )

    case = open_case(
        org, office_user, operator, household_member_id=wife.pk, household_ids=[son.pk]
    )

    assert (case.household_member, case.subject_name) == (wife, "李妻")
    assert list(case.household_isolated.all()) == [son]
    assert StatusRecord.objects.count() == 0
    # The staff member themself may still be isolated: a different subject.
    assert open_case(org, office_user, operator).household_member is None


def test_a_second_open_case_for_the_same_person_is_refused(org, office_user, people, time_machine):
    time_machine.move_to(at(9))
    first = open_case(org, office_user, people["operator"])

    with pytest.raises(DomainError) as refused:
        open_case(org, office_user, people["operator"], reason="又一次")

    assert refused.value.code == "case_already_open"
    assert list(Case.objects.all()) == [first]
    assert StatusRecord.objects.count() == 1


def test_a_relative_of_somebody_else_is_refused(org, office_user, people, time_machine):
    time_machine.move_to(at(9))
    other = HouseholdMember.objects.create(
        organization=org, person=people["head"], name="王母", relation="parent"
    )
    data = {
        "person_id": people["operator"].pk,
        "kind": "home",
        "reason": "x",
        "household_member_id": other.pk,
    }

    with pytest.raises(DomainError) as refused:
        CaseInput.parse(data, org)

    assert set(refused.value.fields) == {"household_member_id"}
    assert Case.objects.count() == 0


def test_only_the_office_opens_cases(org, unit_head_user, people, time_machine):
    time_machine.move_to(at(9))
    data = CaseInput.parse({"person_id": people["operator"].pk, "kind": "home", "reason": "x"}, org)

    with pytest.raises(NotAllowed):
        services.open_case(org, data, by=unit_head_user)

    assert Case.objects.count() == 0


def _follow_up(person) -> FollowUp:
    from headwater.core.tests.factories import make_user

    user = make_user(f"u-{person.employee_no}", person=person)
    health.submit_checkin(person, {"temperature": "38.5", "whereabouts": "at_work"}, by=user)
    return FollowUp.objects.get(person=person)


def test_opening_from_a_follow_up_item_closes_it(org, office_user, people, time_machine):
    time_machine.move_to(at(8))
    item = _follow_up(people["operator"])
    data = CaseInput.parse(
        {"person_id": item.person_id, "kind": "observation", "reason": item.reason}, org
    )

    case, created = services.open_from_follow_up(item, data, by=office_user)

    item.refresh_from_db()
    assert (created, case.followup_id, case.reason) == (True, item.pk, item.reason)
    assert (item.closed_at is not None, item.outcome) == (True, "isolated")


def test_a_closed_follow_up_item_opens_nothing(org, office_user, people, time_machine):
    time_machine.move_to(at(8))
    item = _follow_up(people["operator"])
    health.close_follow_up(item, "cleared", by=office_user)
    item.refresh_from_db()
    data = CaseInput.parse({"person_id": item.person_id, "kind": "home", "reason": "x"}, org)

    with pytest.raises(DomainError):
        services.open_from_follow_up(item, data, by=office_user)

    item.refresh_from_db()
    assert (Case.objects.count(), item.outcome) == (0, "cleared")


def test_the_follow_up_stays_open_when_the_case_is_refused(org, office_user, people, time_machine):
    time_machine.move_to(at(8))
    open_case(org, office_user, people["operator"])
    item = _follow_up(people["operator"])
    data = CaseInput.parse({"person_id": item.person_id, "kind": "home", "reason": "x"}, org)

    with pytest.raises(DomainError):
        services.open_from_follow_up(item, data, by=office_user)

    item.refresh_from_db()
    assert (item.closed_at, Case.objects.count()) == (None, 1)


HEADER = "工号,姓名,隔离类型,原因,接触日期,开始日期,地址,盯控人工号,志愿者工号\n"


def test_a_list_opens_a_case_per_row(org, office_user, people, monitor, time_machine):
    time_machine.move_to(at(9))
    body = HEADER + "E2,李操作,居家隔离,武汉返回,2026-02-08,2026-02-10,金溪路1号,M1,\n"
    body += "E3,赵二厂,集中隔离,密接,,,,,\n"

    report = services.import_cases(org, body.encode(), "名单.csv", by=office_user)

    assert (report.ok, report.tally.created) == (True, 2)
    first = Case.objects.get(person=people["operator"])
    assert (first.kind, first.exposure_on, first.address, first.monitor) == (
        "home",
        dt.date(2026, 2, 8),
        "金溪路1号",
        monitor.person,
    )
    assert Case.objects.get(person=people["other_plant"]).started_on == DAY


def test_a_list_with_a_bad_row_opens_nothing_and_names_every_bad_row(
    org, office_user, people, time_machine
):
    time_machine.move_to(at(9))
    open_case(org, office_user, people["head"])
    body = HEADER + "E2,李操作,居家隔离,武汉返回,,,,,\n"
    body += "E1,王厂长,居家隔离,密接,,,,,\n"
    body += "E9,无名,隔壁,密接,,,,,\n"

    report = services.import_cases(org, body.encode(), "名单.csv", by=office_user)

    assert not report.ok
    assert [r.row for r in report.bad_rows] == [3, 4]
    assert "王厂长" in report.bad_rows[0].errors[0]
    assert len(report.bad_rows[1].errors) == 2
    assert Case.objects.count() == 1
