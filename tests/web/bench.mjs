// The dashboard's figures in headless Chromium (run by `cargo xtask web bench` and `cargo xtask
// bench`; printed as JSON with --json): what a first load sends over the wire, Mozilla's bundle
// from paste to complete report and to every signature verified, and what a keystroke costs in
// that 117-certificate input. Measured inside the page (performance.now, requestAnimationFrame,
// long tasks), against the release build served by the real server; nothing here is asserted.
import { CHROMIUM_ARGS, env, mozillaBundle, pageUrl, require, scratchDir, startServer } from "./common.mjs";

const { chromium } = require("playwright-core");

const RUNS = Number(process.env.CERTCHECK_BENCH_RUNS ?? 7);
const json = process.argv.includes("--json");

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
};

const bundle = mozillaBundle();
if (!bundle) throw new Error("CERTCHECK_MOZILLA is not set or missing");
env("CERTCHECK_STATIC");

const server = await startServer(scratchDir());

/**
 * Requests every file index.html names (brotli accepted) until their compressed sizes have not
 * changed for 4 s (the server upgrades one file at a time; the wasm takes about a second).
 */
async function settleCompression(base) {
  const index = await (await fetch(`${base}/`)).text();
  const paths = [...index.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]);
  let last = "";
  let stable = 0;
  for (let round = 0; round < 120 && stable < 8; round++) {
    const sizes = [];
    for (const path of paths) {
      const response = await fetch(`${base}${path}`, { headers: { "accept-encoding": "br" } });
      await response.arrayBuffer();
      sizes.push(response.headers.get("content-length"));
    }
    const now = sizes.join(",");
    stable = now === last ? stable + 1 : 0;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
const out = { browser: `Chromium ${browser.version()}`, runs: RUNS };

try {
  // The server compresses a file at a fast level on its first request and at the best level in
  // the background: what every visitor after the first gets. Measured once that is done.
  await settleCompression(server.base);
  // First load, cold cache: bytes as sent (brotli), and how long until the paste area is there.
  const loads = [];
  for (let run = 0; run < 3; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const files = [];
    page.on("response", (response) => {
      if (new URL(response.url()).pathname.startsWith("/api/")) return;
      files.push(Promise.all([response.body(), response.request().sizes()]).then(([body, sizes]) => ({
        path: new URL(response.url()).pathname.replace(/-[0-9a-f]{12,16}(?=[._])/, ""),
        raw: body.length,
        wire: sizes.responseBodySize,
        coding: response.headers()["content-encoding"] ?? "identity",
      })));
    });
    const started = performance.now();
    await page.goto(pageUrl(server.base));
    await page.getByLabel("Certificate").waitFor();
    const ready = performance.now() - started;
    // The worker's files are prefetched and started after the first paint: counted apart.
    await page.locator('html[data-worker="ready"]').waitFor();
    const workerReady = performance.now() - started;
    loads.push({ ready, workerReady, files: await Promise.all(files) });
    await context.close();
  }
  const worker = (f) => f.path.startsWith("/certcheck-worker");
  const firstFiles = loads[0].files.filter((f) => !worker(f));
  // A file fetched twice (a prefetch, then the worker's own request from the cache) is counted
  // once, as it came over the wire.
  const workerFiles = [];
  for (const file of loads[0].files.filter(worker)) {
    const seen = workerFiles.findIndex((f) => f.path === file.path);
    if (seen < 0) workerFiles.push(file);
    else if (file.wire > workerFiles[seen].wire) workerFiles[seen] = file;
  }
  out.firstLoad = {
    files: firstFiles,
    raw: firstFiles.reduce((n, f) => n + f.raw, 0),
    wire: firstFiles.reduce((n, f) => n + f.wire, 0),
    readyMs: stats(loads.map((l) => l.ready)),
  };
  out.worker = {
    files: workerFiles,
    raw: workerFiles.reduce((n, f) => n + f.raw, 0),
    wire: workerFiles.reduce((n, f) => n + f.wire, 0),
    readyMs: stats(loads.map((l) => l.workerReady)),
  };

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(pageUrl(server.base));
  await page.locator('.mode[data-sandbox="true"]').waitFor();
  await page.locator('html[data-worker="ready"]').waitFor();
  await page.getByLabel("Destination").selectOption("cloudflare-access");
  const certificates = (bundle.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
  out.bundle = { bytes: Buffer.byteLength(bundle), certificates };

  // One paste: the text arrives in one input event. Resolves to the times, from that event, to
  // the end of the first frame that shows the complete report (every certificate's row, not
  // stale) and of the first frame after every signature is verified: the state is watched from
  // requestAnimationFrame callbacks, and a task queued from there runs once that frame is
  // rendered. Plus the check's own time and the long tasks.
  const pasteOnce = () =>
    page.getByLabel("Certificate").evaluate((area, { text, certificates }) => new Promise((resolve) => {
      const summary = () => document.querySelector(".summary");
      const rows = () => document.querySelectorAll("table.chain tbody tr").length;
      const longTasks = [];
      const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
      observer.observe({ type: "longtask" });
      const result = {};
      let seen = false;
      const started = performance.now();
      const watch = () => {
        const s = summary();
        if (!seen && s?.dataset.certificates === String(certificates) && s.dataset.stale === "false" &&
          rows() === certificates) {
          seen = true;
          result.checkMs = Number(s.dataset.checkMs);
          setTimeout(() => { result.report = performance.now() - started; }, 0);
        }
        if (seen && s?.dataset.signatures === "complete") {
          setTimeout(() => {
            result.verified = performance.now() - started;
            result.verifyMs = Number(s.dataset.verifyMs);
            observer.disconnect();
            setTimeout(() => resolve({ ...result, longTasks }), 50);
          }, 0);
          return;
        }
        requestAnimationFrame(watch);
      };
      area.value = text;
      area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
      requestAnimationFrame(watch);
    }), { text: bundle, certificates });

  const clear = async () => {
    await page.getByLabel("Certificate").evaluate((area) => {
      area.value = "";
      area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "deleteContentBackward" }));
    });
    await page.locator(".summary.empty").waitFor();
  };

  // The first paste of the page verifies every signature; later pastes find them memoized.
  const first = await pasteOnce();
  const again = [];
  for (let run = 0; run < RUNS; run++) {
    await clear();
    again.push(await pasteOnce());
  }
  // A fresh page for each cold run: signatures not yet known.
  const cold = [first];
  for (let run = 1; run < RUNS; run++) {
    await page.reload();
    await page.locator('.mode[data-sandbox="true"]').waitFor();
    await page.locator('html[data-worker="ready"]').waitFor();
    await page.getByLabel("Destination").selectOption("cloudflare-access");
    cold.push(await pasteOnce());
  }
  out.paste = {
    debounceMs: 90,
    cold: {
      report: stats(cold.map((r) => r.report)),
      verified: stats(cold.map((r) => r.verified)),
      checkMs: stats(cold.map((r) => r.checkMs)),
      verifyMs: stats(cold.map((r) => r.verifyMs)),
      longestTask: stats(cold.map((r) => Math.max(0, ...r.longTasks))),
      longTasks: stats(cold.map((r) => r.longTasks.length)),
    },
    warm: {
      report: stats(again.map((r) => r.report)),
      verified: stats(again.map((r) => r.verified)),
      checkMs: stats(again.map((r) => r.checkMs)),
    },
  };

  // Typing in the 117-certificate input: 20 keystrokes 40 ms apart (faster than the debounce),
  // each inserting one character in the middle of a comment line; each keystroke's time from its
  // input event to the end of the next frame (a task queued from requestAnimationFrame runs once
  // that frame is rendered), then the re-check once typing stops.
  const typing = await page.getByLabel("Certificate").evaluate((area) => new Promise((resolve) => {
    const frames = [];
    const longTasks = [];
    const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: "longtask" });
    const summary = document.querySelector(".summary");
    const checksBefore = Number(summary.dataset.checks);
    let at = area.value.indexOf("\n# ") + 3;
    let typed = 0;
    const key = () => {
      const started = performance.now();
      area.setRangeText("x", at, at, "end");
      at += 1;
      area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: "x" }));
      requestAnimationFrame(() => setTimeout(() => frames.push(performance.now() - started), 0));
      typed += 1;
      if (typed < 20) {
        setTimeout(key, 40);
        return;
      }
      const stopped = performance.now();
      const wait = () => {
        if (Number(summary.dataset.checks) > checksBefore && summary.dataset.stale === "false" &&
          summary.dataset.signatures === "complete") {
          setTimeout(() => {
            const recheck = performance.now() - stopped;
            observer.disconnect();
            setTimeout(() => resolve({ frames, recheck, longTasks }), 50);
          }, 0);
          return;
        }
        requestAnimationFrame(wait);
      };
      requestAnimationFrame(wait);
    };
    key();
  }));
  // The same keystrokes in a bare textarea holding the same text, on a page of its own: what the
  // browser itself spends laying out 234 KB of text after an edit.
  const bare = await context.newPage();
  await bare.setContent('<textarea id="bare" rows="18" wrap="off" spellcheck="false" style="width:40rem"></textarea>');
  const baseline = await bare.locator("#bare").evaluate((area, text) => new Promise((resolve) => {
    area.value = text;
    const frames = [];
    let at = area.value.indexOf("\n# ") + 3;
    let typed = 0;
    const key = () => {
      const started = performance.now();
      area.setRangeText("x", at, at, "end");
      at += 1;
      area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: "x" }));
      requestAnimationFrame(() => setTimeout(() => frames.push(performance.now() - started), 0));
      typed += 1;
      if (typed < 20) setTimeout(key, 40);
      else setTimeout(() => resolve(frames), 200);
    };
    setTimeout(key, 200);
  }), bundle);
  await bare.close();
  out.typing = {
    bareTextarea: stats(baseline),
    keystrokes: typing.frames.length,
    toNextFrame: stats(typing.frames),
    recheckAfterLastKey: typing.recheck,
    longestTask: Math.max(0, ...typing.longTasks),
    longTasks: typing.longTasks.length,
  };
  await context.close();
} finally {
  await browser.close();
  server.stop();
}

if (json) {
  console.log(JSON.stringify(out));
} else {
  const ms = (s) => `median ${s.median.toFixed(0)} ms (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)}, ${s.runs} runs)`;
  console.log(`${out.browser}`);
  console.log(`first load: ${out.firstLoad.wire} bytes over the wire (${out.firstLoad.raw} raw), ready ${ms(out.firstLoad.readyMs)}`);
  console.log(`worker, after the first paint: ${out.worker.wire} bytes over the wire (${out.worker.raw} raw), ready ${ms(out.worker.readyMs)}`);
  console.log(`paste ${out.bundle.certificates} certificates, cold: complete report ${ms(out.paste.cold.report)}; every signature verified ${ms(out.paste.cold.verified)}; longest task ${ms(out.paste.cold.longestTask)}`);
  console.log(`paste, signatures known: complete report ${ms(out.paste.warm.report)}`);
  console.log(`typing: next frame ${ms(out.typing.toNextFrame)} (a bare textarea with the same text: ${ms(out.typing.bareTextarea)}); re-check ${out.typing.recheckAfterLastKey.toFixed(0)} ms after the last key; longest task ${out.typing.longestTask.toFixed(0)} ms`);
}
