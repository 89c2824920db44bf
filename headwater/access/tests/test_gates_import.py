"""Duty teams imported from a spreadsheet (卡点, 组名, 批次, 姓名, 工号/手机, 组长): the seed's
55 teams of 207 people in batches arrive in one upload; a file with any bad row writes
nothing and names each bad row with its reasons; a unit head imports only for their gates."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from headwater.access.models import GateTeam, GateTeamMember
from headwater.access.services.gates_import import import_teams
from headwater.access.tests.factories_gates import make_gate
from headwater.access.tests.fixtures_gates import *  # noqa: F403 (the gates fixtures)
from headwater.core.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
HEADER = "卡点,组名,批次,姓名,工号/手机,组长\n"


def upload(text: str, name="teams.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def seed(org, sites, tree):
    """Five community checkpoints and 207 people of plant 1 (the seed's 207 guards)."""
    gates = [make_gate(sites["plant1"], f"{n}号卡点", kind="checkpoint") for n in range(1, 6)]
    people = [
        PersonFactory(unit=tree["plant1"], name=f"值守{i}", employee_no=f"W{i:03d}")
        for i in range(207)
    ]
    return gates, people


def seed_file(gates, people) -> str:
    """55 teams over five checkpoints in three batches: 42 teams of 4 and 13 of 3 = 207."""
    rows, i = [], 0
    for t in range(55):
        size = 4 if t < 42 else 3
        gate = gates[t % 5]
        for k in range(size):
            p = people[i]
            leader = "是" if k == 0 else ""
            rows.append(f"{gate.name},第{t + 1}组,{t % 3 + 1},{p.name},{p.employee_no},{leader}")
            i += 1
    assert i == 207
    return HEADER + "\n".join(rows) + "\n"


def test_the_seed_of_55_teams_of_207_people_imports_in_one_file(office_user, org, seed):
    gates, people = seed
    report = import_teams(org, upload(seed_file(gates, people)), "teams.csv", by=office_user)
    assert report.ok and report.total == 207
    assert (report.tally.created, report.tally.updated, report.tally.unchanged) == (207, 55, 0)
    assert GateTeam.objects.count() == 55 and GateTeamMember.objects.count() == 207
    team = GateTeam.objects.get(gate=gates[1], name="第2组")
    assert (team.batch, team.leader) == (2, people[4])
    assert set(GateTeam.objects.values_list("batch", flat=True)) == {1, 2, 3}


def test_importing_the_same_file_again_changes_nothing_and_leaves_no_event(office_user, org, seed):
    text = seed_file(*seed)
    import_teams(org, upload(text), "teams.csv", by=office_user)
    events = LogEntry.objects.count()
    report = import_teams(org, upload(text), "teams.csv", by=office_user)
    assert (report.tally.created, report.tally.updated, report.tally.unchanged) == (0, 0, 207)
    assert LogEntry.objects.count() == events


def test_bad_rows_are_named_and_nothing_is_written(office_user, org, gate, people):
    text = HEADER + (
        "一厂东门,东门一组,1,李操作,E2,是\n"  # row 2: good
        "无此卡点,东门一组,1,王厂长,E1,\n"  # row 3: no such gate
        "一厂东门,东门一组,2,王厂长,E1,\n"  # row 4: another batch for the same team
        "一厂东门,东门二组,1,张三,E4,\n"  # row 5: E4 is 钱文员
        "一厂东门,东门二组,x,钱文员,E9,\n"  # row 6: bad batch, unknown number
    )
    report = import_teams(org, upload(text), "teams.csv", by=office_user)
    assert not report.ok and report.tally is None
    assert [(r.row, r.errors) for r in report.bad_rows] == [
        (3, ["没有此名称、且您可管理其班组的在用卡点。"]),
        (4, ["班组 东门一组 在前面的行中是第 1 批。"]),
        (5, ["E4 是 钱文员，不是 张三。"]),
        (6, ["请填写 1 到 99 的批次。", "您可编入班组的在岗人员中没有工号或手机号为 E9 的人。"]),
    ]
    assert GateTeam.objects.count() == GateTeamMember.objects.count() == 0


def test_a_unit_head_imports_only_for_the_gates_of_their_units(
    unit_head_user, org, gate, gate2, people
):
    text = HEADER + "一厂东门,东门一组,1,李操作,E2,\n二厂北门,北门一组,1,王厂长,E1,\n"
    report = import_teams(org, upload(text), "teams.csv", by=unit_head_user)
    assert [(r.row, r.errors) for r in report.bad_rows] == [
        (3, ["没有此名称、且您可管理其班组的在用卡点。"])
    ]
    assert GateTeam.objects.count() == 0


def test_the_import_page_shows_the_summary_and_the_template_downloads(client, office_user, gate):
    client.force_login(office_user)
    url = reverse("access:gate_teams_import")
    template = client.get(url, {"template": "xlsx"})
    assert template.status_code == 200
    assert "attachment" in template["Content-Disposition"]
    response = client.post(url, {"file": upload(HEADER + "一厂东门,东门一组,1,李操作,E2,是\n")})
    assert response.status_code == 200
    assert "已导入值守班组。" in response.content.decode()
    assert GateTeam.objects.get().leader.name == "李操作"


def test_a_member_of_staff_may_not_open_the_import(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("access:gate_teams_import")).status_code == 403
