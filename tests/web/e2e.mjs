// The dashboard end to end: the release build served by the real certcheck-server with a fresh
// sandbox, driven in headless Chromium through the accessible names users (and screen readers)
// rely on. Run by `cargo xtask test` (stage "dashboard"); environment:
//   CERTCHECK_SERVER       the certcheck-server binary
//   CERTCHECK_STATIC       the built dashboard (target/web)
//   CERTCHECK_DATA         tests/data
//   CERTCHECK_SCREENSHOTS  where README screenshots go (docs/screenshots)
//   CERTCHECK_MOZILLA      optional: Mozilla's CA bundle, for the paste-to-report figure
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const require = createRequire(new URL("../npm/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through cargo xtask test)`);
  return value;
};
const DATA = env("CERTCHECK_DATA");
const SHOTS = env("CERTCHECK_SCREENSHOTS");
const fixture = (path) => readFileSync(join(DATA, path), "utf8");
const expectedCodes = (path) =>
  JSON.parse(fixture(path.replace(/\.[a-z0-9]+$/, ".expected.json"))).diagnostics.map((d) => d.code);

let server;
let serverLog = ""; // what the server printed: one line per request (method, path, status)
let base;
let browser;
let scratch;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), "certcheck-e2e-"));
  server = spawn(
    env("CERTCHECK_SERVER"),
    ["--sandbox", "--listen", "127.0.0.1:0", "--state", join(scratch, "state.json"), "--static", env("CERTCHECK_STATIC")],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  base = await new Promise((resolve, reject) => {
    server.stdout.on("data", (chunk) => {
      serverLog += chunk;
      const match = serverLog.match(/listening on (http:\/\/[^\s/]+)/);
      if (match) resolve(match[1]);
    });
    server.on("exit", (code) => reject(new Error(`server exited (${code})`)));
  });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh tab on the dashboard, failing the test on any page error or CSP violation. */
async function open(options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().includes("status of 4")) problems.push(message.text());
  });
  const posts = [];
  page.on("request", (request) => {
    if (request.method() !== "GET") posts.push({ url: request.url(), body: request.postData() ?? "" });
  });
  await page.goto(`${base}/`);
  await page.locator('.mode[data-sandbox="true"]').waitFor();
  page.problems = problems;
  page.posts = posts;
  return page;
}

async function done(page, expectedNetworkError) {
  const problems = page.problems.filter((p) => !(expectedNetworkError && p.includes(expectedNetworkError)));
  assert.deepEqual(problems, [], "no page errors or CSP violations");
  assert.equal(await page.evaluate(() => localStorage.length), 0, "nothing in localStorage");
  await page.context().close();
}

/** Chooses a destination, pastes `text`, waits for the check of exactly that text. */
async function paste(page, destination, text) {
  await page.getByLabel("Destination").selectOption(destination);
  const summary = page.locator(".summary");
  const before = Number((await summary.getAttribute("data-checks").catch(() => null)) ?? 0);
  await page.getByLabel("Certificate").fill(text);
  await page.waitForFunction(
    (count) => {
      const element = document.querySelector(".summary[data-checks]");
      return element && Number(element.dataset.checks) > count && element.dataset.stale === "false";
    },
    before,
  );
}

const codes = (page) => page.locator("li[data-code]").evaluateAll((items) => items.map((i) => i.dataset.code));

async function uploadVerified(page) {
  const upload = page.getByRole("button", { name: "Upload" });
  await assert.doesNotReject(upload.waitFor());
  assert.equal(await upload.isEnabled(), true, await page.locator("#upload-reason").innerText());
  await upload.click();
  const outcome = page.locator("[data-outcome]:not([data-outcome=sending]):not([data-outcome=searching])");
  await outcome.waitFor();
  assert.equal(await outcome.getAttribute("data-outcome"), "verified", await outcome.innerText());
  return outcome.getAttribute("data-id");
}

async function sandboxList(path) {
  const response = await fetch(`${base}${path}`, { headers: { authorization: "Bearer sandbox" } });
  assert.equal(response.status, 200);
  return response.json();
}

const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";

test("Anthropic: a good CA uploads and ends verified; README screenshots", async () => {
  const page = await open({ viewport: { width: 1280, height: 900 } });
  await paste(page, "anthropic-tunnel", fixture("anthropic/good-rsa-ca.pem"));
  assert.deepEqual(await codes(page), []);
  assert.equal(await page.locator(".summary").getAttribute("data-verdict"), "ok");
  const id = await uploadVerified(page);
  assert.match(id, /^tcrt_/);
  const stored = await sandboxList("/api/anthropic/v1/tunnels/tnl_sandbox/certificates");
  assert.deepEqual(stored.data.map((c) => c.id), [id]);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, "check.png"), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: join(SHOTS, "check-dark.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: join(SHOTS, "check-phone.png") });
  await done(page);
});

