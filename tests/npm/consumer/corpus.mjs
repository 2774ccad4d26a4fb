// Runs inside a fresh project that installed the packed certcheck tarball, importing it the way a
// user does. Every fixture (and every extra corpus file) must give the same report as the CLI's
// `--json` for the same input and options; then `check` is timed on Mozilla's CA bundle.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

import { check, inspect, loaded, verify, verifyResponse, version } from "certcheck";

// Node loads the full module at import: signatures verified, verify and verifyResponse there.
assert.equal(loaded(), true);

const NOW = "2026-11-22T00:00:00Z";
const cli = process.env.CERTCHECK_CLI;
const data = process.env.CERTCHECK_DATA;
const extra = (process.env.CERTCHECK_EXTRA ?? "").split(":").filter(Boolean);
const mozilla = process.env.CERTCHECK_MOZILLA;

function viaCli(args, file) {
  let output;
  try {
    output = execFileSync(cli, [...args, "--json", "--now", NOW, file], { maxBuffer: 64 << 20 });
  } catch (error) {
    if (error.status !== 1) throw error; // 1: verdict error, still a report
    output = error.stdout;
  }
  return JSON.parse(output);
}

function viaPackage(args, input) {
  if (args[0] === "inspect") return inspect(input, { now: NOW });
  const to = args[args.indexOf("--to") + 1];
  return check(input, args.includes("--no-ca") ? { to, ca: false, now: NOW } : { to, now: NOW });
}

// ignoreBOM keeps a leading byte-order mark in the string, as a user's file reader would.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
let compared = 0;
function compare(args, file, label) {
  const bytes = readFileSync(file);
  const expected = viaCli(args, file);
  assert.deepStrictEqual(viaPackage(args, bytes), expected, `${label} (${args.join(" ")}) as bytes`);
  let text;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = undefined; // not UTF-8: bytes only, as a user would pass them
  }
  if (text !== undefined) {
    assert.deepStrictEqual(viaPackage(args, text), expected, `${label} (${args.join(" ")}) as a string`);
  }
  compared++;
}

const manifest = readFileSync(join(data, "cases.txt"), "utf8");
let cases = 0;
for (const line of manifest.split("\n").map((l) => l.trim())) {
  if (!line || line.startsWith("#")) continue;
  const [path, ...args] = line.split(/\s+/);
  compare(args, join(data, path), path);
  cases++;
}
console.log(`certcheck ${version()}: ${cases} fixture cases equal the CLI's --json`);

// verify-response: the package's verifyResponse equals the CLI's for every response fixture.
const responses = [
  ["gateway-example.json", "cloudflare-gateway", null],
  ["gateway-tampered-fingerprint.json", "cloudflare-gateway", null],
  ["gateway-tampered-issuer.json", "cloudflare-gateway", null],
  ["mtls-good-ca.json", "cloudflare-mtls", null],
  ["mtls-wrong-serial.json", "cloudflare-mtls", "mtls/good-ca.pem"],
  ["anthropic-good-rsa-ca.json", "anthropic-tunnel", "anthropic/good-rsa-ca.pem"],
  ["anthropic-wrong-fingerprint.json", "anthropic-tunnel", "anthropic/good-rsa-ca.pem"],
  ["access-good-root.json", "cloudflare-access", "access/good-root.pem"],
  ["access-expiry-off.json", "cloudflare-access", "access/good-root.pem"],
];
for (const [file, to, pem] of responses) {
  const path = join(data, "responses", file);
  const args = ["verify-response", "--to", to, ...(pem ? ["--pem", join(data, pem)] : [])];
  const expected = viaCli(args, path);
  const options = pem ? { to, now: NOW, pem: readFileSync(join(data, pem)) } : { to, now: NOW };
  assert.deepStrictEqual(verifyResponse(readFileSync(path, "utf8"), options), expected, `verifyResponse ${file}`);
}
console.log(`${responses.length} vendor responses: verifyResponse equals the CLI's verify-response --json`);

// verify: the package's verify equals the CLI's `verify --json` for every openssl-made case
// (tests/data/peer/cases.txt), the certificate given as a string and as bytes.
const peerManifest = readFileSync(join(data, "peer", "cases.txt"), "utf8");
let peerCases = 0;
for (const line of peerManifest.split("\n").map((l) => l.trim())) {
  if (!line || line.startsWith("#")) continue;
  const [path, ...args] = line.split(/\s+/);
  const value = (flag) => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  // Every flag a case uses is one this consumer turns into verify()'s options.
  const mapped = ["--to", "--ca", "--key", "--tunnel-domain", "--host", "--email"];
  for (const word of args.filter((w) => w.startsWith("--"))) {
    assert.ok(mapped.includes(word), `${line}: ${word} is not turned into a verify() option here`);
  }
  const every = (flag) => args.flatMap((word, at) => (word === flag ? [args[at + 1]] : []));
  const hosts = every("--host");
  const emails = every("--email");
  const cliArgs = args.map((word, at) => (["--ca", "--key"].includes(args[at - 1]) ? join(data, word) : word));
  const expected = viaCli(cliArgs, join(data, path));
  const options = { to: value("--to"), ca: readFileSync(join(data, value("--ca"))), now: NOW };
  if (value("--key")) options.key = readFileSync(join(data, value("--key")));
  if (value("--tunnel-domain")) options.tunnelDomain = value("--tunnel-domain");
  if (hosts.length) options.hosts = hosts;
  if (emails.length) options.emails = emails;
  const certificate = readFileSync(join(data, path));
  assert.deepStrictEqual(verify(certificate, options), expected, `verify ${line}`);
  assert.deepStrictEqual(verify(utf8.decode(certificate), options), expected, `verify ${line} (string)`);
  peerCases++;
}
console.log(`${peerCases} verify cases: verify equals the CLI's verify --json`);

function filesUnder(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(path, entry.name)) : [join(path, entry.name)],
  );
}
const destinations = [["inspect"], ["check", "--to", "anthropic-tunnel"], ["check", "--to", "cloudflare-access"], ["check", "--to", "cloudflare-mtls", "--no-ca"]];
let files = 0;
for (const file of extra.flatMap(filesUnder)) {
  if (statSync(file).size > 1 << 20) continue;
  for (const args of destinations) compare(args, file, file);
  files++;
}
if (extra.length) console.log(`${files} corpus files × ${destinations.length} destinations equal the CLI's --json`);
console.log(`${compared} reports compared in all`);

if (mozilla) {
  const bundle = readFileSync(mozilla);
  const options = { to: "cloudflare-access", now: NOW };
  const count = check(bundle, options).certificates.length;
  for (let i = 0; i < 10; i++) check(bundle, options); // warm up the JIT and the allocator
  const runs = [];
  for (let run = 0; run < 21; run++) {
    const started = performance.now();
    check(bundle, options);
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  const median = runs[10];
  console.log(
    `Mozilla's bundle (${count} certificates): check median ${median.toFixed(1)} ms over 21 runs, ` +
      `${((median * 1000) / count).toFixed(0)} µs per certificate (min ${runs[0].toFixed(1)} ms)`,
  );
}
