"""The scanner page is one shell for every device and user (nothing personal in it, so a
service worker may keep it), and its service worker is served inside the page's scope,
never cached over HTTP, naming the page's own static files."""

import json
import re

import pytest

from headwater.access.views_scanner import ASSETS

pytestmark = pytest.mark.django_db


def test_the_page_opens_without_signing_in_and_names_its_scripts(client):
    response = client.get("/access/scanner/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    for script in ("idb.umd.js", "nacl-fast.min.js", "zxing-browser.min.js", "access-scanner.js"):
        assert re.search(rf'<script src="/static/[^"]*{re.escape(script)}" defer>', html)
    assert 'data-sw="/access/scanner/sw.js"' in html
    assert 'data-scope="/access/scanner/"' in html
    assert "no-cache" in response["Cache-Control"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    texts = json.loads(re.search(r'id="scanner-texts"[^>]*>(.*?)</script>', html).group(1))
    assert (texts["allow"], texts["refuse"]) == ("放行", "禁止通行")
    assert texts["waiting"] == "%(n)s 条待上传"
    reasons = json.loads(re.search(r'id="scanner-reasons"[^>]*>(.*?)</script>', html).group(1))
    assert reasons["red_code"] == "红码"


def test_a_signed_in_user_gets_the_same_shell_with_nothing_of_theirs(client, office_user):
    anonymous = client.get("/access/scanner/").content.decode()
    client.force_login(office_user)
    signed_in = client.get("/access/scanner/").content.decode()
    assert signed_in == anonymous
    for personal in ("钱文员", "office", "金溪水务", "csrfmiddlewaretoken", "X-CSRFToken"):
        assert personal not in signed_in


def test_the_service_worker_is_javascript_in_scope_never_cached_and_lists_the_assets(client):
    response = client.get("/access/scanner/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache, no-store, must-revalidate"
    body = response.content.decode()
    config = json.loads(re.search(r"^const CONFIG = (\{.*\});$", body, re.M).group(1))
    assert config["page"] == "/access/scanner/"
    assert config["assets"] == [f"/static/{name}" for name in ASSETS]
    assert config["workbox_sw"] == "/static/dist/workbox-sw.js"
    assert set(config["modules"]) == {"workbox-core", "workbox-routing", "workbox-strategies"}
    assert "googleapis" not in body  # Workbox's modules come from this server, not its CDN
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])
