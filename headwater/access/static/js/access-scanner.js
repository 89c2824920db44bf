// The gate scanner (门禁扫码) on a phone or tablet at a post — ADR 0025, "The offline scanner".
//
// The page is a shell kept by a service worker (/access/scanner/sw.js); what this device knows
// lives in IndexedDB (the `idb` wrapper): its device token and the last sync of its gate
// (the organization's public keys, revoked cards, red and yellow codes, canteen slots, names),
// and the queue of passages not yet uploaded.
//
// Online, a scan is POSTed with a fresh idempotency key and the scan time, and the server's
// decision is shown. Offline (no network, or the request fails), the device decides itself:
// the pass's Ed25519 signature against the synced public keys (tweetnacl: WebCrypto is not
// there on a plain-http intranet origin), its expiry with 30 s of clock skew, the revocation
// list, the synced codes, the fever threshold and the canteen slot — and queues the passage
// with its key, its scan time and what it showed. Back online, the queue goes to
// /scans/batch: an item the server answered (recorded, or refused for good) leaves the queue,
// anything else stays for the next try; the key makes a resent item a no-op on the server.
(function () {
  "use strict";
  const root = document.getElementById("scanner");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const T = JSON.parse($("scanner-texts").textContent);
  const REASONS = JSON.parse($("scanner-reasons").textContent);
  const KINDS = JSON.parse($("scanner-kinds").textContent);
  // The body temperatures the server accepts (core.validators.BODY_MIN, BODY_MAX).
  const [TEMP_MIN, TEMP_MAX] = JSON.parse($("scanner-temperature-range").textContent).map(Number);
  const api = root.dataset.api;
  const SKEW_SECONDS = 30; // as headwater/access/signing.py
  const PREFIX = "HW1.";
  const BATCH = 200;
  const RETRY_MS = 15 * 1000;
  const SYNC_MS = 5 * 60 * 1000;
  const fmt = (text, values) =>
    text.replace(/%\((\w+)\)s/g, (_m, k) => (values[k] === undefined ? "" : values[k]));

  const dbp = idb.openDB("headwater-scanner", 1, {
    upgrade(db) {
      db.createObjectStore("device"); // "me" -> {token, sync, syncedAt}
      db.createObjectStore("queue", { keyPath: "key" });
    },
  });
  let device = null;
  let flushing = false;

  // --- small helpers ------------------------------------------------------------------------
  function newKey() {
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes); // there on plain http too, unlike randomUUID
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // The scan time with the device's offset: "2026-12-05T08:01:02.345+08:00".
  function isoNow(d) {
    const pad = (n, w = 2) => String(n).padStart(w, "0");
    const off = -d.getTimezoneOffset();
    const sign = off >= 0 ? "+" : "-";
    return (
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
      `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
      `${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`
    );
  }

  function unb64(text) {
    let s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  }

  function show(text, kind) {
    const box = $("message");
    box.textContent = text;
    box.className = `alert alert-${kind || "info"} small py-2 mb-2`;
    if (!text) box.classList.add("d-none");
  }

  function errorText(data) {
    const error = data && data.error;
    if (!error) return T.error;
    if (typeof error === "string") return error;
    return [error.message, ...Object.values(error.fields || {})].filter(Boolean).join(" ");
  }

  // A request to the access API with the device token; throws when the network fails or no
  // answer comes within `wait` ms (a gate cannot stand still behind a hanging connection).
  async function call(method, path, body, token, key, wait = 20000) {
    const headers = {
      Accept: "application/json",
      "Accept-Language": document.documentElement.lang || "zh-hans",
      Authorization: `Bearer ${token || (device && device.token)}`,
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (key) headers["Idempotency-Key"] = key;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), wait);
    const response = await fetch(`${api}${path}`, {
      signal: abort.signal,
      method,
      headers,
      credentials: "omit", // the device token is the credential, never a person's session
      cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    }).finally(() => clearTimeout(timer));
    let data = null;
    try {
      data = await response.json();
    } catch (_e) {
      data = null;
    }
    return { status: response.status, ok: response.ok, data };
  }

  // --- the device: enrolment, sync, what the page shows of the gate -------------------------
  async function saveDevice() {
    await (await dbp).put("device", device, "me");
  }

  function showGate() {
    const enrolled = !!(device && device.sync);
    $("enrol").classList.toggle("d-none", enrolled);
    $("scan").classList.toggle("d-none", !enrolled);
    if (!enrolled) return;
    const s = device.sync;
    const gate = s.gate || {};
    $("gate-name").textContent = gate.name || "";
    $("gate-info").textContent = [gate.site_name, KINDS[gate.kind] || gate.kind]
      .filter(Boolean)
      .join(" · ");
    $("temperature-box").classList.toggle("d-none", !gate.checks_temperature);
    $("fever-at").textContent = s.fever_tenths
      ? fmt(T.fever_at, { t: (s.fever_tenths / 10).toFixed(1) })
      : "";
    $("sync-info").textContent = device.syncedAt
      ? fmt(T.synced, { time: new Date(device.syncedAt).toLocaleString() })
      : T.never_synced;
  }

  // Fetch the gate's sync with `token`: true when stored, false when refused, null offline.
  async function sync(token) {
    token = token || (device && device.token);
    if (!token) return false;
    let r;
    try {
      r = await call("GET", "/scanner/sync", undefined, token);
    } catch (_e) {
      return null; // no network
    }
    if (r.status === 401) {
      show(T.enrol_failed, "danger");
      return false;
    }
    if (!r.ok) {
      show(r.status === 403 || r.status === 404 ? T.not_scanner : errorText(r.data), "danger");
      return false;
    }
    device = { token, sync: r.data, syncedAt: Date.now() };
    await saveDevice();
    showGate();
    return true;
  }

  async function enrol(token) {
    token = (token || "").trim();
    if (!token) return;
    const done = navigator.onLine ? await sync(token) : null;
    if (done === null) return show(T.enrol_offline, "warning");
    if (done) {
      $("device-token").value = "";
      show("", "info");
      flush();
    }
  }

  async function forget() {
    const n = await (await dbp).count("queue");
    if (n > 0) return show(fmt(T.forget_waiting, { n }), "warning");
    if (!window.confirm(T.forget_confirm)) return;
    await (await dbp).delete("device", "me");
    device = null;
    showGate();
  }

  // --- connection and the waiting count -----------------------------------------------------
  function showNet() {
    const net = $("net");
    net.textContent = navigator.onLine ? T.online : T.offline;
    net.className = `badge ${navigator.onLine ? "text-bg-success" : "text-bg-secondary"}`;
  }

  async function showWaiting() {
    const n = await (await dbp).count("queue");
    const badge = $("waiting");
    badge.textContent = fmt(T.waiting, { n });
    badge.classList.toggle("d-none", n === 0);
  }

  // --- the decision on the device -----------------------------------------------------------
  // {decision: "allow"|"refuse"|"", reason, who} from the last sync, in the server's order
  // (services/scan.py): who it is, fever (coming in), leaving never refused, a visitor at a
  // closed site, the code, the canteen slot. Nothing leaves the device.
  function decideOffline(item, now) {
    const s = device.sync;
    const gate = s.gate || {};
    if (!item.token) {
      // The sync has no staff numbers: a typed number is checked by the server later.
      return { decision: "", reason: "", who: fmt(T.staff_no, { no: item.staff_number }) };
    }
    const refuse = (reason, who) => ({ decision: "refuse", reason, who: who || "" });
    const allow = (who) => ({ decision: "allow", reason: "", who: who || "" });
    const claims = verify(item.token, s, now);
    if (claims.refused) return refuse(claims.refused);
    let personId;
    let who = "";
    if (claims.t === "v") {
      who = T.visitor;
    } else if (claims.t === "c") {
      who = T.card_holder;
      if ((s.revoked_cards || []).includes(String(claims.n))) return refuse("revoked_card", who);
    } else {
      // A phone pass names the person (a card names itself: its holder is the server's).
      personId = String(claims.s);
      const person = (s.people || {})[personId];
      if (!person) return refuse("unknown_person");
      who = [person[0], person[1]].filter(Boolean).join(" · ");
    }
    const tenths = item.temperature ? Math.round(parseFloat(item.temperature) * 10) : null;
    const fever = tenths !== null && s.fever_tenths && tenths >= s.fever_tenths;
    if (item.direction !== "in") return allow(who);
    if (fever) return refuse("fever", who);
    if (claims.t === "v") return gate.closed_to_outsiders ? refuse("site_closed", who) : allow(who);
    if (personId === undefined) return allow(who);
    const code = (s.codes || {})[personId];
    if (code === "red") return refuse("red_code", who);
    if (code === "yellow") return refuse("yellow_code", who);
    if (gate.kind === "canteen") {
      const slot = (s.slots || {})[personId];
      if (!slot) return refuse("wrong_slot", who);
      const [h, m] = slot[0].split(":").map((x) => parseInt(x, 10));
      const start = h * 60 + m;
      const minute = now.getHours() * 60 + now.getMinutes();
      if (minute < start || minute >= start + slot[1]) return refuse("wrong_slot", who);
    }
    return allow(who);
  }

  // The claims of a pass signed by one of the synced keys and not expired, else {refused}.
  function verify(token, s, now) {
    const forged = { refused: "forged" };
    if (!token.startsWith(PREFIX) || token.length > 400) return forged;
    const parts = token.slice(PREFIX.length).split(".");
    if (parts.length !== 2) return forged;
    let claims;
    try {
      claims = JSON.parse(new TextDecoder().decode(unb64(parts[0])));
      const key = (s.keys || {})[claims.k];
      if (claims.o !== s.organization_id || !key) return forged;
      const message = new TextEncoder().encode(PREFIX + parts[0]);
      if (!nacl.sign.detached.verify(message, unb64(parts[1]), unb64(key))) return forged;
    } catch (_e) {
      return forged;
    }
    if (!["p", "c", "v"].includes(claims.t)) return forged;
    if (claims.e + SKEW_SECONDS < now.getTime() / 1000) return { refused: "expired" };
    return claims;
  }

  // --- showing a decision -------------------------------------------------------------------
  function showDecision(d) {
    const panel = $("result");
    const colour =
      d.decision === "allow"
        ? "text-bg-success"
        : d.decision === "refuse"
          ? d.reason === "yellow_code"
            ? "text-bg-warning"
            : "text-bg-danger"
          : "text-bg-secondary";
    panel.className = `rounded-3 text-center py-4 px-2 mb-3 ${colour}`;
    panel.dataset.decision = d.decision || "unknown";
    panel.dataset.shown = String(parseInt(panel.dataset.shown || "0", 10) + 1); // decisions shown
    $("result-word").textContent =
      d.decision === "allow" ? T.allow : d.decision === "refuse" ? T.refuse : T.check;
    $("result-reason").textContent =
      d.label || (d.reason ? REASONS[d.reason] || d.reason : d.decision ? "" : T.unverified);
    $("result-who").textContent = d.who || "";
    const meta = $("result-meta");
    meta.replaceChildren();
    const parts = [new Date(d.at).toLocaleTimeString(), T[d.direction] || ""];
    if (d.temperature) parts.push(`${d.temperature} ℃`);
    meta.append(parts.filter(Boolean).join(" · "));
    if (d.offline) {
      const badge = document.createElement("span");
      badge.className = "badge text-bg-light text-dark ms-2";
      badge.dataset.testid = "offline-decision";
      badge.textContent = T.offline_decision;
      meta.append(badge);
    }
  }

  function whoOf(person) {
    return person ? [person.name, person.unit].filter(Boolean).join(" · ") : "";
  }

  // --- scanning -----------------------------------------------------------------------------
  function payload(item) {
    return {
      token: item.token,
      staff_number: item.staff_number,
      temperature: item.temperature,
      direction: item.direction,
      at: item.at,
      key: item.key,
      override_reason: "",
      device_decision: item.device_decision,
    };
  }

  // The temperature typed, as "36.5", null when none; undefined when it is not acceptable.
  function temperature() {
    const gate = device.sync.gate || {};
    const raw = $("temperature").value.trim().replace(",", ".");
    if (!raw || !gate.checks_temperature) {
      if (gate.checks_temperature) {
        show(T.temperature_needed, "warning");
        $("temperature").focus();
        return undefined;
      }
      return null;
    }
    const value = parseFloat(raw);
    if (!/^\d{2}(\.\d)?$/.test(raw) || value < TEMP_MIN || value > TEMP_MAX) {
      show(T.temperature_bad, "warning");
      $("temperature").focus();
      return undefined;
    }
    return value.toFixed(1);
  }

  async function check() {
    if (!device || !device.sync) return;
    const code = $("code").value.trim();
    if (!code) return show(T.scan_first, "warning");
    const temp = temperature();
    if (temp === undefined) return;
    show("", "info");
    const now = new Date();
    const isToken = code.startsWith(PREFIX);
    const item = {
      key: newKey(),
      token: isToken ? code : null,
      staff_number: isToken ? null : code.slice(0, 30),
      temperature: temp,
      direction: document.querySelector('input[name="direction"]:checked').value,
      at: isoNow(now),
      device_decision: "",
    };
    $("code").value = "";
    $("temperature").value = "";
    const shown = { at: now, direction: item.direction, temperature: temp };
    if (navigator.onLine) {
      try {
        // no answer within 4 s: decided here and queued under the same key and scan time,
        // so a request that did arrive is answered with its first passage on upload
        const r = await call("POST", "/scans", payload(item), undefined, item.key, 4000);
        if (r.ok) {
          return showDecision({
            ...shown,
            decision: r.data.decision,
            reason: r.data.reason,
            label: r.data.reason_label,
            who: whoOf(r.data.person) || (r.data.visit ? T.visitor : ""),
          });
        }
        if (r.status === 401 || r.status === 403) {
          show(T.device_revoked, "danger");
        } else if (r.status < 500) {
          const error = (r.data && r.data.error) || {};
          if (error.fields && Object.keys(error.fields).length) return show(errorText(r.data), "danger");
          const reason = error.code === "pass_invalid" ? "forged" : "expired";
          return showDecision({ ...shown, decision: "refuse", reason, label: error.message });
        }
      } catch (_e) {
        // No answer: decide here and keep the passage (its key makes it once on the server).
      }
    }
    const d = decideOffline(item, now);
    item.device_decision = d.decision;
    await (await dbp).put("queue", item);
    showDecision({ ...shown, ...d, offline: true });
    showWaiting();
    $("code").focus();
  }

  function scanned(text) {
    $("code").value = text;
    const gate = (device && device.sync && device.sync.gate) || {};
    if (gate.checks_temperature && !$("temperature").value.trim()) {
      show(T.scanned, "info");
      $("temperature").focus();
      return;
    }
    check();
  }

  // --- sending the queue --------------------------------------------------------------------
  const TRANSIENT = new Set(["server_error", "internal_error", "unavailable", "locked"]);

  async function flush() {
    if (flushing || !device || !navigator.onLine) return;
    flushing = true;
    let sent = 0;
    const rejected = [];
    try {
      const db = await dbp;
      const items = (await db.getAll("queue")).sort((a, b) => a.at.localeCompare(b.at));
      for (let i = 0; i < items.length; i += BATCH) {
        const chunk = items.slice(i, i + BATCH);
        let r;
        try {
          r = await call("POST", "/scans/batch", { items: chunk.map(payload) });
        } catch (_e) {
          break;
        }
        if (r.status === 401 || r.status === 403) {
          show(T.device_revoked, "danger");
          break;
        }
        if (!r.ok || !r.data || !Array.isArray(r.data.items)) break; // kept: tried again later
        const keys = new Set(chunk.map((x) => x.key));
        for (const answer of r.data.items) {
          if (!keys.has(answer.key)) continue;
          const error = answer.error;
          const code = error && typeof error === "object" ? error.code : "";
          if (answer.ok) {
            sent += 1;
          } else if (error && !TRANSIENT.has(code)) {
            rejected.push(errorText({ error }));
          } else {
            continue; // no answer for this one: it stays
          }
          await db.delete("queue", answer.key);
        }
      }
    } finally {
      flushing = false;
      await showWaiting();
    }
    if (rejected.length) {
      show(fmt(T.rejected, { n: rejected.length, why: [...new Set(rejected)].join(" ") }), "warning");
    } else if (sent) {
      show(fmt(T.sent, { n: sent }), "success");
    }
  }

  // --- camera and pictures (@zxing/browser) -------------------------------------------------
  let reader = null;
  let controls = null;
  const qrReader = () => (reader = reader || new ZXingBrowser.BrowserQRCodeReader());

  async function startCamera() {
    $("camera").classList.remove("d-none");
    try {
      controls = await qrReader().decodeFromVideoDevice(undefined, $("camera-video"), (result, _e, ctl) => {
        if (!result) return;
        ctl.stop();
        $("camera").classList.add("d-none");
        scanned(result.getText());
      });
    } catch (_e) {
      $("camera").classList.add("d-none");
      show(T.no_camera, "warning");
    }
  }

  function stopCamera() {
    if (controls) controls.stop();
    $("camera").classList.add("d-none");
  }

  // The reader misses the code in some pictures at their own size: try it again drawn
  // smaller and larger (a phone photo is rarely the right size either).
  async function decodeScaled(url) {
    const image = new Image();
    image.src = url;
    await image.decode();
    for (const scale of [0.5, 0.75, 1.5]) {
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(image.naturalWidth * scale);
      canvas.height = Math.round(image.naturalHeight * scale);
      const context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      try {
        return qrReader().decodeFromCanvas(canvas);
      } catch (_e) {
        // the next size
      }
    }
    throw new Error("no code");
  }

  function fromPicture(input, then) {
    const file = input.files && input.files[0];
    if (!file) return;
    const fileReader = new FileReader();
    fileReader.addEventListener("load", async () => {
      // A data: URL (the page's policy admits data: images, not blob: ones).
      const url = fileReader.result;
      let result = null;
      try {
        result = await qrReader().decodeFromImageUrl(url);
      } catch (_e) {
        result = await decodeScaled(url).catch(() => null);
      } finally {
        input.value = "";
      }
      if (result) then(result.getText());
      else show(T.no_code, "warning");
    });
    fileReader.readAsDataURL(file);
  }

  // --- wiring -------------------------------------------------------------------------------
  $("enrol-form").addEventListener("submit", (e) => {
    e.preventDefault();
    enrol($("device-token").value);
  });
  $("token-picture").addEventListener("change", (e) =>
    fromPicture(e.target, (text) => {
      $("device-token").value = text;
      enrol(text);
    }),
  );
  $("scan-form").addEventListener("submit", (e) => {
    e.preventDefault();
    check();
  });
  $("camera-button").addEventListener("click", startCamera);
  $("camera-stop").addEventListener("click", stopCamera);
  $("pass-picture").addEventListener("change", (e) => fromPicture(e.target, scanned));
  $("sync-now").addEventListener("click", () => flush().then(() => sync()));
  $("forget").addEventListener("click", forget);
  window.addEventListener("online", () => {
    showNet();
    flush().then(() => sync());
  });
  window.addEventListener("offline", showNet);
  setInterval(() => {
    if (navigator.onLine) flush();
  }, RETRY_MS);
  setInterval(() => {
    if (navigator.onLine) sync();
  }, SYNC_MS);

  // Offline page loads need a service worker, and browsers allow those only in a secure
  // context (https, or localhost): on plain http the page still queues, but needs the network
  // to open.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker
      .register(root.dataset.sw, { scope: root.dataset.scope })
      .catch(() => null);
  }

  showNet();
  (async () => {
    device = (await (await dbp).get("device", "me")) || null;
    showGate();
    await showWaiting();
    if (device && navigator.onLine) {
      await flush();
      await sync();
    }
    root.dataset.ready = "1";
  })();
})();
