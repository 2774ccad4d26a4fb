// Browser and bundler entry point. No top-level await, no fetch, no asset URL: the lean module's
// bytes are part of the JavaScript (certcheck_wasm_data.js: gzip, base64), so check, inspect,
// fingerprints, fixes and the tables are synchronous from the start, in every bundler, with no
// configuration. At import the module is decompressed and compiled in the background
// (DecompressionStream, WebAssembly.compile: off the main thread where the browser can); a call
// before that is done unpacks and compiles it synchronously (npm/unpack.js) instead.
// load() imports the full module (signatures, key derivation, verify, verifyResponse, createCa,
// createCertificate), embedded the same way, on demand: bundlers that split code put it in a
// chunk of its own.
import * as lean from "./certcheck_wasm.js";
import leanModule from "./certcheck_wasm_data.js";
import { use } from "./state.js";
import { fromBase64, gunzip } from "./unpack.js";
import { check } from "./exports.js";

/** A gzip member's bytes, decompressed by the browser where it can. */
async function gunzipped(gzip) {
  if (typeof DecompressionStream !== "function") return gunzip(gzip);
  const stream = new Blob([gzip]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// V8 compiles each WebAssembly function the first time it runs, so in Chromium the first check
// after import pays for compiling every function it reaches (about 18 ms; Firefox compiles the
// whole module up front). Once the module is compiled, this certificate is checked once when the
// page is idle, so that a user's first check finds those functions compiled
// (docs/BENCHMARKS.md, "First `check` after import, per phase").
const WARM_UP = `-----BEGIN CERTIFICATE-----
MIIBhDCCASqgAwIBAgICEBowCgYIKoZIzj0EAwIwKTEnMCUGA1UEAwweY2VydGNo
ZWNrIGVjZHNhLXAyNTYtc2hhMjU2IENBMB4XDTI2MDEwMTAwMDAwMFoXDTM2MDEw
MTAwMDAwMFowKTEnMCUGA1UEAwweY2VydGNoZWNrIGVjZHNhLXAyNTYtc2hhMjU2
IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEGf2yb1Hx/h5DZ9sMlKmWhjWL
aEg2DF8QcTRgyMqn3iXfDLMmDQT1C8vPQkYWV1D8MkL62Sv7guVers+EgrE0H6NC
MEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFB+U
cLDDwGpdMzJJVKx+S0KP64A3MAoGCCqGSM49BAMCA0gAMEUCICDzJg+LgQby6H1s
sUrBjGSlEapWxILQAXPUYhc1pRzLAiEA088gKQNwGScwmzOZmhtX+08G9IQUlkbU
oKPkIJZJdX0=
-----END CERTIFICATE-----`;

function whenIdle(work) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(work, { timeout: 2000 });
  else setTimeout(work, 0);
}

// The embedded text is read once, here: a minifier that inlines constants (Rolldown's, in
// Vite 8) would otherwise copy it to every place it is used.
let packed = fromBase64(leanModule);
let compiled = null;
gunzipped(packed)
  .then((bytes) => WebAssembly.compile(bytes))
  .then((module) => {
    compiled = module;
    whenIdle(() => {
      try {
        check(WARM_UP, { to: "cloudflare-access" });
      } catch {
        // Only a warm-up: a real call reports what went wrong.
      }
    });
  })
  .catch(() => {}); // the first call compiles it then, and says why if it cannot

use(
  () => {
    lean.initSync({ module: compiled ?? gunzip(packed) });
    packed = null;
    return lean;
  },
  false,
  async () => {
    const [full, { default: fullModule }] = await Promise.all([
      import("./certcheck_full.js"),
      import("./certcheck_full_data.js"),
    ]);
    await full.default({ module_or_path: await gunzipped(fromBase64(fullModule)) });
    return full;
  },
);

export * from "./exports.js";
