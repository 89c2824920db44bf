"""The real SMS providers (core.sms.AliyunSender, TencentSender), without the network: the
signatures against the providers' published examples, the request each would send (caught by a
fake HTTP client), refusals, missing settings, and nothing secret in the logs."""

import json
import logging
import os
import subprocess
import sys
import urllib.parse

import pytest
from django.core.exceptions import ImproperlyConfigured

from headwater.core import sms

ALIYUN = {
    "HEADWATER_SMS_SENDER": "headwater.core.sms.AliyunSender",
    "HEADWATER_SMS_ACCESS_KEY_ID": "LTAI-test-id",
    "HEADWATER_SMS_ACCESS_KEY_SECRET": "s3cret-never-logged",
    "HEADWATER_SMS_SIGN_NAME": "源头水务",
    "HEADWATER_SMS_TEMPLATE": "SMS_123456789",
    "HEADWATER_SMS_TEMPLATE_ACTIVATION": "SMS_987654321",
    "HEADWATER_SMS_REGION": "",
    "HEADWATER_SMS_SDK_APP_ID": "",
}
TENCENT = {
    **ALIYUN,
    "HEADWATER_SMS_SENDER": "headwater.core.sms.TencentSender",
    "HEADWATER_SMS_ACCESS_KEY_ID": "AKID-test-id",
    "HEADWATER_SMS_TEMPLATE": "1234567",
    "HEADWATER_SMS_TEMPLATE_ACTIVATION": "",
    "HEADWATER_SMS_SDK_APP_ID": "1400000000",
}


