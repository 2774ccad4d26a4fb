// The npm package in the bundlers people build with (run by `cargo xtask npm bundlers`, part of
// `cargo xtask test`): the example apps of examples/ — Vite 7, 6 and 8 (dev server and build),
// webpack 5, Parcel 2, esbuild (its default format, and ESM with splitting) and Rollup — none
// configured for certcheck, each built from the packed tarball and
// loaded in headless Chromium through Playwright: `check` before `load()` must give the lean
// module's exact report, `verify` must refuse with `not_loaded`; after `await load()`, `check`
// and `verify` must equal what the package gives in Node. Then publint and attw judge the tarball.
//
// The bundlers install once into $CERTCHECK_BUNDLERS/node_modules (outside the tree) from
// examples/package-lock.json, again only when the lock changes; the tarball is added with
// `npm install --no-save`; each app is copied next to node_modules and built there.
// Environment: CERTCHECK_PACKAGE (the built package), CERTCHECK_BUNDLERS (the scratch folder).
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const examples = join(root, "examples");
const pkg = resolve(process.env.CERTCHECK_PACKAGE ?? join(root, "target/npm/certcheck"));
const scratch = resolve(process.env.CERTCHECK_BUNDLERS ?? join(root, "target/npm-bundlers"));
const NOW = "2026-11-22T00:00:00Z";

const started = performance.now();
const timings = [];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
async function timed(name, work) {
  const begun = performance.now();
  console.log(`--> ${name}`);
  const result = await work();
  timings.push([name, performance.now() - begun]);
  return result;
}

function run(program, args, options = {}) {
  return execFileSync(program, args, { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", ...options });
}

// 1. The bundlers (once per lock) and the packed package.
const tarball = await timed("npm pack; the bundlers installed from examples/package-lock.json (once); the tarball added", () => {
  mkdirSync(scratch, { recursive: true });
  // node_modules is current when it was installed from this very lock file (the stamp is written
  // after `npm ci` succeeded; npm's own record lists only this platform's optional packages).
  const lock = readFileSync(join(examples, "package-lock.json"));
  const stamp = join(scratch, "node_modules/.certcheck-examples-lock.json");
  if (!existsSync(stamp) || !readFileSync(stamp).equals(lock)) {
    const begun = performance.now();
    cpSync(join(examples, "package.json"), join(scratch, "package.json"));
    writeFileSync(join(scratch, "package-lock.json"), lock);
    run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: scratch, stdio: "inherit" });
    writeFileSync(stamp, lock);
    console.log(`installed the bundlers in ${seconds(performance.now() - begun)}`);
  }
  const packs = join(scratch, "pack");
  rmSync(packs, { recursive: true, force: true });
  mkdirSync(packs);
  const packed = JSON.parse(run("npm", ["pack", pkg, "--pack-destination", packs, "--json", "--loglevel=error"]))[0];
  console.log(`packed ${packed.filename}: ${packed.size} bytes, ${packed.unpackedSize} unpacked`);
  const file = join(packs, packed.filename);
  run("npm", ["install", "--no-save", "--offline", "--no-audit", "--no-fund", "--loglevel=error", file], {
    cwd: scratch,
    stdio: "inherit",
  });
  return file;
});

// 2. What the pages must show: the package in Node (the full module) is the reference.
const certcheck = await import(pathToFileURL(join(scratch, "node_modules/certcheck/node.js")).href);
const inputs = {
  pem: readFileSync(join(examples, "cloudflare-gateway-example.pem"), "utf8"),
  server: readFileSync(join(root, "tests/data/peer/anthropic/good-server.pem"), "utf8"),
  ca: readFileSync(join(root, "tests/data/peer/anthropic/ca.pem"), "utf8"),
  options: { to: "cloudflare-gateway", now: NOW },
  peerOptions: { to: "anthropic-tunnel", tunnelDomain: "example-tunnel.tunnels.example.com", now: NOW },
};
// A stretch of the lean module's embedded text: a bundle must carry it exactly once (a minifier
// that inlines constants copies it to every use).
const leanText = (await import(pathToFileURL(join(scratch, "node_modules/certcheck/certcheck_wasm_data.js")).href)).default;
const leanMarker = Buffer.from(leanText.slice(1000, 1100));
const copies = (body) => {
  let count = 0;
  for (let at = body.indexOf(leanMarker); at >= 0; at = body.indexOf(leanMarker, at + 1)) count++;
  return count;
};
const full = certcheck.check(inputs.pem, inputs.options);
const peer = certcheck.verify(inputs.server, { ...inputs.peerOptions, ca: inputs.ca });
assert.equal(full.certificates[0].verified_by, "self");
assert.equal(peer.verdict, "ok");
// The lean module's report: the same, with the signature left unverified and said so.
const lean = {
  ...full,
  certificates: full.certificates.map((c) => ({ ...c, verified_by: null, self_signed: false })),
  diagnostics: [
    ...full.diagnostics,
    {
      code: "signature.unchecked",
      severity: "info",
      message:
        "1 signature(s) of this input were not verified: this build of certcheck leaves signature verification out (in the npm package's browser entry, `await load()` adds it); the CLI verifies them.",
      line: null,
      column: null,
      block: null,
      certificate: null,
      fix: null,
    },
  ],
};

