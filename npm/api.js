// The wrapper over the wasm-bindgen glue that exports.js applies (tested alone with a stand-in
// glue by tests/npm/api.test.mjs). It turns the glue's plain Errors into CertcheckError and a wasm trap (a panic: a bug) into a
// CertcheckError with code "internal" and the panic's message, never an opaque "unreachable".
// The glue is looked up at each call: the browser entry starts with the lean module and switches
// to the full one when load() has fetched it.

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
  "createCa",
  "createCertificate",
  "rules",
  "destinations",
  "fixNames",
  "version",
];

// Functions whose first argument is an input (a string or bytes). A string is handed to the module
// as its UTF-8 bytes, encoded here: TextEncoder does it in one native pass, where the glue copies
// a string character by character (a third of the time of a Mozilla-bundle check in Node). The
// module reads a string and its UTF-8 bytes alike, so reports do not change. Very long strings
// are left to the module, which measures them without copying (it refuses inputs over its limit).
const INPUT_FIRST = new Set(["check", "inspect", "fingerprints", "applyFixes", "verify", "verifyResponse"]);
const ENCODE_UP_TO = 1 << 22;
const encoder = new TextEncoder();

/** `glue` is the module's glue, or a function returning the glue in use at the time of a call. */
export function api(glue) {
  const current = typeof glue === "function" ? glue : () => glue;
  const guard = (name) => {
    const encodesInput = INPUT_FIRST.has(name);
    const wrapped = (...args) => {
      if (encodesInput && typeof args[0] === "string" && args[0].length <= ENCODE_UP_TO) {
        args[0] = encoder.encode(args[0]);
      }
      const module = current();
      const inner = module?.[name];
      if (typeof inner !== "function") {
        throw new CertcheckError(
          "not_loaded",
          `${name}() needs certcheck's full module: call \`await load()\` once first (it fetches the full module once; Node has it from the start)`,
        );
      }
      try {
        return inner(...args);
      } catch (error) {
        throw translate(module, error);
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
