"""Evaluating results against the limits in force (no database needed)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from headwater.quality import catalog
from headwater.quality.evaluate import (
    Context,
    Evaluation,
    Measured,
    derived,
    evaluate,
    evaluate_sample,
    parse_value,
)

ON = dt.date(2024, 6, 1)


def ctx(kind="finished", supply_type="urban", on=ON, internal=(), relaxations=()):
    return Context(kind, supply_type, on, internal=internal, relaxations=relaxations)


def value(code, raw):
    return parse_value(raw, catalog.indicator(code))


def outcome(code, raw, kind="finished", supply_type="urban"):
    return evaluate(code, value(code, raw), ctx(kind, supply_type)).outcome


# --- parse_value ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.35", Measured("", Decimal("0.35"), "0.35")),
        (" 1.0 ", Measured("", Decimal("1.0"), "1.0")),
        ("<0.01", Measured("<", Decimal("0.01"), "<0.01")),
        ("＜0.01", Measured("<", Decimal("0.01"), "＜0.01")),
        ("０.５", Measured("", Decimal("0.5"), "０.５")),
        (">2000", Measured(">", Decimal("2000"), ">2000")),
        ("未检出", Measured("nd", None, "未检出")),
        ("ND", Measured("nd", None, "ND")),
        ("nd", Measured("nd", None, "nd")),
        ("检出", Measured("det", None, "检出")),
        ("0", Measured("", Decimal("0"), "0")),
    ],
)
def test_parse_value_reads_numbers_and_qualifiers(raw, expected):
    assert parse_value(raw, catalog.indicator("turbidity")) == expected


@pytest.mark.parametrize(
    ("raw", "qualifier", "number"),
    [
        ("未检出", "nd", None),
        ("无", "nd", None),
        ("ND", "nd", None),
        ("nd", "nd", None),
        ("-", "nd", None),
        ("0", "nd", None),
        ("检出", "det", None),
        ("有", "det", None),
        ("3", "", Decimal("3")),
    ],
)
def test_presence_indicator_accepts_words_and_counts(raw, qualifier, number):
    measured = parse_value(raw, catalog.indicator("total_coliforms"))

    assert (measured.qualifier, measured.value) == (qualifier, number)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "“abc” is not a number."),
        ("1,5", "“1,5” is not a number."),
        ("<", "“<” is not a number."),
        ("NaN", "“NaN” is not a number."),
        ("-", "“-” is not a number."),
        ("", "Enter a value."),
        ("-0.5", "浑浊度 cannot be negative: “-0.5”."),
        ("<0", "A detection limit must be above zero: “<0”."),
        ("0.000000001", "“0.000000001” has more than 8 decimal places."),
        ("1000000000000", "“1000000000000” is too large."),
        ("1" * 41, f"“{'1' * 40}…” is too long."),
    ],
)
def test_parse_value_refuses_what_is_not_a_value_with_a_translated_message(raw, message):
    with translation.override("en"), pytest.raises(ValueError) as refused:
        parse_value(raw, catalog.indicator("turbidity"))

    assert str(refused.value) == message


def test_ph_above_14_is_refused():
    with translation.override("en"), pytest.raises(ValueError) as refused:
        value("ph", "15")

    assert str(refused.value) == "pH is between 0 and 14, not “15”."


def test_water_temperature_may_be_negative():
    assert value("water_temperature", "-0.5").value == Decimal("-0.5")


# --- one-sided maximum ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", "pass"),
        ("1.00", "pass"),
        ("1.01", "fail"),
        ("<0.5", "pass"),
        ("<1", "pass"),
        ("<2", "inconclusive"),
        ("未检出", "pass"),
        ("检出", "inconclusive"),
        (">1", "fail"),
        (">0.5", "inconclusive"),
    ],
)
def test_turbidity_maximum_is_inclusive(raw, expected):
    assert outcome("turbidity", raw) == expected


def test_evaluation_carries_limit_text_and_standard():
    assert evaluate("turbidity", value("turbidity", "0.5"), ctx()) == Evaluation(
        "pass", "≤1 NTU", "GB 5749-2022", None, "", None
    )


# --- range ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("6.5", "pass"), ("8.5", "pass"), ("8.51", "fail"), ("6.49", "fail"), ("7.2", "pass")],
)
def test_ph_range_is_inclusive_at_both_ends(raw, expected):
    assert outcome("ph", raw, kind="tap") == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.3", "pass"),
        ("0.29", "fail"),
        ("2", "pass"),
        ("2.01", "fail"),
        ("未检出", "fail"),
        ("<0.3", "fail"),
        ("<0.5", "inconclusive"),
        (">2", "fail"),
        (">0.5", "inconclusive"),
    ],
)
def test_free_chlorine_in_finished_water(raw, expected):
    assert outcome("free_chlorine", raw, kind="finished") == expected


@pytest.mark.parametrize("kind", ["network", "secondary", "tap"])
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.05", "pass"),
        ("0.04", "fail"),
        ("2", "pass"),
        ("2.01", "fail"),
        ("未检出", "fail"),
        ("<0.05", "fail"),
        ("<0.02", "fail"),
    ],
)
def test_free_chlorine_at_the_network_end(kind, raw, expected):
    assert outcome("free_chlorine", raw, kind=kind) == expected


def test_ozone_in_finished_water_has_only_a_maximum():
    assert outcome("ozone", "未检出", kind="finished") == "pass"
    assert outcome("ozone", "未检出", kind="network") == "fail"
    assert outcome("ozone", "0.02", kind="network") == "pass"


# --- one-sided minimum (internal limits are the only pure minimum) -------------------------


def minimum_rule(minimum):
    return SimpleNamespace(
        indicator="turbidity",
        point_kind="",
        minimum=Decimal(minimum),
        maximum=None,
        valid_from=dt.date(2024, 1, 1),
        valid_until=None,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.1", "pass"),
        ("0.09", "fail"),
        ("<0.1", "fail"),
        ("<0.2", "inconclusive"),
        ("未检出", "fail"),
        (">0.1", "pass"),
        (">0.05", "inconclusive"),
    ],
)
def test_minimum_limit(raw, expected):
    context = ctx(internal=[minimum_rule("0.1")])

    assert evaluate("turbidity", value("turbidity", raw), context).internal_outcome == expected


# --- not detected --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("未检出", "pass"),
        ("0", "pass"),
        ("<1", "pass"),
        ("检出", "fail"),
        ("1", "fail"),
        (">2400", "fail"),
    ],
)
def test_coliforms_must_not_be_detected(raw, expected):
    assert outcome("total_coliforms", raw, kind="tap") == expected


def test_odour_is_evaluated_as_presence():
    assert outcome("odour", "无") == "pass"
    assert outcome("odour", "有") == "fail"
    assert evaluate("odour", value("odour", "无"), ctx()).limit_text == "无异臭、异味"


# --- small supplies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "raw", "urban", "small"),
    [
        ("turbidity", "3", "fail", "pass"),
        ("turbidity", "3.01", "fail", "fail"),
        ("plate_count", "500", "fail", "pass"),
        ("plate_count", "501", "fail", "fail"),
        ("fluoride", "1.2", "fail", "pass"),
        ("nitrate", "20", "fail", "pass"),
        ("nitrate", "20.1", "fail", "fail"),
    ],
)
def test_small_supplies_are_held_to_the_looser_limits(code, raw, urban, small):
    assert (outcome(code, raw, supply_type="urban"), outcome(code, raw, supply_type="small")) == (
        urban,
        small,
    )


# --- GB 3838 classes -----------------------------------------------------------------------


def classify(code, raw):
    result = evaluate(code, value(code, raw), ctx(kind="raw"))
    return result.outcome, result.source_class, result.limit_text


@pytest.mark.parametrize(
    ("raw", "source_class"),
    [
        ("0.15", 1),
        ("0.16", 2),
        ("0.5", 2),
        ("1.0", 3),
        ("1.5", 4),
        ("2.0", 5),
        ("2.01", 6),
        ("未检出", 1),
        ("<0.5", 2),
        (">1", 6),
    ],
)
def test_ammonia_in_raw_water_is_classified_and_a_bound_belongs_to_the_better_class(
    raw, source_class
):
    assert classify("ammonia", raw)[:2] == ("classified", source_class)


def test_classified_limit_text_names_the_class_bound():
    assert classify("ammonia", "0.8") == ("classified", 3, "Ⅲ类 ≤1.0 mg/L")
    assert classify("ammonia", "2.5") == ("classified", 6, "劣Ⅴ类 >2.0 mg/L")


def test_equal_bounds_give_the_better_class():
    assert classify("cod", "15")[1] == 1
    assert classify("cod", "15.1")[1] == 3


@pytest.mark.parametrize(
    ("raw", "source_class"),
    [
        ("8", 1),
        ("7.5", 1),
        ("7.49", 2),
        ("6", 2),
        ("5", 3),
        ("3", 4),
        ("2", 5),
        ("1.99", 6),
        ("<2", 6),
        ("未检出", 6),
        (">6", 2),
    ],
)
def test_dissolved_oxygen_is_better_when_higher(raw, source_class):
    assert classify("dissolved_oxygen", raw)[:2] == ("classified", source_class)


@pytest.mark.parametrize(("raw", "source_class"), [("6", 1), ("9", 1), ("9.01", 6), ("5.9", 6)])
def test_raw_ph_outside_6_to_9_is_worse_than_v(raw, source_class):
    assert classify("ph", raw)[:2] == ("classified", source_class)


def test_faecal_coliforms_detected_without_count_is_inconclusive():
    assert classify("faecal_coliforms", "检出") == ("inconclusive", None, "Ⅲ类 ≤10000 个/L")


def test_raw_water_supplementary_items_pass_or_fail():
    assert outcome("sulfate", "250", kind="raw") == "pass"
    assert outcome("sulfate", "251", kind="raw") == "fail"


def test_raw_water_without_a_gb3838_limit_has_no_limit():
    assert evaluate("turbidity", value("turbidity", "5"), ctx(kind="raw")) == Evaluation(
        "none", "", "", None, "", None
    )
    assert outcome("water_temperature", "18.5", kind="raw") == "none"


def test_gb3838_only_indicator_has_no_limit_in_drinking_water():
    assert outcome("cod", "50", kind="finished") == "none"


# --- trihalomethanes -----------------------------------------------------------------------


def sample(**raws):
    return {code: value(code, raw) for code, raw in raws.items()}


def test_trihalomethane_ratio_sum_of_one_passes():
    results = evaluate_sample(sample(chloroform="0.03", bromodichloromethane="0.03"), ctx())

    assert results["thm"] == Evaluation("pass", "比值之和≤1", "GB 5749-2022", None, "", None)
    assert results["chloroform"].outcome == "pass"


def test_trihalomethane_ratio_sum_above_one_fails():
    results = evaluate_sample(sample(chloroform="0.031", bromodichloromethane="0.03"), ctx())

    assert results["thm"].outcome == "fail"


def test_trihalomethane_total_is_stored_as_a_derived_value():
    measured = derived(sample(chloroform="0.031", bromodichloromethane="0.03"), ctx())

    assert measured == {"thm": Measured("", Decimal("1.01666667"), "1.01666667")}


def test_members_below_detection_or_not_detected_count_zero():
    measured = derived(
        sample(chloroform="0.03", bromoform="<0.1", dibromochloromethane="未检出"), ctx()
    )

    assert measured == {"thm": Measured("", Decimal("0.50000000"), "0.5")}


def test_member_above_range_makes_the_total_a_lower_bound():
    results = evaluate_sample(sample(chloroform=">0.06", bromoform="0.01"), ctx())

    assert results["thm"].outcome == "fail"


def test_an_entered_trihalomethane_total_is_the_ratio_itself():
    results = evaluate_sample(sample(chloroform="0.05", thm="0.9"), ctx())

    assert results["thm"].outcome == "pass"


def test_no_member_no_trihalomethane_total():
    assert evaluate_sample(sample(turbidity="0.5"), ctx()).keys() == {"turbidity"}


def test_raw_water_derives_no_trihalomethane_total():
    assert derived(sample(chloroform="0.05"), ctx(kind="raw")) == {}


# --- internal limits -----------------------------------------------------------------------


def internal_limit(maximum="0.5", point_kind="", since=dt.date(2024, 1, 1), until=None):
    return SimpleNamespace(
        indicator="turbidity",
        point_kind=point_kind,
        minimum=None,
        maximum=Decimal(maximum),
        valid_from=since,
        valid_until=until,
    )


def internal_outcome(raw, *rows, kind="finished"):
    return evaluate("turbidity", value("turbidity", raw), ctx(kind, internal=rows)).internal_outcome


def test_internal_limit_in_force_gives_an_internal_outcome_beside_the_national_one():
    result = evaluate("turbidity", value("turbidity", "0.6"), ctx(internal=[internal_limit()]))

    assert (result.outcome, result.internal_outcome) == ("pass", "fail")
    assert internal_outcome("0.5", internal_limit()) == "pass"


def test_no_internal_limit_gives_an_empty_internal_outcome():
    assert internal_outcome("0.6") == ""


def test_internal_limit_out_of_force_is_ignored():
    assert internal_outcome("0.6", internal_limit(since=dt.date(2024, 7, 1))) == ""
    assert internal_outcome("0.6", internal_limit(until=dt.date(2024, 5, 31))) == ""
    assert internal_outcome("0.6", internal_limit(until=ON)) == "fail"


def test_internal_limit_for_another_kind_is_ignored_and_a_kind_specific_one_wins():
    network_only = internal_limit(point_kind="network")
    strict_finished = internal_limit(maximum="0.3", point_kind="finished")

    assert internal_outcome("0.6", network_only) == ""
    assert internal_outcome("0.4", internal_limit(), strict_finished) == "fail"


def test_context_reindexes_when_its_date_changes():
    context = ctx(internal=[internal_limit(since=dt.date(2024, 7, 1))])
    measured = value("turbidity", "0.6")

    assert evaluate("turbidity", measured, context).internal_outcome == ""
    context.on = dt.date(2024, 7, 2)
    assert evaluate("turbidity", measured, context).internal_outcome == "fail"


# --- relaxations ---------------------------------------------------------------------------


def relaxation(
    code="turbidity",
    maximum="5",
    status="approved",
    point_kind="",
    since=dt.date(2024, 5, 1),
    until=dt.date(2024, 6, 30),
    pk=7,
):
    return SimpleNamespace(
        pk=pk,
        indicator=code,
        point_kind=point_kind,
        minimum=None,
        maximum=Decimal(maximum),
        valid_from=since,
        valid_until=until,
        status=status,
    )


def relaxed(code, raw, *rows, kind="finished"):
    result = evaluate(code, value(code, raw), ctx(kind, relaxations=rows))
    return result.outcome, result.limit_text, result.relaxation_id


def test_approved_relaxation_in_force_replaces_the_national_maximum():
    assert relaxed("turbidity", "4", relaxation()) == ("pass", "≤5 NTU（临时放宽）", 7)
    assert relaxed("turbidity", "5.1", relaxation()) == ("fail", "≤5 NTU（临时放宽）", 7)


def test_relaxation_on_its_last_day_is_in_force():
    assert relaxed("turbidity", "4", relaxation(until=ON))[2] == 7


def test_expired_relaxation_is_ignored():
    assert relaxed("turbidity", "4", relaxation(until=dt.date(2024, 5, 31))) == (
        "fail",
        "≤1 NTU",
        None,
    )


def test_relaxation_not_yet_in_force_is_ignored():
    assert relaxed("turbidity", "4", relaxation(since=dt.date(2024, 6, 2)))[2] is None


@pytest.mark.parametrize("status", ["proposed", "rejected", "revoked"])
def test_relaxation_not_approved_is_ignored(status):
    assert relaxed("turbidity", "4", relaxation(status=status)) == ("fail", "≤1 NTU", None)


def test_relaxation_for_another_kind_is_ignored():
    assert relaxed("turbidity", "4", relaxation(point_kind="network"))[2] is None
    assert relaxed("turbidity", "4", relaxation(point_kind="finished"))[2] == 7


def test_relaxation_of_a_non_general_indicator_is_ignored():
    assert relaxed("arsenic", "0.02", relaxation(code="arsenic", maximum="0.05")) == (
        "fail",
        "≤0.01 mg/L",
        None,
    )
    assert relaxed("free_chlorine", "3", relaxation(code="free_chlorine"))[2] is None


def test_relaxation_of_a_range_keeps_the_bound_it_does_not_set():
    assert relaxed("ph", "9", relaxation(code="ph", maximum="9.5")) == (
        "pass",
        "6.5–9.5（临时放宽）",
        7,
    )
    assert relaxed("ph", "6.4", relaxation(code="ph", maximum="9.5"))[0] == "fail"


def test_relaxation_does_not_touch_raw_water_classification():
    result = evaluate(
        "permanganate_index",
        value("permanganate_index", "5"),
        ctx("raw", relaxations=[relaxation(code="permanganate_index")]),
    )

    assert (result.outcome, result.source_class, result.relaxation_id) == ("classified", 3, None)


def test_relaxed_limit_text_fits_80_characters():
    huge = relaxation(maximum="123456789012.12345678")
    text = relaxed("turbidity", "4", huge)[1]

    assert len(text) <= 80
    assert text.endswith("（临时放宽）")
