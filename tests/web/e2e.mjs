// The dashboard end to end in headless Chromium (Playwright): the release build served by the
// real certcheck-server with a fresh sandbox, driven through the accessible names and roles users
// (and screen readers) rely on. Every page state a flow reaches is audited with axe-core: no
// serious or critical violation. Run by `cargo xtask test` (stage "dashboard"); environment:
//   CERTCHECK_SERVER       the certcheck-server binary
//   CERTCHECK_STATIC       the built dashboard (target/web)
//   CERTCHECK_DATA         tests/data
//   CERTCHECK_SCREENSHOTS  where the screenshots go (target/screenshots; `cargo xtask web screenshots`
//                          copies them into docs/screenshots)
//   CERTCHECK_MOZILLA      optional: Mozilla's CA bundle (117 certificates)
//   CERTCHECK_WEB_RESULTS  optional: where flow timings and axe results are written (for the bench)
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import {
  ACCOUNT, AXE_RUN, AXE_SOURCE, CHROMIUM_ARGS, DATA, Results, describeViolations, env, expectedCodes, fixture,
  CLOCK_AHEAD_DAYS, makeCa, moveClock, mozillaBundle, NOW, pageUrl, realClockEnv, require, sandboxAccessUpload, sandboxGet, scratchDir, startServer,
} from "./common.mjs";

const { chromium } = require("playwright-core");

const SHOTS = env("CERTCHECK_SCREENSHOTS");
const results = new Results("chromium");

let server;
let base;
let browser;
let scratch;

before(async () => {
  scratch = scratchDir();
  server = await startServer(scratch);
  base = server.base;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, env: realClockEnv() });
});

after(async () => {
  try {
    await browser?.close();
  } finally {
    server?.stop();
    results.write();
  }
});

/** A test whose duration and outcome go into the results file. */
const flow = (name, body) => results.test(name, body);

/** A fresh tab on the dashboard, failing the test on any page error or CSP violation. */
async function open(options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  // With the clock moved, the page's Date is moved as far: the page must still judge every date
  // at the time its address pins.
  await moveClock(context);
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
  await page.goto(pageUrl(base));
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

/** axe-core on the page as it is: records every violation, fails on a serious or critical one. */
async function audit(page, state) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(AXE_RUN);
  results.audit(state, violations);
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.equal(bad.length, 0, `axe on "${state}":\n${describeViolations(bad)}`);
}

/** The same state in light and dark. */
async function auditBoth(page, state) {
  await audit(page, state);
  await page.emulateMedia({ colorScheme: "dark" });
  await audit(page, `${state} (dark)`);
  await page.emulateMedia({ colorScheme: "light" });
}

/** What a paste does: the whole text arrives in one input event. */
const pasteAll = (page, text) =>
  page.getByLabel("Certificate").evaluate((area, text) => {
    area.value = text;
    area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  }, text);

/** Waits for the check of the latest input, with every signature verified. */
async function settled(page, before) {
  await page.waitForFunction(
    (count) => {
      const element = document.querySelector(".summary[data-checks]");
      return element && Number(element.dataset.checks) > count && element.dataset.stale === "false" &&
        element.dataset.signatures === "complete";
    },
    before,
  );
}

const checks = async (page) => Number((await page.locator(".summary").getAttribute("data-checks").catch(() => null)) ?? 0);

/** Chooses a destination, pastes `text`, waits for the complete check of exactly that text. */
async function paste(page, destination, text) {
  await page.getByLabel("Destination").selectOption(destination);
  const before = await checks(page);
  await pasteAll(page, text);
  await settled(page, before);
}

const codes = (page) => page.locator(".report-column li[data-code]").evaluateAll((items) => items.map((i) => i.dataset.code));

async function uploadVerified(page) {
  const upload = page.getByRole("button", { name: "Upload" });
  await assert.doesNotReject(upload.waitFor());
  // The gate may render a frame after the summary (the last signatures' re-check): wait a bounded
  // time for it to open, then fail with the reason it gives if it did not.
  await page.locator("button:enabled", { hasText: /^Upload$/ }).waitFor({ timeout: 5000 }).catch(() => {});
  assert.equal(await upload.isEnabled(), true, await page.locator("#upload-reason").innerText());
  await upload.click();
  const outcome = page.locator("[data-outcome]:not([data-outcome=sending]):not([data-outcome=searching])");
  await outcome.waitFor();
  assert.equal(await outcome.getAttribute("data-outcome"), "verified", await outcome.innerText());
  return outcome.getAttribute("data-id");
}

const manage = (page) => page.getByRole("link", { name: "Manage", exact: true }).click();

