"""Health codes over time: every transition, the date to turn green, and the history kept."""

import datetime as dt

import pytest

from headwater.health import services
from headwater.health.models import CheckIn, HealthCode
from headwater.health.tests.conftest import NORMAL, at

D = dt.date(2026, 2, 3)


def checkin_on(person, user, clock_at, day, **data):
    clock_at(at(day, 8, 0))
    return services.submit_checkin(person, {**NORMAL, **data}, by=user)[0]


def code_of(person) -> HealthCode:
    return person.health_codes.get(is_current=True)


def colours(person) -> list[str]:
    return list(person.health_codes.order_by("since", "id").values_list("colour", flat=True))


def test_first_normal_checkin_gives_green(operator_user, people, clock_at):
    checkin_on(people["operator"], operator_user, clock_at, D)
    assert (code_of(people["operator"]).colour, colours(people["operator"])) == ("green", ["green"])


def test_fever_alone_is_yellow_until_seven_consecutive_normal_days(operator_user, people, clock_at):
    person = people["operator"]
    checkin_on(person, operator_user, clock_at, D, temperature="37.5")
    assert (code_of(person).colour, code_of(person).green_on) == ("yellow", D + dt.timedelta(8))
    for i in range(1, 8):
        checkin_on(person, operator_user, clock_at, D + dt.timedelta(i))
    assert code_of(person).colour == "yellow"  # day 7 done, green from the next morning
    clock_at(at(D + dt.timedelta(8), 0, 5))
    services.recompute_stale_codes(person.organization)
    assert colours(person) == ["yellow", "green"]


def test_close_contact_status_is_yellow_for_14_days_from_exposure(
    operator_user, office_user, people, clock_at
):
    person = people["operator"]
    clock_at(at(D, 9))
    services.set_status(person, "close_contact", D, exposure_on=D - dt.timedelta(1), by=office_user)
    code = code_of(person)
    assert (code.colour, code.rule_name, code.green_on) == (
        "yellow",
        "密切接触者",
        D + dt.timedelta(13),
    )


def test_confirmed_case_is_red_until_release_and_14_normal_days(
    operator_user, office_user, people, clock_at
):
    person = people["operator"]
    clock_at(at(D, 9))
    record, _ = services.set_status(person, "confirmed", D, by=office_user)
    assert (code_of(person).colour, code_of(person).green_on) == ("red", None)
    released = D + dt.timedelta(10)
    clock_at(at(released, 9))
    services.end_status(record, released, by=office_user)
    assert code_of(person).colour == "red"
    for i in range(1, 15):
        checkin_on(person, operator_user, clock_at, released + dt.timedelta(i))
    assert code_of(person).colour == "red"
    clock_at(at(released + dt.timedelta(15), 0, 5))
    services.recompute_stale_codes(person.organization)
    assert colours(person) == ["red", "green"]


def test_two_days_without_a_checkin_turn_green_yellow_and_a_checkin_turns_it_back(
    operator_user, people, clock_at
):
    person = people["operator"]
    checkin_on(person, operator_user, clock_at, D)
    clock_at(at(D + dt.timedelta(2), 0, 5))
    services.recompute_stale_codes(person.organization)
    assert (code_of(person).colour, code_of(person).rule_name) == ("yellow", "连续2天未打卡")
    checkin_on(person, operator_user, clock_at, D + dt.timedelta(2))
    assert colours(person) == ["green", "yellow", "green"]


def test_one_day_without_a_checkin_keeps_green(operator_user, people, clock_at):
    person = people["operator"]
    checkin_on(person, operator_user, clock_at, D)
    clock_at(at(D + dt.timedelta(1), 23, 0))
    services.recompute_stale_codes(person.organization)
    assert colours(person) == ["green"]


def test_each_code_keeps_the_rule_and_version_that_produced_it(operator_user, people, clock_at):
    person = people["operator"]
    checkin_on(person, operator_user, clock_at, D, temperature="37.6", symptoms=["cough"])
    code = code_of(person)
    assert (code.rule.name, code.rule_set_version, code.reason) == (
        "发热伴呼吸道症状",
        1,
        code.rule.name + "；" + code.reason.split("；", 1)[1],
    )


def test_travel_from_a_high_risk_area_is_yellow(operator_user, people, clock_at, org):
    from headwater.health.models import RiskArea

    RiskArea.objects.create(
        organization=org, name="湖北省武汉市", level="high", valid_from=D - dt.timedelta(30)
    )
    person = people["operator"]
    checkin_on(
        person,
        operator_user,
        clock_at,
        D,
        left_city=True,
        travel_to="湖北省武汉市",
        returned_on=(D - dt.timedelta(3)).isoformat(),
    )
    code = code_of(person)
    assert (code.colour, code.rule_name, code.green_on) == (
        "yellow",
        "14天内来自高风险地区",
        D + dt.timedelta(11),
    )


@pytest.mark.parametrize(("threshold", "colour"), [("37.3", "yellow"), ("37.5", "green")])
def test_fever_threshold_comes_from_the_rule_set(
    operator_user, office_user, people, clock_at, org, threshold, colour
):
    from headwater.health.rules import DEFAULT_RULES

    rules = [
        {
            "name": r.name,
            "colour": r.colour,
            "conditions": r.conditions,
            "recovery": r.recovery,
            "recovery_days": r.recovery_days,
        }
        for r in DEFAULT_RULES
    ]
    services.publish_rules(org, rules, fever_threshold=threshold, note="阈值", by=office_user)
    checkin_on(people["operator"], operator_user, clock_at, D, temperature="37.4")
    assert code_of(people["operator"]).colour == colour
    assert CheckIn.objects.get().is_abnormal is (colour == "yellow")
