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

/** A gzip member's bytes, decompressed by the browser where it can. */
async function gunzipped(gzip) {
  if (typeof DecompressionStream !== "function") return gunzip(gzip);
  const stream = new Blob([gzip]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// The embedded text is read once, here: a minifier that inlines constants (Rolldown's, in
// Vite 8) would otherwise copy it to every place it is used.
let packed = fromBase64(leanModule);
let compiled = null;
gunzipped(packed)
  .then((bytes) => WebAssembly.compile(bytes))
  .then((module) => (compiled = module))
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
