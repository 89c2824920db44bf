"""The indicator catalog and the national limits shipped as data (no database needed)."""

import datetime as dt
from decimal import Decimal

from headwater.quality import catalog
from headwater.quality.choices import Category

ON = dt.date(2024, 6, 1)


def limits(code, kind="finished", supply_type="urban", on=ON):
    return catalog.limits_for(code, kind=kind, supply_type=supply_type, on=on)


def test_routine_indicators_are_the_43_of_gb5749_tables_1_and_2():
    codes = catalog.routine_codes()

    assert len(codes) == 43
    assert codes[:3] == ["total_coliforms", "e_coli", "plate_count"]
    assert codes[-4:] == ["free_chlorine", "total_chlorine", "ozone", "chlorine_dioxide"]
    assert catalog.codes_in("GB 5749-2022 表1") + catalog.codes_in("GB 5749-2022 表2") == codes


def test_every_routine_indicator_has_a_national_limit_for_finished_water():
    assert [code for code in catalog.routine_codes() if not limits(code)] == []


def test_routine_indicators_count_by_category():
    counts = {}
    for code in catalog.routine_codes():
        category = catalog.indicator(code).category
        counts[category] = counts.get(category, 0) + 1

    assert counts == {"micro": 3, "toxic": 18, "general": 16, "radio": 2, "disinfectant": 4}


def test_gb3838_lists_24_basic_items_and_5_supplementary_items():
    basic = catalog.codes_in("GB 3838-2002 表1")

    assert len(basic) == 24
    assert basic[:4] == ["water_temperature", "ph", "dissolved_oxygen", "permanganate_index"]
    assert basic[-1] == "faecal_coliforms"
    assert catalog.codes_in("GB 3838-2002 表2") == [
        "sulfate",
        "chloride",
        "nitrate",
        "iron",
        "manganese",
    ]


def test_water_temperature_is_stored_without_a_limit():
    assert limits("water_temperature", kind="raw") == []


def test_every_indicator_has_a_category_and_a_unit_unless_presence_or_dimensionless():
    categories = set(Category.values)
    unitless = {code for code, item in catalog.indicators().items() if not item.unit}

    assert all(item.category in categories for item in catalog.indicators().values())
    assert unitless == {"ph", "thm", "odour", "visible_matter"}
    assert catalog.indicator("odour").presence
    assert catalog.indicator("visible_matter").presence
    assert all(item.method for item in catalog.indicators().values())


def test_find_by_chinese_name_code_english_name_and_alias_in_any_case_or_width():
    assert catalog.find("浑浊度").code == "turbidity"
    assert catalog.find("铬(六价)").code == "chromium_vi"
    assert catalog.find("铬（六价）").code == "chromium_vi"
    assert catalog.find("FREE_CHLORINE").code == "free_chlorine"
    assert catalog.find("total coliforms").code == "total_coliforms"
    assert catalog.find("氨氮").code == "ammonia"
    assert catalog.find("耗氧量").code == "permanganate_index"
    assert catalog.find("pH值").code == "ph"
    assert catalog.find("不存在的指标") is None
    assert catalog.find("") is None


def test_unknown_code_raises_key_error():
    try:
        catalog.indicator("unobtainium")
    except KeyError:
        return
    raise AssertionError("expected KeyError")


def test_shared_indicator_has_gb5749_limit_for_drinking_water_and_gb3838_for_raw():
    (drinking,) = limits("arsenic", kind="tap")
    (raw,) = limits("arsenic", kind="raw")

    assert (drinking.standard, drinking.shape, drinking.maximum) == (
        "GB 5749-2022",
        "max",
        Decimal("0.01"),
    )
    assert (raw.standard, raw.shape, raw.bounds) == (
        "GB 3838-2002",
        "classes",
        (Decimal("0.05"), Decimal("0.05"), Decimal("0.05"), Decimal("0.1"), Decimal("0.1")),
    )


def test_small_supplies_get_the_looser_footnote_limits():
    looser = {
        code: limits(code, supply_type="small")[0].maximum
        for code in ("plate_count", "fluoride", "nitrate", "turbidity")
    }
    urban = {code: limits(code)[0].maximum for code in looser}

    assert looser == {
        "plate_count": Decimal("500"),
        "fluoride": Decimal("1.2"),
        "nitrate": Decimal("20"),
        "turbidity": Decimal("3"),
    }
    assert urban == {
        "plate_count": Decimal("100"),
        "fluoride": Decimal("1.0"),
        "nitrate": Decimal("10"),
        "turbidity": Decimal("1"),
    }
    assert limits("turbidity", supply_type="small")[0].clause == (
        "GB 5749-2022 表1 第23项 注b（小型集中式供水）"
    )


