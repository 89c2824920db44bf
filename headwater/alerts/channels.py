"""DingTalk and WeCom group robots: message formats, DingTalk signing, and the HTTP post.

Formatting is pure — it returns (url, payload) — so formats and signatures are testable
without a network; `post` is the one function that talks to the outside. Both robots answer
HTTP 200 with `{"errcode": 0, "errmsg": "ok"}` when they took the message.

A webhook URL is typed by an office user, so `post` must not become a way into the server's
own network (SSRF): the host must be on the allow-list (`HEADWATER_ROBOT_HOSTS`), every
address it resolves to must be a public one, the connection goes to the address that was
checked (no second look-up an attacker's DNS could answer differently), a redirect is not
followed, and nothing of the reply but the platform's status and error code is kept.
"""

import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import urllib.parse
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.alerts.choices import ChannelKind
from headwater.core import clock

# Robots post into a work group, not to one user with a language: the group reads Chinese.
VIEW = "查看"
DIGEST_TITLE = "{n} 条告警（发送过快，已合并）"
TIMEOUT_SECONDS = 10
RESPONSE_CHARS = 500
# What each platform answers when a robot sent more than 20 messages in a minute, and how
# long it then refuses: DingTalk 130101 "send too fast" (throttled for 10 minutes), WeCom
# 45009 "api freq out of limit".
RATE_LIMITED = {130101: 10, 45009: 1}  # errcode → minutes to wait
# The largest markdown a platform takes (WeCom: 4096 bytes; DingTalk allows more), with room
# for the title and link around a digest.
DIGEST_BYTES = 3500
REFUSALS = {
    "bad_url": "not an http(s) address",
    "own_network": "an address inside the server's own network",
    "not_allowed": "host not in HEADWATER_ROBOT_HOSTS",
}
# Private ranges an intranet deployment may admit for its gateway (HEADWATER_ROBOT_ALLOW_PRIVATE)
PRIVATE_NETWORKS = [
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
]


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


def message_for(channel, alert, title: str | None = None) -> tuple[str, dict]:
    """The (url, payload) that carries `alert` to `channel`, signed at the current time;
    `title` heads it instead of the alert's own (an escalation)."""
    link = absolute_url(alert.link or reverse("alerts:inbox"))
    return _message(channel, alert.title if title is None else title, alert.body, link)


def digest_line(title: str) -> str:
    return f"- {title}\n"


def digest_for(channel, titles: list[str]) -> tuple[str, dict]:
    """One message carrying the titles of several alerts that waited for the same robot."""
    body = "".join(digest_line(t) for t in titles).rstrip("\n")
    title = DIGEST_TITLE.format(n=len(titles))
    return _message(channel, title, body, absolute_url(reverse("alerts:inbox")))


def _message(channel, title: str, body: str, link: str) -> tuple[str, dict]:
    if channel.kind == ChannelKind.DINGTALK:
        timestamp_ms = int(clock.now().timestamp() * 1000)
        return dingtalk_message(
            channel.url, title, body, link, secret=channel.secret, timestamp_ms=timestamp_ms
        )
    return wecom_message(channel.url, title, body, link)


# --- Where a robot may be ----------------------------------------------------------------


def parse_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names literally, in any form the C library accepts ("2130706433",
    "0x7f.1", "127.1" are all 127.0.0.1); None for a name."""
    host = host.strip("[]")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:
            address = ipaddress.ip_address(socket.inet_aton(host))
        except OSError:
            return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def address_refused(address) -> bool:
    """Loopback, link-local (cloud metadata), unspecified, multicast, reserved and private
    addresses are the server's own network: refused, unless a setting admits them (private
    ranges for an intranet gateway; loopback only for the tests' robot double)."""
    if address.is_loopback:
        return not settings.HEADWATER_ROBOT_ALLOW_LOOPBACK
    if address.is_link_local or address.is_unspecified or address.is_multicast:
        return True
    if any(address in net for net in PRIVATE_NETWORKS if net.version == address.version):
        return not settings.HEADWATER_ROBOT_ALLOW_PRIVATE
    return address.is_reserved or not address.is_global


