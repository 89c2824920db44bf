// The testing desk (采样登记台) on a phone or tablet: the tube being filled, the roster search,
// registration, queue numbers and people added at the desk, all over /api/v1/testing/desk.
//
// When the connection drops, a registration is kept in IndexedDB (the `idb` wrapper) with its
// idempotency key and the time the swab was taken, and sent as `offline` once the connection is
// back: the server answers a key it has seen with the first outcome, so a registration whose
// answer was lost is never written twice. The page shows how many wait; what the server refuses
// on replay stays listed until discarded. Barcodes come from the camera or a picture
// (@zxing/browser).
(function () {
  "use strict";
  const root = document.getElementById("desk");
  if (!root) return;
  const T = JSON.parse(document.getElementById("desk-texts").textContent);
  const api = root.dataset.api;
  const tubeApi = root.dataset.tubeApi;
  const poolSize = parseInt(root.dataset.poolSize, 10);
  const siteId = root.dataset.site;
  const $ = (id) => document.getElementById(id);
  const fmt = (text, values) =>
    text.replace(/%\((\w+)\)s/g, (_m, k) => (values[k] === undefined ? "" : values[k]));

  let tube = null; // what the desk knows of the tube being filled
  let flushing = false;
  const dbp = idb.openDB("headwater-desk", 1, {
    upgrade(db) {
      db.createObjectStore("outbox", { keyPath: "key" });
      db.createObjectStore("refused", { keyPath: "key" });
    },
  });

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function show(text, kind) {
    const box = $("message");
    box.textContent = text;
    box.className = `alert alert-${kind || "info"} small py-2`;
  }

  function errorText(data) {
    const error = data && data.error;
    if (!error) return T.error;
    return [error.message, ...Object.values(error.fields || {})].join(" ");
  }

  // A request to the API; throws on a network failure (offline), answers {status, ok, data}.
  async function call(method, url, body, key) {
    const headers = {
      Accept: "application/json",
      "Accept-Language": document.documentElement.lang || "zh-hans",
      "X-CSRFToken": root.dataset.csrf,
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (key) headers["Idempotency-Key"] = key;
    const response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try {
      data = await response.json();
    } catch (_e) {
      data = null;
    }
    return { status: response.status, ok: response.ok, data };
  }

  // --- connection and the waiting count ----------------------------------------------------
  function showNet() {
    const net = $("net");
    net.textContent = navigator.onLine ? T.online : T.offline;
    net.className = `badge ${navigator.onLine ? "text-bg-success" : "text-bg-secondary"}`;
    $("register-by-number").classList.toggle("d-none", navigator.onLine);
  }

  async function showWaiting() {
    const db = await dbp;
    const n = await db.count("outbox");
    const badge = $("waiting");
    badge.textContent = fmt(T.waiting, { n });
    badge.classList.toggle("d-none", n === 0);
    const refused = await db.getAll("refused");
    $("refused-box").classList.toggle("d-none", refused.length === 0);
    $("refused").replaceChildren(...refused.map(refusedRow));
  }

  function refusedRow(item) {
    const li = document.createElement("li");
    li.className = "list-group-item small d-flex justify-content-between gap-2";
    li.dataset.testid = "refused-item";
    const text = document.createElement("span");
    text.textContent = `${item.name || item.identifier} · ${item.barcode}: ${item.message}`;
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-secondary";
    discard.textContent = T.discard;
    discard.addEventListener("click", async () => {
      (await dbp).delete("refused", item.key);
      showWaiting();
    });
    li.append(text, discard);
    return li;
  }

  // --- the tube ---------------------------------------------------------------------------
  function showTube() {
    const box = $("tube");
    box.classList.toggle("d-none", !tube);
    if (!tube) return;
    const left = Math.max(tube.capacity - tube.members, 0);
    $("tube-barcode").textContent = tube.barcode;
    $("tube-members").textContent = fmt(T.members, { n: tube.members, capacity: tube.capacity });
    $("tube-state").textContent = left === 0 || tube.state === "closed" ? T.closed : T.open;
    $("places-left").textContent = String(left);
    $("close-tube").classList.toggle("d-none", tube.state === "closed" || left === 0);
  }

  async function startTube(barcode) {
    barcode = barcode.trim();
    if (!barcode) return show(T.scan_first, "warning");
    $("barcode").value = barcode;
    try {
      const r = await call("POST", `${api}/tubes`, { barcode });
      if (!r.ok) return show(errorText(r.data), "danger");
      tube = r.data;
      show(fmt(T.tube_started, { barcode }), "success");
    } catch (_e) {
      tube = { id: null, barcode, capacity: poolSize, members: 0, state: "open" };
      show(fmt(T.tube_offline, { barcode }), "warning");
    }
    showTube();
    $("q").focus();
  }

  async function closeTube() {
    if (!tube) return;
    if (!tube.id) return show(T.close_offline, "warning");
    try {
      const r = await call("POST", `${tubeApi}/${tube.id}/close`, undefined, newKey());
      if (!r.ok) return show(errorText(r.data), "danger");
      tube = r.data;
      show(fmt(T.tube_closed, { barcode: tube.barcode }), "success");
      showTube();
    } catch (_e) {
      show(T.close_offline, "warning");
    }
  }

  // --- registration -----------------------------------------------------------------------
  function doneRow(name, barcode, state) {
    const li = document.createElement("li");
    li.className = "list-group-item small d-flex justify-content-between gap-2";
    li.dataset.testid = "done-item";
    const who = document.createElement("span");
    who.textContent = `${name} · ${barcode}`;
    const what = document.createElement("span");
    what.className = state === "sent" ? "text-success" : "text-warning";
    what.textContent = { sent: T.sent, waiting: T.kept_waiting, conflict: T.conflict }[state];
    li.append(who, what);
    $("done").prepend(li);
    return what;
  }

  function payload(item) {
    return {
      barcode: item.barcode,
      entry_id: item.entry_id,
      identifier: item.identifier,
      queue_number: item.queue_number,
      proxy_name: item.proxy_name,
      offline: item.offline,
      taken_at: item.offline ? item.taken_at : null,
    };
  }

  async function register(who) {
    if (!tube) return show(T.scan_first, "warning");
    if (tube.state === "closed" || tube.members >= tube.capacity) return show(T.tube_full, "warning");
    const queue = $("queue_number").value.trim();
    const item = {
      key: newKey(),
      site: siteId,
      barcode: tube.barcode,
      entry_id: who.id || null,
      identifier: who.identifier || "",
      name: who.name || who.identifier,
      queue_number: /^\d+$/.test(queue) ? parseInt(queue, 10) : null,
      proxy_name: $("proxy_name").value.trim(),
      taken_at: new Date().toISOString(),
      offline: false,
    };
    if (navigator.onLine) {
      try {
        const r = await call("POST", `${api}/samples`, payload(item), item.key);
        if (r.ok) return registered(item, r.data);
        if (r.status < 500) return show(errorText(r.data), "danger");
      } catch (_e) {
        // The connection dropped on the way: keep it on the phone (the key makes it once).
      }
    }
    item.offline = true;
    await (await dbp).put("outbox", item);
    tube.members += 1;
    if (tube.members >= tube.capacity) tube.state = "closed";
    doneRow(item.name, item.barcode, "waiting").dataset.key = item.key;
    clearPerson();
    showTube();
    show(fmt(T.queued, { name: item.name }), "warning");
    showWaiting();
  }

  function registered(item, sample) {
    if (tube && sample.tube.barcode === tube.barcode && !item.offline) tube = sample.tube;
    doneRow(sample.name, sample.tube.barcode, sample.conflict ? "conflict" : "sent");
    clearPerson();
    showTube();
    show(fmt(T.registered, { name: sample.name, barcode: sample.tube.barcode }), "success");
  }

  function clearPerson() {
    $("queue_number").value = "";
    $("proxy_name").value = "";
    $("results").replaceChildren();
    $("q").value = "";
    $("q").focus();
  }

  // Send what waits, oldest first; stop at the first network failure.
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      const db = await dbp;
      const items = (await db.getAll("outbox")).sort((a, b) => a.taken_at.localeCompare(b.taken_at));
      for (const item of items) {
        let r;
        try {
          r = await call("POST", `${api}/samples`, payload(item), item.key);
        } catch (_e) {
          break;
        }
        if (r.status === 401 || r.status === 403) {
          show(T.sign_in, "danger");
          break;
        }
        if (r.status >= 500) break;
        await db.delete("outbox", item.key);
        const mark = document.querySelector(`#done [data-key="${item.key}"]`);
        if (r.ok) {
          if (mark) {
            mark.textContent = r.data.conflict ? T.conflict : T.sent;
            mark.className = r.data.conflict ? "text-warning" : "text-success";
          }
          if (tube && tube.barcode === r.data.tube.barcode) {
            tube.id = r.data.tube.id;
          }
        } else {
          await db.put("refused", { ...item, message: errorText(r.data) });
          if (mark) mark.textContent = errorText(r.data);
        }
      }
    } finally {
      flushing = false;
      showWaiting();
    }
  }

  // --- search -----------------------------------------------------------------------------
  function resultRow(found) {
    const item = document.createElement("div");
    item.className = "list-group-item d-flex justify-content-between align-items-center gap-2";
    item.dataset.testid = "result";
    const text = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = found.name;
    const details = document.createElement("div");
    details.className = "small text-muted";
    details.textContent = [found.employee_no, found.unit_or_company, found.phone, found.id_number]
      .filter(Boolean)
      .join(" · ");
    text.append(name, details);
    const action = document.createElement("button");
    action.type = "button";
    if (found.status === "pending") {
      action.className = "btn btn-primary btn-sm text-nowrap";
      action.textContent = T.register;
      action.dataset.testid = "register";
      action.addEventListener("click", () => register(found));
    } else {
      action.className = "btn btn-outline-secondary btn-sm text-nowrap";
      action.disabled = true;
      action.textContent = found.status_label;
    }
    item.append(text, action);
    return item;
  }

  async function search(q) {
    q = q.trim();
    if (!q) return;
    try {
      const r = await call("GET", `${api}/roster?q=${encodeURIComponent(q)}`);
      if (!r.ok) return show(errorText(r.data), "danger");
      $("results").replaceChildren(...r.data.map(resultRow));
      if (!r.data.length) show(T.none_found, "secondary");
    } catch (_e) {
      show(T.search_offline, "warning");
      showNet();
    }
  }

  // --- queue numbers and people added at the desk ------------------------------------------
  async function issueTicket() {
    try {
      const r = await call("POST", `${api}/tickets`, undefined, newKey());
      if (!r.ok) return show(errorText(r.data), "danger");
      $("ticket-number").textContent = String(r.data.number);
      $("ticket-number").classList.remove("d-none");
      $("queue_number").value = String(r.data.number);
    } catch (_e) {
      show(T.ticket_offline, "warning");
    }
  }

  async function addPerson(form) {
    const body = Object.fromEntries(new FormData(form).entries());
    try {
      const r = await call("POST", `${api}/roster`, body, form.dataset.key);
      if (!r.ok) return show(errorText(r.data), "danger");
      form.reset();
      form.dataset.key = newKey();
      $("add-card").open = false;
      $("results").replaceChildren(resultRow(r.data));
      show(fmt(T.added, { name: r.data.name }), "success");
    } catch (_e) {
      show(T.search_offline, "warning");
    }
  }

  // --- barcodes from the camera or a picture -----------------------------------------------
  let reader = null;
  let controls = null;
  function barcodeReader() {
    reader = reader || new ZXingBrowser.BrowserMultiFormatReader();
    return reader;
  }

  async function scanCamera() {
    $("scanner").classList.remove("d-none");
    try {
      controls = await barcodeReader().decodeFromVideoDevice(
        undefined,
        $("scanner-video"),
        (result, _error, ctl) => {
          if (!result) return;
          ctl.stop();
          $("scanner").classList.add("d-none");
          startTube(result.getText());
        },
      );
    } catch (_e) {
      $("scanner").classList.add("d-none");
      show(T.no_camera, "warning");
    }
  }

  function stopCamera() {
    if (controls) controls.stop();
    $("scanner").classList.add("d-none");
  }

  function scanPicture(input) {
    const file = input.files && input.files[0];
    if (!file) return;
    const fileReader = new FileReader();
    fileReader.addEventListener("load", async () => {
      try {
        // A data: URL (the page's policy admits data: images, not blob: ones).
        const result = await barcodeReader().decodeFromImageUrl(fileReader.result);
        startTube(result.getText());
      } catch (_e) {
        show(T.no_barcode, "warning");
      } finally {
        input.value = "";
      }
    });
    fileReader.readAsDataURL(file);
  }

  // --- wiring ----------------------------------------------------------------------------
  $("tube-form").addEventListener("submit", (e) => {
    e.preventDefault();
    startTube($("barcode").value);
  });
  $("close-tube").addEventListener("click", closeTube);
  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    search($("q").value);
  });
  $("register-by-number").addEventListener("click", () => {
    const identifier = $("q").value.trim();
    if (identifier) register({ identifier });
  });
  $("ticket-button").addEventListener("click", issueTicket);
  $("add-form").dataset.key = newKey();
  $("add-form").addEventListener("submit", (e) => {
    e.preventDefault();
    addPerson(e.target);
  });
  $("scan-button").addEventListener("click", scanCamera);
  $("scan-stop").addEventListener("click", stopCamera);
  $("barcode-picture").addEventListener("change", (e) => scanPicture(e.target));
  window.addEventListener("online", () => {
    showNet();
    flush();
  });
  window.addEventListener("offline", showNet);
  setInterval(() => {
    if (navigator.onLine) flush();
  }, 5000);
  showNet();
  showWaiting();
  flush();
})();
