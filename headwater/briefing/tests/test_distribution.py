"""The daily task generates yesterday's briefing once at the set time and sends it to the
group robots (DingTalk and WeCom markdown with the link back, recorded and retried) and by
e-mail with the PDF attached; the office re-sends a version once per channel."""

import datetime as dt

import pytest
from django.core import mail

from headwater.alerts.models import Alert, Delivery, InboxItem
from headwater.alerts.tasks import retry_due_deliveries
from headwater.alerts.tests.conftest import no_network  # noqa: F401 (autouse: no real robots)
from headwater.briefing import services, tasks
from headwater.briefing.models import Briefing, Dispatch
from headwater.core import levels
from headwater.core.models import LevelSettingValue

from .conftest import DAY, MORNING

LINK_PATH = "/briefings/{}/"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.HEADWATER_BASE_URL = "https://hw.example.cn"


@pytest.fixture
def recipients(org):
    LevelSettingValue.objects.create(
        organization=org,
        key="briefing.daily.recipients",
        level="normal",
        value=["leader@jinxi.cn", "office@jinxi.cn"],
    )
    levels.forget(org)


def test_the_task_does_nothing_before_the_set_time(org, fake_sections, time_machine, on_commit):
    time_machine.move_to(MORNING - dt.timedelta(minutes=1), tick=False)

    with on_commit():
        made = tasks.generate_due_briefings.call_local()

    assert made == 0
    assert Briefing.objects.count() == 0


def test_the_task_generates_yesterdays_briefing_once_and_sends_it(
    org, fake_sections, robot, make_channel, recipients, time_machine, on_commit
):
    make_channel(kind="dingtalk", url=robot.url)
    time_machine.move_to(MORNING + dt.timedelta(minutes=2), tick=False)

    with on_commit():
        made = tasks.generate_due_briefings.call_local()
    with on_commit():
        again = tasks.generate_due_briefings.call_local()

    briefing = Briefing.objects.get()
    assert (made, again, briefing.day, briefing.generated_by) == (1, 0, DAY, None)
    link = f"https://hw.example.cn/briefings/{briefing.pk}/"
    assert [r["json"] for r in robot.requests] == [
        {
            "msgtype": "markdown",
            "markdown": {
                "title": "金溪水务集团疫情防控工作日报（2026年第1期）",
                "text": "#### 金溪水务集团疫情防控工作日报（2026年第1期）\n\n"
                "**2026年12月3日 · 今日要点**\n"
                "1. 全集团各项指标正常，无异常情况报告（零报告）。\n\n"
                f"[查看]({link})",
            },
        }
    ]
    assert Delivery.objects.get().status == "sent"
    assert InboxItem.objects.count() == 0
    (email,) = mail.outbox
    assert email.subject == "金溪水务集团疫情防控工作日报（2026年第1期）"
    assert email.to == ["leader@jinxi.cn", "office@jinxi.cn"]
    assert f"全文：{link}" in email.body
    (name, content, mimetype) = email.attachments[0]
    assert (name, mimetype) == ("疫情防控工作日报-2026-12-03.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert list(Dispatch.objects.values_list("channel", "status", "recipients")) == [
        ("robots", "sent", 1),
        ("email", "sent", 2),
    ]


def test_a_worker_down_at_the_time_catches_up_at_its_next_run(
    org, fake_sections, time_machine, on_commit
):
    time_machine.move_to(MORNING + dt.timedelta(hours=5), tick=False)

    with on_commit():
        assert tasks.generate_due_briefings.call_local() == 1

    assert Briefing.objects.get().day == DAY


def test_one_organization_failing_does_not_stop_the_others(
    org, outsider, fake_sections, time_machine, monkeypatch, on_commit
):
    real = services.generate

    def failing(organization, day, **kwargs):
        if organization.pk == org.pk:
            raise RuntimeError("section broke")
        return real(organization, day, **kwargs)

    monkeypatch.setattr(services, "generate", failing)
    time_machine.move_to(MORNING, tick=False)

    with on_commit():
        made = tasks.generate_due_briefings.call_local()

    assert made == 1
    assert list(Briefing.objects.values_list("organization_id", flat=True)) == [
        outsider.organization_id
    ]


