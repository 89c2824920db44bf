// The gate scanner's service worker (ADR 0025, "The offline scanner"), served by Django at
// /access/scanner/sw.js so that its scope is the scanner page. Workbox from npm, loaded from
// this server (never a CDN): the page network-first (a new version when online, the kept one
// offline), its static files cache-first (their addresses carry their hash). The API is not
// touched: the page queues what it cannot send in IndexedDB itself. Matches ignore `Vary`
// (the page varies on Accept-Language and Cookie; the kept copy is the shell for anyone).
const CONFIG = {{ config|safe }};
importScripts(CONFIG.workbox_sw);
workbox.setConfig({ debug: false, modulePathCb: (name) => CONFIG.modules[name] });
const { registerRoute } = workbox.routing;
const { NetworkFirst, CacheFirst } = workbox.strategies;

const PREFIX = "hw-scanner-";
const PAGES = `${PREFIX}page-${CONFIG.version}`;
const STATIC = `${PREFIX}static-${CONFIG.version}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      await (await caches.open(STATIC)).addAll(CONFIG.assets);
      await (await caches.open(PAGES)).add(CONFIG.page);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((n) => n.startsWith(PREFIX) && n !== PAGES && n !== STATIC)
          .map((n) => caches.delete(n)),
      );
      await self.clients.claim();
    })(),
  );
});

registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.pathname === CONFIG.page,
  new NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 5,
    matchOptions: { ignoreSearch: true, ignoreVary: true },
  }),
);
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/static/"),
  new CacheFirst({ cacheName: STATIC, matchOptions: { ignoreVary: true } }),
);
