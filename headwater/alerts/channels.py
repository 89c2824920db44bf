"""DingTalk and WeCom group robots: message formats, DingTalk signing, and the HTTP post.

Formatting is pure — it returns (url, payload) — so formats and signatures are testable
without a network; `post` is the one function that talks to the outside. Both robots answer
HTTP 200 with `{"errcode": 0, "errmsg": "ok"}` when they took the message.
"""

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from headwater.alerts.choices import ChannelKind
from headwater.core import clock

# Robots post into a work group, not to one user with a language: the group reads Chinese.
VIEW = "查看"
TIMEOUT_SECONDS = 10
RESPONSE_CHARS = 500


def absolute_url(link: str) -> str:
    """A link inside Headwater as the group's phones can open it."""
    return settings.HEADWATER_BASE_URL.rstrip("/") + "/" + link.lstrip("/")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's "加签": url-encoded base64 of HMAC-SHA256(secret, "{timestamp}\\n{secret}")."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_message(
    url: str, title: str, body: str, link: str, *, secret: str = "", timestamp_ms: int = 0
) -> tuple[str, dict]:
    """A DingTalk robot markdown message; with a secret, the URL carries timestamp and sign."""
    text = "\n\n".join(part for part in (f"#### {title}", body, f"[{VIEW}]({link})") if part)
    if secret:
        sep = "&" if "?" in url else "?"
        url = f"{url}{sep}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"
    return url, {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


def wecom_message(url: str, title: str, body: str, link: str) -> tuple[str, dict]:
    """A WeCom group robot markdown message."""
    quoted = f"> {body}" if body else ""
    content = "\n".join(part for part in (f"**{title}**", quoted, f"[{VIEW}]({link})") if part)
    return url, {"msgtype": "markdown", "markdown": {"content": content}}


def message_for(channel, alert) -> tuple[str, dict]:
    """The (url, payload) that carries `alert` to `channel`, signed at the current time."""
    link = absolute_url(alert.link or reverse("alerts:inbox"))
    if channel.kind == ChannelKind.DINGTALK:
        timestamp_ms = int(clock.now().timestamp() * 1000)
        return dingtalk_message(
            channel.url,
            alert.title,
            alert.body,
            link,
            secret=channel.secret,
            timestamp_ms=timestamp_ms,
        )
    return wecom_message(channel.url, alert.title, alert.body, link)


@dataclass(frozen=True)
class Outcome:
    """What became of one post: `ok` when the robot took it; `error` says why not."""

    ok: bool
    response: str = ""
    error: str = ""


def judge(status: int, text: str) -> Outcome:
    """Success is HTTP 200 with errcode 0; anything else is a failure worth retrying."""
    text = text[:RESPONSE_CHARS]
    if status != 200:
        return Outcome(False, text, f"HTTP {status}")
    try:
        answer = json.loads(text)
    except ValueError:
        return Outcome(False, text, "not a JSON answer")
    errcode = answer.get("errcode") if isinstance(answer, dict) else None
    if errcode != 0:
        return Outcome(False, text, f"errcode {errcode}: {answer.get('errmsg', '')}")
    return Outcome(True, text)


def post(url: str, payload: dict, *, timeout: float = TIMEOUT_SECONDS) -> Outcome:
    """POST the payload as JSON; never raises for network trouble, it returns the failure."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return judge(response.status, _read(response))
    except urllib.error.HTTPError as e:
        return judge(e.code, _read(e))
    except (OSError, ValueError) as e:  # URLError, timeouts and refusals are OSErrors
        return Outcome(False, "", f"{type(e).__name__}: {e}"[:RESPONSE_CHARS])


def _read(response) -> str:
    try:
        return response.read(RESPONSE_CHARS * 4).decode("utf-8", "replace")
    except OSError:
        return ""