test("a leaf where a CA belongs is blocked with the CLI's diagnostic codes", async () => {
  const page = await open();
  await paste(page, "anthropic-tunnel", fixture("anthropic/full-chain.pem"));
  assert.deepEqual((await codes(page)).sort(), expectedCodes("anthropic/full-chain.pem").sort());
  const upload = page.getByRole("button", { name: "Upload" });
  assert.equal(await upload.isDisabled(), true);
  assert.match(await page.locator("#upload-reason").innerText(), /^2 errors remain/);
  // The chain view links each certificate to its issuer.
  assert.deepEqual(
    await page.locator(".chain li").allInnerTexts(),
    [
      "#1 client.example.com (leaf) — issued by #2",
      "#2 Example Client CA (CA) — issued by #3",
      "#3 Example Root CA (CA) — self-signed",
    ],
  );
  // A diagnostic's position selects its line in the paste area.
  const located = page.locator("li[data-code][data-line] button.link").first();
  const line = Number(await page.locator("li[data-code][data-line]").first().getAttribute("data-line"));
  await located.click();
  const selected = await page.getByLabel("Certificate").evaluate((area) => {
    const before = area.value.slice(0, area.selectionStart);
    return { line: before.split("\n").length, text: area.value.slice(area.selectionStart, area.selectionEnd) };
  });
  assert.equal(selected.line, line);
  assert.equal(selected.text, fixture("anthropic/full-chain.pem").split("\n")[line - 1]);
  await done(page);
});

test("a pasted private key is flagged and blocks the upload", async () => {
  const page = await open();
  await paste(page, "anthropic-tunnel", fixture("anthropic/ca-with-private-key.pem"));
  assert.deepEqual((await codes(page)).sort(), expectedCodes("anthropic/ca-with-private-key.pem").sort());
  assert.ok((await codes(page)).includes("key.private_key_present"));
  await assert.doesNotReject(page.locator('[data-private-key="true"][role="alert"]').waitFor());
  assert.equal(await page.getByRole("button", { name: "Upload" }).isDisabled(), true);
  // Removing the key with its fix makes the same input uploadable.
  await page.locator('button[data-fix="drop_private_key"]').first().click();
  await page.locator('.summary[data-verdict="ok"][data-stale="false"]').waitFor();
  assert.equal(await page.locator("[data-private-key]").count(), 0);
  assert.doesNotMatch(await page.getByLabel("Certificate").inputValue(), /PRIVATE KEY/);
  assert.deepEqual(page.posts, [], "nothing was sent");
  await done(page);
});

test("the fix button repairs JSON-escaped newlines", async () => {
  const page = await open();
  const pem = fixture("access/good-root.pem");
  await paste(page, "cloudflare-access", JSON.stringify(pem));
  const fix = page.locator('button[data-fix="strip_escaped_newlines"]').first();
  assert.equal(await fix.innerText(), "Fix: Turn \\n escapes into line breaks");
  await fix.click();
  await page.locator('.summary[data-stale="false"]:not([data-verdict="error"])').waitFor();
  assert.equal(await page.getByLabel("Certificate").inputValue(), pem);
  assert.equal(await page.locator('button[data-fix="strip_escaped_newlines"]').count(), 0);
  await done(page);
});

test("Cloudflare Access: name and hostnames, upload, verified", async () => {
  const page = await open();
  await paste(page, "cloudflare-access", fixture("access/good-root.pem"));
  assert.equal(await page.getByLabel("Name", { exact: true }).getAttribute("placeholder"), "Example Root CA");
  await page.getByLabel("Name", { exact: true }).fill("corp root");
  await page.getByLabel("Hostnames").fill("app.example.com, api.example.com");
  const id = await uploadVerified(page);
  const stored = await sandboxList(`/api/cloudflare/client/v4/accounts/${ACCOUNT}/access/certificates`);
  const record = stored.result.find((c) => c.id === id);
  assert.deepEqual([record.name, record.associated_hostnames], ["corp root", ["app.example.com", "api.example.com"]]);
  await done(page);
});

let mtlsCaId;

