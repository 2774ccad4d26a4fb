// The wrapper over the wasm-bindgen glue that exports.js applies (tested alone with a stand-in
// glue by tests/npm/api.test.mjs). It turns the glue's plain Errors into CertcheckError and a wasm trap (a panic: a bug) into a
// CertcheckError with code "internal" and the panic's message, never an opaque "unreachable".

export class CertcheckError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = "CertcheckError";
    this.code = code;
  }
}

const EXPORTS = [
  "check",
  "inspect",
  "fingerprints",
  "parseFingerprint",
  "fingerprintsEqual",
  "applyFixes",
  "verifyResponse",
  "verify",
  "rules",
  "destinations",
  "fixNames",
  "version",
];

export function api(glue) {
  const guard = (name) => {
    const inner = glue[name];
    const wrapped = (...args) => {
      try {
        return inner(...args);
      } catch (error) {
        throw translate(glue, error);
      }
    };
    Object.defineProperty(wrapped, "name", { value: name });
    return wrapped;
  };
  return Object.fromEntries(EXPORTS.map((name) => [name, guard(name)]));
}

function translate(glue, error) {
  if (error instanceof Error && error.name === "CertcheckError" && !(error instanceof CertcheckError)) {
    return new CertcheckError(error.code, error.message);
  }
  if (error instanceof WebAssembly.RuntimeError) {
    let detail = error.message;
    try {
      detail = glue.takePanicMessage() ?? detail;
    } catch {
      // The message is a courtesy; the error below is what matters.
    }
    return new CertcheckError("internal", `certcheck hit an internal error (please report it): ${detail}`, {
      cause: error,
    });
  }
  return error;
}
