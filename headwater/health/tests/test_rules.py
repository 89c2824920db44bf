"""Table tests of the rule evaluator at every boundary, on the default rules."""

import datetime as dt

import pytest

from headwater.health.rules import DEFAULT_RULES, Facts, evaluate, validate_conditions

D = dt.date(2026, 2, 1)
RULES = DEFAULT_RULES


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def facts(**kw) -> Facts:
    kw.setdefault("today", D)
    return Facts(**kw)


def by_name(name: str):
    return next(r for r in RULES if r.name == name)


@pytest.mark.parametrize(
    ("temperature", "colour", "rule"),
    [
        (37.2, "green", None),
        (37.3, "yellow", "发热（无其他症状）"),
    ],
)
def test_fever_threshold_boundary(temperature, colour, rule):
    v = evaluate(RULES, facts(temperature=temperature, fever=temperature >= 37.3), None)
    assert (v.colour, v.rule.name if v.rule else None) == (colour, rule)


def test_fever_with_cough_is_red():
    v = evaluate(RULES, facts(fever=True, respiratory_symptom=True), None)
    assert (v.colour, v.rule.name) == ("red", "发热伴呼吸道症状")


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        ("confirmed", "red"),
        ("suspected", "red"),
        ("centralized", "red"),
        ("close_contact", "yellow"),
        ("home_isolation", "yellow"),
        ("observation", "yellow"),
    ],
)
def test_statuses_give_their_colour(status, colour):
    assert evaluate(RULES, facts(statuses={status}), None).colour == colour


@pytest.mark.parametrize(("days_without", "colour"), [(1, "green"), (2, "yellow")])
def test_days_without_checkin_boundary(days_without, colour):
    assert evaluate(RULES, facts(days_without_checkin=days_without), None).colour == colour


@pytest.mark.parametrize(("since", "colour"), [(13, "yellow"), (14, "green")])
def test_confirmed_contact_observation_day_13_and_14(since, colour):
    exposure = D - days(since)
    v = evaluate(RULES, facts(days_since_confirmed_contact=since, last_exposure_on=exposure), None)
    assert v.colour == colour


@pytest.mark.parametrize(("since", "colour"), [(13, "yellow"), (14, "green")])
def test_high_risk_area_day_13_and_14(since, colour):
    v = evaluate(
        RULES, facts(days_since_high_risk_area=since, last_exposure_on=D - days(since)), None
    )
    assert v.colour == colour


def test_yellow_from_contact_says_when_it_turns_green():
    v = evaluate(RULES, facts(days_since_confirmed_contact=3, last_exposure_on=D - days(3)), None)
    assert (v.colour, v.green_on) == ("yellow", D + days(11))
    assert v.reason == "14天内接触确诊或疑似病例；末次暴露 14 天后转绿码"


def normal_run(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    return {first + days(i): True for i in range((last - first).days + 1)}


FEVER = ("yellow", by_name("发热（无其他症状）"))


@pytest.mark.parametrize(("normal_days", "colour"), [(6, "yellow"), (7, "green")])
def test_fever_yellow_turns_green_after_7_normal_days(normal_days, colour):
    fever_day = D - days(normal_days + 1)
    history = {fever_day: False} | normal_run(fever_day + days(1), D - days(1))
    # the morning after the last normal day, before today's check-in
    v = evaluate(RULES, facts(normal_days=history, days_without_checkin=1), FEVER)
    assert v.colour == colour


def test_fever_yellow_stays_while_normal_run_is_short_and_shows_the_green_date():
    history = {D - days(2): False, D - days(1): True, D: True}
    v = evaluate(RULES, facts(normal_days=history), FEVER)
    assert (v.colour, v.green_on) == ("yellow", D - days(1) + days(7))


def test_an_abnormal_day_restarts_the_count():
    history = {D - days(5): False} | normal_run(D - days(4), D - days(2)) | {D - days(1): False}
    v = evaluate(RULES, facts(normal_days=history, days_without_checkin=1), FEVER)
    assert (v.colour, v.green_on) == ("yellow", D + days(7))


RED_FEVER = ("red", by_name("发热伴呼吸道症状"))


def test_red_stays_red_while_isolated_with_no_date_to_turn_green():
    v = evaluate(RULES, facts(statuses={"home_isolation"}), RED_FEVER)
    assert (v.colour, v.green_on) == ("red", None)


@pytest.mark.parametrize(("normal_days", "colour"), [(13, "red"), (14, "green")])
def test_red_turns_green_after_release_and_14_normal_days(normal_days, colour):
    released = D - days(normal_days + 1)
    history = normal_run(D - days(30), D - days(1))
    v = evaluate(
        RULES, facts(released_on=released, normal_days=history, days_without_checkin=1), RED_FEVER
    )
    assert v.colour == colour


def test_red_goes_straight_to_green_not_through_yellow_once_recovered():
    history = normal_run(D - days(20), D - days(1))
    v = evaluate(
        RULES,
        facts(released_on=D - days(16), normal_days=history, days_without_checkin=1),
        RED_FEVER,
    )
    assert (v.colour, v.rule) == ("green", None)


def test_a_worse_finding_replaces_a_milder_code_at_once():
    v = evaluate(RULES, facts(statuses={"confirmed"}), FEVER)
    assert (v.colour, v.rule.name) == ("red", "确诊或疑似病例")


def test_missing_checkins_yellow_turns_green_at_the_next_normal_checkin():
    missing = ("yellow", by_name("连续2天未打卡"))
    history = {D: True}
    assert evaluate(RULES, facts(normal_days=history), missing).colour == "green"


def test_first_matching_rule_wins():
    v = evaluate(RULES, facts(statuses={"close_contact"}, fever=True), None)
    assert v.rule.name == "密切接触者"


@pytest.mark.parametrize(
    ("conditions", "errors"),
    [
        ([], ["A rule needs at least one condition."]),
        ([{"fact": "mood", "op": "is", "value": True}], ["Unknown fact: mood"]),
        ([{"fact": "fever", "op": "gte", "value": 1}], ["fever cannot be compared with gte"]),
        (
            [{"fact": "days_without_checkin", "op": "gte", "value": "2"}],
            ["days_without_checkin needs a whole number of days"],
        ),
        ([{"fact": "status", "op": "in", "value": ["zombie"]}], ["Unknown status in status"]),
        ([{"fact": "status", "op": "in", "value": ["confirmed"]}], []),
    ],
)
def test_rule_conditions_are_validated(conditions, errors, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        assert validate_conditions(conditions) == errors
