"""A local test double of DingTalk's OAuth endpoints (no network).

It plays three parts of DingTalk's side of the flow allauth's `dingtalk` provider speaks:
- the authorize page (login.dingtalk.com/oauth2/auth): `approve(authorize_url)` checks what
  our site sent (client id, callback, state, scope) and answers the callback URL DingTalk would
  send the phone back to, with a one-time `authCode`;
- the token endpoint (api.dingtalk.com/v1.0/oauth2/userAccessToken): checks client id, secret
  and code (single use) and hands out an access token;
- the user info endpoint (api.dingtalk.com/v1.0/contact/users/me): answers the person behind
  the token, with `mobile` only when the app was granted the mobile-number permission.

Install it with `install(monkeypatch)`: allauth then talks to it through the session returned
by `SocialAccountAdapter.get_requests_session` instead of the network; any other URL fails the
test.
"""

import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

AUTHORIZE_URL = "https://login.dingtalk.com/oauth2/auth"
TOKEN_URL = "https://api.dingtalk.com/v1.0/oauth2/userAccessToken"
ME_URL = "https://api.dingtalk.com/v1.0/contact/users/me"

CLIENT_ID = "dingtest-client"
CLIENT_SECRET = "dingtest-secret"


@dataclass
class DingTalkUser:
    open_id: str
    mobile: str | None = None
    nick: str = "钉钉用户"
    state_code: str = "86"
    union_id: str = ""

    def me(self, *, mobile_granted: bool) -> dict:
        data = {
            "nick": self.nick,
            "avatarUrl": "https://static.dingtalk.com/avatar.png",
            "openId": self.open_id,
            "unionId": self.union_id or f"union-{self.open_id}",
        }
        if mobile_granted and self.mobile is not None:
            data.update(mobile=self.mobile, stateCode=self.state_code)
        return data


class FakeResponse:
    def __init__(self, status: int, data: dict) -> None:
        self.status_code = status
        self._data = data
        self.content = repr(data).encode()

    def json(self) -> dict:
        return self._data

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code}: {self._data}", response=self)


@dataclass
class FakeDingTalk:
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    mobile_granted: bool = True  # the app's 个人手机号信息 permission
    down: bool = False  # DingTalk's API answers 503
    codes: dict = field(default_factory=dict)  # authCode -> user
    tokens: dict = field(default_factory=dict)  # access token -> user
    calls: list = field(default_factory=list)  # (method, url) of every API call

    def approve(self, authorize_url: str, user: DingTalkUser) -> str:
        """The person taps "agree" on DingTalk's page: the callback URL (path and query)."""
        parts = urlsplit(authorize_url)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == AUTHORIZE_URL, authorize_url
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert query["client_id"] == self.client_id
        assert query["response_type"] == "code"
        assert set(query["scope"].split()) == {"openid", "corpid"}
        assert query["state"]
        code = secrets.token_hex(8)
        self.codes[code] = user
        callback = urlsplit(query["redirect_uri"])
        return f"{callback.path}?{urlencode({'authCode': code, 'state': query['state']})}"

    def cancel(self, authorize_url: str) -> str:
        """The person taps "cancel": DingTalk sends them back with an error."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        callback = urlsplit(query["redirect_uri"])
        return f"{callback.path}?{urlencode({'error': 'access_denied', 'state': query['state']})}"

    # --- the API, as allauth's requests session sees it ----------------------------------

    def request(self, method: str, url: str, params=None, json=None, headers=None, **kwargs):
        self.calls.append((method.upper(), url))
        if self.down:
            return FakeResponse(503, {"code": "ServiceUnavailable"})
        if method.upper() == "POST" and url == TOKEN_URL:
            return self._token(json or {})
        if method.upper() == "GET" and url == ME_URL:
            return self._me(headers or {})
        raise AssertionError(f"the test tried the network: {method} {url}")

    def get(self, url: str, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.request("POST", url, **kwargs)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def _token(self, body: dict) -> FakeResponse:
        if (body.get("clientId"), body.get("clientSecret")) != (
            self.client_id,
            self.client_secret,
        ):
            return FakeResponse(400, {"code": "invalidClient"})
        user = self.codes.pop(body.get("code"), None)  # single use
        if body.get("grantType") != "authorization_code" or user is None:
            return FakeResponse(400, {"code": "invalidAuthCode"})
        token = secrets.token_hex(16)
        self.tokens[token] = user
        return FakeResponse(
            200,
            {
                "accessToken": token,
                "refreshToken": secrets.token_hex(16),
                "expireIn": 7200,
                "corpId": "dingcorp-test",
            },
        )

    def _me(self, headers: dict) -> FakeResponse:
        user = self.tokens.get(headers.get("x-acs-dingtalk-access-token"))
        if user is None:
            return FakeResponse(401, {"code": "InvalidAuthentication"})
        return FakeResponse(200, user.me(mobile_granted=self.mobile_granted))


def provider_settings(client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET) -> dict:
    """SOCIALACCOUNT_PROVIDERS as settings.py builds it from HEADWATER_DINGTALK_CLIENT_*."""
    return {
        "dingtalk": {
            "APPS": [{"client_id": client_id, "secret": secret}],
            "SCOPE": ["openid", "corpid"],
        }
    }


def install(monkeypatch, double: FakeDingTalk | None = None) -> FakeDingTalk:
    """Route allauth's provider HTTP calls to the double."""
    from headwater.core.social import SocialAccountAdapter

    double = double or FakeDingTalk()
    monkeypatch.setattr(SocialAccountAdapter, "get_requests_session", lambda self: double)
    return double
