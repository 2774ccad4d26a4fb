// `node sizes.mjs [--json]`: what a browser downloads for the job of peers.mjs. Each peer's job
// module bundled by esbuild (bundle, minify, ESM, browser platform, tree shaking) to memory,
// gzip -9. certcheck: its browser entry bundled the same way (the lean module is embedded in its
// JavaScript); what `await load()` adds (the full module's glue and embedded module) is reported apart.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = process.env.CERTCHECK_PACKAGE ?? join(here, "../../target/npm/certcheck");
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

async function bundle(contents) {
  const result = await build({
    stdin: { contents, resolveDir: here, sourcefile: "entry.mjs", loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    // load()'s dynamic import: fetched on demand, counted apart.
    external: ["*certcheck_full.js", "*certcheck_full_data.js"],
  });
  return result.outputFiles[0].contents;
}

const entries = [
  {
    name: "certcheck",
    contents: `import { inspect } from ${JSON.stringify(join(packageDir, "browser.js"))};
import { makeJob } from "./jobs/certcheck.mjs";
export const job = makeJob(inspect);`,
    onDemand: [join(packageDir, "certcheck_full.js"), join(packageDir, "certcheck_full_data.js")],
  },
  { name: "jsrsasign", contents: `export { job } from "./jobs/jsrsasign.mjs";` },
  { name: "@peculiar/x509", contents: `export { job } from "./jobs/peculiar.mjs";` },
  { name: "pkijs", contents: `export { job } from "./jobs/pkijs.mjs";` },
  { name: "node-forge", contents: `export { job } from "./jobs/forge.mjs";` },
];

const libraries = [];
for (const entry of entries) {
  const js = await bundle(entry.contents);
  const wasm = entry.wasm ? readFileSync(entry.wasm) : null;
  const jsGzip = gzip(js);
  const wasmGzip = wasm ? gzip(wasm) : 0;
  libraries.push({
    name: entry.name,
    jsRaw: js.length,
    jsGzip,
    wasmRaw: wasm ? wasm.length : 0,
    wasmGzip,
    totalGzip: jsGzip + wasmGzip,
    onDemandGzip: (entry.onDemand ?? []).reduce((sum, file) => sum + gzip(readFileSync(file)), 0),
  });
}
if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ libraries }));
} else {
  for (const l of libraries) {
    console.log(`${l.name.padEnd(16)} js ${l.jsRaw} B (${l.jsGzip} gz)  wasm ${l.wasmRaw} B (${l.wasmGzip} gz)  total ${l.totalGzip} B gz${l.onDemandGzip ? `  (+${l.onDemandGzip} B gz on load())` : ""}`);
  }
}