def test_wecom_robots_get_the_markdown_with_the_link(
    org, fake_sections, robot, make_channel, morning, on_commit
):
    make_channel(kind="wecom", url=robot.url)
    fake_sections.busy = True
    briefing, _ = services.generate(org, DAY)

    with on_commit():
        services.distribute(briefing)

    assert [r["json"] for r in robot.requests] == [
        {
            "msgtype": "markdown",
            "markdown": {
                "content": "**金溪水务集团疫情防控工作日报（2026年第1期）**\n"
                "> **2026年12月3日 · 今日要点**\n"
                "1. 逾期未办1项：第二水厂未按时报送日报。\n"
                "2. 待决策事项1项：第一水厂浊度限值放宽待审批。\n"
                "3. 异常情况1项：李操作体温38.2℃。\n"
                f"[查看](https://hw.example.cn/briefings/{briefing.pk}/)"
            },
        }
    ]


def test_a_failing_robot_is_retried_until_it_takes_the_briefing(
    org, fake_sections, robot, make_channel, morning, on_commit
):
    make_channel(kind="dingtalk", url=robot.url)
    robot.answer = (500, "busy")
    briefing, _ = services.generate(org, DAY)

    with on_commit():
        services.distribute(briefing)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "HTTP 500")

    robot.answer = (200, {"errcode": 0, "errmsg": "ok"})
    morning.shift(dt.timedelta(minutes=1))
    retry_due_deliveries.call_local()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(robot.requests)) == ("sent", 2, 2)


def test_the_office_sends_a_version_once_per_channel(
    org, fake_sections, office_user, robot, make_channel, recipients, morning, on_commit
):
    make_channel(kind="dingtalk", url=robot.url)
    services.generate(org, DAY)
    fake_sections.rate = 90.0
    second, _ = services.generate(org, DAY, by=office_user)

    with on_commit():
        made = services.distribute(second, by=office_user)
    with on_commit():
        again = services.distribute(second, by=office_user)

    assert [(d.channel, d.sent_by) for d in made] == [
        ("robots", office_user),
        ("email", office_user),
    ]
    assert again == []
    assert len(robot.requests) == 1
    assert len(mail.outbox) == 1
    assert Alert.objects.get().dedup_key == f"briefing:{second.pk}"


def test_a_unit_head_may_not_send_and_nothing_is_sent(
    org, fake_sections, unit_head_user, recipients, morning, on_commit
):
    from headwater.core.errors import NotAllowed

    briefing, _ = services.generate(org, DAY)

    with pytest.raises(NotAllowed), on_commit():
        services.distribute(briefing, by=unit_head_user)

    assert (Dispatch.objects.count(), Alert.objects.count(), len(mail.outbox)) == (0, 0, 0)


def test_a_failing_mail_server_is_recorded_for_the_queue_to_try_again(
    org, fake_sections, recipients, morning, on_commit, monkeypatch
):
    from django.core.mail import EmailMessage

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    briefing, _ = services.generate(org, DAY)

    with on_commit():
        services.distribute(briefing)

    dispatch = Dispatch.objects.get(channel="email")
    assert (dispatch.status, dispatch.last_error) == ("failed", "ConnectionRefusedError: smtp down")


def test_sending_is_audited_with_who_sent_which_version_where(
    org, fake_sections, office_user, morning, on_commit
):
    from auditlog.models import LogEntry

    briefing, _ = services.generate(org, DAY)

    with on_commit():
        (dispatch,) = services.distribute(briefing, by=office_user)

    entry = LogEntry.objects.get_for_object(dispatch).order_by("pk").first()
    assert entry.actor == office_user
    assert (entry.changes_dict["briefing"][1], entry.changes_dict["channel"][1]) == (
        briefing.pk,
        "robots",
    )
