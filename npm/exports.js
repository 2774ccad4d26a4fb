// The package's public functions: the glue's, wrapped once. Both entry points re-export this
// after instantiating the module (the glue's functions find the instance when called).
import * as glue from "./certcheck_wasm.js";
import { api } from "./api.js";

export { CertcheckError } from "./api.js";
export const {
  check,
  inspect,
  fingerprints,
  parseFingerprint,
  fingerprintsEqual,
  applyFixes,
  verifyResponse,
  verify,
  rules,
  destinations,
  fixNames,
  version,
} = api(glue);
export const ready = Promise.resolve();
