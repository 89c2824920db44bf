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
    enrol_scanner,
    give_code,
    make_gate,
    phone_pass,
    qr_png,
)
from headwater.core.tests.browser.harness import shot

pytestmark = pytest.mark.browser


@pytest.fixture
def gate(org, tree, people):
    for person in people.values():
        give_code(person, "green")
    give_code(people["other_plant"], "red")
    signing.ensure_key(org)  # the key the device syncs, before any pass is signed
    return make_gate(org, tree["plant1"])


def scan_picture(page, token: str, temperature: str) -> None:
    page.get_by_test_id("temperature").fill(temperature)
    page.get_by_test_id("pass-picture").set_input_files(
        files=[{"name": "pass.png", "mimeType": "image/png", "buffer": qr_png(token)}]
    )


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
    expect(page.get_by_test_id("waiting")).to_be_hidden()
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