flow("Anthropic: a good CA uploads and ends verified; README screenshots", async () => {
  const page = await open({ viewport: { width: 1280, height: 900 } });
  // The page says which time it judges dates at: the one its address pins.
  assert.equal(
    await page.getByRole("note").innerText(),
    `Dates are judged as of ${NOW} (set by now= in the address), not by this computer's clock.`,
  );
  // In the clock-moved pass the page's own clock is years past the pinned time, and nothing changes.
  if (CLOCK_AHEAD_DAYS) assert.ok(await page.evaluate(() => new Date().getUTCFullYear()) >= 2036, "the page's clock moved");
  await auditBoth(page, "check page, empty");
  await paste(page, "anthropic-tunnel", fixture("anthropic/good-rsa-ca.pem"));
  assert.deepEqual(await codes(page), []);
  assert.equal(await page.locator(".summary").getAttribute("data-verdict"), "ok");
  // The verdict is announced politely: a status region whose text is the verdict.
  assert.match(await page.getByRole("status").filter({ hasText: "Ready to upload" }).innerText(), /1 certificate · 0 errors/);
  const id = await uploadVerified(page);
  assert.match(id, /^tcrt_/);
  const stored = await sandboxGet(base, "/api/anthropic/v1/tunnels/tnl_sandbox/certificates");
  assert.deepEqual(stored.data.map((c) => c.id), [id]);
  await auditBoth(page, "check page, CA uploaded and verified");
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, "check.png"), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: join(SHOTS, "check-dark.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "light" });
  await audit(page, "check page at phone width");
  await page.screenshot({ path: join(SHOTS, "check-phone.png") });
  await done(page);
});

