// Browser and bundler entry point. Nothing happens at import (no top-level await, no fetch, no
// asset URL): the lean module's bytes are part of the JavaScript (certcheck_wasm_data.js: gzip,
// base64) and are instantiated synchronously by the first call, so check, inspect, fingerprints,
// fixes and the tables are synchronous from the start, in every bundler, with no configuration.
// load() imports the full module (signatures, key derivation, verify, verifyResponse), embedded
// the same way, on demand: bundlers that split code put it in a chunk of its own.
import * as lean from "./certcheck_wasm.js";
import leanModule from "./certcheck_wasm_data.js";
import { use } from "./state.js";
import { unpack } from "./unpack.js";

use(
  () => {
    lean.initSync({ module: unpack(leanModule) });
    return lean;
  },
  false,
  async () => {
    const [full, { default: fullModule }] = await Promise.all([
      import("./certcheck_full.js"),
      import("./certcheck_full_data.js"),
    ]);
    await full.default({ module_or_path: unpack(fullModule) });
    return full;
  },
);

export * from "./exports.js";
