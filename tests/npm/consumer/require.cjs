// CommonJS consumers: Node >= 20.19 loads the package's ESM entry through require().
const assert = require("node:assert/strict");

const [major, minor] = process.versions.node.split(".").map(Number);
if (major > 20 || (major === 20 && minor >= 19)) {
  const certcheck = require("certcheck");
  const report = certcheck.check("not a certificate", { to: "anthropic-tunnel", now: "2026-11-22T00:00:00Z" });
  assert.equal(report.verdict, "error");
  assert.deepEqual(report.diagnostics.map((d) => d.code), ["pem.no_blocks"]);
  assert.throws(() => certcheck.check("", { to: "x" }), { name: "CertcheckError", code: "invalid_options" });
  console.log("require('certcheck') works");
} else {
  console.log(`require('certcheck') needs Node >= 20.19 (this is ${process.versions.node}): skipped`);
}
