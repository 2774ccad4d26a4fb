// Browser and bundler entry point: fetches and instantiates the module once (top-level await),
// so every export is synchronous and ready when the import resolves.
import init from "./certcheck_wasm.js";

await init({ module_or_path: new URL("./certcheck_wasm_bg.wasm", import.meta.url) });

export * from "./exports.js";
