import { check, load, loaded, verify } from "certcheck";

// Check what is pasted, as it is typed: synchronous from the first call (the lean module).
const input = document.querySelector("#pem");
const output = document.querySelector("#report");
const show = () => {
  const report = check(input.value, { to: "anthropic-tunnel" });
  const codes = report.diagnostics.map((d) => d.code).join(", ");
  output.textContent = `${report.verdict}${loaded() ? "" : " (signatures not verified yet)"}: ${codes || "no problems"}`;
};
input.addEventListener("input", show);
// The full module (signatures, key derivation, verify, verifyResponse), fetched on demand.
document.querySelector("#load").addEventListener("click", async () => {
  await load();
  show();
});

// For tests/npm/bundlers.mjs, which drives this page in headless Chromium: the package as webpack
// bundled it.
globalThis.certcheck = { check, load, loaded, verify };
