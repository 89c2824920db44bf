"""Robot message formats and DingTalk signing, as pure functions (no network)."""

import pytest

from headwater.alerts import channels
from headwater.alerts.models import WebhookChannel, kind_matches

LINK = "https://hw.example.cn/health/checkins/7/"


def test_dingtalk_markdown_message_without_secret_keeps_the_url():
    url, payload = channels.dingtalk_message(
        "https://oapi.dingtalk.com/robot/send?access_token=abc", "体温异常", "李操作 38.2℃", LINK
    )
    assert url == "https://oapi.dingtalk.com/robot/send?access_token=abc"
    assert payload == {
        "msgtype": "markdown",
        "markdown": {
            "title": "体温异常",
            "text": f"#### 体温异常\n\n李操作 38.2℃\n\n[查看]({LINK})",
        },
    }


def test_dingtalk_signature_matches_a_known_value():
    assert (
        channels.dingtalk_sign("SEC0123456789abcdef", 1740963600000)
        == "lL%2B32AIzgdVvHb18VqsamZr09wA3JrnnyrvbCWlqRx0%3D"
    )


def test_dingtalk_with_secret_appends_timestamp_and_sign():
    url, _ = channels.dingtalk_message(
        "https://oapi.dingtalk.com/robot/send?access_token=abc",
        "t",
        "b",
        LINK,
        secret="SEC0123456789abcdef",
        timestamp_ms=1740963600000,
    )
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=abc"
        "&timestamp=1740963600000&sign=lL%2B32AIzgdVvHb18VqsamZr09wA3JrnnyrvbCWlqRx0%3D"
    )


def test_wecom_markdown_message():
    url, payload = channels.wecom_message(
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "体温异常", "李操作 38.2℃", LINK
    )
    assert url == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    assert payload == {
        "msgtype": "markdown",
        "markdown": {"content": f"**体温异常**\n> 李操作 38.2℃\n[查看]({LINK})"},
    }


def test_an_empty_body_leaves_no_empty_lines():
    _, ding = channels.dingtalk_message("https://x/", "t", "", LINK)
    _, wecom = channels.wecom_message("https://x/", "t", "", LINK)
    assert ding["markdown"]["text"] == f"#### t\n\n[查看]({LINK})"
    assert wecom["markdown"]["content"] == f"**t**\n[查看]({LINK})"


def test_a_digest_lists_the_waiting_titles(settings, db):
    settings.HEADWATER_BASE_URL = "https://hw.example.cn"
    wecom = WebhookChannel(kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send")
    _, payload = channels.digest_for(wecom, ["体温异常", "缺岗"])
    assert payload["markdown"]["content"] == (
        "**2 条告警（发送过快，已合并）**\n> - 体温异常\n- 缺岗\n[查看](https://hw.example.cn/alerts/)"
    )


def test_links_are_made_absolute_with_the_base_url(settings):
    settings.HEADWATER_BASE_URL = "https://hw.example.cn/"
    assert channels.absolute_url("/health/1/") == "https://hw.example.cn/health/1/"


@pytest.mark.parametrize(
    "status, text, ok, response, error",
    [
        (200, '{"errcode":0,"errmsg":"ok"}', True, "HTTP 200, errcode 0", ""),
        (
            200,
            '{"errcode":310000,"errmsg":"sign not match"}',
            False,
            "HTTP 200, errcode 310000",
            "errcode 310000",
        ),
        (200, "<html>", False, "HTTP 200", "not a robot's answer"),
        (200, '{"errcode":"0"}', False, "HTTP 200", "not a robot's answer"),
        (500, "oops", False, "HTTP 500", "HTTP 500"),
        (302, "", False, "HTTP 302", "HTTP 302"),
    ],
)
def test_only_http_200_with_errcode_0_counts_as_sent_and_only_codes_are_kept(
    status, text, ok, response, error
):
    assert channels.judge(status, text) == channels.Outcome(ok, response, error)


@pytest.mark.parametrize("errcode, minutes", [(130101, 10), (45009, 1)])
def test_the_platforms_rate_limit_answer_means_later(errcode, minutes):
    outcome = channels.judge(200, f'{{"errcode":{errcode},"errmsg":"send too fast"}}')
    assert (outcome.ok, outcome.later, outcome.wait_minutes) == (False, True, minutes)


def test_a_refused_connection_is_a_failure_not_an_exception(settings):
    settings.HEADWATER_ROBOT_HOSTS = ["127.0.0.1"]
    settings.HEADWATER_ROBOT_ALLOW_LOOPBACK = True
    outcome = channels.post("http://127.0.0.1:9/robot", {"msgtype": "text"}, timeout=2)
    assert (outcome.ok, outcome.response, outcome.final) == (False, "", False)
    assert outcome.error.startswith("ConnectionRefusedError")


@pytest.mark.parametrize(
    "kind, prefix, takes",
    [
        ("health.abnormal_checkin", "health", True),
        ("health.abnormal_checkin", "health.", True),
        ("health.abnormal_checkin", "health.abnormal_checkin", True),
        ("healthcare.visit", "health", False),
        ("isolation.release_due", "health", False),
    ],
)
def test_kind_prefixes_match_whole_dotted_segments(kind, prefix, takes):
    assert kind_matches(kind, prefix) is takes
