// Node entry point (ESM; `require` works too on Node >= 20.19): the module loads synchronously.
import { readFileSync } from "node:fs";

import { initSync } from "./certcheck_wasm.js";

initSync({ module: readFileSync(new URL("./certcheck_wasm_bg.wasm", import.meta.url)) });

export * from "./exports.js";
