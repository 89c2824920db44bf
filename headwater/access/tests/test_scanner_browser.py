"""In a real browser on a phone (390×844), against the real scan API: a guard enrols the
scanner with its device token, scans a pass from a picture online (ALLOW, recorded), loses the
connection, reopens the page (the service worker serves it), scans two passes decided on the
device — one allowed, one refused for a red code — sees "2 条待上传", and when the connection
comes back the queue drains to nothing: exactly two more passages, with their offline scan
times and the device's decisions; the same batch sent twice more adds nothing. The live
server runs on the real clock."""

import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from headwater.access import signing
from headwater.access.models import Passage
from headwater.access.tests.factories_scanner import (
    card_pass,
    enrol_scanner,
    give_code,
    make_gate,
    phone_pass,
    qr_png,
)
from headwater.core.tests.browser.harness import shot

pytestmark = pytest.mark.browser
SLOW = 30_000  # the first decoding of a picture loads the reader: a shared machine is slow
NO_CODE = "图片中未识别到二维码。"
CLEAR_MESSAGE = "() => { document.getElementById('message').textContent = ''; }"


@pytest.fixture
def gate(org, tree, people):
    for person in people.values():
        give_code(person, "green")
    give_code(people["other_plant"], "red")
    signing.ensure_key(org)  # the key the device syncs, before any pass is signed
    return make_gate(org, tree["plant1"])


def scan_picture(page, token: str, temperature: str) -> None:
    """Type the temperature, pick a picture of the pass's QR code, wait for the decision.

    @zxing/browser misses the code in some pictures (the page says so and the guard takes
    another): up to three different pictures of the same pass, as a guard would."""
    result = page.get_by_test_id("result")
    shown = int(result.get_attribute("data-shown") or 0)
    message = ""
    for attempt in range(3):
        page.get_by_test_id("temperature").fill(temperature)
        page.get_by_test_id("pass-picture").set_input_files(
            files=[{"name": "pass.png", "mimeType": "image/png", "buffer": qr_png(token, attempt)}]
        )
        for _tick in range(SLOW // 200):
            if result.get_attribute("data-shown") == str(shown + 1):
                return
            message = page.get_by_test_id("message").text_content()
            if message == NO_CODE:
                break
            page.wait_for_timeout(200)
        if message != NO_CODE:
            break
        page.evaluate(CLEAR_MESSAGE)
    raise AssertionError(f"no decision shown; message: {message!r}")


CONTROLLED = """async () => {
  await navigator.serviceWorker.ready;
  while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 100));
  return true;
}"""
QUEUE = """async () => {
  const db = await idb.openDB("headwater-scanner", 1);
  return await db.getAll("queue");
}"""
RESEND = """async ([token, items]) => {
  const r = await fetch("/api/v1/access/scans/batch", {
    method: "POST",
    headers: {"Content-Type": "application/json", Authorization: `Bearer ${token}`},
    body: JSON.stringify({items}),
  });
  return [r.status, await r.json()];
}"""


def test_scans_offline_are_decided_on_the_phone_queued_and_uploaded_once(
    live_server, phone_page, org, people, gate
):
    page = phone_page
    raw = enrol_scanner(gate)
    page.goto(f"{live_server.url}/access/scanner/")
    expect(page.get_by_test_id("enrol")).to_be_visible()
    shot(page, "access-scanner-enrol-phone")
    page.get_by_test_id("device-token").fill(raw)
    page.get_by_test_id("enrol-submit").click()
    expect(page.get_by_test_id("gate-name")).to_have_text("东门岗")
    expect(page.get_by_test_id("gate-info")).to_have_text("第一水厂厂区 · 厂站大门")
    # the service worker took the page over: it can open offline from now on
    assert page.evaluate(CONTROLLED) is True

    scan_picture(page, phone_pass(org, people["head"]), "36.5")
    expect(page.get_by_test_id("result-word")).to_have_text("放行")
    expect(page.get_by_test_id("result-who")).to_have_text("王厂长 · 第一水厂")
    expect(page.get_by_test_id("offline-decision")).to_have_count(0)
    online = Passage.objects.get()
    assert (online.decision, online.person_id, str(online.temperature)) == (
        "allow",
        people["head"].pk,
        "36.5",
    )
    shot(page, "access-scanner-allow-phone")

    page.context.set_offline(True)
    page.reload()  # from the service worker's cache
    expect(page.get_by_test_id("gate-name")).to_have_text("东门岗")
    expect(page.get_by_test_id("net")).to_have_text("离线")

    scan_picture(page, phone_pass(org, people["operator"]), "36.6")
    expect(page.get_by_test_id("result-word")).to_have_text("放行")
    expect(page.get_by_test_id("offline-decision")).to_have_text("离线判定")
    expect(page.get_by_test_id("result-who")).to_have_text("李操作 · 运行甲班")
    expect(page.get_by_test_id("waiting")).to_have_text("1 条待上传")
    scan_picture(page, phone_pass(org, people["other_plant"]), "36.4")
    expect(page.get_by_test_id("result-word")).to_have_text("禁止通行")
    expect(page.get_by_test_id("result-reason")).to_have_text("红码")
    expect(page.get_by_test_id("waiting")).to_have_text("2 条待上传")
    shot(page, "access-scanner-offline-refuse-phone")
    assert Passage.objects.count() == 1
    queued = sorted(page.evaluate(QUEUE), key=lambda item: item["at"])
    assert [q["device_decision"] for q in queued] == ["allow", "refuse"]

    page.context.set_offline(False)
    # on the `online` event, or the retry every 15 s if the event came before the network
    expect(page.get_by_test_id("waiting")).to_be_hidden(timeout=SLOW)
    expect(page.get_by_test_id("message")).to_have_text("已上传 2 条。")
    assert page.evaluate(QUEUE) == []
    uploaded = list(Passage.objects.exclude(pk=online.pk).order_by("at"))
    assert [(p.key, p.at) for p in uploaded] == [
        (q["key"], dt.datetime.fromisoformat(q["at"])) for q in queued
    ]
    # the server agreed with the device (it keeps `device_decision` only where they differ)
    assert [(p.person_id, p.decision, p.reason, p.device_decision) for p in uploaded] == [
        (people["operator"].pk, "allow", "", ""),
        (people["other_plant"].pk, "refuse", "red_code", ""),
    ]
    assert all(p.at < p.recorded_at for p in uploaded)  # the scan time, not the upload's
    shot(page, "access-scanner-drained-phone")

    # The same batch again, twice (an answer lost on the way): nothing new.
    fields = ("token", "staff_number", "temperature", "direction", "at", "key", "device_decision")
    items = [{name: q[name] for name in fields} for q in queued]
    for _ in range(2):
        status, answer = page.evaluate(RESEND, [raw, items])
        assert status == 200, answer
        assert [(a["key"], a["ok"], a["result"]["created"]) for a in answer["items"]] == [
            (q["key"], True, False) for q in queued
        ]
    assert Passage.objects.count() == 3
    assert json.dumps(sorted(Passage.objects.values_list("key", flat=True))) == json.dumps(
        sorted([online.key] + [q["key"] for q in queued])
    )


@pytest.fixture
def phone_without_worker(browser):
    """A phone whose page talks to the network itself (no service worker), so that the test
    can stand in for a failing server with `page.route`."""
    from headwater.core.tests.browser.harness import open_page

    context, page, problems = open_page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        service_workers="block",
    )
    yield page
    context.close()
    assert not problems, problems


