// The dashboard's Create page timed in headless Chromium, per key type (`cargo xtask bench`,
// section "Making material"): a fresh page each time opens #/create, asks for a tunnel CA and its
// server certificate, and waits for the result. Two figures per run: the page's own (keys by
// WebCrypto, certificates signed, checked and verified) and click-to-shown (what the user waits).
// Prints JSON: { browser, runs, keyTypes: { p256: { page: {median,min,max}, shown: {…} }, … } }.
import { CHROMIUM_ARGS, pageUrl, require, scratchDir, startServer } from "./common.mjs";

const { chromium } = require("playwright-core");
const RUNS = 5;
const KEY_TYPES = ["p256", "p384", "rsa2048", "rsa3072", "rsa4096"];
const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
};

const scratch = scratchDir();
const server = await startServer(scratch);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
const keyTypes = {};
try {
  for (const keyType of KEY_TYPES) {
    const page = [];
    const shown = [];
    for (let run = 0; run < RUNS; run++) {
      const tab = await browser.newPage();
      await tab.goto(pageUrl(server.base, "/create"));
      await tab.getByLabel("Tunnel domain").fill("tunnel.example.com");
      await tab.getByLabel("Key type").selectOption(keyType);
      const started = Date.now();
      await tab.getByRole("button", { name: "Make the CA and the server certificate" }).click();
      const result = tab.locator(".create-result");
      await result.waitFor({ timeout: 60_000 });
      shown.push(Date.now() - started);
      const text = await result.locator("p").first().innerText();
      page.push(Number(text.match(/in (\d+) ms/)?.[1] ?? NaN));
      await tab.close();
    }
    keyTypes[keyType] = { page: stats(page), shown: stats(shown) };
  }
  console.log(JSON.stringify({ browser: `Chromium ${browser.version()}`, runs: RUNS, keyTypes }));
} finally {
  await browser.close();
  server.stop();
}