def host_allowed(host: str) -> bool:
    allowed = {h.strip().lower().rstrip(".") for h in settings.HEADWATER_ROBOT_HOSTS}
    return host.lower().rstrip(".") in allowed


def url_refusal(url: str) -> str:
    """Why a webhook URL may not be used, as a code ("" when it may); no network needed:
    "bad_url", "own_network" (a refused literal address) or "not_allowed" (not listed)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        return "bad_url"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "bad_url"
    address = parse_address(parts.hostname)
    if address is not None and address_refused(address):
        return "own_network"
    return "" if host_allowed(parts.hostname) else "not_allowed"


def url_problem(url: str) -> str:
    """The message a page or the API shows for a webhook URL that may not be saved."""
    refusal = url_refusal(url)
    if refusal == "bad_url":
        return _("Enter the robot's webhook address, starting with https:// or http://.")
    if refusal == "own_network":
        return _("A group robot may not post to an address inside the server's own network.")
    if refusal == "not_allowed":
        return _(
            "Headwater posts only to the DingTalk and WeCom robot hosts (and to the hosts "
            "the server's administrator adds): %(hosts)s."
        ) % {"hosts": ", ".join(settings.HEADWATER_ROBOT_HOSTS)}
    return ""


# --- The post ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What became of one post: `ok` when the robot took it; `error` says why not. `later`:
    the platform's rate limit, wait `wait_minutes` and send again (not a failure); `final`:
    sending again cannot help (the address is refused), give up at once."""

    ok: bool
    response: str = ""
    error: str = ""
    later: bool = False
    wait_minutes: int = 0
    final: bool = False


def judge(status: int, text: str) -> Outcome:
    """Success is HTTP 200 with errcode 0; the rate-limit codes mean "later"; anything else
    is a failure worth retrying. Only the status and the code are kept, never the body."""
    if status != 200:
        return Outcome(False, f"HTTP {status}", f"HTTP {status}")
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None
    errcode = answer.get("errcode") if isinstance(answer, dict) else None
    if type(errcode) is not int or not -(2**31) <= errcode < 2**31:
        return Outcome(False, "HTTP 200", "not a robot's answer")
    response = f"HTTP 200, errcode {errcode}"
    if errcode == 0:
        return Outcome(True, response)
    if errcode in RATE_LIMITED:
        error = f"errcode {errcode}: rate limited"
        return Outcome(False, response, error, later=True, wait_minutes=RATE_LIMITED[errcode])
    return Outcome(False, response, f"errcode {errcode}")


def resolve(host: str, port: int) -> list[str]:
    """Every address the name resolves to; raises OSError naming a refused one."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for raw in addresses:
        if address_refused(parse_address(raw.split("%")[0])):
            raise PermissionError(f"{host} resolves to {raw}, inside the server's own network")
    return addresses


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to now."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self):
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def post(url: str, payload: dict, *, timeout: float = TIMEOUT_SECONDS) -> Outcome:
    """POST the payload as JSON to a checked address, without following a redirect; never
    raises for network trouble, it returns the failure."""
    refusal = url_refusal(url)
    if refusal:
        return Outcome(False, "", f"refused: {REFUSALS[refusal]}", final=True)
    parts = urllib.parse.urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    try:
        addresses = resolve(parts.hostname, port)
    except PermissionError as e:
        return Outcome(False, "", f"refused: {e}"[:RESPONSE_CHARS], final=True)
    except OSError as e:
        return Outcome(False, "", f"{type(e).__name__}: {e}"[:RESPONSE_CHARS])
    kind = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = kind(parts.hostname, port, addresses[0], timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            "POST",
            path,
            body=json.dumps(payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        response = connection.getresponse()
        return judge(response.status, response.read(RESPONSE_CHARS * 4).decode("utf-8", "replace"))
    except (OSError, http.client.HTTPException) as e:
        return Outcome(False, "", f"{type(e).__name__}: {e}"[:RESPONSE_CHARS])
    finally:
        connection.close()