def test_arsenic_is_the_same_for_small_supplies():
    assert limits("arsenic", supply_type="small") == limits("arsenic")


def test_disinfectant_residual_depends_on_point_kind_and_the_maximum_applies_to_both():
    finished = limits("free_chlorine", kind="finished")[0]
    network_end = [
        limits("free_chlorine", kind=kind)[0] for kind in ("network", "secondary", "tap")
    ]

    assert (finished.minimum, finished.maximum) == (Decimal("0.3"), Decimal("2"))
    assert {(limit.minimum, limit.maximum) for limit in network_end} == {
        (Decimal("0.05"), Decimal("2"))
    }
    assert limits("free_chlorine", kind="raw") == []


def test_ozone_has_no_residual_in_finished_water():
    (finished,) = limits("ozone", kind="finished")
    (network,) = limits("ozone", kind="network")

    assert (finished.shape, finished.minimum, finished.maximum) == ("max", None, Decimal("0.3"))
    assert (network.shape, network.minimum, network.maximum) == (
        "range",
        Decimal("0.02"),
        Decimal("0.3"),
    )


def test_limit_texts_read_like_the_standard():
    texts = {
        code: limits(code, kind=kind)[0].text()
        for code, kind in [
            ("turbidity", "finished"),
            ("ph", "finished"),
            ("total_coliforms", "finished"),
            ("odour", "finished"),
            ("free_chlorine", "network"),
            ("thm", "finished"),
            ("mercury", "finished"),
            ("ammonia", "raw"),
            ("dissolved_oxygen", "raw"),
            ("ph", "raw"),
        ]
    }

    assert texts == {
        "turbidity": "≤1 NTU",
        "ph": "Ⅰ～Ⅴ类 6–9",
        "total_coliforms": "不应检出",
        "odour": "无异臭、异味",
        "free_chlorine": "0.05–2 mg/L",
        "thm": "比值之和≤1",
        "mercury": "≤0.001 mg/L",
        "ammonia": "Ⅲ类 ≤1.0 mg/L",
        "dissolved_oxygen": "Ⅲ类 ≥5 mg/L",
    }
    assert limits("ph")[0].text() == "6.5–8.5"


def test_class_texts_include_worse_than_v():
    (ammonia,) = limits("ammonia", kind="raw")
    (oxygen,) = limits("dissolved_oxygen", kind="raw")

    assert ammonia.class_text(1) == "Ⅰ类 ≤0.15 mg/L"
    assert ammonia.class_text(6) == "劣Ⅴ类 >2.0 mg/L"
    assert oxygen.class_text(2) == "Ⅱ类 ≥6 mg/L"
    assert oxygen.class_text(6) == "劣Ⅴ类 <2 mg/L"


def test_trihalomethane_total_names_its_four_members_each_with_its_own_maximum():
    (total,) = limits("thm")

    assert (total.shape, total.maximum) == ("ratio_sum", Decimal("1"))
    assert {code: limits(code)[0].maximum for code in total.members} == {
        "chloroform": Decimal("0.06"),
        "dibromochloromethane": Decimal("0.1"),
        "bromodichloromethane": Decimal("0.06"),
        "bromoform": Decimal("0.1"),
    }


def test_editions_carry_their_effective_dates():
    assert limits("turbidity")[0].effective_from == dt.date(2023, 4, 1)
    assert limits("ammonia", kind="raw")[0].effective_from == dt.date(2002, 6, 1)


def test_a_date_before_the_earliest_shipped_edition_uses_that_edition():
    assert catalog.editions_on(dt.date(2020, 1, 1)) == ("GB 3838-2002", "GB 5749-2022")
    assert limits("turbidity", on=dt.date(2020, 1, 1)) == limits("turbidity")


def test_limits_are_exact_decimals_written_as_in_the_standard():
    (mercury,) = limits("mercury", kind="raw")

    assert mercury.bounds[0] == Decimal("0.00005")
    assert catalog.plain(mercury.bounds[0]) == "0.00005"
    assert catalog.plain(limits("copper")[0].maximum) == "1.0"


def test_every_limit_cites_its_table_and_item():
    assert all(
        limit.clause.startswith(limit.standard + " 表") and "第" in limit.clause
        for limit in catalog.all_limits()
    )