// 3. The apps. `build`: the example's npm script; `serve`: the folder served and the page in it;
// `dev`: its dev server's script instead of a build.
const apps = [
  { name: "Vite 7 build", app: "vite", build: "build", serve: "dist", page: "/" },
  { name: "Vite 7 dev server", app: "vite", dev: "dev", page: "/" },
  { name: "Vite 6 build", app: "vite", build: "build:vite6", serve: "dist-vite6", page: "/" },
  { name: "Vite 6 dev server", app: "vite", dev: "dev:vite6", page: "/" },
  { name: "Vite 8 build", app: "vite", build: "build:vite8", serve: "dist-vite8", page: "/" },
  { name: "Vite 8 dev server", app: "vite", dev: "dev:vite8", page: "/" },
  { name: "webpack 5", app: "webpack", build: "build", serve: ".", page: "/", output: "dist" },
  { name: "Parcel 2", app: "parcel", build: "build", serve: "dist", page: "/" },
  { name: "esbuild (default format: iife, no splitting)", app: "esbuild", build: "build", serve: ".", page: "/", output: "dist" },
  { name: "esbuild (--format=esm --splitting)", app: "esbuild", build: "build:esm", serve: ".", page: "/esm.html", output: "dist-esm" },
  { name: "Rollup + node-resolve", app: "rollup", build: "build", serve: ".", page: "/", output: "dist" },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const results = [];
const copied = new Set();
try {
  for (const entry of apps) {
    const folder = join(scratch, entry.app);
    if (!copied.has(entry.app)) {
      rmSync(folder, { recursive: true, force: true });
      cpSync(join(examples, entry.app), folder, { recursive: true });
      copied.add(entry.app);
    }
    const scripts = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")).scripts;
    await timed(entry.name, async () => {
      let built = null;
      if (entry.build) {
        const begun = performance.now();
        assert.ok(scripts[entry.build], `examples/${entry.app}/package.json has no script ${entry.build}`);
        run("npm", ["run", "--silent", entry.build], { cwd: folder, stdio: ["ignore", "ignore", "inherit"] });
        built = performance.now() - begun;
        const served = await staticServer(join(folder, entry.serve));
        try {
          const { loadStarted } = await exercise(`${served.origin}${entry.page}`);
          results.push({ ...entry, built, ...bytes(served.log, loadStarted) });
        } finally {
          served.close();
        }
      } else {
        // A fresh pre-bundle each time: Vite keys its cache on the lock file, which a tarball added
        // with --no-save does not change.
        rmSync(join(scratch, "node_modules/.vite"), { recursive: true, force: true });
        const server = await devServer(folder, scripts[entry.dev]);
        try {
          const { requested } = await exercise(`${server.origin}${entry.page}`);
          // The case of issue 25: Vite pre-bundles the package into node_modules/.vite/deps.
          assert.ok(
            requested.some((url) => url.includes("/node_modules/.vite/deps/certcheck.js")),
            `pre-bundled? ${requested.join(" ")}`,
          );
          results.push(entry);
        } finally {
          server.close();
        }
      }
    });
  }
} finally {
  await browser.close();
}

// 4. publint and attw over the tarball as published.
await timed("publint", () => {
  const text = run(process.execPath, [join(scratch, "node_modules/publint/src/cli.js"), "--strict", tarball]);
  console.log(text.trim());
});
// attw's one complaint is ignored, with reason: the package is ESM only, and `require("certcheck")`
// loads it through Node's require(esm) (Node >= 20.19 or 22.12; tests/npm/consumer/require.cjs),
// which attw 0.18 does not model (it reports "ESM (dynamic import only)" under node16 from CJS).
await timed("attw (are the types wrong)", () => {
  const attw = join(scratch, "node_modules/@arethetypeswrong/cli/dist/index.js");
  const text = run(process.execPath, [attw, "--no-color", "--ignore-rules", "cjs-resolves-to-esm", "--format", "table-flipped", tarball]);
  console.log(text.trim());
});

console.log("\nbundler                                        build    before load() (files, raw, gzip)    load() adds (raw, gzip)");
for (const r of results) {
  const build = r.built === undefined ? "dev" : seconds(r.built);
  const before = r.before ? `${r.before.files} files ${kb(r.before.raw)} ${kb(r.before.gzip)} gz` : "";
  const after = r.after ? `${kb(r.after.raw)} ${kb(r.after.gzip)} gz` : "";
  console.log(`  ${r.name.padEnd(45)} ${build.padStart(6)}    ${before.padEnd(34)}  ${after}`);
}
for (const [name, ms] of timings) console.log(`  ${seconds(ms).padStart(7)}  ${name}`);
console.log(`  ${seconds(performance.now() - started).padStart(7)}  in all`);

function kb(n) {
  return `${(n / 1000).toFixed(1)} KB`;
}

/** The page: the package's functions as the bundle exposes them (`globalThis.certcheck`). */
async function exercise(url) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => message.type() === "error" && problems.push(`console error: ${message.text()}`));
  page.on("response", (response) => response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`));
  const requested = [];
  page.on("request", (request) => requested.push(request.url()));
  try {
    await page.goto(url);
    await page.waitForFunction(() => globalThis.certcheck !== undefined, null, { timeout: 60_000 });
    const before = await page.evaluate(({ pem, server, ca, options, peerOptions }) => {
      const { check, loaded, verify } = globalThis.certcheck;
      let verifyError = null;
      try {
        verify(server, { ...peerOptions, ca });
      } catch (error) {
        verifyError = { name: error.name, code: error.code };
      }
      return { report: check(pem, options), loaded: loaded(), verifyError };
    }, inputs);
    const loadStarted = Date.now();
    const after = await page.evaluate(async ({ pem, server, ca, options, peerOptions }) => {
      const { check, load, loaded, verify } = globalThis.certcheck;
      await load();
      return { report: check(pem, options), loaded: loaded(), peer: verify(server, { ...peerOptions, ca }) };
    }, inputs);
    assert.deepEqual(problems, [], url);
    assert.deepStrictEqual(before.report, lean, `${url}: check before load()`);
    assert.equal(before.loaded, false);
    assert.deepEqual(before.verifyError, { name: "CertcheckError", code: "not_loaded" });
    assert.equal(after.loaded, true);
    assert.deepStrictEqual(after.report, full, `${url}: check after load()`);
    assert.deepStrictEqual(after.peer, peer, `${url}: verify after load()`);
    assert.equal(after.peer.verdict, "ok");
    return { loadStarted, requested };
  } finally {
    await page.close();
  }
}

/** Serves `folder` on a free loopback port, recording what was asked for and when. */
async function staticServer(folder) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
  const log = [];
  const server = createServer((request, response) => {
    let path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname));
    if (path.endsWith("/")) path += "index.html";
    const file = join(folder, path);
    try {
      if (relative(folder, file).startsWith("..")) throw new Error("outside");
      const body = readFileSync(file);
      log.push({ path, at: Date.now(), raw: body.length, gzip: gzipSync(body, { level: 9 }).length, lean: copies(body) });
      response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  return { origin: `http://127.0.0.1:${server.address().port}`, log, close: () => server.close() };
}

