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
};
mkdirSync(out, { recursive: true });
for (const [from, to] of Object.entries(files)) {
  copyFileSync(join(root, "node_modules", from), join(out, to));
  console.log(`static/dist/${to}`);
}
