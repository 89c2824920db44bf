""" "Remind now": a unit head reminds their unit's people who have not checked in, the office
everyone and the heads of the units that have not reported; a second press within a few
minutes sends nothing; pages and API alike."""

import json

import pytest
from django.urls import reverse

from headwater.alerts.models import Alert, InboxItem
from headwater.core.errors import NotAllowed
from headwater.core.tests.factories import make_user
from headwater.health import services
from headwater.health.models import ReminderRun
from headwater.health.tests.office_pages import at, check_in, zero_report

REMIND = reverse("health:remind_now")
API = "/api/v1/health/reminders"


@pytest.fixture
def logins(people):
    """Every person of the fixture tree with a login (the head and the office have theirs)."""
    return {
        "operator": make_user("li", person=people["operator"], roles=[("staff", None)]),
        "other_plant": make_user("zhao", person=people["other_plant"], roles=[("staff", None)]),
    }


def inbox(kind: str) -> set[str]:
    return set(InboxItem.objects.filter(alert__kind=kind).values_list("user__username", flat=True))


def test_unit_head_reminds_the_people_of_their_unit_who_have_not_checked_in(
    client, unit_head_user, office_user, logins, tree, time_machine
):
    time_machine.move_to(at(9))
    check_in(unit_head_user.person)
    client.force_login(unit_head_user)

    response = client.post(REMIND, {"unit": tree["plant1"].pk}, follow=True)

    assert response.redirect_chain == [(f"/health/unit/?unit={tree['plant1'].pk}", 302)]
    assert [str(m) for m in response.context["messages"]] == ["已发送提醒——未打卡人员：1 人。"]
    assert inbox("health.reminder") == {"li"}  # not 赵二厂 of plant 2, not the head
    run = ReminderRun.objects.get()
    assert (run.unit, run.sent_by, run.people, run.units) == (tree["plant1"], unit_head_user, 1, 0)


def test_a_second_press_within_five_minutes_sends_nothing(
    client, unit_head_user, logins, tree, time_machine
):
    time_machine.move_to(at(9))
    client.force_login(unit_head_user)
    client.post(REMIND, {"unit": tree["plant1"].pk}, follow=True)
    time_machine.move_to(at(9, 4))

    again = client.post(REMIND, {"unit": tree["plant1"].pk}, follow=True)

    assert [str(m) for m in again.context["messages"]] == ["09:00 已发送过提醒，本次未重复发送。"]
    assert (Alert.objects.filter(kind="health.reminder").count(), ReminderRun.objects.count()) == (
        1,
        1,
    )
    time_machine.move_to(at(9, 6))
    client.post(REMIND, {"unit": tree["plant1"].pk})
    assert Alert.objects.filter(kind="health.reminder").count() == 2


def test_office_reminds_everyone_and_the_heads_of_units_that_have_not_reported(
    client, office_user, unit_head_user, logins, tree, time_machine
):
    time_machine.move_to(at(9))
    client.force_login(office_user)

    response = client.post(REMIND, follow=True)

    assert response.redirect_chain == [("/health/overview/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "已发送提醒——未打卡人员：4 人；未报日报告单位的负责人：1 个单位。"
    ]
    assert inbox("health.reminder") == {"head", "li", "zhao", "office"}
    report = Alert.objects.get(kind="health.reminder.report")
    assert (report.title, report.body, report.unit) == (
        "第一水厂：请发送今天的日报告",
        "日报告截止时间为 10:00。",
        tree["plant1"],
    )
    assert inbox("health.reminder.report") == {"head"}


def test_a_unit_that_has_reported_is_not_reminded_to_report(
    office_user, unit_head_user, logins, tree, time_machine
):
    time_machine.move_to(at(9))
    zero_report(tree["plant1"], unit_head_user)

    run, created = services.remind_now(office_user.organization, by=office_user)

    assert (created, run.units) == (True, 0)
    assert not Alert.objects.filter(kind="health.reminder.report").exists()


def test_unit_head_may_not_remind_another_unit_or_the_whole_organization(
    client, unit_head_user, tree, time_machine
):
    time_machine.move_to(at(9))
    org = unit_head_user.organization
    with pytest.raises(NotAllowed):
        services.remind_now(org, by=unit_head_user, unit=tree["plant2"])
    with pytest.raises(NotAllowed):
        services.remind_now(org, by=unit_head_user)
    client.force_login(unit_head_user)
    assert client.post(REMIND, {"unit": tree["plant2"].pk}).status_code == 404
    assert client.post(REMIND).status_code == 403
    assert client.get(REMIND).status_code == 405
    assert ReminderRun.objects.count() == 0 and Alert.objects.count() == 0


@pytest.mark.parametrize("unit", ["abc", str(2**63), "0"])
def test_a_bad_unit_is_404_and_sends_nothing(client, office_user, unit):
    client.force_login(office_user)
    assert client.post(REMIND, {"unit": unit}).status_code == 404
    assert ReminderRun.objects.count() == 0


def test_staff_may_not_remind(client, staff_user, tree):
    client.force_login(staff_user)
    assert client.post(REMIND, {"unit": tree["shift_a"].pk}).status_code == 403
    assert ReminderRun.objects.count() == 0


def test_api_reminds_now_then_answers_the_same_run(
    client, unit_head_user, logins, tree, time_machine
):
    time_machine.move_to(at(9))
    client.force_login(unit_head_user)
    body = json.dumps({"unit_id": tree["plant1"].pk})

    first = client.post(API, body, content_type="application/json")
    second = client.post(API, body, content_type="application/json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["people"] == 2 and first.json()["units"] == 0
    assert second.json()["id"] == first.json()["id"]
    assert Alert.objects.filter(kind="health.reminder").count() == 1
    other = client.post(
        API, json.dumps({"unit_id": tree["plant2"].pk}), content_type="application/json"
    )
    assert other.status_code == 404
    whole = client.post(API, "{}", content_type="application/json")
    assert (whole.status_code, whole.json()["error"]["code"]) == (403, "forbidden")


def test_nobody_missing_sends_nothing_and_says_so(
    office_user, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(9))
    for person in (people["head"], people["operator"]):
        check_in(person)

    run, _ = services.remind_now(
        unit_head_user.organization, by=unit_head_user, unit=tree["plant1"]
    )

    assert run.people == 0
    assert not Alert.objects.exists()
