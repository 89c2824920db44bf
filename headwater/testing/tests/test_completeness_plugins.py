"""The testing app through core's interfaces: the briefing section (with and without
campaigns, in Chinese and English), the dashboard panels, the home tile, the demo campaign."""

import datetime as dt

from headwater.core import clock
from headwater.core.tiles import resolve
from headwater.testing import screen, sections, tiles
from headwater.testing.choices import CampaignState
from headwater.testing.models import Campaign, RosterEntry, Tube
from headwater.testing.tests.factories import make_campaign
from headwater.testing.tests.factories_completeness import gappy_campaign

TOMORROW = dt.timedelta(days=1)


def test_no_section_without_any_campaign(org):
    assert sections.testing_section(org, clock.today()) is None


def test_a_quiet_section_when_no_campaign_was_running(org, people):
    make_campaign(org, starts_on=clock.today() - dt.timedelta(days=30), state=CampaignState.CLOSED)
    section = resolve(sections.testing_section(org, clock.today()), "en")
    assert (section["figures"], section["flags"]) == ([], [])
    assert section["quiet"] == "No test campaign was running."


def test_the_section_reports_progress_untested_and_flags(org, people, campaign):
    gappy_campaign(campaign, people)
    section = resolve(sections.testing_section(org, clock.today() + TOMORROW), "en")
    figures = {f["key"]: f["value"] for f in section["figures"]}
    # As the timestamps tell the day: 李操作's second tube (T2) had its negative result.
    assert figures == {
        "testing.rostered": 7,
        "testing.sampled": 5,
        "testing.results": 4,
        "testing.cleared": 2,
    }
    assert section["lines"] == [
        f"全员核酸检测（第1轮） ({campaign.starts_on:%m-%d} – {campaign.ends_on:%m-%d}): "
        "7 on the roster, 5 sampled, 4 with a result, 2 negative."
    ]
    assert section["flags"] == [
        {"kind": "abnormal", "text": "全员核酸检测（第1轮）: pool T3 Positive, 2 people to retest"},
        {"kind": "overdue", "text": "全员核酸检测（第1轮）: 2 retests pending"},
    ]
    [table] = section["tables"]
    assert table["header"] == ["Unit or company", "On the roster", "Not sampled"]
    assert table["rows"] == [["宏远监理", 2, 1], ["第一水厂", 2, 1]]
    assert section["quiet"] == ""


def test_people_never_sampled_are_flagged_once_the_campaign_is_over(org, people):
    campaign = make_campaign(org, starts_on=clock.today(), days=1)
    gappy_campaign(campaign, people)
    section = resolve(sections.testing_section(org, clock.today() + TOMORROW), "zh-hans")
    assert section["flags"][-1]["kind"] == "overdue"
    assert "2" in section["flags"][-1]["text"]
    assert section["title"] == "核酸检测"


def test_the_panels_show_progress_and_untested_bars(org, people, campaign):
    gappy_campaign(campaign, people)
    progress, untested = screen.testing_panels(org, clock.today())
    items = {i["key"]: i["text"] for i in progress.data["items"]}
    assert items == {
        "testing.roster": "7",
        "testing.sampled": "5",
        "testing.pending": "2",
        "testing.awaiting": "3",
        "testing.cleared": "1",
        "testing.retests": "2",
    }
    assert [(b["label"], b["value"]) for b in untested.data["items"]] == [
        ("宏远监理", 1),
        ("第一水厂", 1),
    ]


def test_no_panels_without_a_running_campaign(org):
    assert screen.testing_panels(org, clock.today()) == []


def test_the_tile_counts_the_users_people(org, people, campaign, office_user, unit_head_user):
    gappy_campaign(campaign, people)
    [office] = tiles.testing_tiles(office_user, org)
    [head] = tiles.testing_tiles(unit_head_user, org)
    assert (office.value, head.value) == ("5 / 7", "1 / 2")
    assert office.url == f"/testing/campaigns/{campaign.pk}/completeness/"


def test_staff_get_no_tile(org, people, campaign, staff_user):
    gappy_campaign(campaign, people)
    assert tiles.testing_tiles(staff_user, org) == []


def test_the_demo_builds_a_campaign_with_its_gaps(org, people):
    from headwater.core.tests.factories import PersonFactory
    from headwater.testing import demo

    for i in range(60):
        PersonFactory(unit=people["operator"].unit, name=f"演示{i}", employee_no=f"M{i}")
    demo.build(org, 2020, 14)
    campaign = Campaign.objects.get(organization=org)
    entries = RosterEntry.objects.filter(campaign=campaign)
    statuses = set(entries.values_list("status", flat=True))
    assert {"pending", "cleared", "sampled", "retesting"} <= statuses
    assert entries.filter(outsider__isnull=False).count() == 25
    assert Tube.objects.filter(campaign=campaign, result="positive").count() == 1
    assert campaign.retests.filter(state="open").exists()