test("Cloudflare mTLS CA: upload, verified", async () => {
  const page = await open();
  await paste(page, "cloudflare-mtls", fixture("mtls/good-ca.pem"));
  mtlsCaId = await uploadVerified(page);
  assert.ok(mtlsCaId);
  await done(page);
});

test("Cloudflare mTLS leaf: the key goes only with consent, only in that upload", async () => {
  const page = await open();
  await page.getByLabel("Destination").selectOption("cloudflare-mtls");
  await page.getByLabel("Leaf + private key").check();
  await paste(page, "cloudflare-mtls", fixture("mtls/good-leaf-chain-pkcs8.pem"));
  await assert.doesNotReject(page.locator('[data-private-key="true"]').waitFor());
  assert.match(await page.getByLabel("Private key (PEM").inputValue(), /^-----BEGIN PRIVATE KEY-----/);
  assert.equal(await page.getByRole("button", { name: "Upload" }).isDisabled(), true);
  assert.match(await page.locator("#upload-reason").innerText(), /Confirm that the private key may be sent/);
  await page.getByLabel("Send this private key to Cloudflare").check();
  await uploadVerified(page);
  const withKey = page.posts.filter((p) => p.body.includes("PRIVATE KEY"));
  assert.deepEqual(withKey.map((p) => new URL(p.url).pathname), [`/api/cloudflare/accounts/${ACCOUNT}/mtls_certificates`]);
  assert.equal(JSON.parse(withKey[0].body).ca, false);
  await done(page);
});

