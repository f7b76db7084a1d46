// Draws the events of each size in a peer timeline in headless Chromium (Debian's package)
// and prints one JSON line per run: time to the first drawn timeline (from the page's start,
// performance.now()) and the times of the zoom sweep, measured in the page. Offline: every
// request for anything but a local file is refused, and counted.
//   node run.mjs LIB N [N...]   (LIB: vis or tl)
import { chromium } from "playwright-core";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const [lib, ...sizes] = process.argv.slice(2);
const limit = Number(process.env.PEER_TIMEOUT_S || 120) * 1000;
const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
for (const n of sizes) {
  const browser = await launch(); // a fresh browser for each size: nothing cached between
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  let refused = 0;
  await page.route("**/*", (route) => {
    if (route.request().url().startsWith("file:")) return route.continue();
    refused += 1;
    return route.abort();
  });
  const url = `file://${here}/peer.html?lib=${lib}&n=${n}`;
  const out = { lib, n: Number(n), refused: 0 };
  try {
    await page.goto(url, { timeout: limit, waitUntil: "commit" });
    await page.waitForFunction(() => window.bench.firstDrawn !== null || window.bench.error,
                               null, { timeout: limit, polling: 100 });
    const state = await page.evaluate(() => ({ first: window.bench.firstDrawn, error: window.bench.error }));
    if (state.error) throw new Error(state.error);
    out.first_ms = state.first;
    // the sweep stops at its deadline and returns the steps it made (a slow peer at a
    // large size would take hours for all 132)
    out.frames_ms = await page.evaluate((ms) => window.bench.sweep(performance.now() + ms), limit);
  } catch (e) {
    out.error = String(e).split("\n")[0];
  }
  out.refused = refused;
  console.log(JSON.stringify(out));
  await browser.close().catch(() => {});
  if (out.error) break; // as far as it goes: a larger size would not finish either
}
process.exit(0);
