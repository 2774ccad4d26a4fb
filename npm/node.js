// Node entry point (ESM; `require` works too on Node >= 20.19): the full module loads
// synchronously from disk at import, so every function is available at once.
import { readFileSync } from "node:fs";

import * as full from "./certcheck_full.js";
import { use } from "./state.js";

full.initSync({ module: readFileSync(new URL("./certcheck_full_bg.wasm", import.meta.url)) });
use(full, true);

export * from "./exports.js";
