"""Text messages (SMS) to a phone, through one pluggable sender.

`send(phone, text, template=…, params=…)` hands the message to the sender named by
settings.HEADWATER_SMS_SENDER (a dotted path to a class with that `send()`). `text` is the whole
message in the user's language; `template` names which message it is (`"code"`: a sign-in
code, `"activation"`: an activation link) and `params` holds its variables (`{"code": …}`),
for providers that send only templates approved in advance. Shipped here:

- `FileSender` (development default): appends each message as one JSON line to
  var/sms/outbox.jsonl, to read with `tail`;
- `MemorySender` (tests): keeps messages in `OUTBOX`, a list the tests read and clear;
- `AliyunSender` (阿里云短信, dysmsapi SendSms, signature "POP" v1, HMAC-SHA1) and
  `TencentSender` (腾讯云短信, SendSms 2021-01-11, TC3-HMAC-SHA256): real providers, configured
  by the HEADWATER_SMS_* settings (docs/deploy.md). Standard library only (no SDK); they send the
  template id and the parameters, never `text`, and never log the secret or the parameters.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import CoreError, DomainError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str
    at: str
    template: str = ""
    params: dict | None = None


OUTBOX: list[Sms] = []


class SmsError(DomainError):
    """The provider refused the message, or could not be reached: a refusal in the one error
    shape (status 502, code "sms_refused"), so pages and the API say so in the user's language.
    `sms_code` is the provider's error code ("isv.BUSINESS_LIMIT_CONTROL",
    "LimitExceeded.PhoneNumberDailyLimit" …, or "network"/"http-<status>"), `reason` its
    message (the provider's words, for the log and the administrator)."""

    def __init__(self, provider: str, code: str, reason: str) -> None:
        super().__init__(
            _(
                "The text message could not be sent (%(provider)s: %(code)s). Try again later; "
                "if it keeps failing, tell the administrator."
            )
            % {"provider": provider, "code": code},
            code=CoreError.SMS_REFUSED,
            status=502,
        )
        self.provider = provider
        self.sms_code = code
        self.reason = reason
        log.warning("SMS refused by %s: %s: %s", provider, code, reason)


class SmsSender:
    """What a sender implements. Raise an exception (SmsError) when the provider refuses."""

    def send(
        self, phone: str, text: str, *, template: str = "", params: dict | None = None
    ) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class MemorySender(SmsSender):
    """Keeps every message in `OUTBOX` (tests, and the browser tests' live server)."""

    def send(
        self, phone: str, text: str, *, template: str = "", params: dict | None = None
    ) -> None:
        OUTBOX.append(Sms(phone, text, clock.now().isoformat(), template, dict(params or {})))


class FileSender(SmsSender):
    """Appends each message to var/sms/outbox.jsonl (development: nothing leaves the machine)."""

    def send(
        self, phone: str, text: str, *, template: str = "", params: dict | None = None
    ) -> None:
        folder = settings.VAR_DIR / "sms"
        folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"phone": phone, "text": text, "at": clock.now().isoformat()}, ensure_ascii=False
        )
        with open(folder / "outbox.jsonl", "a", encoding="utf-8") as f:
            f.write(line + "\n")
        log.info("SMS to %s written to %s", phone, folder / "outbox.jsonl")


# --- Real providers --------------------------------------------------------------------------


class UrllibHttp:
    """The one HTTP call the providers need; tests replace a sender's `http` with a fake."""

    def request(
        self, method: str, url: str, *, headers: dict, body: bytes | None, timeout: float
    ) -> tuple[int, bytes]:
        req = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 - https only
                return response.status, response.read()
        except urllib.error.HTTPError as e:  # the providers answer errors as JSON with 4xx/5xx
            return e.code, e.read()


def _mask(phone: str) -> str:
    return f"…{phone[-4:]}"


