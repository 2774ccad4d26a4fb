// Which wasm module the package's functions call (internal: the entry points set it). The
// browser entry starts with the lean module and switches to the full one when load() has
// fetched it; the Node entry uses the full module from the start. A module is instantiated on
// the first call that needs it, not at import: importing the package costs nothing and needs no
// top-level await.
let glue = null;
let start = null;
let full = false;
let loader = null;
let loading = null;

/** Makes `module` the glue every export calls — the glue itself, or a function that instantiates
 * and returns it, called once on first use; `isFull` when it is the full module; `fetchFull` is
 * how load() gets the full module where it is not in use yet. */
export function use(module, isFull, fetchFull) {
  if (typeof module === "function") {
    glue = null;
    start = module;
  } else {
    glue = module;
    start = null;
  }
  full = isFull;
  loader = fetchFull ?? null;
}

/** The glue in use (instantiated now if this is the first call). */
export function current() {
  if (glue === null && start !== null) {
    glue = start();
    start = null;
  }
  return glue;
}

/** Loads the full module once and switches to it. */
export function load() {
  if (full) return Promise.resolve();
  loading ??= (async () => {
    if (!loader) throw new Error("certcheck: no full module to load");
    use(await loader(), true);
  })().catch((error) => {
    // A failed fetch (offline, blocked) may be retried by calling load() again.
    loading = null;
    throw error;
  });
  return loading;
}

/** Whether the full module is in use. */
export function loaded() {
  return full;
}
