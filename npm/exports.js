// The package's public functions: the glue's, wrapped once, each call going to the module in
// use (state.js). Both entry points hand state.js a module to instantiate on the first call, and
// re-export this.
//   node.js:    the full module (everything available at once);
//   browser.js: the lean module (check, inspect, fingerprints, fixes, tables), and the full one
//               (signature verification, key derivation, verify, verifyResponse, createCa,
//               createCertificate) once load() is awaited.
import { api } from "./api.js";
import { current } from "./state.js";

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
  createCa,
  createCertificate,
  rules,
  destinations,
  fixNames,
  version,
} = api(current);

/**
 * Loads the full module (once) and switches every function to it: signatures are then verified
 * by check and inspect, EC keys without their public half are matched, and verify and
 * verifyResponse are available. Resolves at once where the full module is already in use (Node).
 */
export { load, loaded } from "./state.js";

export const ready = Promise.resolve();
