// What the dashboard's end-to-end suites share: the environment, fixtures, the pinned clock, a
// real certcheck-server with a fresh sandbox, certificates made with openssl at test time, the
// sandbox's own API, axe-core's source, and the results file `cargo xtask web bench` reads.
//
// No suite reads the computer's clock: pages open with `?now=NOW` (the dashboard judges every
// date at that time), the sandbox's clock stands at NOW (`--sandbox-clock`), and certificates
// made at test time are dated from NOW (openssl under faketime). So the suites pass on any day,
// and `cargo xtask test` runs the Chromium suite once more with the machine's clock moved years
// ahead: node, the server and openssl under libfaketime (CERTCHECK_CLOCK_AHEAD_DAYS), and the
// page's `Date` moved as far by an init script (`moveClock`) — Chromium itself runs 70 times
// slower under libfaketime, so it is launched without it (`realClockEnv`); Playwright's own
// `clock.install` fakes the timers too and reorders the app's debounce and frames.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

export const require = createRequire(new URL("./package.json", import.meta.url));

export const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through cargo xtask test)`);
  return value;
};

/** The time every fixture is judged at (tests/data/README.md), and so every page and the sandbox. */
export const NOW = "2026-11-22T00:00:00Z";

/** How many days this run's clock is moved ahead (crates/xtask/src/clock.rs); 0 normally. */
export const CLOCK_AHEAD_DAYS = Number(process.env.CERTCHECK_CLOCK_AHEAD_DAYS ?? 0);

/**
 * Moves the wall clock of every page of a Playwright context as far as this process's: `Date`
 * (and so `Date.now()`, which the app's wasm reads) runs `days` ahead; timers are untouched.
 */
export async function moveClock(context, days = CLOCK_AHEAD_DAYS) {
  if (!days) return;
  await context.addInitScript((offset) => {
    const RealDate = Date;
    class MovedDate extends RealDate {
      constructor(...args) {
        if (args.length === 0) super(RealDate.now() + offset);
        else super(...args);
      }
      static now() {
        return RealDate.now() + offset;
      }
    }
    globalThis.Date = MovedDate;
  }, days * 86_400_000);
}

/**
 * This environment without libfaketime: for the browsers (see the top of this file) and for the
 * `faketime` wrapper, which would otherwise compute its absolute time from the moved clock.
 */
export function realClockEnv() {
  const environment = { ...process.env };
  for (const name of ["LD_PRELOAD", "FAKETIME", "FAKETIME_SHARED", "DONT_FAKE_MONOTONIC"]) delete environment[name];
  return environment;
}

/** A path on the dashboard, opened at the pinned time (`hash` without its `#`). */
export const pageUrl = (base, hash = "") => `${base}/?now=${encodeURIComponent(NOW)}${hash ? `#${hash}` : ""}`;

export const DATA = env("CERTCHECK_DATA");
export const fixture = (path) => readFileSync(join(DATA, path), "utf8");
export const expectedCodes = (path) =>
  JSON.parse(fixture(path.replace(/\.[a-z0-9]+$/, ".expected.json"))).diagnostics.map((d) => d.code);
export const mozillaBundle = () =>
  process.env.CERTCHECK_MOZILLA && existsSync(process.env.CERTCHECK_MOZILLA)
    ? readFileSync(process.env.CERTCHECK_MOZILLA, "utf8")
    : null;

/** The account id the sandbox answers for in Cloudflare's reference examples. */
export const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";

/** Flags that keep Chromium off the network (the test machines reach only package registries). */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** A scratch folder, removed by `stop`. */
export function scratchDir() {
  return mkdtempSync(join(tmpdir(), "certcheck-e2e-"));
}

/**
 * Starts the release server with a fresh sandbox; resolves to `{ base, log, stop }`, where
 * `log()` is what it printed so far (one line per request: method, path, status).
 */
