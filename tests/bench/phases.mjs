// `node phases.mjs --one FILE [--loads N] [--json]`: the lean module's first `check` after
// import, per phase (page/phases.js), in headless Chromium (Playwright) and headless Firefox
// (firefox-esr through geckodriver), each load a fresh page; with and without a warm-up call.
// Prints medians per browser (JSON with --json).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { option as optionOf, servePages, stats } from "./cli.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(join(here, "../npm/package.json"))("playwright-core");
const webRequire = createRequire(join(here, "../web/package.json"));
const { Builder, By, until } = webRequire("selenium-webdriver");
const firefox = webRequire("selenium-webdriver/firefox");

const args = process.argv.slice(2);
const onePath = optionOf(args, "--one");
if (!onePath) {
  console.error("usage: node phases.mjs --one FILE [--loads N] [--json]");
  process.exit(2);
}
const loads = Number(optionOf(args, "--loads", "7"));
const packageDir = process.env.CERTCHECK_PACKAGE ?? join(here, "../../target/npm/certcheck");
const { server, base } = await servePages(packageDir, (path) => {
  if (path === "/") return join(here, "page/phases.html");
  if (path === "/phases.js") return join(here, "page/phases.js");
  if (path === "/one.pem") return onePath;
  if (path === "/warm.pem") return join(here, "../data/signatures/ecdsa-p256-sha256-ca.pem");
  return undefined;
});

/** Medians of each phase over the loads' results. */
function summarize(results) {
  const phase = (key) => stats(results.map((r) => r[key]));
  const call = (i) => stats(results.map((r) => r.checkMs[i]));
  return {
    decodeMs: phase("decodeMs"),
    gunzipMs: phase("gunzipMs"),
    compileMs: phase("compileMs"),
    instantiateMs: phase("instantiateMs"),
    warmupMs: results[0]?.warmup ? phase("warmupMs") : null,
    firstCheckMs: call(0),
    secondCheckMs: call(1),
    fifthCheckMs: call(4),
  };
}

const out = {};
try {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const runs = { plain: [], warmup: [] };
  for (let i = 0; i < loads; i += 1) {
    for (const kind of ["plain", "warmup"]) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(`${base}?warmup=${kind === "warmup" ? 1 : 0}`);
      await tab.waitForSelector("#result:not([hidden])", { timeout: 60_000 });
      runs[kind].push(JSON.parse(await tab.textContent("#result")));
      await context.close();
    }
  }
  out.chromium = { browser: `Chromium ${browser.version()}`, plain: summarize(runs.plain), warmup: summarize(runs.warmup) };
  await browser.close();

  const options = new firefox.Options().setBinary(process.env.FIREFOX ?? "/usr/bin/firefox-esr").addArguments("-headless");
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? "geckodriver");
  const driver = await new Builder().forBrowser("firefox").setFirefoxOptions(options).setFirefoxService(service).build();
  try {
    const version = (await driver.getCapabilities()).get("browserVersion");
    const ffRuns = { plain: [], warmup: [] };
    for (let i = 0; i < loads; i += 1) {
      for (const kind of ["plain", "warmup"]) {
        // A fresh document each time; the HTTP cache is off (no-store), the module compiled anew.
        await driver.get(`${base}?warmup=${kind === "warmup" ? 1 : 0}&load=${i}`);
        const result = await driver.wait(until.elementLocated(By.css("#result:not([hidden])")), 60_000);
        ffRuns[kind].push(JSON.parse(await result.getText()));
      }
    }
    out.firefox = { browser: `Firefox ${version}`, plain: summarize(ffRuns.plain), warmup: summarize(ffRuns.warmup) };
  } finally {
    await driver.quit();
  }
} finally {
  server.close();
}
if (args.includes("--json")) {
  console.log(JSON.stringify(out));
} else {
  const m = (s) => (s ? `${s.median.toFixed(1)} ms` : "—");
  for (const key of ["chromium", "firefox"]) {
    const r = out[key];
    for (const kind of ["plain", "warmup"]) {
      const p = r[kind];
      console.log(`${r.browser} (${kind}): decode ${m(p.decodeMs)}, gunzip ${m(p.gunzipMs)}, compile ${m(p.compileMs)}, instantiate ${m(p.instantiateMs)}, warm-up ${m(p.warmupMs)}, check #1 ${m(p.firstCheckMs)}, #2 ${m(p.secondCheckMs)}, #5 ${m(p.fifthCheckMs)}`);
    }
  }
}
