"""Table tests of the rule evaluator at every boundary, on the default rules."""

import datetime as dt

import pytest

from headwater.health.rules import (
    DEFAULT_RULES,
    OPTIONAL_RULES,
    Facts,
    evaluate,
    validate_conditions,
)

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
        (37.3, "yellow", "发热"),
    ],
)
def test_fever_threshold_boundary(temperature, colour, rule):
    v = evaluate(RULES, facts(temperature=temperature, fever=temperature >= 37.3), None)
    assert (v.colour, v.rule.name if v.rule else None) == (colour, rule)


def test_fever_with_cough_is_yellow_by_default_and_red_with_the_optional_rule():
    f = facts(fever=True, respiratory_symptom=True)
    assert (evaluate(RULES, f, None).colour, evaluate(RULES, f, None).rule.name) == (
        "yellow",
        "发热",
    )
    v = evaluate(OPTIONAL_RULES + RULES, f, None)
    assert (v.colour, v.rule.name) == ("red", "发热伴呼吸道症状")


@pytest.mark.parametrize(
    ("fact", "rule"),
    [
        ("respiratory_symptom", "呼吸道症状"),
        ("household_unwell", "家人身体不适或被隔离"),
    ],
)
def test_symptoms_without_fever_and_an_unwell_household_are_yellow_for_7_days(fact, rule):
    v = evaluate(RULES, facts(**{fact: True}, normal_days={D: False}), None)
    assert (v.colour, v.rule.name, v.green_on) == ("yellow", rule, D + days(8))


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        ("confirmed", "red"),
        ("suspected", "red"),
        ("centralized", "red"),
        ("close_contact", "red"),
        ("home_isolation", "yellow"),
        ("observation", "yellow"),
    ],
)
def test_statuses_give_their_colour_and_wait_for_the_office(status, colour):
    v = evaluate(RULES, facts(statuses={status}), None)
    assert (v.colour, v.green_on) == (colour, None)
    assert v.reason.endswith("，待防疫办解除状态")


@pytest.mark.parametrize(("days_without", "colour"), [(1, "green"), (2, "yellow")])
def test_days_without_checkin_boundary(days_without, colour):
    assert evaluate(RULES, facts(days_without_checkin=days_without), None).colour == colour


@pytest.mark.parametrize(("since", "colour"), [(13, "red"), (14, "green")])
def test_confirmed_contact_observation_day_13_and_14(since, colour):
    exposure = D - days(since)
    v = evaluate(RULES, facts(days_since_confirmed_contact=since, last_exposure_on=exposure), None)
    assert v.colour == colour


@pytest.mark.parametrize(("since", "colour"), [(13, "red"), (14, "green")])
def test_high_risk_area_day_13_and_14(since, colour):
    v = evaluate(RULES, facts(days_since_high_risk_area=since), None)
    assert v.colour == colour


@pytest.mark.parametrize(("since", "colour"), [(6, "yellow"), (7, "green")])
def test_medium_risk_area_day_6_and_7(since, colour):
    v = evaluate(RULES, facts(days_since_medium_risk_area=since), None)
    assert v.colour == colour


def test_a_risk_area_code_counts_from_its_own_return_not_a_later_exposure():
    # Back from a medium-risk area 2 days ago; a contact's exposure yesterday is not the trip.
    v = evaluate(RULES, facts(days_since_medium_risk_area=2, last_exposure_on=D - days(1)), None)
    assert (v.rule.name, v.green_on) == ("7天内到过中风险地区", D + days(5))


def test_red_from_contact_says_when_it_turns_green():
    v = evaluate(RULES, facts(days_since_confirmed_contact=3, last_exposure_on=D - days(3)), None)
    assert (v.colour, v.green_on) == ("red", D + days(11))
    assert v.reason == "14天内接触确诊或疑似病例；末次暴露 14 天后转绿码"