class ProviderSender(SmsSender):
    """Shared by the providers: settings read (and checked) once, templates by purpose."""

    provider = ""
    required: tuple[str, ...] = (
        "HEADWATER_SMS_ACCESS_KEY_ID",
        "HEADWATER_SMS_ACCESS_KEY_SECRET",
        "HEADWATER_SMS_SIGN_NAME",
        "HEADWATER_SMS_TEMPLATE",
    )

    def __init__(self) -> None:
        missing = [name for name in self.required if not getattr(settings, name, "")]
        if missing:
            raise ImproperlyConfigured(
                f"HEADWATER_SMS_SENDER names {type(self).__name__} ({self.provider} SMS) but "
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set "
                "(docs/deploy.md, 'SMS sender')."
            )
        self.key_id = settings.HEADWATER_SMS_ACCESS_KEY_ID
        self.secret = settings.HEADWATER_SMS_ACCESS_KEY_SECRET
        self.sign_name = settings.HEADWATER_SMS_SIGN_NAME
        self.templates = {
            "code": settings.HEADWATER_SMS_TEMPLATE,
            "activation": getattr(settings, "HEADWATER_SMS_TEMPLATE_ACTIVATION", ""),
        }
        self.timeout = float(getattr(settings, "HEADWATER_SMS_TIMEOUT", 5))
        self.http = UrllibHttp()

    def __repr__(self) -> str:  # never the secret
        return f"<{type(self).__name__} key {self.key_id}>"

    def template_for(self, template: str) -> str:
        template_id = self.templates.get(template or "code", "")
        if not template_id:
            setting = "HEADWATER_SMS_TEMPLATE_" + (template or "code").upper()
            raise SmsError(self.provider, "no-template", f"{setting} is not set")
        return template_id

    def call(self, method: str, url: str, headers: dict, body: bytes | None) -> dict:
        try:
            status, raw = self.http.request(
                method, url, headers=headers, body=body, timeout=self.timeout
            )
        except (OSError, TimeoutError) as e:  # URLError, socket timeout, refused connection
            raise SmsError(self.provider, "network", type(e).__name__) from None
        try:
            return json.loads(raw.decode("utf-8"))
        except ValueError:
            raise SmsError(self.provider, f"http-{status}", "answer is not JSON") from None


def percent_encode(value: str) -> str:
    """Aliyun's POP encoding: RFC 3986, UTF-8, only A-Z a-z 0-9 - _ . ~ left as they are."""
    return urllib.parse.quote(str(value), safe="~")


def aliyun_signature(params: dict, secret: str, method: str = "GET") -> str:
    """Signature "POP" v1 of Aliyun's RPC APIs: Base64(HMAC-SHA1(secret + "&", StringToSign))
    with StringToSign = METHOD & percentEncode("/") & percentEncode(sorted canonical query)."""
    query = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}"
        for k, v in sorted(params.items())
        if k != "Signature"
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(query)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSender(ProviderSender):
    """阿里云短信 (Alibaba Cloud SMS), API dysmsapi 2017-05-25 SendSms, signed GET request."""

    provider = "Aliyun"
    endpoint = "https://dysmsapi.aliyuncs.com/"

    def __init__(self) -> None:
        super().__init__()
        self.region = getattr(settings, "HEADWATER_SMS_REGION", "") or "cn-hangzhou"

    def request_url(
        self, phone: str, template: str, params: dict, *, nonce: str, timestamp: str
    ) -> str:
        query = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": self.region,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template_for(template),
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": timestamp,
            "Version": "2017-05-25",
        }
        signature = aliyun_signature(query, self.secret)
        pairs = [("Signature", signature), *sorted(query.items())]
        return self.endpoint + "?" + "&".join(f"{k}={percent_encode(v)}" for k, v in pairs)

    def send(
        self, phone: str, text: str, *, template: str = "", params: dict | None = None
    ) -> None:
        url = self.request_url(
            phone,
            template,
            params or {},
            nonce=uuid.uuid4().hex,
            timestamp=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        answer = self.call("GET", url, {"Accept": "application/json"}, None)
        if answer.get("Code") != "OK":
            raise SmsError(
                self.provider, str(answer.get("Code", "unknown")), str(answer.get("Message", ""))
            )
        log.info("SMS to %s sent by Aliyun (BizId %s)", _mask(phone), answer.get("BizId", ""))


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tencent_authorization(
    *,
    secret_id: str,
    secret_key: str,
    service: str,
    host: str,
    payload: bytes,
    timestamp: int,
    content_type: str = "application/json; charset=utf-8",
) -> str:
    """The Authorization header of TencentCloud API 3.0, signature v3 (TC3-HMAC-SHA256), for a
    POST of `payload` to https://host/ with the headers content-type and host signed."""
    signed_headers = "content-type;host"
    canonical_request = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{content_type}\nhost:{host}\n",
            signed_headers,
            _sha256_hex(payload),
        ]
    )
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(
        ["TC3-HMAC-SHA256", str(timestamp), scope, _sha256_hex(canonical_request.encode())]
    )

    def _hmac(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )


