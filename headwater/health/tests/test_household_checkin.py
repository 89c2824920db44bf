"""The relatives' health lines in the staff member's check-in: one row per relative and day,
written in the check-in's transaction and idempotent with its key; an abnormal line opens the
staff member's follow-up and alerts the unit head once; the code fact feeds the rules."""

import datetime as dt

import pytest

from headwater.alerts.models import Alert, InboxItem
from headwater.core.errors import DomainError
from headwater.core.models import HouseholdMember, IdempotencyKey
from headwater.health import services
from headwater.health.household import household_facts
from headwater.health.models import CheckIn, FollowUp, HealthCode, HouseholdCheckIn
from headwater.health.services import checkins as checkin_services
from headwater.health.tests.conftest import NORMAL, at
from headwater.health.tests.test_code_plugins import rule_dicts

DAY = dt.date(2026, 2, 3)


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 8, 0))


@pytest.fixture
def relatives(people, org):
    person = people["operator"]
    return [
        HouseholdMember.objects.create(organization=org, person=person, name=n, relation=r)
        for n, r in (("张丽", "spouse"), ("李小宝", "child"))
    ]


def with_lines(members, *temperatures, **extra) -> dict:
    return {
        **NORMAL,
        "relatives": [
            {"member_id": m.pk, "temperature": t, **extra.get(m.name, {})}
            for m, t in zip(members, temperatures, strict=True)
        ],
    }


def lines():
    return list(
        HouseholdCheckIn.objects.order_by("member_id").values_list(
            "member__name", "date", "temperature", "is_abnormal"
        )
    )


def test_a_checkin_with_two_relatives_stores_two_lines_with_it(operator_user, people, relatives):
    checkin, created = services.submit_checkin(
        people["operator"], with_lines(relatives, "36.5", "36.8"), by=operator_user, key="k"
    )

    assert created
    rows = HouseholdCheckIn.objects.order_by("member_id")
    assert [(r.member.name, str(r.temperature), r.checkin_id, r.person_id) for r in rows] == [
        ("张丽", "36.5", checkin.pk, people["operator"].pk),
        ("李小宝", "36.8", checkin.pk, people["operator"].pk),
    ]
    assert not checkin.is_abnormal and FollowUp.objects.count() == 0