def normal_run(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    return {first + days(i): True for i in range((last - first).days + 1)}


FEVER = ("yellow", by_name("发热"))
MISSED = ("yellow", by_name("连续2天未打卡"))


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


# Fever on day 0, normal on day 1, no check-in on day 2: the missed-check-in rule (yellow,
# green at the next normal check-in) must not release the fever's yellow, and the missed day
# starts the fever's seven normal days again: green on day 10, not day 3.
DAY = [D + days(i) for i in range(11)]
SKIPPED = {DAY[0]: False, DAY[1]: True}


@pytest.mark.parametrize(
    ("today", "history", "without", "colour", "rule", "green_on"),
    [
        (DAY[2], SKIPPED, 1, "yellow", "发热", DAY[8]),
        (DAY[3], SKIPPED, 2, "yellow", "发热", DAY[10]),  # night of day 3: both rules in force
        (DAY[3], SKIPPED | {DAY[3]: True}, 0, "yellow", "发热", DAY[10]),
        (DAY[9], SKIPPED | normal_run(DAY[3], DAY[9]), 0, "yellow", "发热", DAY[10]),
        (DAY[10], SKIPPED | normal_run(DAY[3], DAY[9]), 1, "green", None, None),
    ],
)
def test_a_skipped_day_does_not_shorten_a_fever(today, history, without, colour, rule, green_on):
    f = facts(today=today, normal_days=history, days_without_checkin=without)
    v = evaluate(RULES, f, FEVER)
    assert (v.colour, v.rule.name if v.rule else None, v.green_on) == (colour, rule, green_on)


def test_a_later_rule_of_the_same_colour_replaces_the_held_one():
    # Yellow for missed check-ins, then a fever: the fever's later date is the one in force.
    v = evaluate(RULES, facts(fever=True, normal_days={D: False}), MISSED)
    assert (v.colour, v.rule.name, v.green_on) == ("yellow", "发热", D + days(8))


def test_a_milder_rule_does_not_release_a_held_red():
    # Released from centralized isolation after 5 days, fever today: still red, counted again.
    v = evaluate(
        RULES,
        facts(
            fever=True,
            status_started={"centralized": D - days(5)},
            released_on=D - days(1),
            normal_days=normal_run(D - days(5), D - days(1)) | {D: False},
        ),
        ("red", by_name("集中隔离")),
    )
    assert (v.colour, v.rule.name, v.green_on) == ("red", "集中隔离", D + days(15))


RED_FEVER = ("red", OPTIONAL_RULES[0])


def test_red_stays_red_while_isolated_with_no_date_to_turn_green():
    v = evaluate(RULES, facts(statuses={"home_isolation"}), RED_FEVER)
    assert (v.colour, v.green_on) == ("red", None)


@pytest.mark.parametrize(("normal_days", "colour"), [(13, "red"), (14, "green")])
def test_optional_red_fever_turns_green_after_14_normal_days_counted_from_isolation(
    normal_days, colour
):
    started = D - days(normal_days)
    history = normal_run(D - days(30), D - days(1))
    v = evaluate(
        RULES,
        facts(
            status_started={"home_isolation": started},
            released_on=D - days(1),
            normal_days=history,
            days_without_checkin=1,
        ),
        RED_FEVER,
    )
    assert v.colour == colour


CENTRALIZED = ("red", by_name("集中隔离"))


@pytest.mark.parametrize(
    ("isolated_days", "colour", "green_on"),
    [(13, "red", D + days(1)), (14, "green", None)],
)
def test_centralized_isolation_days_are_the_14_days(isolated_days, colour, green_on):
    """Isolated from D - isolated_days with a normal check-in every day, released yesterday:
    green once 14 days are done, not 14 days after the release."""
    started = D - days(isolated_days)
    v = evaluate(
        RULES,
        facts(
            status_started={"centralized": started},
            released_on=D - days(1),
            normal_days=normal_run(started, D - days(1)),
            days_without_checkin=1,
        ),
        CENTRALIZED,
    )
    assert (v.colour, v.green_on) == (colour, green_on)


def test_normal_days_before_the_isolation_do_not_count():
    started = D - days(5)
    v = evaluate(
        RULES,
        facts(
            status_started={"centralized": started},
            released_on=D - days(1),
            normal_days=normal_run(D - days(30), D - days(1)),
            days_without_checkin=1,
        ),
        CENTRALIZED,
    )
    assert (v.colour, v.green_on) == ("red", started + days(14))


def test_a_status_code_waits_for_the_office_past_its_count():
    history = normal_run(D - days(30), D)
    v = evaluate(
        RULES,
        facts(
            statuses={"home_isolation"},
            status_started={"home_isolation": D - days(20)},
            normal_days=history,
        ),
        ("yellow", by_name("居家隔离或医学观察")),
    )
    assert (v.colour, v.green_on) == ("yellow", None)
    assert v.reason == "居家隔离或医学观察；隔离满 7 天且每天打卡正常后转绿码，待防疫办解除状态"


def test_red_goes_straight_to_green_not_through_yellow_once_recovered():
    history = normal_run(D - days(20), D - days(1))
    v = evaluate(
        RULES,
        facts(
            status_started={"centralized": D - days(20)},
            released_on=D - days(2),
            normal_days=history,
            days_without_checkin=1,
        ),
        CENTRALIZED,
    )
    assert (v.colour, v.rule) == ("green", None)


def test_a_worse_finding_replaces_a_milder_code_at_once():
    v = evaluate(RULES, facts(statuses={"confirmed"}), FEVER)
    assert (v.colour, v.rule.name) == ("red", "确诊或疑似病例")


def test_missing_checkins_yellow_turns_green_at_the_next_normal_checkin():
    history = {D: True}
    assert evaluate(RULES, facts(normal_days=history), MISSED).colour == "green"


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
