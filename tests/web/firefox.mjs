// The dashboard's flows that matter most, in headless Firefox (Debian's firefox-esr through
// geckodriver, driven with selenium-webdriver: Playwright's own Firefox build cannot be
// downloaded here). Same server, sandbox and axe-core audits as the Chromium suite (e2e.mjs);
// controls are found by their labels and texts, and the names Firefox computes for them are
// checked. Run by `cargo xtask test` after e2e.mjs; environment as e2e.mjs, plus
//   GECKODRIVER            the geckodriver binary (default: geckodriver on PATH)
//   FIREFOX                the Firefox binary (default: /usr/bin/firefox-esr)
import { after, before } from "node:test";
import assert from "node:assert/strict";

import {
  ACCOUNT, AXE_RUN, AXE_SOURCE, Results, describeViolations, expectedCodes, fixture, makeCa, mozillaBundle, pageUrl,
  require, sandboxAccessUpload, sandboxGet, scratchDir, startServer,
} from "./common.mjs";

const { Builder, By, Key } = require("selenium-webdriver");
const firefox = require("selenium-webdriver/firefox");

const results = new Results("firefox");
const TIMEOUT = 20_000;

let server;
let base;
let driver;
let scratch;

before(async () => {
  scratch = scratchDir();
  server = await startServer(scratch);
  base = server.base;
  const options = new firefox.Options()
    .setBinary(process.env.FIREFOX ?? "/usr/bin/firefox-esr")
    .addArguments("-headless")
    .windowSize({ width: 1280, height: 900 });
  // Keep Firefox off the closed network.
  for (const [name, value] of Object.entries({
    "app.update.enabled": false, "browser.safebrowsing.malware.enabled": false,
    "browser.safebrowsing.phishing.enabled": false, "datareporting.policy.dataSubmissionEnabled": false,
    "network.captive-portal-service.enabled": false, "network.connectivity-service.enabled": false,
    "toolkit.telemetry.enabled": false, "browser.shell.checkDefaultBrowser": false, "extensions.update.enabled": false,
  })) options.setPreference(name, value);
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? "geckodriver");
  driver = await new Builder().forBrowser("firefox").setFirefoxOptions(options).setFirefoxService(service).build();
  const capabilities = await driver.getCapabilities();
  console.log(`Firefox ${capabilities.get("browserVersion")} through geckodriver`);
});

after(async () => {
  try {
    await driver?.quit();
  } finally {
    server?.stop();
    results.write();
  }
});

/** A test whose duration and outcome go into the results file. */
const flow = (name, body) => results.test(name, body);

/** Waits until `condition` (async) returns something truthy; returns it. */
const until = (condition, message) => driver.wait(async () => {
  try {
    return await condition();
  } catch {
    return false;
  }
}, TIMEOUT, message);

const $ = (css) => driver.findElement(By.css(css));
const $$ = (css) => driver.findElements(By.css(css));
const text = async (css) => (await $(css)).getText();

/** The form control whose <label> reads `label` (starts with it). */
async function byLabel(label) {
  const target = await driver.executeScript((label) => {
    const found = [...document.querySelectorAll("label")].find((l) => l.textContent.trim().startsWith(label));
    return found?.control ?? null;
  }, label);
  assert.ok(target, `no control labelled ${label}`);
  return target;
}

/** The button whose text is exactly `name`, inside `scope` (a CSS selector or the page). */
async function button(name, scope = "body") {
  const found = await until(async () => {
    const buttons = await $$(`${scope} button`);
    for (const candidate of buttons) {
      if ((await candidate.getText()).trim() === name && (await candidate.isDisplayed())) return candidate;
    }
    return null;
  }, `button ${name} in ${scope}`);
  // The name Firefox computes is the one a screen reader announces.
  assert.equal(await found.getAccessibleName(), name);
  return found;
}

async function open(hash = "/") {
  await driver.get(pageUrl(base, hash));
  await until(async () => (await $$('.mode[data-sandbox="true"]')).length === 1, "the app started");
}

/** Sets the paste area's text in one input event, as a paste does. */
async function pasteAll(value) {
  const area = await byLabel("Certificate");
  await driver.executeScript((area, value) => {
    area.value = value;
    area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  }, area, value);
}

