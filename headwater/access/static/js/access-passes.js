// The pass page (ADR 0025, "Passes and keys"): the QR code of a short-lived signed token,
// fetched again from GET /api/v1/access/pass a little before it expires, without a reload.
// A failed fetch keeps the current code and says how long it still works.
(function () {
  "use strict";
  const dataNode = document.getElementById("pass-data");
  if (!dataNode) return;
  const data = JSON.parse(dataNode.textContent);
  const qr = document.querySelector("[data-testid=pass-qr]");
  const status = document.querySelector("[data-testid=pass-status]");
  const offline = document.querySelector("[data-testid=pass-offline]");
  const refresh = document.querySelector("[data-testid=pass-refresh]");
  const EARLY_MS = 2000; // ask this much before expiry, so the code on screen is always valid
  const RETRY_MS = 5000;
  let expiresAt = Date.now() + data.seconds_left * 1000;
  let failing = false;
  let timer = null;
  let fetching = false;

  function say(template, n) {
    return template.replace("%(n)s", String(n));
  }

  function secondsLeft() {
    return Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
  }

  function draw() {
    const left = secondsLeft();
    if (failing) {
      offline.textContent = left > 0 ? say(data.texts.offline, left) : data.texts.expired;
      offline.classList.remove("d-none");
      qr.classList.toggle("opacity-25", left === 0);
      status.textContent = "";
    } else {
      offline.classList.add("d-none");
      qr.classList.remove("opacity-25");
      status.textContent = say(data.texts.left, left);
    }
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(renew, Math.max(0, ms));
  }

  async function renew() {
    if (fetching) return;
    fetching = true;
    try {
      const response = await fetch(data.url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (!response.ok) throw new Error(String(response.status));
      const answer = await response.json();
      qr.src = answer.qr;
      qr.dataset.token = answer.token;
      expiresAt = Date.now() + answer.seconds_left * 1000;
      failing = false;
      schedule(expiresAt - Date.now() - EARLY_MS);
    } catch (error) {
      failing = true;
      schedule(RETRY_MS);
    } finally {
      fetching = false;
      draw();
    }
  }

  refresh.addEventListener("click", renew);
  window.addEventListener("online", renew);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && secondsLeft() * 1000 <= EARLY_MS) renew();
  });
  setInterval(draw, 1000);
  schedule(expiresAt - Date.now() - EARLY_MS);
  draw();
})();