def test_a_failing_alert_rolls_back_the_checkin_and_its_lines(
    operator_user, people, relatives, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("alerts are down")

    monkeypatch.setattr(checkin_services, "raise_alert", broken)
    with pytest.raises(RuntimeError):
        services.submit_checkin(
            people["operator"], with_lines(relatives, "38.5", "36.8"), by=operator_user, key="k"
        )

    assert (CheckIn.objects.count(), HouseholdCheckIn.objects.count()) == (0, 0)
    assert IdempotencyKey.objects.count() == 0


def test_a_retried_key_duplicates_nothing(operator_user, people, relatives, clock_at):
    services.submit_checkin(
        people["operator"], with_lines(relatives, "36.5", "36.8"), by=operator_user, key="k"
    )
    clock_at(at(DAY, 8, 5))
    again, created = services.submit_checkin(
        people["operator"], with_lines(relatives, "38.5", "38.8"), by=operator_user, key="k"
    )

    assert not created
    assert [str(t) for _n, _d, t, _a in lines()] == ["36.5", "36.8"]
    assert (CheckIn.objects.count(), HouseholdCheckIn.objects.count()) == (1, 2)


def test_a_correction_overwrites_the_days_lines(operator_user, people, relatives, clock_at):
    services.submit_checkin(
        people["operator"], with_lines(relatives, "36.5", "36.8"), by=operator_user, key="a"
    )
    clock_at(at(DAY, 9, 0))
    services.submit_checkin(
        people["operator"], with_lines(relatives, "36.6", "36.4"), by=operator_user, key="b"
    )

    assert [(n, str(t)) for n, _d, t, _a in lines()] == [("张丽", "36.6"), ("李小宝", "36.4")]
    assert HouseholdCheckIn.objects.get(member=relatives[0]).updated_at == at(DAY, 9, 0)


def test_a_line_for_somebody_elses_relative_refuses_the_whole_checkin(
    operator_user, people, relatives, org
):
    stranger = HouseholdMember.objects.create(
        organization=org, person=people["head"], name="王妻", relation="spouse"
    )
    data = with_lines([relatives[0], stranger], "36.5", "36.5")

    with pytest.raises(DomainError) as refused:
        services.submit_checkin(people["operator"], data, by=operator_user, key="k")

    assert refused.value.fields == {f"relatives.{stranger.pk}": "不是您登记的家属。"}
    assert (CheckIn.objects.count(), HouseholdCheckIn.objects.count()) == (0, 0)


def test_a_bad_relative_temperature_names_the_relative_and_saves_nothing(
    operator_user, people, relatives
):
    with pytest.raises(DomainError) as refused:
        services.submit_checkin(
            people["operator"], with_lines(relatives, "36.5", "45"), by=operator_user
        )

    assert list(refused.value.fields) == [f"relatives.{relatives[1].pk}.temperature"]
    assert CheckIn.objects.count() == 0


def test_an_abnormal_relative_opens_a_follow_up_and_alerts_the_unit_head_once(
    operator_user, unit_head_user, office_user, people, relatives, clock_at
):
    fever = with_lines(relatives, "38.4", "36.6", 张丽={"symptoms": ["cough"]})
    checkin, _ = services.submit_checkin(people["operator"], fever, by=operator_user, key="a")
    services.submit_checkin(people["operator"], fever, by=operator_user, key="a")  # a retry
    clock_at(at(DAY, 9, 0))
    services.submit_checkin(people["operator"], fever, by=operator_user, key="b")  # a correction

    item = FollowUp.objects.get()
    assert (item.checkin_id, item.person_id) == (checkin.pk, people["operator"].pk)
    assert item.reason == "家属 配偶 张丽：38.4 °C，咳嗽"
    alert = Alert.objects.get()
    assert alert.title == "家属异常：李操作（运行甲班）"
    assert InboxItem.objects.filter(alert=alert, user=unit_head_user).count() == 1
    assert not CheckIn.objects.get().is_abnormal  # the staff member's own answers were normal
    assert lines()[0][3] is True


def test_the_household_fact_feeds_a_rule_that_turns_the_code_yellow(
    operator_user, office_user, org, people, relatives, clock_at
):
    rule = {
        "name": "家属异常",
        "colour": "yellow",
        "conditions": [{"fact": "household_abnormal", "op": "is", "value": True}],
        "recovery": "normal_days",
        "recovery_days": 3,
    }
    services.publish_rules(
        org, rule_dicts(rule), fever_threshold="37.3", note="家属", by=office_user
    )

    services.submit_checkin(
        people["operator"], with_lines(relatives, "38.0", "36.5"), by=operator_user
    )

    code = HealthCode.objects.current().get(person=people["operator"])
    assert (code.colour, code.rule_name) == ("yellow", "家属异常")
    assert household_facts([people["operator"].pk, people["head"].pk], DAY + dt.timedelta(3)) == {
        people["operator"].pk: {"household_abnormal": True, "days_since_household_abnormal": 3}
    }
    assert household_facts([people["operator"].pk], DAY + dt.timedelta(15)) == {}


def test_the_api_takes_the_relatives_lines(client, operator_user, relatives):
    client.force_login(operator_user)
    body = with_lines(relatives, "36.5", "37.0", 李小宝={"travel": True, "note": "武汉"})

    response = client.post("/api/v1/health/checkins", body, content_type="application/json")

    assert response.status_code == 201, response.content
    row = HouseholdCheckIn.objects.get(member=relatives[1])
    assert (row.travel, row.note, row.is_abnormal) == (True, "武汉", True)


def test_a_travel_without_a_note_is_refused(client, operator_user, relatives):
    client.force_login(operator_user)
    body = with_lines(relatives, "36.5", "36.5", 李小宝={"travel": True})

    response = client.post("/api/v1/health/checkins", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        f"relatives.{relatives[1].pk}.note": "请说明去过哪里或接触了谁。"
    }
    assert CheckIn.objects.count() == 0