export async function startServer(scratch) {
  const server = spawn(
    env("CERTCHECK_SERVER"),
    ["--sandbox", "--sandbox-clock", NOW, "--listen", "127.0.0.1:0", "--state", join(scratch, "state.json"),
      "--static", env("CERTCHECK_STATIC")],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  // However this process ends, the server ends with it.
  process.on("exit", () => server.kill());
  let log = "";
  const base = await new Promise((resolve, reject) => {
    server.stdout.on("data", (chunk) => {
      log += chunk;
      const match = log.match(/listening on (http:\/\/[^\s/]+)/);
      if (match) resolve(match[1]);
    });
    server.on("exit", (code) => reject(new Error(`server exited (${code})`)));
  });
  return {
    base,
    log: () => log,
    stop: () => {
      server.kill();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Both generations' `anthropic-beta` (a list is allowed; Cloudflare ignores it). */
const BETAS = "mcp-tunnels-2026-05-19, mcp-tunnels-2026-06-22";

/** The sandbox's list at `path` (the vendor's JSON), read with any bearer token. */
export async function sandboxGet(base, path) {
  const response = await fetch(`${base}${path}`, { headers: { authorization: "Bearer sandbox", "anthropic-beta": BETAS } });
  assert.equal(response.status, 200, `GET ${path}`);
  return response.json();
}

/** Stores an Access certificate straight through the sandbox's API; resolves to its record. */
export async function sandboxAccessUpload(base, account, name, pem) {
  const response = await fetch(`${base}/api/cloudflare/accounts/${account}/access/certificates`, {
    method: "POST",
    headers: { authorization: "Bearer sandbox", "content-type": "application/json" },
    body: JSON.stringify({ certificate: pem, name }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body.result;
}

/** `NOW` as faketime's absolute time ("2026-11-22 00:00:00", read in UTC). */
const FAKETIME_AT = new Date(NOW).toISOString().replace("T", " ").replace(/\.\d+Z$/, "");

/**
 * A self-signed CA that every destination accepts (P-256, basicConstraints critical, SKI,
 * keyCertSign), valid for `days` days from `NOW` (openssl runs under faketime at `NOW`);
 * `{ pem, key }`.
 */
export function makeCa(dir, name, days = 365) {
  const base = join(dir, name.replace(/[^A-Za-z0-9]+/g, "-"));
  execFileSync("faketime", [FAKETIME_AT, "openssl", 
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-sha256",
    "-days", String(days), "-subj", `/O=certcheck e2e/CN=${name}`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    "-addext", "subjectKeyIdentifier=hash",
    "-keyout", `${base}.key`, "-out", `${base}.pem`,
  ], { stdio: ["ignore", "ignore", "pipe"], env: { ...realClockEnv(), TZ: "UTC" } });
  return { pem: readFileSync(`${base}.pem`, "utf8"), key: readFileSync(`${base}.key`, "utf8") };
}

/** axe-core's source, injected into pages by evaluation (the server's CSP refuses injected tags). */
export const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** What a serious or critical violation looks like in a failure message. */
export const describeViolations = (violations) =>
  violations
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(", ")}`)
    .join("\n");

/** Runs inside the page: axe on the whole document, violations only, summarized. */
export const AXE_RUN = `(async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.map(String) })) }));
})()`;

/** The results `cargo xtask web bench` reads: per browser, flows and their timings, axe audits. */
export class Results {
  constructor(browser) {
    this.browser = browser;
    this.flows = [];
    this.audits = [];
    this.started = performance.now();
  }

  flow(name, ms, ok) {
    this.flows.push({ name, ms: Math.round(ms), ok });
  }

  /** A node:test test whose duration and outcome go into these results. */
  test(name, body) {
    test(name, async (t) => {
      const started = performance.now();
      let ok = false;
      try {
        await body(t);
        ok = true;
      } finally {
        this.flow(name, performance.now() - started, ok);
      }
    });
  }

  audit(state, violations) {
    const count = (impact) => violations.filter((v) => v.impact === impact).length;
    this.audits.push({
      state,
      critical: count("critical"),
      serious: count("serious"),
      moderate: count("moderate"),
      minor: count("minor"),
      ids: [...new Set(violations.map((v) => `${v.id} (${v.impact})`))],
    });
  }

  /** Merges this browser's results into the file named by CERTCHECK_WEB_RESULTS, if set. */
  write() {
    const path = process.env.CERTCHECK_WEB_RESULTS;
    const total = Math.round(performance.now() - this.started);
    console.log(`${this.browser}: ${this.flows.filter((f) => f.ok).length}/${this.flows.length} flows passed in ${(total / 1000).toFixed(1)} s; ` +
      `${this.audits.length} page states audited with axe-core, ` +
      `${this.audits.reduce((n, a) => n + a.serious + a.critical, 0)} serious or critical violations`);
    if (!path) return;
    let all = {};
    try {
      all = JSON.parse(readFileSync(path, "utf8"));
    } catch {
      all = {};
    }
    all[this.browser] = { totalMs: total, flows: this.flows, audits: this.audits, at: new Date().toISOString() };
    writeFileSync(path, `${JSON.stringify(all, null, 2)}\n`);
  }
}
