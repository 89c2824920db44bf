"""The roster: whole units added (idempotently), outside people imported through the shared
importer (row-by-row report, nothing written on an error, an outsider registered once and
reused), entries removed while they have no sample."""

import pytest
from auditlog.models import LogEntry

from headwater.core.errors import DomainError, NotAllowed
from headwater.core.tests.factories import PersonFactory
from headwater.testing.choices import CampaignState, EntryStatus
from headwater.testing.models import Outsider, RosterEntry
from headwater.testing.services import setup, setup_outsiders, setup_roster
from headwater.testing.tests.factories import make_campaign

HEADER = "姓名,单位/公司,手机号,身份证号\n"
ROWS = (
    "周民工,江河建设,13700001111,330784198505051232\n"
    "吴监理,清源监理,13700002222,11010519491231002X\n"
)


def csv(text: str) -> bytes:
    return (HEADER + text).encode("utf-8")


def names(campaign):
    return sorted(str(e) for e in RosterEntry.objects.filter(campaign=campaign))


def test_adding_a_unit_puts_its_subtree_on_the_roster_once(office_user, campaign, tree, people):
    PersonFactory(unit=tree["shift_a"], name="离职者", employee_no="L1", employment_status="left")
    added, created = setup_roster.add_units(campaign, [tree["plant1"].pk], by=office_user)
    assert (added.added, added.skipped, created) == (2, 0, True)
    assert names(campaign) == ["李操作 (E2)", "王厂长 (E1)"]
    entry = RosterEntry.objects.get(campaign=campaign, person=people["operator"])
    assert (entry.unit_id, entry.site_id, entry.source) == (
        tree["shift_a"].pk,
        campaign.sites.get().pk,
        "unit",
    )
    again, created = setup_roster.add_units(
        campaign, [tree["plant1"].pk, tree["company"].pk], by=office_user
    )
    assert (again.added, again.skipped, created) == (2, 2, True)
    third, created = setup_roster.add_units(campaign, [tree["company"].pk], by=office_user)
    assert (third.added, third.skipped, created) == (0, 4, False)
    assert RosterEntry.objects.filter(campaign=campaign).count() == 4


def test_units_of_another_organization_are_refused(office_user, campaign, outsider):
    with pytest.raises(DomainError) as e:
        setup_roster.add_units(campaign, [outsider.person.unit_id], by=office_user)
    assert list(e.value.fields) == ["unit_ids"]
    assert RosterEntry.objects.count() == 0


def test_a_unit_head_may_not_add_units(unit_head_user, campaign, tree):
    with pytest.raises(NotAllowed):
        setup_roster.add_units(campaign, [tree["plant1"].pk], by=unit_head_user)
    assert RosterEntry.objects.count() == 0


def test_outsiders_are_imported_and_reused_in_a_later_campaign(org, office_user, campaign):
    report = setup_outsiders.import_outsiders(campaign, csv(ROWS), "名单.csv", by=office_user)
    assert report.ok
    assert (report.tally.created, report.tally.updated, report.tally.unchanged) == (2, 0, 0)
    entry = RosterEntry.objects.get(campaign=campaign, outsider__name="周民工")
    assert (entry.company, entry.source, entry.unit_id) == ("江河建设", "import", None)
    later = make_campaign(org, name="第3轮")
    report = setup_outsiders.import_outsiders(later, csv(ROWS), "名单.csv", by=office_user)
    assert report.tally.created == 2
    assert Outsider.objects.count() == 2


def test_reimporting_the_same_file_changes_nothing_and_leaves_no_event(office_user, campaign):
    setup_outsiders.import_outsiders(campaign, csv(ROWS), "名单.csv", by=office_user)
    events = LogEntry.objects.count()
    report = setup_outsiders.import_outsiders(campaign, csv(ROWS), "名单.csv", by=office_user)
    assert (report.tally.created, report.tally.updated, report.tally.unchanged) == (0, 0, 2)
    assert LogEntry.objects.count() == events
    assert RosterEntry.objects.filter(campaign=campaign).count() == 2


def test_a_changed_phone_is_brought_up_to_date(office_user, campaign):
    setup_outsiders.import_outsiders(campaign, csv(ROWS), "名单.csv", by=office_user)
    changed = ROWS.replace("13700001111", "13800009999")
    report = setup_outsiders.import_outsiders(campaign, csv(changed), "名单.csv", by=office_user)
    assert (report.tally.updated, report.tally.unchanged) == (1, 1)
    assert Outsider.objects.get(name="周民工").phone == "13800009999"


def test_a_file_with_bad_rows_names_each_and_writes_nothing(office_user, campaign):
    bad = (
        "周民工,江河建设,13700001111,330784198505051232\n"
        "王某,江河建设,12345,330784198505051241\n"
        "李某,,13700003333,330784198505051232\n"
    )
    report = setup_outsiders.import_outsiders(campaign, csv(bad), "名单.csv", by=office_user)
    assert not report.ok
    assert [(r.row, r.errors) for r in report.bad_rows] == [
        (3, ["手机号码格式不正确：12345", "身份证号码格式不正确：330784198505051241"]),
        (4, ["缺少单位/公司", "身份证号在文件中重复（第 2 行也有）"]),
    ]
    assert Outsider.objects.count() == 0
    assert RosterEntry.objects.count() == 0


def test_a_closed_campaign_takes_no_import(org, office_user):
    closed = make_campaign(org, state=CampaignState.CLOSED)
    with pytest.raises(DomainError) as e:
        setup_outsiders.import_outsiders(closed, csv(ROWS), "名单.csv", by=office_user)
    assert e.value.code == "campaign_closed"
    assert Outsider.objects.count() == 0


def test_an_entry_without_a_sample_is_removed_and_a_sampled_one_stays(
    office_user, campaign, roster
):
    setup_roster.remove_entry(roster[0], by=office_user)
    assert not RosterEntry.objects.filter(pk=roster[0].pk).exists()
    RosterEntry.objects.filter(pk=roster[1].pk).update(status=EntryStatus.SAMPLED)
    roster[1].refresh_from_db()
    with pytest.raises(DomainError) as e:
        setup_roster.remove_entry(roster[1], by=office_user)
    assert e.value.code == "entry_has_sample"
    assert RosterEntry.objects.filter(pk=roster[1].pk).exists()


def test_a_desk_operator_may_not_remove_entries(desk_user, roster):
    with pytest.raises(NotAllowed):
        setup_roster.remove_entry(roster[0], by=desk_user)
    assert RosterEntry.objects.filter(pk=roster[0].pk).exists()


def test_roster_entries_of_the_unit_take_its_batch_when_added_later(
    office_user, campaign, tree, people
):
    from headwater.testing.inputs_setup import BatchPlanInput
    from headwater.testing.services import setup_batches

    setup_roster.add_units(campaign, [tree["plant2"].pk], by=office_user)
    setup_batches.generate_batches(campaign, BatchPlanInput.parse({}), by=office_user)
    newcomer = PersonFactory(unit=tree["plant2"], name="新来的", employee_no="N1")
    setup_roster.add_units(campaign, [tree["plant2"].pk], by=office_user)
    entry = RosterEntry.objects.get(person=newcomer)
    assert entry.batch.unit_id == tree["plant2"].pk
    assert setup is not None
