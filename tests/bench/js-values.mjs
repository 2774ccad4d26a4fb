// `node js-values.mjs --bundle FILE --one FILE --swb DIR [--json]`: how a report crosses into
// JavaScript, measured. The package's full module (serde_json + one JSON.parse, the way it
// ships) against the same module built with certcheck-wasm's `serde-wasm-bindgen` feature
// (objects built field by field), in one Node process: both must give deep-equal reports;
// then `inspect` on the bundle and on one certificate, alternating, median and min, and each
// module's size.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { option as optionOf, stats } from "./cli.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => optionOf(args, name, fallback);
const packageDir = process.env.CERTCHECK_PACKAGE;
const variants = [
  { name: "serde_json + JSON.parse", dir: packageDir, stem: "certcheck_full" },
  { name: "serde-wasm-bindgen", dir: option("--swb"), stem: "certcheck_swb" },
];
const bundle = new Uint8Array(readFileSync(option("--bundle")));
const one = new Uint8Array(readFileSync(option("--one")));
const now = "2026-11-22T00:00:00Z";
for (const variant of variants) {
  const glue = await import(pathToFileURL(join(variant.dir, `${variant.stem}.js`)).href);
  // The package embeds its modules (`<stem>_data.js`: base64 of the gzip); the variant built here is a file.
  const file = join(variant.dir, `${variant.stem}_bg.wasm`);
  const wasm = existsSync(file)
    ? readFileSync(file)
    : gunzipSync(Buffer.from((await import(pathToFileURL(join(variant.dir, `${variant.stem}_data.js`)).href)).default, "base64"));
  glue.initSync({ module: wasm });
  variant.glue = glue;
  variant.bytes = wasm.length;
  variant.gzip = gzipSync(wasm, { level: 9 }).length;
  variant.inspect = (input) => glue.inspect(input, { now });
  // Warm: signatures verified once, code tiered up.
  for (let i = 0; i < 30; i += 1) variant.inspect(bundle);
}
const [json, swb] = variants;
assert.deepStrictEqual(swb.inspect(bundle), json.inspect(bundle));
assert.deepStrictEqual(swb.inspect(one), json.inspect(one));
for (const [input, key, repeat] of [[bundle, "bundleMs", 5], [one, "oneMs", 200]]) {
  const samples = variants.map(() => []);
  for (let round = 0; round < 40; round += 1) {
    for (const [index, variant] of variants.entries()) {
      const start = performance.now();
      for (let i = 0; i < repeat; i += 1) variant.inspect(input);
      samples[index].push((performance.now() - start) / repeat);
    }
  }
  for (const [index, variant] of variants.entries()) variant[key] = stats(samples[index]);
}
const output = {
  node: process.version,
  variants: variants.map(({ name, bytes, gzip, bundleMs, oneMs }) => ({ name, bytes, gzip, bundleMs, oneMs })),
};
if (args.includes("--json")) {
  console.log(JSON.stringify(output));
} else {
  for (const v of output.variants) {
    console.log(
      `${v.name.padEnd(24)} bundle ${v.bundleMs.median.toFixed(2)} ms  one ${(v.oneMs.median * 1000).toFixed(1)} µs  wasm ${v.gzip} B gz`,
    );
  }
}
