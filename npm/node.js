// Node entry point (ESM; `require` works too on Node >= 20.19): the full module, so every
// function is available at once (load() resolves at once). Its bytes are part of the JavaScript
// (certcheck_full_data.js: gzip, base64), decoded by zlib and instantiated synchronously by the
// first call.
import { Buffer } from "node:buffer";
import { gunzipSync } from "node:zlib";

import * as full from "./certcheck_full.js";
import fullModule from "./certcheck_full_data.js";
import { use } from "./state.js";

use(() => {
  full.initSync({ module: gunzipSync(Buffer.from(fullModule, "base64")) });
  return full;
}, true);

export * from "./exports.js";