const checks = async () => Number((await driver.executeScript(() => document.querySelector(".summary")?.dataset.checks)) ?? 0);

async function settled(before) {
  await until(() => driver.executeScript((count) => {
    const s = document.querySelector(".summary[data-checks]");
    return s && Number(s.dataset.checks) > count && s.dataset.stale === "false" && s.dataset.signatures === "complete";
  }, before), "the check settled");
}

async function paste(destination, value) {
  await driver.executeScript((destination) => {
    const select = document.getElementById("destination");
    select.value = destination;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }, destination);
  const before = await checks();
  await pasteAll(value);
  await settled(before);
}

const codes = () => driver.executeScript(() =>
  [...document.querySelectorAll(".report-column li[data-code]")].map((i) => i.dataset.code));

async function audit(state) {
  if (!(await driver.executeScript(() => typeof window.axe === "object"))) await driver.executeScript(AXE_SOURCE);
  const violations = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1]; ${AXE_RUN}.then(done, (e) => done([{ id: "axe-error", impact: "critical", help: String(e), nodes: [] }]));`);
  results.audit(state, violations);
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.equal(bad.length, 0, `axe on "${state}" in Firefox:\n${describeViolations(bad)}`);
}

/** Every control on the page has a name Firefox computes (what a screen reader announces). */
async function everyControlNamed(state) {
  const controls = await $$("button, input, select, textarea, a[href], [role=button], meter");
  const unnamed = [];
  for (const control of controls) {
    if (!(await control.isDisplayed())) continue;
    if (!(await control.getAccessibleName()).trim()) unnamed.push(await control.getAttribute("outerHTML"));
  }
  assert.deepEqual(unnamed, [], `controls without a name on ${state}`);
  return controls.length;
}

async function uploadVerified() {
  const upload = await button("Upload");
  await until(() => upload.isEnabled(), "Upload enabled");
  await upload.click();
  await until(async () => (await $$('[data-outcome="verified"], [data-outcome="refused"], [data-outcome="mismatch"]')).length, "an outcome");
  assert.equal(await $("[data-outcome]").getAttribute("data-outcome"), "verified", await text("[data-outcome]"));
  return $("[data-outcome]").getAttribute("data-id");
}

flow("Firefox: a good CA is checked, uploaded and verified; the verdict is announced politely", async () => {
  await open();
  await audit("check page, empty");
  await paste("anthropic-tunnel", fixture("anthropic/good-rsa-ca.pem"));
  assert.deepEqual(await codes(), []);
  const status = await $(".summary [role=status]");
  assert.equal(await status.getAttribute("aria-live"), "polite");
  assert.match(await status.getText(), /Ready to upload/);
  const id = await uploadVerified();
  assert.match(id, /^tcrt_/);
  const named = await everyControlNamed("the check page");
  assert.ok(named > 10);
  await audit("check page, CA uploaded and verified");
});

flow("Firefox: a chain is blocked with the CLI's codes; a private key is flagged and removed by its fix", async () => {
  await open();
  await paste("anthropic-tunnel", fixture("anthropic/full-chain.pem"));
  assert.deepEqual((await codes()).sort(), expectedCodes("anthropic/full-chain.pem").sort());
  const roles = await driver.executeScript(() => [...document.querySelectorAll("table.chain td.role")].map((td) => td.textContent));
  assert.deepEqual(roles, ["issued by #2, signature verified by #2", "issued by #3, signature verified by #3", "self-signed (verified)"]);
  assert.equal(await (await button("Upload")).isEnabled(), false);
  await audit("check page, chain blocked with errors");
  await paste("anthropic-tunnel", fixture("anthropic/ca-with-private-key.pem"));
  await until(async () => (await $$('[data-private-key="true"][role="alert"]')).length === 1, "the key alert");
  const before = await checks();
  await (await $('button[data-fix="drop_private_key"]')).click();
  await settled(before);
  assert.equal((await $$("[data-private-key]")).length, 0);
  assert.equal(await $(".summary").getAttribute("data-verdict"), "ok");
});

flow("Firefox: a certificate is tested against the pasted CA", async () => {
  await open();
  await paste("cloudflare-access", fixture("signatures/rsa-pkcs1-sha256-ca.pem"));
  const leaf = await byLabel("Client cert to test");
  await driver.executeScript((area, value) => {
    area.value = value;
    area.dispatchEvent(new InputEvent("input", { bubbles: true }));
  }, leaf, fixture("signatures/rsa-pkcs1-sha256-leaf.pem"));
  await until(async () => (await $$(".peer-path li")).length === 2, "the path");
  assert.equal(await text(".peer-path li"), "#1 certificate: certcheck rsa-pkcs1-sha256 leaf");
  await audit("check page, certificate tested against the CA");
});

flow("Firefox: the overview lists the expiring certificate; deleting it asks first (Cancel, Escape, confirm)", async () => {
  const made = makeCa(scratch, "Firefox Expiring CA", 12);
  const record = await sandboxAccessUpload(base, ACCOUNT, "firefox expiring", made.pem);
  await open("/manage");
  await until(async () => (await $$(`.overview table.expiring tr[data-id="${record.id}"]`)).length === 1, "the overview row");
  const row = await text(`.overview table.expiring tr[data-id="${record.id}"]`);
  assert.match(row, /firefox expiring/);
  assert.match(row, /\b12 days left/);
  assert.match(row, /MD5 Fingerprint=/);
  await audit("manage page, overview with an expiring certificate");
  await everyControlNamed("the manage page");
  // The link leads to the row, which takes the focus.
  await (await $(`.overview table.expiring tr[data-id="${record.id}"] a`)).click();
  await until(() => driver.executeScript((id) => document.activeElement?.dataset?.id === id, record.id), "the row focused");
  const scope = `[data-family="access"] li[data-id="${record.id}"]`;
  await (await button("Delete", scope)).click();
  const dialog = await $("dialog.confirm");
  await until(() => dialog.isDisplayed(), "the dialog");
  assert.equal(await dialog.getAccessibleName(), "Delete this Access certificate?");
  assert.equal(await dialog.getAriaRole(), "dialog");
  assert.match(await dialog.getText(), /firefox expiring/);
  assert.equal(await driver.executeScript(() => document.activeElement?.textContent), "Cancel", "Cancel is focused first");
  await audit("manage page, delete confirmation");
  await (await button("Cancel", "dialog.confirm")).click();
  await until(async () => !(await dialog.isDisplayed()), "the dialog closed");
  // Escape cancels too, and the focus returns to the Delete button.
  await (await button("Delete", scope)).click();
  await until(() => dialog.isDisplayed(), "the dialog again");
  await driver.actions().sendKeys(Key.ESCAPE).perform();
  await until(async () => !(await dialog.isDisplayed()), "closed by Escape");
  assert.equal(await driver.executeScript(() => document.activeElement?.textContent), "Delete");
  const stored = await sandboxGet(base, `/api/cloudflare/accounts/${ACCOUNT}/access/certificates?per_page=50`);
  assert.ok(stored.result.some((c) => c.id === record.id), "still stored");
  await (await button("Delete", scope)).click();
  await (await button("Delete certificate", "dialog.confirm")).click();
  await until(async () => (await $$(scope)).length === 0, "the row gone");
  const after = await sandboxGet(base, `/api/cloudflare/accounts/${ACCOUNT}/access/certificates?per_page=50`);
  assert.ok(!after.result.some((c) => c.id === record.id), "deleted");
});

flow("Firefox: Mozilla's bundle, every certificate reported and its signatures verified", async (t) => {
  const bundle = mozillaBundle();
  if (!bundle) {
    t.skip("CERTCHECK_MOZILLA not set");
    return;
  }
  await open();
  const certificates = (bundle.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
  const started = performance.now();
  await paste("cloudflare-access", bundle);
  const elapsed = performance.now() - started;
  const rows = await driver.executeScript(() => [...document.querySelectorAll("table.chain tbody tr")].map((tr) => ({
    name: tr.querySelector("th").textContent, role: tr.querySelector("td.role").textContent,
  })));
  assert.equal(rows.length, certificates);
  assert.ok(rows.some((r) => r.name === "ISRG Root X1"));
  assert.ok(rows.filter((r) => r.role === "self-signed (verified)").length > 100);
  console.log(`Firefox: ${certificates} certificates reported, every signature verified, ${elapsed.toFixed(0)} ms after the paste (WebDriver round trips included)`);
  await audit("check page, Mozilla's bundle");
});