test("mTLS delete is shown refused while a service uses the certificate", async () => {
  assert.ok(mtlsCaId, "the mTLS CA upload ran first");
  const associate = await fetch(`${base}/api/sandbox/mtls_certificates/${mtlsCaId}/associations`, {
    method: "POST",
    body: JSON.stringify({ service: "gateway", status: "active" }),
  });
  assert.equal(associate.status, 200);
  const page = await open({ viewport: { width: 1280, height: 900 } });
  await page.getByRole("link", { name: "Manage", exact: true }).click();
  const row = page.locator(`[data-family="mtls"] li[data-id="${mtlsCaId}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute("data-in-use"), "true");
  assert.match(await row.innerText(), /In use by gateway \(active\)/);
  assert.equal(await row.getByRole("button", { name: "Delete" }).isDisabled(), true);
  // The vendor refuses it too (the sandbox's 1491), so the disabled button tells the truth.
  const refused = await fetch(`${base}/api/cloudflare/accounts/${ACCOUNT}/mtls_certificates/${mtlsCaId}`, {
    method: "DELETE",
    headers: { authorization: "Bearer sandbox" },
  });
  assert.equal(refused.status, 400);
  await page.screenshot({ path: join(SHOTS, "manage.png"), fullPage: true });
  await done(page);
});

test("Anthropic rotation: two active, archive one, then upload", async () => {
  const page = await open();
  await page.getByLabel("Destination").selectOption("anthropic-tunnel");
  await page.getByLabel("Tunnel ID").fill("tnl_rotation");
  for (const file of ["anthropic/good-rsa-ca.pem", "anthropic/good-ec-p256-ca.pem"]) {
    await paste(page, "anthropic-tunnel", fixture(file));
    await uploadVerified(page);
  }
  await paste(page, "anthropic-tunnel", fixture("anthropic/good-ec-p384-ca.pem"));
  await page.getByRole("button", { name: "Upload" }).click();
  await page.locator('[data-outcome="two-active"]').waitFor();
  const stored = await sandboxList("/api/anthropic/v1/tunnels/tnl_rotation/certificates");
  assert.equal(stored.data.length, 2, "the third was not sent");

  await page.getByRole("link", { name: "Manage", exact: true }).click();
  assert.equal(await page.getByLabel("Tunnel ID").inputValue(), "tnl_rotation");
  const section = page.locator('[data-family="anthropic"]');
  await section.locator("[data-two-active]").waitFor();
  const oldest = stored.data[stored.data.length - 1].id;
  await section.locator(`tr[data-id="${oldest}"]`).getByRole("button", { name: "Archive" }).click();
  await section.getByText(`Archived ${oldest}.`).waitFor();
  await page.waitForFunction(
    (archived) =>
      document.querySelectorAll('[data-family="anthropic"] tr[data-state="active"]').length === 1 &&
      !document.querySelector(`[data-family="anthropic"] tr[data-id="${archived}"]`),
    oldest,
  );

  await page.getByRole("link", { name: "Check", exact: true }).click();
  await page.locator('.summary[data-stale="false"]').waitFor();
  await uploadVerified(page);
  const after = await sandboxList("/api/anthropic/v1/tunnels/tnl_rotation/certificates");
  assert.equal(after.data.length, 2);
  assert.ok(!after.data.some((c) => c.id === oldest));
  await done(page);
});

test("Gateway: validity checked, create verified, download the CA with its report", async () => {
  const page = await open();
  await page.getByRole("link", { name: "Manage", exact: true }).click();
  const section = page.locator('[data-family="gateway"]');
  await section.locator("p.muted, ul.rows").first().waitFor();
  const days = page.getByLabel("Validity (days");
  await days.fill("0");
  await section.getByText("Validity must be a whole number of days from 1 to 10950.").waitFor();
  assert.equal(await section.getByRole("button", { name: "Create Gateway CA" }).isDisabled(), true);
  await days.fill("30");
  await section.getByRole("button", { name: "Create Gateway CA" }).click();
  const notice = section.locator(".notice.ok");
  await notice.waitFor();
  assert.match(await notice.innerText(), /^Created [0-9a-f-]+: verified/);
  const row = section.locator("li[data-id]").first();
  await row.waitFor();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    row.getByRole("button", { name: "Download .pem" }).click(),
  ]);
  const id = await row.getAttribute("data-id");
  assert.equal(download.suggestedFilename(), `${id}.pem`);
  const pem = readFileSync(await download.path(), "utf8");
  assert.match(pem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
  const report = section.locator(`.gateway-report[data-id="${id}"]`);
  await report.waitFor();
  assert.match(await report.innerText(), /days left/);
  await done(page);
});

test("a failed request that reached the vendor is found, not sent twice", async () => {
  const page = await open();
  await paste(page, "cloudflare-access", fixture("anthropic/good-ec-p256-ca.pem"));
  await page.getByLabel("Name", { exact: true }).fill("lost answer");
  let intercepted = 0;
  await page.route("**/access/certificates", async (route) => {
    if (route.request().method() !== "POST" || intercepted++ > 0) return route.fallback();
    await route.fetch(); // the server stores it …
    await route.abort("connectionreset"); // … and the answer never arrives
  });
  await page.getByRole("button", { name: "Upload" }).click();
  const outcome = page.locator('[data-outcome="verified"]');
  await outcome.waitFor();
  assert.match(await outcome.innerText(), /the request failed, but the vendor had stored it; it was not sent again/);
  const stored = await sandboxList(`/api/cloudflare/accounts/${ACCOUNT}/access/certificates`);
  assert.equal(stored.result.filter((c) => c.name === "lost answer").length, 1);
  assert.equal(page.posts.filter((p) => p.url.endsWith("/access/certificates")).length, 1);
  await done(page, "net::ERR_CONNECTION_RESET");
});

test("a request that never arrived is offered again, and lands once", async () => {
  const page = await open();
  await paste(page, "cloudflare-access", fixture("anthropic/good-ec-p384-ca.pem"));
  await page.getByLabel("Name", { exact: true }).fill("never arrived");
  let intercepted = 0;
  await page.route("**/access/certificates", async (route) => {
    if (route.request().method() !== "POST" || intercepted++ > 0) return route.fallback();
    await route.abort("connectionrefused");
  });
  await page.getByRole("button", { name: "Upload" }).click();
  await page.locator('[data-outcome="not-stored"]').waitFor();
  await page.getByRole("button", { name: "Send again" }).click();
  await page.locator('[data-outcome="verified"]').waitFor();
  const stored = await sandboxList(`/api/cloudflare/accounts/${ACCOUNT}/access/certificates`);
  assert.equal(stored.result.filter((c) => c.name === "never arrived").length, 1);
  await done(page, "net::ERR_CONNECTION_REFUSED");
});

test("binary files are kept as bytes; the token stays out of storage unless remembered", async () => {
  const page = await open();
  await page.getByLabel("Destination").selectOption("cloudflare-access");
  await page.getByLabel("Open a file").setInputFiles(join(DATA, "access/bundle.p7b"));
  await page.locator('.binary').waitFor();
  assert.match(await page.locator(".binary").innerText(), /^bundle\.p7b: \d+ bytes of binary data/);
  await page.locator('.summary[data-stale="false"]').waitFor();
  assert.deepEqual((await codes(page)).sort(), expectedCodes("access/bundle.p7b").sort());

  await page.getByLabel("API token").fill("cf-secret-token");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.getByLabel("Remember for this tab").check();
  assert.match(await page.evaluate(() => sessionStorage.getItem("certcheck.connection")), /cf-secret-token/);
  await page.getByLabel("Remember for this tab").uncheck();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await done(page);
});

test("figures: first-load bytes, a reload, and Mozilla's bundle from paste to report", async (t) => {
  const page = await (async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const bodies = [];
    page.on("response", async (response) => {
      if (new URL(response.url()).pathname.startsWith("/api/")) return;
      bodies.push(
        Promise.all([response.body(), response.request().sizes()]).then(([b, sizes]) => ({
          path: new URL(response.url()).pathname,
          raw: b.length,
          gzipped: gzipSync(b, { level: 9 }).length,
          wire: sizes.responseBodySize, // as sent: after the server's content coding
          coding: response.headers()["content-encoding"] ?? "identity",
          cache: response.headers()["cache-control"],
        })),
      );
    });
    const started = performance.now();
    await page.goto(`${base}/`);
    await page.getByLabel("Certificate").waitFor();
    const ready = performance.now() - started;
    const files = await Promise.all(bodies);
    const sum = (key) => files.reduce((total, file) => total + file[key], 0);
    console.log(
      `first load: ${files.length} files, ${sum("raw")} bytes, ${sum("gzipped")} bytes gzipped -9, ` +
        `${sum("wire")} bytes over the wire (${files.map((f) => `${f.path} ${f.coding}`).join(", ")}); ` +
        `app ready in ${ready.toFixed(0)} ms`,
    );
    // Trunk names the app's files after their content (Trunk.toml filehash): the server lets
    // browsers keep those for a year and revalidates index.html only.
    const hashed = (path) => path.replace(/-[0-9a-f]{12,16}(?=[._])/, "-<hash>");
    assert.deepEqual(files.map((f) => hashed(f.path)).sort(), [
      "/", "/boot-<hash>.js", "/certcheck-web-<hash>.js", "/certcheck-web-<hash>_bg.wasm", "/main-<hash>.css",
    ]);
    for (const file of files) {
      assert.equal(file.coding, "br", `${file.path} is sent with brotli`);
      assert.equal(file.cache, file.path === "/" ? "no-cache" : "public, max-age=31536000, immutable", file.path);
    }
    // A reload asks the server for index.html only, and gets 304: everything else is fresh.
    const mark = serverLog.length;
    await page.reload();
    await page.getByLabel("Certificate").waitFor();
    await page.waitForTimeout(200); // the server prints its log line after answering
    const reload = serverLog.slice(mark).split("\n").filter((line) => /^GET \/(?!api\/)/.test(line));
    console.log(`reload: ${reload.map((line) => line.split(" ").slice(0, 3).join(" ")).join(", ")}`);
    assert.deepEqual(reload.map((line) => line.split(" ").slice(0, 3).join(" ")), ["GET / 304"]);
    return page;
  })();
  if (!process.env.CERTCHECK_MOZILLA) {
    t.diagnostic("CERTCHECK_MOZILLA not set: paste-to-report figure skipped");
    await page.context().close();
    return;
  }
  const bundle = readFileSync(process.env.CERTCHECK_MOZILLA, "utf8");
  const certificates = (bundle.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
  // What a paste does: the whole text arrives in one input event. (Playwright's fill() types it
  // through execCommand("insertText"), which takes Chromium ~50 s for 220 KB in any textarea.)
  const pasteAll = (text) =>
    page.getByLabel("Certificate").evaluate((area, text) => {
      const started = performance.now();
      area.value = text;
      area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
      return started;
    }, text);
  const timings = [];
  for (let run = 0; run < 5; run++) {
    await pasteAll("");
    await page.locator(".summary.empty").waitFor();
    const started = await pasteAll(bundle);
    await page.locator(`.summary[data-certificates="${certificates}"][data-stale="false"]`).waitFor();
    const shown = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now()))));
    const checkMs = await page.locator(".summary .muted").innerText();
    timings.push([shown - started, checkMs]);
  }
  const sorted = timings.map(([ms]) => ms).sort((a, b) => a - b);
  console.log(
    `Mozilla bundle (${bundle.length} bytes, ${certificates} certificates) paste to report on screen: ` +
      `median ${sorted[2].toFixed(0)} ms (min ${sorted[0].toFixed(0)}, max ${sorted[4].toFixed(0)}; includes the 90 ms typing debounce); ` +
      `core ${timings.map(([, c]) => c.replace("checked in ", "")).join(", ")}`,
  );
  await page.context().close();
});
