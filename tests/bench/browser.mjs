// `node browser.mjs --bundle FILE [--loads N] [--json]`: the certcheck npm package's browser
// entry in headless Chromium (Playwright, /usr/bin/chromium), served from loopback. Each load
// is a fresh page (no cache): instantiation of the lean module, the first `check` of one
// certificate, `check` on the bundle nine times; then `await load()` and `check` with the full
// module (first call: every signature verified; then remembered). Prints medians (JSON with
// --json).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { option as optionOf, servePages, stats } from "./cli.mjs";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../npm/package.json"));
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const option = (name, fallback) => optionOf(args, name, fallback);
const bundlePath = option("--bundle");
if (!bundlePath) {
  console.error("usage: node browser.mjs --bundle FILE --one FILE [--loads N] [--json]");
  process.exit(2);
}
const onePath = option("--one");
const loads = Number(option("--loads", "7"));
const packageDir = process.env.CERTCHECK_PACKAGE ?? join(here, "../../target/npm/certcheck");
const { server, base } = await servePages(packageDir, (path) => {
  if (path === "/") return join(here, "page/index.html");
  if (path === "/bench.js") return join(here, "page/bench.js");
  if (path === "/bundle.pem") return bundlePath;
  if (path === "/one.pem") return onePath;
  return undefined;
});


const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const version = browser.version();
const instantiate = [];
const firstChecks = [];
const checks = [];
const loadTimes = [];
const fullFirst = [];
const fullWarm = [];
let verified = 0;
let certificates = 0;
try {
  for (let i = 0; i < loads; i += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    page.on("requestfailed", (request) => problems.push(`failed ${request.url()}`));
    await page.goto(`${base}?runs=9`);
    await page.waitForSelector("#result:not([hidden])", { timeout: 60_000 }).catch((error) => { throw new Error(`${error.message}; ${problems.join("; ")}`); });
    if (problems.length > 0) throw new Error(`page errors: ${problems.join("; ")}`);
    const result = JSON.parse(await page.textContent("#result"));
    instantiate.push(result.instantiateMs);
    firstChecks.push(result.firstCheckMs);
    // The first check of the bundle in a page includes tier-up; the rest are warm.
    checks.push(...result.checkMs.slice(1));
    loadTimes.push(result.loadMs);
    fullFirst.push(result.fullFirstMs);
    fullWarm.push(...result.fullMs.slice(1));
    certificates = result.certificates;
    verified = result.verified;
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const output = {
  browser: `Chromium ${version}`,
  runs: checks.length,
  loads,
  certificates,
  instantiateMs: stats(instantiate),
  firstCheckMs: stats(firstChecks),
  checkMs: stats(checks),
  loadMs: stats(loadTimes),
  fullFirstMs: stats(fullFirst),
  fullCheckMs: stats(fullWarm),
  verified,
};
if (args.includes("--json")) {
  console.log(JSON.stringify(output));
} else {
  const m = (s) => `${s.median.toFixed(1)} ms`;
  console.log(
    `${output.browser}: instantiation ${m(output.instantiateMs)}; first check of one certificate ${m(output.firstCheckMs)}; ` +
      `check of ${certificates} certificates ${m(output.checkMs)} (lean); load() ${m(output.loadMs)}; ` +
      `full: first check ${m(output.fullFirstMs)} (${verified} signatures verified), then ${m(output.fullCheckMs)} (medians)`,
  );
}
