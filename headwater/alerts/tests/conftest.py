"""Fixtures of the alerts tests: a real local robot endpoint, channels, a fixed clock."""

import datetime as dt
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest

from headwater.core import clock

START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OK = (200, {"errcode": 0, "errmsg": "ok"})
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=fixture"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """No alerts test reaches the real robots: resolving any name but the local double's
    address fails as an unreachable network would."""
    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host != "127.0.0.1":
            raise socket.gaierror(socket.EAI_NONAME, f"tests resolve no names ({host})")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


class RobotServer:
    """What a DingTalk/WeCom robot endpoint received; `answer` is what it replies next."""

    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}/robot/send?access_token=tok123"
        self.requests: list[dict] = []
        self.times: list = []  # when (on the test's clock) each request came
        self.answer = OK
        self.redirect_to = ""


@pytest.fixture
def robot(settings):
    """A real HTTP server on 127.0.0.1 (port 0) in a thread, recording every POST. Loopback
    is refused by default (SSRF guard): this double is admitted by a test-only override of
    the allow-list and of the loopback rule."""
    settings.HEADWATER_ROBOT_HOSTS = [*settings.HEADWATER_ROBOT_HOSTS, "127.0.0.1"]
    settings.HEADWATER_ROBOT_ALLOW_LOOPBACK = True
    state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            server = state["robot"]
            server.times.append(clock.now())
            server.requests.append(
                {
                    "path": self.path,
                    "content_type": self.headers["Content-Type"],
                    "json": json.loads(self.rfile.read(length)),
                }
            )
            status, answer = server.answer
            data = (json.dumps(answer) if isinstance(answer, dict) else answer).encode()
            self.send_response(status)
            if server.redirect_to:
                self.send_header("Location", server.redirect_to)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["robot"] = RobotServer(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state["robot"]
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def make_channel(org):
    from headwater.alerts.models import WebhookChannel

    def make(**fields) -> WebhookChannel:
        fields = {"name": "值班群", "kind": "dingtalk", "url": DINGTALK, **fields}
        return WebhookChannel.objects.create(organization=fields.pop("organization", org), **fields)

    return make


@pytest.fixture
def frozen(time_machine):
    """The clock stands still at START until the test moves it."""
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the robot deliveries) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
