"""Health codes over time: every transition, the date to turn green, and the history kept."""

import datetime as dt

import pytest

from headwater.health import services
from headwater.health.models import CheckIn, HealthCode
from headwater.health.tests.conftest import NORMAL, at

D = dt.date(2026, 2, 3)


def day(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def night_of(person, clock_at, when: dt.date) -> None:
    """The nightly job of `when` (just after midnight)."""
    clock_at(at(when, 0, 5))
    services.recompute_stale_codes(person.organization)


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


def test_close_contact_is_red_until_the_office_ends_it_after_14_normal_days(
    operator_user, office_user, people, clock_at
):
    person = people["operator"]
    clock_at(at(D, 7))
    record, _ = services.set_status(
        person, "close_contact", D, exposure_on=D - dt.timedelta(1), by=office_user
    )
    code = code_of(person)
    assert (code.colour, code.rule_name, code.green_on) == ("red", "密切接触者", None)
    assert code.reason == "密切接触者；隔离满 14 天且每天打卡正常后转绿码，待防疫办解除状态"
    for i in range(14):
        checkin_on(person, operator_user, clock_at, D + day(i))
    clock_at(at(D + day(14), 0, 5))
    services.recompute_stale_codes(person.organization)
    assert (code_of(person).colour, code_of(person).green_on) == ("red", None)  # the office's
    clock_at(at(D + day(14), 9))
    services.end_status(record, D + day(13), by=office_user)
    assert colours(person) == ["red", "green"]


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
    checkin_on(person, operator_user, clock_at, D, temperature="37.6", contact_confirmed=True)
    code = code_of(person)
    assert (code.rule.name, code.rule_set_version, code.reason) == (
        "14天内接触确诊或疑似病例",
        1,
        code.rule.name + "；" + code.reason.split("；", 1)[1],
    )


def test_travel_from_a_high_risk_area_is_red(operator_user, people, clock_at, org):
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
        "red",
        "14天内到过高风险地区",
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


# --- Day-by-day timelines (issue 10) -------------------------------------------------------


def test_a_skipped_day_does_not_shorten_a_fever(operator_user, people, clock_at):
    """Fever on day 0, normal on day 1, no check-in on day 2: the missed-check-in rule does
    not replace the fever's yellow (green at the next check-in), and the missed day starts the
    seven normal days again: green on day 10, not day 3."""
    person = people["operator"]
    checkin_on(person, operator_user, clock_at, D, temperature="37.8")
    checkin_on(person, operator_user, clock_at, D + day(1))
    night_of(person, clock_at, D + day(3))
    code = code_of(person)
    assert (code.colour, code.rule_name, code.green_on) == ("yellow", "发热", D + day(10))
    for i in range(3, 10):
        checkin_on(person, operator_user, clock_at, D + day(i))
        assert (code_of(person).colour, code_of(person).green_on) == ("yellow", D + day(10))
    night_of(person, clock_at, D + day(10))
    assert colours(person) == ["yellow", "green"]


def test_a_trip_to_a_high_risk_area_is_red_for_14_days_from_the_return(
    operator_user, people, clock_at, org
):
    """A green person reports at check-in that they came back from a high-risk area
    yesterday: once the code is recomputed (the check-in does it, issue 10) it is red until
    the 14th day after the return, through every normal check-in in between."""
    from headwater.health.models import RiskArea

    RiskArea.objects.create(organization=org, name="湖北省", level="high", valid_from=D - day(30))
    person = people["operator"]
    checkin_on(person, operator_user, clock_at, D)
    checkin_on(
        person,
        operator_user,
        clock_at,
        D + day(1),
        left_city=True,
        travel_to="湖北省武汉市",
        returned_on=D.isoformat(),
    )
    code, _changed = services.recompute_code(person)
    assert (code.colour, code.rule_name, code.green_on) == (
        "red",
        "14天内到过高风险地区",
        D + day(14),
    )
    for i in range(2, 14):
        checkin_on(person, operator_user, clock_at, D + day(i))
    night_of(person, clock_at, D + day(13))
    assert code_of(person).colour == "red"
    night_of(person, clock_at, D + day(14))
    assert colours(person) == ["green", "red", "green"]


def test_a_trip_to_a_medium_risk_area_is_yellow_for_7_days(operator_user, people, clock_at, org):
    from headwater.health.models import RiskArea

    RiskArea.objects.create(organization=org, name="温州市", level="medium", valid_from=D - day(30))
    person = people["operator"]
    checkin_on(
        person,
        operator_user,
        clock_at,
        D,
        left_city=True,
        travel_to="浙江省温州市",
        returned_on=(D - day(1)).isoformat(),
    )
    code, _changed = services.recompute_code(person)
    assert (code.colour, code.rule_name, code.green_on) == (
        "yellow",
        "7天内到过中风险地区",
        D + day(6),
    )
    for i in range(1, 6):
        checkin_on(person, operator_user, clock_at, D + day(i))
    night_of(person, clock_at, D + day(5))
    assert code_of(person).colour == "yellow"
    night_of(person, clock_at, D + day(6))
    assert colours(person) == ["yellow", "green"]


@pytest.mark.parametrize("symptom", ["cough", "sore_throat", "taste_smell"])
def test_a_respiratory_symptom_without_fever_is_yellow_for_7_normal_days(
    operator_user, people, clock_at, symptom
):
    person = people["operator"]
    checkin_on(person, operator_user, clock_at, D, symptoms=[symptom])
    code = code_of(person)
    assert (code.colour, code.rule_name, code.green_on) == ("yellow", "呼吸道症状", D + day(8))
    for i in range(1, 8):
        checkin_on(person, operator_user, clock_at, D + day(i))
    assert code_of(person).colour == "yellow"
    night_of(person, clock_at, D + day(8))
    assert colours(person) == ["yellow", "green"]


def test_an_unwell_household_member_is_yellow(operator_user, people, clock_at):
    person = people["operator"]
    checkin_on(person, operator_user, clock_at, D, household="isolated")
    code = code_of(person)
    assert (code.colour, code.rule_name, code.green_on) == (
        "yellow",
        "家人身体不适或被隔离",
        D + day(8),
    )


def test_centralized_isolation_of_14_days_is_red_for_14_days_not_28(
    operator_user, office_user, people, clock_at
):
    """Isolated on day 0 with a normal check-in every day; the office ends the isolation
    after day 13: green on day 14 (the isolation's days are the 14 days of the practice),
    not 14 days after the release."""
    person = people["operator"]
    clock_at(at(D, 7))
    record, _ = services.set_status(person, "centralized", D, by=office_user)
    for i in range(14):
        checkin_on(person, operator_user, clock_at, D + day(i))
    assert (code_of(person).colour, code_of(person).green_on) == ("red", None)
    night_of(person, clock_at, D + day(14))
    assert code_of(person).colour == "red"  # waits for the office
    clock_at(at(D + day(14), 9))
    services.end_status(record, D + day(13), by=office_user)
    assert colours(person) == ["red", "green"]


def test_home_isolation_is_yellow_and_waits_for_the_office_past_its_7_days(
    operator_user, office_user, people, clock_at
):
    person = people["operator"]
    clock_at(at(D, 7))
    record, _ = services.set_status(person, "home_isolation", D, by=office_user)
    for i in range(10):
        checkin_on(person, operator_user, clock_at, D + day(i))
    code = code_of(person)
    assert (code.colour, code.green_on) == ("yellow", None)
    assert code.reason == "居家隔离或医学观察；隔离满 7 天且每天打卡正常后转绿码，待防疫办解除状态"
    clock_at(at(D + day(9), 18))
    services.end_status(record, D + day(9), by=office_user)
    assert code_of(person).colour == "yellow"  # the status holds until the end of its last day
    night_of(person, clock_at, D + day(10))
    assert colours(person) == ["yellow", "green"]
