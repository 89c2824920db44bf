// Copies the built distributions of the npm dependencies into headwater/static/dist, where
// Django's static files machinery serves them. Nothing here is committed; `make install` runs it.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "headwater", "static", "dist");
const files = {
  "bootstrap/dist/css/bootstrap.min.css": "bootstrap.min.css",
  // Source maps too: the minified files name them, and the static manifest checks every name.
  "bootstrap/dist/css/bootstrap.min.css.map": "bootstrap.min.css.map",
  "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap.bundle.min.js",
  "bootstrap/dist/js/bootstrap.bundle.min.js.map": "bootstrap.bundle.min.js.map",
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "echarts/dist/echarts.min.js": "echarts.min.js",
  // The testing desk: its offline queue (IndexedDB) and the camera's barcode reader.
  "idb/build/umd.js": "idb.umd.js",
  "@zxing/browser/umd/zxing-browser.min.js": "zxing-browser.min.js",
  // The gate scanner: Ed25519 checks offline (tweetnacl) and its service worker (Workbox).
  "tweetnacl/nacl-fast.min.js": "nacl-fast.min.js",
  "workbox-sw/build/workbox-sw.js": "workbox-sw.js",
  "workbox-sw/build/workbox-sw.js.map": "workbox-sw.js.map",
  "workbox-core/build/workbox-core.prod.js": "workbox-core.prod.js",
  "workbox-core/build/workbox-core.prod.js.map": "workbox-core.prod.js.map",
  "workbox-routing/build/workbox-routing.prod.js": "workbox-routing.prod.js",
  "workbox-routing/build/workbox-routing.prod.js.map": "workbox-routing.prod.js.map",
  "workbox-strategies/build/workbox-strategies.prod.js": "workbox-strategies.prod.js",
  "workbox-strategies/build/workbox-strategies.prod.js.map": "workbox-strategies.prod.js.map",
};
mkdirSync(out, { recursive: true });
for (const [from, to] of Object.entries(files)) {
  copyFileSync(join(root, "node_modules", from), join(out, to));
  console.log(`static/dist/${to}`);
}
