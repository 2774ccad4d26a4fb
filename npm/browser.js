// Browser and bundler entry point: fetches and instantiates the lean module once (top-level
// await), so check, inspect, fingerprints, fixes and the tables are synchronous and ready when
// the import resolves. load() fetches the full module (signatures, key derivation, verify,
// verifyResponse) on demand; bundlers split it into a chunk of its own.
import init, * as lean from "./certcheck_wasm.js";
import { use } from "./state.js";

await init({ module_or_path: new URL("./certcheck_wasm_bg.wasm", import.meta.url) });
use(lean, false, async () => {
  const full = await import("./certcheck_full.js");
  await full.default({ module_or_path: new URL("./certcheck_full_bg.wasm", import.meta.url) });
  return full;
});

export * from "./exports.js";
