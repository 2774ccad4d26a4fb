// `node peers.mjs --bundle FILE [--seconds S] [--json]`: certcheck's npm package and the
// libraries a user would pick instead, in this one Node process, on the same bundle, doing the
// same job per certificate (jobs/*.mjs). Each library's answers are first compared with
// node:crypto's (SHA-256, MD5, notAfter, CA flag); a library that throws is run certificate by
// certificate to name what it fails on, and timed on the rest. Then repeated timed runs for S
// seconds each after warm-up: median, min and max µs per certificate, ratio to certcheck.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { option as optionOf, stats } from "./cli.mjs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { X509Certificate } from "node:crypto";
import { pemBlocks } from "./jobs/common.mjs";
import { makeJob } from "./jobs/certcheck.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => optionOf(args, name, fallback);
const bundlePath = option("--bundle");
if (!bundlePath) {
  console.error("usage: node peers.mjs --bundle FILE [--seconds S] [--json]");
  process.exit(2);
}
const seconds = Number(option("--seconds", "2"));
const packageDir = process.env.CERTCHECK_PACKAGE ?? join(here, "../../target/npm/certcheck");
const bundle = readFileSync(bundlePath, "utf8");
const blocks = pemBlocks(bundle);
const require = createRequire(import.meta.url);
const version = (name) => require(`${name}/package.json`).version;
const certcheck = await import(pathToFileURL(join(packageDir, "node.js")).href);

const libraries = [
  { name: "certcheck", version: JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).version, job: makeJob(certcheck.inspect) },
  { name: "node:crypto", version: process.version, job: (await import("./jobs/node-crypto.mjs")).job },
  { name: "jsrsasign", version: version("jsrsasign"), job: (await import("./jobs/jsrsasign.mjs")).job },
  { name: "@peculiar/x509", version: version("@peculiar/x509"), job: (await import("./jobs/peculiar.mjs")).job },
  { name: "pkijs", version: version("pkijs"), job: (await import("./jobs/pkijs.mjs")).job },
  { name: "node-forge", version: version("node-forge"), job: (await import("./jobs/forge.mjs")).job },
];

const reference = (await libraries[1].job(bundle));
const keyAlgorithm = (pem) => new X509Certificate(pem).publicKey.asymmetricKeyType;


const results = [];
for (const library of libraries) {
  // Which certificates it can do.
  let input = bundle;
  let indices = blocks.map((_, i) => i);
  const failed = [];
  try {
    // certcheck's first call in the process verifies every signature (later calls find them
    // remembered): timed apart.
    const started = performance.now();
    await library.job(bundle);
    if (library.name === "certcheck") library.coldMs = performance.now() - started;
  } catch {
    indices = [];
    for (const [index, pem] of blocks.entries()) {
      try {
        await library.job(pem);
        indices.push(index);
      } catch (error) {
        failed.push({ index, reason: `${keyAlgorithm(pem)} key: ${String(error.message ?? error).split("\n")[0]}` });
      }
    }
    input = indices.map((i) => blocks[i]).join("\n");
  }
  const answers = await library.job(input);
  let agree = 0;
  for (const [position, index] of indices.entries()) {
    const ours = answers[position];
    const expected = reference[index];
    if (
      ours &&
      ours.subject &&
      ours.sha256 === expected.sha256 &&
      ours.md5 === expected.md5 &&
      ours.notAfter === expected.notAfter &&
      ours.isCA === expected.isCA
    ) {
      agree += 1;
    }
  }
  // Warm-up, then timed runs.
  for (let i = 0; i < 3; i += 1) await library.job(input);
  const perCertificate = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline || perCertificate.length < 5) {
    const start = performance.now();
    await library.job(input);
    perCertificate.push(((performance.now() - start) * 1000) / indices.length);
  }
  results.push({
    name: library.name,
    version: library.version,
    usPerCert: stats(perCertificate),
    coldMs: library.coldMs ?? null,
    runs: perCertificate.length,
    certificates: indices.length,
    agree: `${agree}/${indices.length}`,
    failed,
    note: failed.length > 0 ? `timed on the ${indices.length} certificates it can parse` : "",
  });
}
const ours = results[0].usPerCert.median;
for (const result of results) result.ratio = result.usPerCert.median / ours;

const output = {
  node: process.version,
  machine: { cpu: cpus()[0]?.model ?? "unknown", count: cpus().length },
  bundle: { bytes: Buffer.byteLength(bundle), certificates: blocks.length },
  libraries: results,
};
if (args.includes("--json")) {
  console.log(JSON.stringify(output));
} else {
  console.log(`Node ${output.node}, ${output.bundle.certificates} certificates (${output.bundle.bytes} bytes)`);
  for (const r of results) {
    console.log(
      `${r.name.padEnd(16)} ${r.version.padEnd(10)} ${r.usPerCert.median.toFixed(1).padStart(8)} µs/cert (min ${r.usPerCert.min.toFixed(1)}, max ${r.usPerCert.max.toFixed(1)})  ×${r.ratio.toFixed(2)}  agree ${r.agree}${r.failed.length ? `  fails ${r.failed.length}: ${r.failed[0].reason}` : ""}`,
    );
  }
}