def forged(token: str) -> str:
    """The same claims under another signature: what a hand-made pass looks like."""
    head, _signature = token.rsplit(".", 1)
    return f"{head}.{'A' * 86}"


def test_offline_refusals_a_typed_number_and_a_failed_upload_keep_every_scan(
    live_server, phone_without_worker, org, people, gate
):
    page = phone_without_worker
    raw = enrol_scanner(gate)
    # made before the device syncs (the revoked card is on the list it takes)
    cases = [
        (forged(phone_pass(org, people["head"])), "36.5", "禁止通行", "非本单位签发的通行码"),
        (
            phone_pass(org, people["head"], seconds=-120),
            "36.5",
            "禁止通行",
            "通行码已过期或重复使用",
        ),
        (card_pass(org, people["clerk"], revoked=True), "36.5", "禁止通行", "通行卡已注销"),
        (phone_pass(org, people["operator"]), "38.2", "禁止通行", "发热"),
    ]
    page.goto(f"{live_server.url}/access/scanner/")
    page.get_by_test_id("device-token").fill(raw)
    page.get_by_test_id("enrol-submit").click()
    expect(page.get_by_test_id("gate-name")).to_have_text("东门岗")
    page.context.set_offline(True)
    expect(page.get_by_test_id("net")).to_have_text("离线")

    for n, (token, temperature, word, reason) in enumerate(cases, start=1):
        scan_picture(page, token, temperature)
        expect(page.get_by_test_id("result-word")).to_have_text(word)
        expect(page.get_by_test_id("result-reason")).to_have_text(reason)
        expect(page.get_by_test_id("waiting")).to_have_text(f"{n} 条待上传")
    # A typed staff number cannot be checked on the device: the guard checks by hand.
    page.get_by_test_id("code").fill("E4")
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("message")).to_have_text("请先输入体温，再核验。")
    page.get_by_test_id("temperature").fill("36.7")
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("result-word")).to_have_text("人工核验")
    expect(page.get_by_test_id("result-who")).to_have_text("工号 E4")
    expect(page.get_by_test_id("waiting")).to_have_text("5 条待上传")
    shot(page, "access-scanner-offline-typed-phone")

    # Back online, but the server fails once: nothing leaves the phone.
    calls = []

    def fail(route):
        calls.append(route.request.url)
        route.fulfill(status=502, body="bad gateway")

    page.route("**/api/v1/access/scans/batch", fail)
    page.context.set_offline(False)
    for _ in range(100):
        if calls:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("waiting")).to_have_text("5 条待上传")
    assert Passage.objects.count() == 0
    page.unroute("**/api/v1/access/scans/batch")

    # The next try: the server records three and refuses the two passes it cannot accept
    # (not signed by us, expired at the scan time); all five leave the queue.
    page.get_by_test_id("device-details").click()
    page.get_by_test_id("sync-now").click()  # uploads what waits, then syncs
    expect(page.get_by_test_id("waiting")).to_be_hidden(timeout=SLOW)
    expect(page.get_by_test_id("message")).to_contain_text("上传时被服务器拒绝 2 条")
    recorded = list(Passage.objects.order_by("at"))
    assert [(p.person_id, p.credential, p.decision, p.reason) for p in recorded] == [
        (people["clerk"].pk, "card", "refuse", "revoked_card"),
        (people["operator"].pk, "pass", "refuse", "fever"),
        (people["clerk"].pk, "typed", "allow", ""),
    ]
    assert [str(p.temperature) for p in recorded] == ["36.5", "38.2", "36.7"]
    # the device showed "check by hand" for the typed number; the server decided allow
    assert [p.device_decision for p in recorded] == ["", "", ""]
    shot(page, "access-scanner-refused-on-upload-phone")