class FakeHttp:
    """Records each request and answers with the next canned (status, JSON) pair."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []

    def request(self, method, url, *, headers, body, timeout):
        self.requests.append(
            {"method": method, "url": url, "headers": headers, "body": body, "timeout": timeout}
        )
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, data = answer
        return status, json.dumps(data).encode()


@pytest.fixture(autouse=True)
def fresh_sender():
    sms._sender.cache_clear()
    yield
    sms._sender.cache_clear()


def configured(settings, values):
    for name, value in values.items():
        setattr(settings, name, value)


@pytest.fixture
def aliyun(settings):
    configured(settings, ALIYUN)
    return sms.AliyunSender()


@pytest.fixture
def tencent(settings):
    configured(settings, TENCENT)
    return sms.TencentSender()


# --- Signatures against the providers' published examples ----------------------------------


def test_aliyun_signature_matches_the_sms_documentation_example():
    # Aliyun SMS "HTTP协议及签名" (help.aliyun.com/document_detail/56189): testId / testSecret.
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert sms.aliyun_signature(params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_aliyun_signature_matches_the_rpc_signature_documentation_example():
    # Aliyun "RPC signature mechanism" (DescribeRegions, testid / testsecret).
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert sms.aliyun_signature(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_aliyun_percent_encoding_follows_the_pop_rules():
    assert sms.percent_encode("a b*~-_.") == "a%20b%2A~-_."
    assert sms.percent_encode("/=&+") == "%2F%3D%26%2B"
    assert sms.percent_encode("源") == "%E6%BA%90"


def test_tencent_authorization_matches_the_api_signature_v3_example():
    # TencentCloud API 3.0 "Signature v3" (DescribeInstances at cvm, timestamp 1551113065).
    payload = (
        b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    )
    authorization = sms.tencent_authorization(
        secret_id="AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        service="cvm",
        host="cvm.tencentcloudapi.com",
        payload=payload,
        timestamp=1551113065,
    )
    assert authorization == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
        "tc3_request, SignedHeaders=content-type;host, "
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )


# --- The requests sent ----------------------------------------------------------------------


def test_aliyun_sends_a_signed_get_with_the_code_as_template_parameter(aliyun):
    aliyun.http = FakeHttp((200, {"Code": "OK", "Message": "OK", "BizId": "9^0", "RequestId": "r"}))

    aliyun.send(
        "13912345678", "[Headwater] code 123456", template="code", params={"code": "123456"}
    )

    [request] = aliyun.http.requests
    assert request["method"] == "GET"
    assert request["body"] is None
    assert request["timeout"] == 5.0
    base, _, query = request["url"].partition("?")
    assert base == "https://dysmsapi.aliyuncs.com/"
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    fields = dict(pairs)
    assert pairs[0][0] == "Signature"
    nonce, timestamp = fields.pop("SignatureNonce"), fields.pop("Timestamp")
    signature = fields.pop("Signature")
    assert fields == {
        "AccessKeyId": "LTAI-test-id",
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": "13912345678",
        "RegionId": "cn-hangzhou",
        "SignName": "源头水务",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_123456789",
        "TemplateParam": '{"code":"123456"}',
        "Version": "2017-05-25",
    }
    assert len(nonce) == 32
    assert len(timestamp) == len("2026-12-03T18:00:00Z")
    assert timestamp.endswith("Z")
    signed = {**fields, "SignatureNonce": nonce, "Timestamp": timestamp}
    assert signature == sms.aliyun_signature(signed, "s3cret-never-logged")
    assert "Headwater" not in request["url"]  # the template's text lives at the provider
    assert "s3cret" not in request["url"]


def test_aliyun_request_url_is_fixed_for_a_fixed_nonce_and_timestamp(aliyun):
    url = aliyun.request_url(
        "13912345678",
        "activation",
        {"name": "张三", "url": "https://hw.example/activate/x/", "days": "7"},
        nonce="n1",
        timestamp="2026-12-03T10:00:00Z",
    )
    query = dict(urllib.parse.parse_qsl(url.partition("?")[2]))
    assert query["TemplateCode"] == "SMS_987654321"
    assert json.loads(query["TemplateParam"]) == {
        "name": "张三",
        "url": "https://hw.example/activate/x/",
        "days": "7",
    }
    assert url.count("%20") == 0
    unsigned = {k: v for k, v in query.items() if k != "Signature"}
    assert query["Signature"] == sms.aliyun_signature(unsigned, "s3cret-never-logged")


def test_tencent_sends_a_signed_json_post_with_the_code_as_template_parameter(tencent, settings):
    tencent.http = FakeHttp(
        (
            200,
            {
                "Response": {
                    "SendStatusSet": [{"Code": "Ok", "Message": "send success", "SerialNo": "s1"}],
                    "RequestId": "r1",
                }
            },
        )
    )

    tencent.send(
        "13912345678", "[Headwater] code 654321", template="code", params={"code": "654321"}
    )

    [request] = tencent.http.requests
    assert request["method"] == "POST"
    assert request["url"] == "https://sms.tencentcloudapi.com/"
    assert request["timeout"] == 5.0
    assert json.loads(request["body"]) == {
        "PhoneNumberSet": ["+8613912345678"],
        "SmsSdkAppId": "1400000000",
        "SignName": "源头水务",
        "TemplateId": "1234567",
        "TemplateParamSet": ["654321"],
    }
    headers = request["headers"]
    timestamp = int(headers["X-TC-Timestamp"])
    assert {k: v for k, v in headers.items() if k != "Authorization"} == {
        "Content-Type": "application/json; charset=utf-8",
        "Host": "sms.tencentcloudapi.com",
        "X-TC-Action": "SendSms",
        "X-TC-Version": "2021-01-11",
        "X-TC-Timestamp": str(timestamp),
        "X-TC-Region": "ap-guangzhou",
    }
    assert headers["Authorization"] == sms.tencent_authorization(
        secret_id="AKID-test-id",
        secret_key="s3cret-never-logged",
        service="sms",
        host="sms.tencentcloudapi.com",
        payload=request["body"],
        timestamp=timestamp,
    )
    assert "s3cret" not in json.dumps(headers)


def test_tencent_uses_the_configured_region(settings):
    configured(settings, {**TENCENT, "HEADWATER_SMS_REGION": "ap-beijing"})
    _url, headers, _body = sms.TencentSender().request(
        "+85291234567", "code", {"code": "1"}, timestamp=1764756000
    )
    assert headers["X-TC-Region"] == "ap-beijing"
    assert json.loads(_body)["PhoneNumberSet"] == ["+85291234567"]


# --- Refusals ------------------------------------------------------------------------------


def test_aliyun_refusal_raises_the_providers_code_and_message(aliyun):
    aliyun.http = FakeHttp(
        (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1"})
    )
    with pytest.raises(sms.SmsError) as refused:
        aliyun.send("13912345678", "t", template="code", params={"code": "123456"})
    assert (refused.value.provider, refused.value.sms_code, refused.value.reason) == (
        "Aliyun",
        "isv.BUSINESS_LIMIT_CONTROL",
        "触发分钟级流控Permits:1",
    )
    assert (refused.value.status, refused.value.code) == (502, "sms_refused")
    assert "isv.BUSINESS_LIMIT_CONTROL" in refused.value.message


def test_aliyun_signature_refused_with_http_400_raises_the_mapped_error(aliyun):
    aliyun.http = FakeHttp(
        (400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"})
    )
    with pytest.raises(sms.SmsError, match="SignatureDoesNotMatch"):
        aliyun.send("13912345678", "t", params={"code": "1"})


def test_tencent_api_error_raises_the_providers_code_and_message(tencent):
    tencent.http = FakeHttp(
        (
            200,
            {
                "Response": {
                    "Error": {"Code": "AuthFailure.SignatureFailure", "Message": "bad signature"},
                    "RequestId": "r",
                }
            },
        )
    )
    with pytest.raises(sms.SmsError) as refused:
        tencent.send("13912345678", "t", params={"code": "1"})
    assert (refused.value.sms_code, refused.value.reason) == (
        "AuthFailure.SignatureFailure",
        "bad signature",
    )


def test_tencent_refusal_of_the_number_raises_its_status_code(tencent):
    tencent.http = FakeHttp(
        (
            200,
            {
                "Response": {
                    "SendStatusSet": [
                        {
                            "Code": "LimitExceeded.PhoneNumberDailyLimit",
                            "Message": "the number of sms messages sent from a single mobile "
                            "number every day exceeds the upper limit",
                        }
                    ],
                    "RequestId": "r",
                }
            },
        )
    )
    with pytest.raises(sms.SmsError, match="LimitExceeded.PhoneNumberDailyLimit"):
        tencent.send("13912345678", "t", params={"code": "1"})


def test_a_timeout_raises_a_network_error(tencent):
    tencent.http = FakeHttp(TimeoutError("timed out"))
    with pytest.raises(sms.SmsError) as refused:
        tencent.send("13912345678", "t", params={"code": "1"})
    assert refused.value.sms_code == "network"


def test_a_message_without_its_template_configured_is_refused(tencent):
    tencent.http = FakeHttp()
    with pytest.raises(sms.SmsError) as refused:
        tencent.send("13912345678", "t", template="activation", params={"name": "x"})
    assert (refused.value.sms_code, refused.value.reason) == (
        "no-template",
        "HEADWATER_SMS_TEMPLATE_ACTIVATION is not set",
    )
    assert tencent.http.requests == []


# --- Settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "missing"),
    [
        ({**ALIYUN, "HEADWATER_SMS_ACCESS_KEY_SECRET": ""}, "HEADWATER_SMS_ACCESS_KEY_SECRET is"),
        (
            {**ALIYUN, "HEADWATER_SMS_SIGN_NAME": "", "HEADWATER_SMS_TEMPLATE": ""},
            "HEADWATER_SMS_SIGN_NAME, HEADWATER_SMS_TEMPLATE are",
        ),
        ({**TENCENT, "HEADWATER_SMS_SDK_APP_ID": ""}, "HEADWATER_SMS_SDK_APP_ID is"),
    ],
)
def test_a_provider_missing_a_setting_refuses_to_start(settings, values, missing):
    configured(settings, values)
    cls = (
        sms.AliyunSender
        if values["HEADWATER_SMS_SENDER"].endswith("AliyunSender")
        else sms.TencentSender
    )
    with pytest.raises(ImproperlyConfigured, match=missing + " not set"):
        cls()
    [error] = sms.check_sender()
    assert error.id == "headwater.E011"
    assert missing in error.msg


def test_the_check_passes_a_fully_configured_provider(settings):
    configured(settings, TENCENT)
    assert sms.check_sender() == []


def code_sign_in_in_production(sender: str) -> str:
    env = {
        **os.environ,
        "HEADWATER_PRODUCTION": "true",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 40,
        "ALLOWED_HOSTS": "hw.example",
        "HEADWATER_SMS_SENDER": sender,
    }
    env.pop("HEADWATER_SMS_LOGIN", None)
    script = "import headwater.settings as s; print(s.ACCOUNT_LOGIN_BY_CODE_ENABLED)"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_in_production_code_sign_in_is_on_with_a_provider_and_off_without_one():
    assert code_sign_in_in_production("headwater.core.sms.AliyunSender") == "True"
    assert code_sign_in_in_production("headwater.core.sms.TencentSender") == "True"
    assert code_sign_in_in_production("headwater.core.sms.FileSender") == "False"
    assert code_sign_in_in_production("headwater.core.sms.MemorySender") == "False"


# --- Nothing secret in the logs ------------------------------------------------------------


def test_neither_the_secret_nor_the_code_is_logged(aliyun, tencent, caplog):
    caplog.set_level(logging.DEBUG)
    aliyun.http = FakeHttp((200, {"Code": "OK", "Message": "OK", "BizId": "b1"}))
    tencent.http = FakeHttp(
        (200, {"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": "s1"}]}})
    )
    aliyun.send("13912345678", "code 482913", params={"code": "482913"})
    tencent.send("13912345678", "code 482913", params={"code": "482913"})
    logged = caplog.text + repr(aliyun) + repr(tencent)
    assert "sent by Aliyun" in logged
    assert "sent by Tencent" in logged
    assert "482913" not in logged
    assert "s3cret" not in logged
    assert "13912345678" not in logged


# --- What the callers hand over ------------------------------------------------------------


def test_the_sign_in_code_reaches_the_sender_as_a_template_parameter(settings):
    from headwater.core.accounts import AccountAdapter

    settings.HEADWATER_SMS_SENDER = "headwater.core.sms.MemorySender"
    sms.OUTBOX.clear()
    AccountAdapter().send_verification_code_sms(None, "13912345678", "482913")
    [message] = sms.OUTBOX
    sms.OUTBOX.clear()
    assert (message.phone, message.template, message.params) == (
        "13912345678",
        "code",
        {"code": "482913"},
    )
    assert "482913" in message.text


@pytest.mark.django_db
def test_the_activation_link_reaches_the_sender_as_template_parameters(
    settings, office_user, org, tree, people
):
    from headwater.core import logins

    settings.HEADWATER_SMS_SENDER = "headwater.core.sms.MemorySender"
    sms.OUTBOX.clear()
    logins.create_logins(org, None, by=office_user)
    logins.send_codes_by_sms(by=office_user, person=people["head"])
    [message] = sms.OUTBOX
    sms.OUTBOX.clear()
    assert message.template == "activation"
    assert list(message.params) == ["name", "url", "days"]
    assert message.params["name"] == people["head"].name
    assert message.params["url"] in message.text
    assert message.params["url"].rstrip("/").split("/activate/")[1]
    assert message.params["days"] == str(logins.activation_days())


@pytest.mark.django_db
def test_a_provider_not_answering_is_said_on_the_page_not_a_server_error(
    client, settings, monkeypatch, office_user, org, tree, people
):
    from django.urls import reverse

    from headwater.core import logins

    configured(settings, {**ALIYUN, "LANGUAGE_CODE": "en"})

    def no_answer(self, method, url, *, headers, body, timeout):
        raise TimeoutError("timed out")

    monkeypatch.setattr(sms.UrllibHttp, "request", no_answer)
    logins.create_logins(org, None, by=office_user)
    client.force_login(office_user)
    response = client.post(reverse("core:logins_person_sms", args=[people["head"].pk]), follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("(Aliyun: network)" in m for m in shown), shown


def test_a_refusal_is_said_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        refused = sms.SmsError("Tencent", "LimitExceeded.PhoneNumberDailyLimit", "limit")
    assert refused.message == (
        "短信未能发出（Tencent：LimitExceeded.PhoneNumberDailyLimit）。请稍后再试；"
        "如一直失败，请告知管理员。"
    )


@pytest.mark.django_db
def test_a_refused_sign_in_code_is_said_on_the_code_page_not_a_server_error(
    client, settings, monkeypatch, staff_user
):
    from django.urls import reverse

    configured(settings, ALIYUN)
    monkeypatch.setattr(
        sms.UrllibHttp,
        "request",
        lambda self, method, url, *, headers, body, timeout: (
            200,
            b'{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"illegal"}',
        ),
    )
    response = client.post(
        reverse("account_request_login_code"), {"phone": "13912345678"}, follow=True
    )
    assert response.status_code == 200
    assert "短信未能发出（Aliyun：isv.MOBILE_NUMBER_ILLEGAL）" in response.content.decode()
