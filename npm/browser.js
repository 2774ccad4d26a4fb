// Browser and bundler entry point: fetches and instantiates the module once (top-level await),
// so every export is synchronous and ready when the import resolves.
import init, * as glue from "./certcheck_wasm.js";
import { api } from "./api.js";

await init({ module_or_path: new URL("./certcheck_wasm_bg.wasm", import.meta.url) });

export { CertcheckError } from "./api.js";
export const {
  check,
  inspect,
  fingerprints,
  parseFingerprint,
  fingerprintsEqual,
  applyFixes,
  verifyResponse,
  rules,
  destinations,
  fixNames,
  version,
} = api(glue);
export const ready = Promise.resolve();
