"""The three-way reconciliation (roster, samples, results) on a campaign with every kind of
gap (factories_completeness), as the office, a unit head and a desk operator see it."""

import pytest

from headwater.testing import completeness_names as names
from headwater.testing.completeness import reconcile, viewer
from headwater.testing.tests.factories_completeness import gappy_campaign


@pytest.fixture
def gaps(campaign, people):
    return gappy_campaign(campaign, people)


def who(v, gap):
    return [
        getattr(row, "name", None) or getattr(row, "barcode", None) for row in names.page(v, gap)
    ]


def test_the_office_sees_every_gap_counted(office_user, campaign, gaps):
    r = reconcile(viewer(office_user, campaign))
    t = r.totals
    assert (t.roster, t.sampled, t.not_sampled, t.no_result, t.results, t.cleared) == (
        7,
        5,
        2,
        3,
        2,
        1,
    )
    assert r.gap_counts == {
        "not_sampled": 2,
        "no_result": 3,
        "tube_mismatch": 2,
        "two_tubes": 2,
        "orphan_results": 1,
        "retests": 2,
    }


def test_the_office_sees_the_names_behind_each_count(office_user, campaign, gaps):
    v = viewer(office_user, campaign)
    assert who(v, "not_sampled") == ["王厂长", "孙监理"]
    assert who(v, "no_result") == ["李操作", "郑监理", "周民工"]
    assert who(v, "two_tubes") == ["李操作", "郑监理"]
    assert who(v, "retests") == ["钱文员", "周民工"]
    assert who(v, "tube_mismatch") == ["T1", "T2"]
    assert who(v, "orphan_results") == ["T4"]


def test_each_name_says_why(office_user, campaign, gaps):
    v = viewer(office_user, campaign)
    twice = {p.name: (p.tubes, p.note) for p in names.page(v, "two_tubes")}
    assert twice == {
        "李操作": (["T1", "T2"], "在两支采样管中"),
        "郑监理": (["T1"], "离线补传，违反规则但已保留"),
    }
    retests = {p.name: (p.tubes, p.note) for p in names.page(v, "retests")}
    assert retests == {
        "钱文员": (["T3"], "尚未单采复检"),
        "周民工": (["T3", "R1"], "复检已采样，待出结果"),
    }
    tubes = {
        t.barcode: (t.registered, t.lab_members, t.capacity, t.members)
        for t in names.page(v, "tube_mismatch")
    }
    assert tubes == {
        "T1": (2, None, 1, ["李操作", "郑监理"]),
        "T2": (2, 3, 5, ["李操作", "赵二厂"]),
    }
    [orphan] = names.page(v, "orphan_results")
    assert (orphan.registered, orphan.members) == (0, [])


def test_phones_are_masked(office_user, campaign, gaps):
    v = viewer(office_user, campaign)
    assert [p.phone for p in names.page(v, "not_sampled")][1] == "137****2222"
    assert "13700002222" not in repr(names.page(v, "not_sampled"))


def test_the_office_table_is_per_unit_and_company_worst_first(office_user, campaign, gaps):
    r = reconcile(viewer(office_user, campaign))
    table = [
        (row.label, row.counts.roster, row.counts.not_sampled, row.counts.no_result)
        for row in r.rows
    ]
    assert table == [
        ("宏远监理", 2, 1, 1),
        ("第一水厂", 2, 1, 1),
        ("江河建设", 1, 0, 1),
        ("金溪水务集团（本级）", 1, 0, 0),
        ("第二水厂", 1, 0, 0),
    ]


def test_a_unit_head_sees_their_units_people_only(unit_head_user, campaign, gaps):
    v = viewer(unit_head_user, campaign)
    r = reconcile(v)
    assert (r.totals.roster, r.totals.not_sampled, r.totals.no_result) == (2, 1, 1)
    assert r.gap_counts == {
        "not_sampled": 1,
        "no_result": 1,
        "tube_mismatch": 2,
        "two_tubes": 1,
        "orphan_results": 0,
        "retests": 0,
    }
    assert [(row.label, row.counts.roster) for row in r.rows] == [
        ("第一水厂（本级）", 1),
        ("运行甲班", 1),
    ]
    tubes = {t.barcode: t.members for t in names.page(v, "tube_mismatch")}
    assert tubes == {"T1": ["李操作"], "T2": ["李操作"]}
    assert who(v, "orphan_results") == []


def test_a_unit_head_cannot_look_into_another_unit_or_a_company(
    unit_head_user, campaign, gaps, tree
):
    with pytest.raises(LookupError):
        viewer(unit_head_user, campaign, unit=tree["plant2"])
    with pytest.raises(LookupError):
        viewer(unit_head_user, campaign, company="宏远监理")


def test_a_desk_operator_sees_their_whole_campaign(desk_user, campaign, gaps):
    r = reconcile(viewer(desk_user, campaign))
    assert r.totals.roster == 7
    assert r.gap_counts["orphan_results"] == 1


def test_a_unit_focus_narrows_counts_and_names(office_user, campaign, gaps, tree):
    v = viewer(office_user, campaign, unit=tree["plant1"])
    r = reconcile(v)
    assert (r.totals.roster, r.gap_counts["tube_mismatch"], r.gap_counts["orphan_results"]) == (
        2,
        2,
        0,
    )
    assert who(v, "not_sampled") == ["王厂长"]


def test_a_company_focus_shows_its_outside_people(office_user, campaign, gaps):
    v = viewer(office_user, campaign, company="宏远监理")
    r = reconcile(v)
    assert [(row.label, row.counts.roster) for row in r.rows] == [("宏远监理", 2)]
    assert who(v, "not_sampled") == ["孙监理"]


def test_names_come_a_page_at_a_time(office_user, campaign, gaps):
    v = viewer(office_user, campaign)
    assert [p.name for p in names.page(v, "no_result", 1, size=2)] == ["李操作", "郑监理"]
    assert [p.name for p in names.page(v, "no_result", 2, size=2)] == ["周民工"]
    assert [p.name for p in names.every(v, "no_result", chunk=2)] == ["李操作", "郑监理", "周民工"]