flow("Create: a tunnel CA and server certificate made in the page, checked, downloaded as OpenSSL reads them; no key byte in any request", async () => {
  const page = await open({ viewport: { width: 1280, height: 900 } });
  const requests = [];
  page.on("request", (request) => requests.push(`${request.url()}\n${request.postData() ?? ""}`));
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Create" }).click();
  await page.getByRole("heading", { name: "Create a CA and the certificate it verifies" }).waitFor();
  await audit(page, "create page, empty");
  await page.getByLabel("Tunnel domain").fill("tunnel.example.com");
  await page.getByLabel("Key type").selectOption("rsa2048");
  await page.getByLabel("Passphrase for the private keys (optional)").fill("pass phrase");
  await page.getByRole("button", { name: "Make the CA and the server certificate" }).click();
  const result = page.locator(".create-result");
  await result.waitFor({ timeout: 60_000 });
  assert.equal(await result.getAttribute("data-verdict"), "ok");
  assert.match(await result.innerText(), /Verify against the CA: ok\./);
  assert.match(await result.innerText(), /keys by WebCrypto/);
  await audit(page, "create page, CA and server certificate made");
  const files = {};
  for (const name of ["ca.pem", "ca.key", "server.pem", "server.key"]) {
    const label = name.endsWith(".key") ? `Download ${name} (encrypted)` : `Download ${name}`;
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: label }).click()]);
    assert.equal(download.suggestedFilename(), name);
    files[name] = readFileSync(await download.path(), "utf8");
    writeFileSync(join(scratch, name), files[name]);
  }
  assert.match(files["ca.key"], /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
  // OpenSSL reads what the page made: the keys with the passphrase, the server certificate for a
  // host under the tunnel domain, at the time the page judged it.
  const epoch = String(Date.parse(NOW) / 1000);
  const openssl = (...args) => execFileSync("openssl", args, { cwd: scratch, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  openssl("verify", "-x509_strict", "-attime", epoch, "-purpose", "sslserver", "-verify_hostname", "mcp.tunnel.example.com", "-CAfile", "ca.pem", "server.pem");
  const secrets = [];
  for (const [cert, key] of [["ca.pem", "ca.key"], ["server.pem", "server.key"]]) {
    assert.equal(openssl("pkey", "-in", key, "-passin", "pass:pass phrase", "-pubout"), openssl("x509", "-in", cert, "-noout", "-pubkey"));
    const plain = openssl("pkey", "-in", key, "-passin", "pass:pass phrase");
    secrets.push(files[key], plain);
  }
  // No request carries any 24-character run of either key, encrypted or not.
  for (const secret of secrets) {
    const body = secret.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
    for (let at = 0; at + 24 <= body.length; at += 12) {
      const run = body.slice(at, at + 24);
      for (const request of requests) assert.ok(!request.includes(run), `key bytes in a request: ${request.slice(0, 80)}`);
    }
  }
  // "Upload this CA" takes the CA, and only the CA, to the Check page.
  await page.getByRole("button", { name: /^Upload this CA to / }).click();
  await page.waitForFunction(() => location.hash === "#/");
  const pasted = await page.locator("textarea").first().inputValue();
  assert.equal(pasted, files["ca.pem"]);
  assert.equal(await page.locator("#destination").inputValue(), "anthropic-tunnel");
  await done(page);
});

flow("a leaf where a CA belongs is blocked with the CLI's diagnostic codes; the chain names who verified each signature", async () => {
  const page = await open();
  await paste(page, "anthropic-tunnel", fixture("anthropic/full-chain.pem"));
  assert.deepEqual((await codes(page)).sort(), expectedCodes("anthropic/full-chain.pem").sort());
  const upload = page.getByRole("button", { name: "Upload" });
  assert.equal(await upload.isDisabled(), true);
  assert.match(await page.locator("#upload-reason").innerText(), /^2 errors remain/);
  // One row per certificate: its issuer in the input and what verified its signature.
  const rows = page.getByRole("table", { name: "Certificates in this input (3)" }).locator("tbody tr");
  assert.deepEqual(await rows.locator("th").allInnerTexts(), ["client.example.com", "Example Client CA", "Example Root CA"]);
  assert.deepEqual(await rows.locator("td.role").allInnerTexts(), [
    "issued by #2, signature verified by #2",
    "issued by #3, signature verified by #3",
    "self-signed (verified)",
  ]);
  // A diagnostic's position selects its line in the paste area.
  const located = page.locator("li[data-code][data-line] button.link").first();
  const line = Number(await page.locator("li[data-code][data-line]").first().getAttribute("data-line"));
  await located.click();
  const selected = await page.getByLabel("Certificate", { exact: true }).evaluate((area) => {
    const before = area.value.slice(0, area.selectionStart);
    return { line: before.split("\n").length, text: area.value.slice(area.selectionStart, area.selectionEnd) };
  });
  assert.equal(selected.line, line);
  assert.equal(selected.text, fixture("anthropic/full-chain.pem").split("\n")[line - 1]);
  await audit(page, "check page, chain blocked with errors");
  await done(page);
});

flow("without its worker the page still checks, says the signatures are unverified and why, and blocks the upload", async () => {
  const page = await open();
  // The worker's module cannot be fetched (as under a policy that refuses workers).
  await page.route(/certcheck-worker-[0-9a-f]+_loader\.js$/, (route) => route.abort());
  await page.reload();
  await page.getByLabel("Destination").selectOption("anthropic-tunnel");
  await pasteAll(page, fixture("anthropic/full-chain.pem"));
  const summary = page.locator('.summary[data-stale="false"][data-signatures="unavailable"]');
  await summary.waitFor();
  // The check itself ran: the same diagnostics, plus the count of signatures left unverified.
  const expected = [...expectedCodes("anthropic/full-chain.pem"), "signature.unchecked"].sort();
  assert.deepEqual((await codes(page)).sort(), expected);
  assert.match(await summary.locator(".progress").innerText(), /^Signatures not verified: this browser could not start the worker that verifies them\. \(the worker that verifies signatures stopped: .+\)$/);
  const rows = page.getByRole("table", { name: "Certificates in this input (3)" }).locator("tbody tr");
  assert.deepEqual(await rows.locator("td.role").allInnerTexts(), [
    "issued by #2, signature not verified", "issued by #3, signature not verified", "self-issued, signature not verified",
  ]);
  assert.equal(await page.locator("html").getAttribute("data-worker"), "failed");
  assert.match(await page.locator("#upload-reason").innerText(), /^Signatures could not be verified in this browser/);
  await done(page, "net::ERR_FAILED");
});

flow("a pasted private key is flagged and blocks the upload", async () => {
  const page = await open();
  await paste(page, "anthropic-tunnel", fixture("anthropic/ca-with-private-key.pem"));
  assert.deepEqual((await codes(page)).sort(), expectedCodes("anthropic/ca-with-private-key.pem").sort());
  assert.ok((await codes(page)).includes("key.private_key_present"));
  await assert.doesNotReject(page.locator('[data-private-key="true"][role="alert"]').waitFor());
  assert.equal(await page.getByRole("button", { name: "Upload" }).isDisabled(), true);
  await audit(page, "check page, private key flagged");
  // Removing the key with its fix makes the same input uploadable.
  await page.locator('button[data-fix="drop_private_key"]').first().click();
  await page.locator('.summary[data-verdict="ok"][data-stale="false"][data-signatures="complete"]').waitFor();
  assert.equal(await page.locator("[data-private-key]").count(), 0);
  assert.doesNotMatch(await page.getByLabel("Certificate", { exact: true }).inputValue(), /PRIVATE KEY/);
  assert.deepEqual(page.posts, [], "nothing was sent");
  await done(page);
});

flow("the fix button repairs JSON-escaped newlines", async () => {
  const page = await open();
  const pem = fixture("access/good-root.pem");
  await paste(page, "cloudflare-access", JSON.stringify(pem));
  const fix = page.locator('button[data-fix="strip_escaped_newlines"]').first();
  assert.equal(await fix.innerText(), "Fix: Turn \\n escapes into line breaks");
  await fix.click();
  await page.locator('.summary[data-stale="false"]:not([data-verdict="error"])').waitFor();
  assert.equal(await page.getByLabel("Certificate", { exact: true }).inputValue(), pem);
  assert.equal(await page.locator('button[data-fix="strip_escaped_newlines"]').count(), 0);
  await done(page);
});

flow("a certificate is tested against the pasted CA: verdict, path and diagnostics with their fields", async () => {
  const page = await open({ viewport: { width: 1280, height: 900 } });
  await paste(page, "cloudflare-access", fixture("signatures/rsa-pkcs1-sha256-ca.pem"));
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Test a certificate against this CA" }) });
  await section.getByLabel("Client cert to test").fill(fixture("signatures/rsa-pkcs1-sha256-leaf.pem"));
  await section.getByLabel("Host names").fill("app.example.com");
  const result = section.locator(".peer-result[data-verdict]");
  await result.waitFor();
  assert.deepEqual(await section.locator(".peer-path li").allInnerTexts(), [
    "#1 certificate: certcheck rsa-pkcs1-sha256 leaf",
    "#1 CA: certcheck rsa-pkcs1-sha256 CA",
  ]);
  // The leaf has no SAN and no extendedKeyUsage: the host name is not covered.
  const found = await section.locator("li[data-code]").evaluateAll((items) =>
    items.map((i) => `${i.dataset.code} ${i.dataset.input}`));
  assert.ok(found.includes("peer.name_mismatch certificate"), found.join(", "));
  assert.equal(await result.getAttribute("data-verdict"), "error");
  assert.match(await section.getByRole("status").innerText(), /Would be refused/);
  await audit(page, "check page, certificate tested against the CA");
  // Against a CA that did not issue it: no path.
  const before = await checks(page);
  await pasteAll(page, fixture("anthropic/good-ec-p256-ca.pem"));
  await settled(page, before);
  await section.locator("li[data-code='peer.unknown_ca']").waitFor();
  assert.equal(await section.locator(".peer-path").count(), 0);
  assert.deepEqual(page.posts, [], "nothing was sent");
  await done(page);
});

flow("Cloudflare Access: name and hostnames, upload, verified", async () => {
  const page = await open();
  await paste(page, "cloudflare-access", fixture("access/good-root.pem"));
  assert.equal(await page.getByLabel("Name", { exact: true }).getAttribute("placeholder"), "Example Root CA");
  await page.getByLabel("Name", { exact: true }).fill("corp root");
  await page.getByLabel("Hostnames").fill("app.example.com, api.example.com");
  const id = await uploadVerified(page);
  const stored = await sandboxGet(base, `/api/cloudflare/client/v4/accounts/${ACCOUNT}/access/certificates`);
  const record = stored.result.find((c) => c.id === id);
  assert.deepEqual([record.name, record.associated_hostnames], ["corp root", ["app.example.com", "api.example.com"]]);
  // The same certificate again: the list is read first, it is already there, nothing is posted
  // (the CLI's `already_present`).
  await page.getByRole("button", { name: "Upload" }).click();
  const again = page.locator('[data-outcome="already-present"]');
  await again.waitFor();
  assert.equal(await again.getAttribute("data-id"), id);
  assert.match(await again.innerText(), /Already uploaded: the vendor already holds exactly this certificate; nothing was sent/);
  assert.equal(page.posts.filter((p) => p.url.endsWith("/access/certificates")).length, 1, "one POST only");
  await done(page);
});

let mtlsCaId;

flow("Cloudflare mTLS CA: upload, verified", async () => {
  const page = await open();
  await paste(page, "cloudflare-mtls", fixture("mtls/good-ca.pem"));
  mtlsCaId = await uploadVerified(page);
  assert.ok(mtlsCaId);
  await done(page);
});

flow("Cloudflare mTLS leaf: the key goes only with consent, only in that upload", async () => {
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

flow("mTLS delete is shown refused while a service uses the certificate", async () => {
  assert.ok(mtlsCaId, "the mTLS CA upload ran first");
  const associate = await fetch(`${base}/api/sandbox/mtls_certificates/${mtlsCaId}/associations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ service: "gateway", status: "active" }),
  });
  assert.equal(associate.status, 200);
  const page = await open({ viewport: { width: 1280, height: 900 } });
  await manage(page);
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
  await done(page);
});

flow("Anthropic rotation: two active, archive one after confirming, then upload", async () => {
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
  const stored = await sandboxGet(base, "/api/anthropic/v1/tunnels/tnl_rotation/certificates");
  assert.equal(stored.data.length, 2, "the third was not sent");

  await manage(page);
  assert.equal(await page.getByLabel("Tunnel ID").inputValue(), "tnl_rotation");
  const section = page.locator('[data-family="anthropic"]');
  await section.locator("[data-two-active]").waitFor();
  const oldest = stored.data[stored.data.length - 1].id;
  const row = section.locator(`li[data-id="${oldest}"]`);
  await row.waitFor();
  await row.getByRole("button", { name: "Archive" }).click();
  const dialog = page.getByRole("dialog", { name: "Archive this tunnel certificate?" });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), new RegExp(oldest));
  assert.match(await dialog.innerText(), /permanent/);
  await dialog.getByRole("button", { name: "Archive certificate" }).click();
  await section.getByText(`Archived ${oldest}.`).waitFor();
  await page.waitForFunction(
    (archived) =>
      document.querySelectorAll('[data-family="anthropic"] li[data-state="active"]').length === 1 &&
      !document.querySelector(`[data-family="anthropic"] li[data-id="${archived}"]`),
    oldest,
  );

  await page.getByRole("link", { name: "Check", exact: true }).click();
  await page.locator('.summary[data-stale="false"][data-signatures="complete"]').waitFor();
  await uploadVerified(page);
  const after = await sandboxGet(base, "/api/anthropic/v1/tunnels/tnl_rotation/certificates");
  assert.equal(after.data.length, 2);
  assert.ok(!after.data.some((c) => c.id === oldest));
  await done(page);
});

flow("Anthropic: archiving the tunnel's last active certificate needs the tunnel ID typed", async () => {
  const page = await open();
  await page.getByLabel("Destination").selectOption("anthropic-tunnel");
  await page.getByLabel("Tunnel ID").fill("tnl_last");
  await paste(page, "anthropic-tunnel", fixture("anthropic/good-rsa-ca.pem"));
  const id = await uploadVerified(page);
  await manage(page);
  const row = page.locator(`[data-family="anthropic"] li[data-id="${id}"]`);
  await row.getByRole("button", { name: "Archive" }).click();
  const dialog = page.getByRole("dialog", { name: "Archive the tunnel's last active certificate?" });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /rejects all traffic until a new CA is added/);
  const confirm = dialog.getByRole("button", { name: "Archive certificate" });
  assert.equal(await confirm.isDisabled(), true);
  const typed = dialog.getByLabel("Type the tunnel ID");
  assert.equal(await typed.evaluate((input) => input === document.activeElement), true, "the field has the focus");
  await typed.fill("tnl_las");
  assert.equal(await confirm.isDisabled(), true);
  await audit(page, "manage page, last-certificate confirmation");
  // Escape cancels: nothing was archived, and the focus is back on the button that opened it.
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await row.getByRole("button", { name: "Archive" }).evaluate((b) => b === document.activeElement), true);
  assert.equal(page.posts.filter((p) => p.url.endsWith("/archive")).length, 0);
  await row.getByRole("button", { name: "Archive" }).press("Enter");
  await dialog.getByLabel("Type the tunnel ID").fill("tnl_last");
  await dialog.getByLabel("Type the tunnel ID").press("Enter");
  await page.locator('[data-family="anthropic"]').getByText(`Archived ${id}.`).waitFor();
  assert.equal(page.posts.filter((p) => p.url.endsWith("/archive")).length, 1);
  await done(page);
});

flow("monitor: the overview counts every family and lists the expiring certificate, most urgent first", async () => {
  const made = makeCa(scratch, "Expiring Soon CA", 10);
  const later = makeCa(scratch, "Expiring Later CA", 25);
  const record = await sandboxAccessUpload(base, ACCOUNT, "expiring soon", made.pem);
  await sandboxAccessUpload(base, ACCOUNT, "expiring later", later.pem);
  const page = await open({ viewport: { width: 1280, height: 900 } });
  // The subject of an Access certificate comes from the Check page's input when it matches.
  await paste(page, "cloudflare-access", made.pem);
  await manage(page);
  const overview = page.getByRole("region", { name: "Overview" });
  const counts = overview.getByRole("table", { name: "What each vendor holds" });
  await counts.getByRole("row", { name: /Access/ }).filter({ hasText: /\d+ certificates/ }).waitFor();
  const stored = await sandboxGet(base, `/api/cloudflare/accounts/${ACCOUNT}/access/certificates?per_page=50`);
  assert.match(await counts.getByRole("row", { name: /Access/ }).innerText(), new RegExp(`${stored.result.length} certificates`));
  const expiring = overview.getByRole("table", { name: /Expired or expiring within 30 days/ });
  await expiring.waitFor();
  const rows = expiring.locator("tbody tr");
  // Most urgent first (other flows' certificates may be listed too).
  const listed = await rows.evaluateAll((trs) => trs.map((tr) => ({
    name: tr.querySelector("th a").textContent,
    days: Number(tr.querySelector("[data-days-left]").dataset.daysLeft),
  })));
  const ours = listed.map((r) => r.name).filter((name) => name.startsWith("expiring"));
  assert.deepEqual(ours, ["expiring soon", "expiring later"]);
  assert.deepEqual(listed.map((r) => r.days), listed.map((r) => r.days).sort((a, b) => a - b));
  const first = rows.filter({ hasText: "expiring soon" });
  assert.match(await first.innerText(), /CN=Expiring Soon CA/);
  // Made at the pinned time, judged at the pinned time: exactly 10 days.
  assert.match(await first.innerText(), /\b10 days left/);
  assert.match(await first.innerText(), new RegExp(record.fingerprint.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  // The exact time is in the date's tooltip.
  assert.match(await first.locator("time").getAttribute("title"), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // The threshold is editable.
  await overview.getByLabel("Expiring within (days)").fill("15");
  await overview.getByRole("table", { name: /within 15 days/ }).waitFor();
  assert.equal(await overview.locator("tbody tr").filter({ hasText: "expiring later" }).count(), 0);
  assert.equal(await overview.locator("tbody tr").filter({ hasText: "expiring soon" }).count(), 1);
  await overview.getByLabel("Expiring within (days)").fill("30");
  await auditBoth(page, "manage page, overview with expiring certificates");
  await page.locator(".overview").screenshot({ path: join(SHOTS, "monitor.png") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.locator(".overview").screenshot({ path: join(SHOTS, "monitor-dark.png") });
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: join(SHOTS, "manage.png") });
  // Its link leads to its row, which takes the focus.
  await first.getByRole("link", { name: "expiring soon" }).click();
  const row = page.locator(`[data-family="access"] li[data-id="${record.id}"]`);
  await page.waitForFunction((id) => document.activeElement?.dataset?.id === id, record.id);
  assert.match(await row.innerText(), /CN=Expiring Soon CA/);
  assert.match(page.url(), new RegExp(`#/manage/access/${record.id}$`));
  await done(page);
});

flow("confirmation: deleting an Access certificate names it, Cancel keeps it, confirming deletes it", async () => {
  const made = makeCa(scratch, "Delete Me CA", 200);
  const record = await sandboxAccessUpload(base, ACCOUNT, "delete me", made.pem);
  const page = await open({ viewport: { width: 1280, height: 900 } });
  await manage(page);
  const row = page.locator(`[data-family="access"] li[data-id="${record.id}"]`);
  await row.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this Access certificate?" });
  await dialog.waitFor();
  const text = await dialog.innerText();
  assert.match(text, /delete me/);
  assert.match(text, new RegExp(record.fingerprint.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  assert.match(text, /lose access/);
  assert.equal(await dialog.getByRole("button", { name: "Cancel" }).evaluate((b) => b === document.activeElement), true,
    "Cancel is focused first");
  await auditBoth(page, "manage page, delete confirmation");
  await page.screenshot({ path: join(SHOTS, "confirm.png") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: join(SHOTS, "confirm-dark.png") });
  await page.emulateMedia({ colorScheme: "light" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden" });
  assert.equal(page.posts.filter((p) => p.url.includes(record.id)).length, 0, "Cancel sends nothing");
  assert.ok((await sandboxGet(base, `/api/cloudflare/accounts/${ACCOUNT}/access/certificates?per_page=50`)).result.some((c) => c.id === record.id));
  await row.getByRole("button", { name: "Delete" }).click();
  await dialog.getByRole("button", { name: "Delete certificate" }).click();
  await page.locator('[data-family="access"]').getByText(`Deleted ${record.id}.`).waitFor();
  // The row is going away: the focus is on its section's heading.
  await page.waitForFunction(() => document.activeElement?.id === "access-heading");
  await row.waitFor({ state: "detached" });
  assert.ok(!(await sandboxGet(base, `/api/cloudflare/accounts/${ACCOUNT}/access/certificates?per_page=50`)).result.some((c) => c.id === record.id));
  await done(page);
});

flow("Gateway: validity checked, create verified, download the CA; deactivating it in use and deleting it are confirmed", async () => {
  const page = await open();
  await manage(page);
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
  const id = (await notice.innerText()).match(/^Created ([0-9a-f-]+)/)[1];
  const row = section.locator(`li[data-id="${id}"]`);
  await row.waitFor();
  // The subject comes from the PEM Cloudflare returns.
  assert.match(await row.innerText(), /from the PEM the vendor returned/);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    row.getByRole("button", { name: "Download .pem" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `${id}.pem`);
  const pem = readFileSync(await download.path(), "utf8");
  assert.match(pem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
  const report = section.locator(`.gateway-report[data-id="${id}"]`);
  await report.waitFor();
  // The sandbox made it at the pinned time for 30 days; the page judges at the same time.
  assert.match(await report.innerText(), /\b30 days left/);
  await audit(page, "manage page, Gateway CA created and checked");
  // Not deployed yet: deactivated at once. Deployed, it is in use: deactivating asks first.
  await row.getByRole("button", { name: "Deactivate", exact: true }).click();
  await section.locator(`li[data-id="${id}"][data-status="inactive"]`).waitFor();
  await row.getByRole("button", { name: "Activate", exact: true }).click();
  await section.locator(`li[data-id="${id}"][data-status="available"]`).waitFor();
  await row.getByRole("button", { name: "Deactivate", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Deactivate the Gateway CA in use?" });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await row.getAttribute("data-status"), "available");
  await row.getByRole("button", { name: "Deactivate", exact: true }).click();
  await dialog.getByRole("button", { name: "Deactivate CA" }).click();
  await section.locator(`li[data-id="${id}"][data-status="inactive"]`).waitFor();
  await row.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: "Delete this Gateway CA?" }).getByRole("button", { name: "Delete certificate" }).click();
  await section.getByText(`Deleted ${id}.`).waitFor();
  await done(page);
});

flow("a failed request that reached the vendor is found, not sent twice", async () => {
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
  const stored = await sandboxGet(base, `/api/cloudflare/accounts/${ACCOUNT}/access/certificates?per_page=50`);
  assert.equal(stored.result.filter((c) => c.name === "lost answer").length, 1);
  assert.equal(page.posts.filter((p) => p.url.endsWith("/access/certificates")).length, 1);
  await done(page, "net::ERR_CONNECTION_RESET");
});

flow("a request that never arrived is offered again, and lands once", async () => {
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
  await audit(page, "check page, upload not stored");
  await page.getByRole("button", { name: "Send again" }).click();
  await page.locator('[data-outcome="verified"]').waitFor();
  const stored = await sandboxGet(base, `/api/cloudflare/accounts/${ACCOUNT}/access/certificates?per_page=50`);
  assert.equal(stored.result.filter((c) => c.name === "never arrived").length, 1);
  await done(page, "net::ERR_CONNECTION_REFUSED");
});

flow("with 30 certificates stored, a lost answer is found on the list's second page, not sent again", async () => {
  // An account of its own, so the other flows' certificates do not count.
  const account = "0123456789abcdef0123456789abcdef";
  for (let n = 1; n <= 30; n++) {
    await sandboxAccessUpload(base, account, `stored ${n}`, makeCa(scratch, `Stored CA ${n}`).pem);
  }
  const page = await open();
  await page.getByLabel("Destination").selectOption("cloudflare-access");
  await page.getByLabel("Account ID").fill(account);
  await paste(page, "cloudflare-access", makeCa(scratch, "Lost Answer CA").pem);
  await page.getByLabel("Name", { exact: true }).fill("lost with 30 stored");
  let posts = 0;
  const listed = [];
  await page.route("**/access/certificates**", async (route) => {
    const request = route.request();
    if (request.method() === "POST" && posts++ === 0) {
      await route.fetch(); // stored …
      return route.abort("connectionreset"); // … answer lost
    }
    if (request.method() === "GET") {
      // Pages of 25, as Cloudflare's default: the certificate just stored is the 31st.
      const url = new URL(request.url());
      url.searchParams.set("per_page", "25");
      listed.push(url.searchParams.get("page"));
      return route.continue({ url: url.toString() });
    }
    return route.fallback();
  });
  await page.getByRole("button", { name: "Upload" }).click();
  const outcome = page.locator('[data-outcome="verified"]');
  await outcome.waitFor();
  assert.match(await outcome.innerText(), /it was not sent again/);
  // Both pages read before posting (not there yet), and both again after the lost answer.
  assert.deepEqual(listed, ["1", "2", "1", "2"], "both pages were read, before and after the post");
  assert.equal(page.posts.filter((p) => p.url.endsWith("/access/certificates")).length, 1, "one POST only");
  const stored = await sandboxGet(base, `/api/cloudflare/accounts/${account}/access/certificates?per_page=50`);
  assert.equal(stored.result.length, 31);
  assert.equal(stored.result.filter((c) => c.name === "lost with 30 stored").length, 1);
  // The manage page reads every page too: all 31 rows.
  await page.unroute("**/access/certificates**");
  await manage(page);
  await page.waitForFunction(() => document.querySelectorAll('[data-family="access"] li[data-id]').length === 31);
  await done(page, "net::ERR_CONNECTION_RESET");
});

flow("binary files are kept as bytes; the token stays out of storage unless remembered", async () => {
  const page = await open();
  await page.getByLabel("Destination").selectOption("cloudflare-access");
  await page.getByLabel("Open a file").setInputFiles(join(DATA, "access/bundle.p7b"));
  await page.locator(".binary").waitFor();
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

flow("Mozilla's bundle: every certificate reported, signatures verified after the report is shown", async (t) => {
  const bundle = mozillaBundle();
  if (!bundle) {
    t.skip("CERTCHECK_MOZILLA not set");
    return;
  }
  const page = await open({ viewport: { width: 1280, height: 900 } });
  const certificates = (bundle.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
  await page.getByLabel("Destination").selectOption("cloudflare-access");
  const before = await checks(page);
  // Typed in as a script does (Playwright's fill: one insertText of 234 KB), which the editor
  // inserts itself: the browser's own insertion would take most of a minute.
  await page.getByLabel("Certificate").fill(bundle);
  assert.equal(await page.getByLabel("Certificate").inputValue(), bundle);
  await page.locator(`.summary[data-certificates="${certificates}"][data-stale="false"]`).waitFor();
  const table = page.getByRole("table", { name: `Certificates in this input (${certificates})` });
  assert.equal(await table.locator("tbody tr").count(), certificates);
  assert.equal(await page.getByText(`${certificates} certificates`).count(), 1, "the count is said once");
  // The table shows at once; a card is there when its row asks for it.
  assert.equal(await page.locator("details.card").count(), 0);
  await settled(page, before);
  // Every root's self-signature verified (or named as not verifiable).
  const roles = await table.locator("td.role").allInnerTexts();
  assert.equal(roles.filter((r) => r.includes("verifying")).length, 0);
  assert.ok(roles.filter((r) => r === "self-signed (verified)").length > 100, roles.join("\n"));
  assert.ok(await page.getByRole("cell", { name: "ISRG Root X1" }).or(page.getByRole("rowheader", { name: "ISRG Root X1" })).count() > 0);
  // A row's link brings its certificate's card, open, and moves the focus there.
  await table.getByRole("link", { name: "ISRG Root X1" }).click();
  const card = page.locator("details.card[open]").filter({ hasText: "ISRG Root X1" });
  await card.getByText("Fingerprints").waitFor();
  assert.equal(await card.locator("summary").evaluate((s) => s === document.activeElement), true);
  await audit(page, "check page, Mozilla's bundle");
  await done(page);
});

flow("first load: compressed, hashed names kept for a year, a reload asks for index.html only", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.startsWith("/api/")) return;
    bodies.push(response.request().sizes().then((sizes) => ({
      path: new URL(response.url()).pathname,
      wire: sizes.responseBodySize,
      coding: response.headers()["content-encoding"] ?? "identity",
      cache: response.headers()["cache-control"],
    })));
  });
  await page.goto(pageUrl(base));
  await page.getByLabel("Certificate", { exact: true }).waitFor();
  // The worker's three files come after the first paint (prefetched, then started).
  await page.locator('html[data-worker="ready"]').waitFor();
  const files = await Promise.all(bodies);
  const hashed = (path) => path.replace(/-[0-9a-f]{12,16}(?=[._])/, "-<hash>");
  assert.deepEqual([...new Set(files.map((f) => hashed(f.path)))].sort(), [
    "/", "/boot-<hash>.js", "/certcheck-web-<hash>.js", "/certcheck-web-<hash>_bg.wasm",
    "/certcheck-worker-<hash>.js", "/certcheck-worker-<hash>_bg.wasm", "/certcheck-worker-<hash>_loader.js",
    "/main-<hash>.css",
  ]);
  for (const file of files) {
    // The worker's loader (one import line) is smaller than any compressed form of it.
    const tiny = /_loader\.js$/.test(file.path);
    assert.equal(file.coding, tiny ? "identity" : "br", `${file.path} is sent with brotli`);
    assert.equal(file.cache, file.path === "/" ? "no-cache" : "public, max-age=31536000, immutable", file.path);
  }
  const mark = server.log().length;
  await page.reload();
  await page.locator('html[data-worker="ready"]').waitFor();
  await page.waitForTimeout(200); // the server prints its log line after answering
  const reload = server.log().slice(mark).split("\n").filter((line) => /^GET \/(?!api\/)/.test(line));
  assert.deepEqual(reload.map((line) => line.split(" ").slice(0, 3).join(" ")), ["GET / 304"]);
  await context.close();
});
