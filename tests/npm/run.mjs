// The npm package tested the way users meet it (run by `cargo xtask test`):
//  1. the wrapper's and the inflater's own unit tests (api.test.mjs, unpack.test.mjs);
//  2. `npm pack` of target/npm/certcheck, installed from the tarball into a fresh project, then
//     consumer/corpus.mjs (reports equal the CLI's --json; timing on Mozilla's bundle),
//     consumer/require.cjs (CommonJS) and `tsc --strict` over consumer/typed.ts;
//  3. a plain page importing the installed package through an import map, in headless Chromium
//     driven by Playwright, asserting on the report it renders.
// Environment: CERTCHECK_PACKAGE, CERTCHECK_CLI, CERTCHECK_DATA, CERTCHECK_EXTRA, CERTCHECK_MOZILLA.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const pkg = resolve(process.env.CERTCHECK_PACKAGE ?? join(root, "target/npm/certcheck"));
const cli = resolve(process.env.CERTCHECK_CLI ?? join(root, "target/release/certcheck"));
const data = resolve(process.env.CERTCHECK_DATA ?? join(root, "tests/data"));
const NOW = "2026-11-22T00:00:00Z";

function run(program, args, options = {}) {
  execFileSync(program, args, { stdio: "inherit", ...options });
}

const stages = [];
async function stage(name, work) {
  const started = performance.now();
  console.log(`--> ${name}`);
  await work();
  stages.push([name, performance.now() - started]);
}

const scratch = mkdtempSync(join(tmpdir(), "certcheck-npm-"));
const project = join(scratch, "project");
try {
  await stage("wrapper and inflater unit tests (node --test)", () =>
    run(process.execPath, ["--test", join(here, "api.test.mjs"), join(here, "unpack.test.mjs")], {
      env: { ...process.env, CERTCHECK_API: join(pkg, "api.js") },
    }),
  );

  await stage("npm pack + install into a fresh project", () => {
    const packed = JSON.parse(execFileSync("npm", ["pack", pkg, "--pack-destination", scratch, "--json", "--loglevel=error"]));
    const tarball = packed[0].filename;
    const listed = packed[0].files.map((f) => f.path).sort();
    assert.deepEqual(listed, [
      "LICENSE",
      "README.md",
      "api.js",
      "browser.js",
      "certcheck.d.ts",
      "certcheck_full.js",
      "certcheck_full_data.js",
      "certcheck_wasm.js",
      "certcheck_wasm_data.js",
      "exports.js",
      "node.js",
      "package.json",
      "state.js",
      "unpack.js",
    ]);
    console.log(`packed ${tarball}: ${packed[0].size} bytes, ${packed[0].unpackedSize} unpacked`);
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { certcheck: `file:../${tarball}` } }),
    );
    run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project });
    for (const file of readdirSync(join(here, "consumer"))) copyFileSync(join(here, "consumer", file), join(project, file));
  });

  await stage("Node ESM consumer: every report equals the CLI's", () =>
    run(process.execPath, ["corpus.mjs"], {
      cwd: project,
      env: { ...process.env, CERTCHECK_CLI: cli, CERTCHECK_DATA: data },
    }),
  );

  await stage("Node: createCa/createCertificate material in Node's TLS", () =>
    run(process.execPath, ["create.mjs"], { cwd: project }),
  );

  await stage("Node CommonJS consumer", () => run(process.execPath, ["require.cjs"], { cwd: project }));

  await stage("tsc --noEmit --strict over a typed consumer", () =>
    run(
      process.execPath,
      [
        join(here, "node_modules/typescript/bin/tsc"),
        "--noEmit",
        "--strict",
        "--target",
        "es2022",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--lib",
        "es2022",
        "typed.ts",
      ],
      { cwd: project },
    ),
  );

  await stage("plain page in headless Chromium (Playwright)", () => browserPage());
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
for (const [name, ms] of stages) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`);

async function browserPage() {
  const fixture = join(root, "examples/cloudflare-gateway-example.pem");
  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".pem": "text/plain" };
  const served = [];
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname));
    const file =
      path === "/"
        ? join(here, "page/index.html")
        : path === "/fixture.pem"
          ? fixture
          : path.startsWith("/peer/")
            ? join(data, path)
            : join(project, path);
    try {
      const body = readFileSync(file);
      served.push(path);
      response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => message.type() === "error" && problems.push(`console error: ${message.text()}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForSelector("#result:not([hidden])", { timeout: 30_000 });
    const shown = JSON.parse(await page.textContent("#result"));
    assert.deepEqual(problems, []);
    const expected = JSON.parse(execFileSync(cli, ["check", "--to", "cloudflare-gateway", "--json", "--now", NOW, fixture]));
    // At import: the lean module, whose report is the CLI's with the signature left unverified
    // and said so; verify needs the full module.
    const unchecked = {
      code: "signature.unchecked",
      severity: "info",
      message:
        "1 signature(s) of this input were not verified: this build of certcheck leaves signature verification out (in the npm package's browser entry, `await load()` adds it); the CLI verifies them.",
      line: null,
      column: null,
      block: null,
      certificate: null,
      fix: null,
    };
    assert.deepStrictEqual(shown.lean, {
      ...expected,
      certificates: expected.certificates.map((c) => ({ ...c, verified_by: null, self_signed: false })),
      diagnostics: [...expected.diagnostics, unchecked],
    });
    // A call in the same task as the import: the lean module unpacked and compiled synchronously.
    assert.deepEqual(shown.atImport, { algorithm: "md5", hex: "0a".repeat(16) });
    assert.deepEqual(shown.before, {
      loaded: false,
      verifyError: { isCertcheckError: true, name: "CertcheckError", code: "not_loaded" },
    });
    // After `await load()`: the full module, reports equal to the CLI's.
    assert.equal(shown.loaded, true);
    assert.deepStrictEqual(shown.report, expected);
    assert.equal(expected.certificates[0].verified_by, "self");
    assert.equal(shown.report.certificates[0].fingerprints.sha256, "e91949aaddd81ec1202ad822bfa5f8fc1af7109fc75b69ab0031918b61b4bf1c");
    const peer = ["verify", "--to", "anthropic-tunnel", "--ca", join(data, "peer/anthropic/ca.pem")];
    peer.push("--tunnel-domain", "example-tunnel.tunnels.example.com", "--json", "--now", NOW);
    assert.deepStrictEqual(shown.peer, JSON.parse(execFileSync(cli, [...peer, join(data, "peer/anthropic/good-server.pem")])));
    assert.equal(shown.peer.verdict, "ok");
    assert.deepEqual(shown.error, { isCertcheckError: true, name: "CertcheckError", code: "invalid_options" });
    assert.equal(shown.gatewaySpellingMatches, true);
    // The modules travel inside the JavaScript: the full one only once load() was called.
    for (const file of ["certcheck_wasm_data.js", "certcheck_full_data.js"]) {
      assert.ok(served.includes(`/node_modules/certcheck/${file}`), `served: ${served.join(", ")}`);
    }
    assert.ok(!served.some((path) => path.endsWith(".wasm")), `served: ${served.join(", ")}`);
    console.log(
      `Chromium ${browser.version()}: reports equal the CLI's; first check took ${shown.elapsed.toFixed(1)} ms, load() ${shown.loadElapsed.toFixed(1)} ms`,
    );
  } finally {
    await browser.close();
    server.close();
  }
}
