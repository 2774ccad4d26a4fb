// Node entry point (ESM; `require` works too on Node >= 20.19): the module loads synchronously.
import { readFileSync } from "node:fs";

import * as glue from "./certcheck_wasm.js";
import { api } from "./api.js";

glue.initSync({ module: readFileSync(new URL("./certcheck_wasm_bg.wasm", import.meta.url)) });

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