class TencentSender(ProviderSender):
    """腾讯云短信 (Tencent Cloud SMS), API sms 2021-01-11 SendSms, signed JSON POST."""

    provider = "Tencent"
    host = "sms.tencentcloudapi.com"
    required = (*ProviderSender.required, "HEADWATER_SMS_SDK_APP_ID")

    def __init__(self) -> None:
        super().__init__()
        self.region = getattr(settings, "HEADWATER_SMS_REGION", "") or "ap-guangzhou"
        self.app_id = settings.HEADWATER_SMS_SDK_APP_ID

    def request(
        self, phone: str, template: str, params: dict, *, timestamp: int
    ) -> tuple[str, dict, bytes]:
        number = phone if phone.startswith("+") else f"+86{phone}"
        payload = json.dumps(
            {
                "PhoneNumberSet": [number],
                "SmsSdkAppId": self.app_id,
                "SignName": self.sign_name,
                "TemplateId": self.template_for(template),
                # Tencent's templates number their variables {1}, {2} …: in the order given.
                "TemplateParamSet": [str(v) for v in params.values()],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        headers = {
            "Authorization": tencent_authorization(
                secret_id=self.key_id,
                secret_key=self.secret,
                service="sms",
                host=self.host,
                payload=payload,
                timestamp=timestamp,
            ),
            "Content-Type": "application/json; charset=utf-8",
            "Host": self.host,
            "X-TC-Action": "SendSms",
            "X-TC-Version": "2021-01-11",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": self.region,
        }
        return f"https://{self.host}/", headers, payload

    def send(
        self, phone: str, text: str, *, template: str = "", params: dict | None = None
    ) -> None:
        url, headers, payload = self.request(
            phone, template, params or {}, timestamp=int(time.time())
        )
        answer = self.call("POST", url, headers, payload).get("Response", {})
        error = answer.get("Error")
        if error:
            raise SmsError(self.provider, str(error.get("Code")), str(error.get("Message", "")))
        statuses = answer.get("SendStatusSet") or [{}]
        status = statuses[0]
        if status.get("Code") != "Ok":
            raise SmsError(
                self.provider, str(status.get("Code", "unknown")), str(status.get("Message", ""))
            )
        log.info(
            "SMS to %s sent by Tencent (SerialNo %s)", _mask(phone), status.get("SerialNo", "")
        )


@cache
def _sender(path: str) -> SmsSender:
    return import_string(path)()


def sender() -> SmsSender:
    return _sender(settings.HEADWATER_SMS_SENDER)


@checks.register()
def check_sender(app_configs=None, **kwargs) -> list[checks.Error]:
    """`manage.py check` / `migrate` (run at every deploy) refuse a sender missing a setting."""
    try:
        sender()
    except (ImproperlyConfigured, ImportError) as e:
        return [checks.Error(str(e), id="headwater.E011", obj="HEADWATER_SMS_SENDER")]
    return []


def send(phone: str, text: str, *, template: str = "", params: dict | None = None) -> None:
    """Send `text` to `phone`; a provider that sends only approved templates sends the template
    for `template` ("code" when empty) with `params` instead. Raises SmsError on a refusal."""
    sender().send(phone, text, template=template, params=params)
