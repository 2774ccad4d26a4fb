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
import { fromBase64, unpack } from "./unpack.js";

/** An embedded module's bytes, decompressed by the browser where it can. */
async function bytesOf(text) {
  if (typeof DecompressionStream !== "function") return unpack(text);
  const gzip = new Blob([fromBase64(text)]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(gzip).arrayBuffer());
}

let compiled = null;
bytesOf(leanModule)
  .then((bytes) => WebAssembly.compile(bytes))
  .then((module) => (compiled = module))
  .catch(() => {}); // the first call compiles it then, and says why if it cannot

use(
  () => {
    lean.initSync({ module: compiled ?? unpack(leanModule) });
    return lean;
  },
  false,
  async () => {
    const [full, { default: fullModule }] = await Promise.all([
      import("./certcheck_full.js"),
      import("./certcheck_full_data.js"),
    ]);
    await full.default({ module_or_path: await bytesOf(fullModule) });
    return full;
  },
);

export * from "./exports.js";
