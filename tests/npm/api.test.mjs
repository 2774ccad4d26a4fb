// The package's wrapper (npm/api.js) over a stand-in glue: a wasm trap (a panic, which is a bug)
// must surface as a CertcheckError with the panic's message, and the glue's plain Errors as
// CertcheckError instances. The real glue is exercised by consumer/ and page/.
import assert from "node:assert/strict";
import { test } from "node:test";

const { api, CertcheckError } = await import(process.env.CERTCHECK_API ?? "../../target/npm/certcheck/api.js");

function glueThat(throws, panicMessage) {
  const noop = () => null;
  return {
    check: () => {
      throw throws;
    },
    inspect: (input) => ({ input }),
    fingerprints: noop,
    parseFingerprint: noop,
    fingerprintsEqual: noop,
    applyFixes: noop,
    rules: noop,
    destinations: noop,
    fixNames: noop,
    verifyResponse: noop,
    version: noop,
    takePanicMessage: () => panicMessage,
  };
}

test("a trap becomes an internal CertcheckError carrying the panic message", () => {
  const trap = new WebAssembly.RuntimeError("unreachable");
  const wrapped = api(glueThat(trap, "index out of bounds at crates/certcheck/src/pem.rs:10"));
  assert.throws(() => wrapped.check("x", { to: "anthropic-tunnel" }), (error) => {
    assert.ok(error instanceof CertcheckError);
    assert.equal(error.name, "CertcheckError");
    assert.equal(error.code, "internal");
    assert.equal(
      error.message,
      "certcheck hit an internal error (please report it): index out of bounds at crates/certcheck/src/pem.rs:10",
    );
    assert.equal(error.cause, trap);
    return true;
  });
});

test("a trap without a recorded panic keeps the trap's own message", () => {
  const wrapped = api(glueThat(new WebAssembly.RuntimeError("memory access out of bounds"), undefined));
  assert.throws(() => wrapped.check("x"), {
    name: "CertcheckError",
    code: "internal",
    message: "certcheck hit an internal error (please report it): memory access out of bounds",
  });
});

test("the glue's errors become CertcheckError instances with their code and message", () => {
  const plain = Object.assign(new Error("options.to is required"), { name: "CertcheckError", code: "invalid_options" });
  const wrapped = api(glueThat(plain, undefined));
  assert.throws(() => wrapped.check("x"), (error) => {
    assert.ok(error instanceof CertcheckError);
    assert.equal(error.code, "invalid_options");
    assert.equal(error.message, "options.to is required");
    return true;
  });
});

test("other exceptions pass through untouched, results too", () => {
  const oddity = new TypeError("not ours");
  const wrapped = api(glueThat(oddity, undefined));
  assert.throws(() => wrapped.check("x"), (error) => error === oddity);
  // A string input reaches the module as its UTF-8 bytes.
  assert.deepEqual(wrapped.inspect("yé"), { input: new Uint8Array([0x79, 0xc3, 0xa9]) });
  assert.equal(wrapped.check.name, "check");
});

test("a glue chosen at each call: a function missing from it is `not_loaded`, then found once switched", () => {
  let glue = { check: () => "lean" };
  const wrapped = api(() => glue);
  assert.equal(wrapped.check("x"), "lean");
  assert.throws(() => wrapped.verify("x", {}), (error) => {
    assert.ok(error instanceof CertcheckError);
    assert.equal(error.code, "not_loaded");
    assert.match(error.message, /^verify\(\) needs certcheck's full module: call `await load\(\)` once first/);
    return true;
  });
  glue = { check: () => "full", verify: () => "verified" };
  assert.equal(wrapped.check("x"), "full");
  assert.equal(wrapped.verify("x", {}), "verified");
});

test("load(): once, switching the glue; a failed fetch rejects and a later call tries again", async () => {
  const apiPath = process.env.CERTCHECK_API ?? "../../target/npm/certcheck/api.js";
  const state = await import(new URL("./state.js", new URL(apiPath, import.meta.url)).href);
  const lean = { name: "lean" };
  const full = { name: "full" };
  let attempts = 0;
  state.use(lean, false, async () => {
    attempts += 1;
    if (attempts === 1) throw new Error("offline");
    return full;
  });
  assert.equal(state.loaded(), false);
  await assert.rejects(state.load(), /offline/);
  assert.equal(state.current(), lean);
  await Promise.all([state.load(), state.load()]);
  assert.equal(attempts, 2);
  assert.equal(state.current(), full);
  assert.equal(state.loaded(), true);
  await state.load();
  assert.equal(attempts, 2);
});