/** The JavaScript and wasm served before load() (the page, the import) and by it. */
function bytes(log, loadStarted) {
  const sum = (entries) => ({
    files: entries.length,
    raw: entries.reduce((n, e) => n + e.raw, 0),
    gzip: entries.reduce((n, e) => n + e.gzip, 0),
  });
  const code = log.filter((e) => /\.(m?js|wasm)$/.test(e.path));
  assert.ok(!code.some((e) => e.path.endsWith(".wasm")), "no .wasm is fetched: the modules are in the JavaScript");
  const lean = code.reduce((n, e) => n + e.lean, 0);
  assert.equal(lean, 1, `the lean module is in the files fetched ${lean} times, not once`);
  return { before: sum(code.filter((e) => e.at < loadStarted)), after: sum(code.filter((e) => e.at >= loadStarted)) };
}

/** Starts an example's dev server script on a free port and waits until it answers. */
async function devServer(folder, script) {
  const port = await freePort();
  const [program, ...args] = script.split(" ");
  const bin = program === "node" ? process.execPath : join(scratch, "node_modules/.bin", program);
  const child = spawn(bin, [...args, "--port", String(port), "--strictPort", "--host", "127.0.0.1"], {
    cwd: folder,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited: ${output}`);
    try {
      if ((await fetch(origin)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${script} did not answer within 60 s: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    origin,
    close: () => {
      try {
        process.kill(-child.pid);
      } catch {
        // already gone
      }
    },
  };
}

async function freePort() {
  const server = createServer();
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}
