// Checked with `tsc --noEmit --strict`: what a TypeScript user writes must type-check, and the
// mistakes below must not (each `@ts-expect-error` fails the build if the error disappears).
declare const console: { log(...values: unknown[]): void };

import {
  CertcheckError,
  applyFixes,
  check,
  createCa,
  createCertificate,
  destinations,
  fingerprints,
  fingerprintsEqual,
  inspect,
  load,
  loaded,
  parseFingerprint,
  ready,
  rules,
  verify,
  verifyResponse,
  type Certificate,
  type Created,
  type PeerReport,
  type DiagnosticCode,
  type Destination,
  type ErrorCode,
  type FixName,
  type Report,
  type Severity,
} from "certcheck";

const pem: string = "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n";
const report: Report = check(pem, { to: "anthropic-tunnel", now: new Date() });
const destination: Destination | null = report.destination;
const codes: DiagnosticCode[] = report.diagnostics.map((d) => d.code);
const fixes: (FixName | null)[] = report.diagnostics.map((d) => d.fix);
const lines: (number | null)[] = report.diagnostics.map((d) => d.line);
const first: Certificate | undefined = report.certificates[0];
const days: string | undefined = first?.not_after;
const gateway: string | undefined = first?.spellings.cloudflare_gateway;
const bits: number | null | undefined = first?.key.bits;
const keyMatches: (number | null)[] = report.private_keys.map((k) => k.matches_certificate);
const severity: Severity | null = rules()[0]?.severities["cloudflare-mtls-leaf"] ?? null;
const limit: number | null | undefined = destinations()[0]?.size_limit;
const leaf = check(new Uint8Array([0x30]), { to: "cloudflare-mtls", ca: false });
const inspected = inspect(pem);
const same: boolean = fingerprintsEqual("AB:0:31", "ab0031");
const algorithm: "sha256" | "sha1" | "md5" = parseFingerprint("MD5 Fingerprint=00").algorithm;
const listed: string[] = fingerprints(pem).map((f) => f.spellings.anthropic);
const fixed: string | Uint8Array = applyFixes(pem, ["crlf_to_lf", "strip_bom"], { to: "cloudflare-access" });
const all: string | Uint8Array = applyFixes(pem);
const verified: Report = verifyResponse("{}", { to: "cloudflare-gateway", pem: new Uint8Array() });
const peer: PeerReport = verify(pem, { to: "anthropic-tunnel", ca: pem, tunnelDomain: "t.example.com", hosts: ["a.t.example.com"] });
const anchor: string | undefined = peer.path[peer.path.length - 1]?.sha256;
const inputs: ("certificate" | "ca" | "key" | undefined)[] = peer.diagnostics.map((d) => d.input);
const signer: number | "self" | null | undefined = first?.verified_by;
await ready;
await load();
const full: boolean = loaded();

try {
  check(pem, { to: "cloudflare-access" });
} catch (error) {
  if (error instanceof CertcheckError) {
    const code: ErrorCode = error.code;
    console.log(code, error.message);
  }
}

// @ts-expect-error: verify needs the CA
verify(pem, { to: "cloudflare-access" });
// @ts-expect-error: an unknown destination is a type error
check(pem, { to: "cloudflare" });
// @ts-expect-error: `to` is required for check
check(pem, {});
// @ts-expect-error: an unknown fix name is a type error
applyFixes(pem, ["make_it_work"]);
// @ts-expect-error: verdicts are a closed union
const verdict: "fine" = report.verdict;
// @ts-expect-error: codes are a closed union
const code: DiagnosticCode = "pem.typo";
// @ts-expect-error: a number is no input
inspect(42);

console.log(destination, codes, fixes, lines, days, gateway, bits, keyMatches, severity, limit, leaf, inspected);
console.log(same, algorithm, listed, fixed, all, verdict, code, verified, full);
// @ts-expect-error: load() takes no module path
load("certcheck_full_bg.wasm");
console.log(peer, anchor, inputs, signer);

// Making a CA and the certificate it verifies.
const made: Created = createCa({ to: "anthropic-tunnel", keyType: "p384", days: 730, passphrase: "x" });
const server: Created = createCertificate({
  to: "anthropic-tunnel",
  ca: made.certificate,
  caKey: made.privateKey ?? "",
  caKeyPassphrase: "x",
  tunnelDomain: "t.example.com",
});
const serverVerdict: string | undefined = server.verify?.verdict;
console.log(made.fingerprint, serverVerdict);
// @ts-expect-error: Gateway CAs are made by Cloudflare
createCa({ to: "cloudflare-gateway" });
// @ts-expect-error: no such key type
createCa({ to: "cloudflare-access", keyType: "rsa1024" });
// @ts-expect-error: a certificate needs its CA's key
createCertificate({ to: "cloudflare-mtls", ca: made.certificate, name: "c" });
