// Types of the certcheck npm package. Field names are snake_case, exactly as `certcheck --json`
// prints them. The unions below are checked against the Rust core's tables by `cargo test`
// (crates/certcheck-wasm/tests/typescript.rs): a code added there fails until it is added here.

/** Where an upload is going. */
export type Destination = "anthropic-tunnel" | "cloudflare-access" | "cloudflare-mtls" | "cloudflare-gateway";

/** Severity of one diagnostic. */
export type Severity = "error" | "warning" | "info";

/** The worst severity present: `ok` when there is nothing worse than info. */
export type Verdict = "ok" | "warning" | "error";

/** Every stable diagnostic code (see `rules()` for severities, descriptions and citations). */
export type DiagnosticCode =
  | "bundle.count"
  | "cert.bc_not_critical"
  | "cert.duplicate"
  | "cert.duplicate_extension"
  | "cert.eku_no_client_auth"
  | "cert.expired"
  | "cert.expires_soon"
  | "cert.key_algorithm"
  | "cert.no_key_cert_sign"
  | "cert.no_subject_key_id"
  | "cert.not_ca"
  | "cert.not_der"
  | "cert.not_yet_valid"
  | "cert.parse_error"
  | "cert.serial_invalid"
  | "cert.signature_algorithm_mismatch"
  | "cert.time_encoding"
  | "cert.unknown_critical_extension"
  | "cert.weak_key"
  | "cert.weak_signature"
  | "chain.broken"
  | "chain.order"
  | "input.binary"
  | "input.csr"
  | "input.der"
  | "input.empty"
  | "input.pkcs12"
  | "input.pkcs7"
  | "input.public_key"
  | "input.too_large"
  | "key.encrypted"
  | "key.mismatch"
  | "key.private_key_present"
  | "peer.authority_key_id"
  | "peer.certificate_profile"
  | "peer.extended_key_usage"
  | "peer.extension_criticality"
  | "peer.is_ca"
  | "peer.issuer_key_usage"
  | "peer.issuer_not_ca"
  | "peer.key_usage"
  | "peer.leaf_key_cert_sign"
  | "peer.name_constraints"
  | "peer.name_mismatch"
  | "peer.not_direct"
  | "peer.outlives_ca"
  | "peer.path_length"
  | "peer.unknown_ca"
  | "pem.bad_base64"
  | "pem.bom"
  | "pem.crlf"
  | "pem.escaped_newlines"
  | "pem.fingerprint_comment_mismatch"
  | "pem.label_mismatch"
  | "pem.line_width"
  | "pem.lookalike_characters"
  | "pem.no_blocks"
  | "pem.not_strict"
  | "pem.text_outside_blocks"
  | "pem.unexpected_label"
  | "pem.unterminated"
  | "response.expires_on_differs"
  | "response.fingerprint_mismatch"
  | "response.mismatch"
  | "signature.invalid"
  | "signature.unchecked"
  | "signature.unsupported";

/** A named, machine-appliable repair (see `applyFixes`). */
export type FixName =
  | "strip_bom"
  | "der_to_pem"
  | "extract_pkcs7_certificates"
  | "strip_escaped_newlines"
  | "crlf_to_lf"
  | "replace_lookalike_characters"
  | "add_pem_armor"
  | "fix_end_label"
  | "drop_text_outside_blocks"
  | "drop_private_key"
  | "drop_unexpected_blocks"
  | "drop_duplicate_certificates"
  | "reorder_chain"
  | "keep_one_certificate"
  | "rewrap_lines";

/** The rule profiles of `rules()`: inspect, each destination, and mTLS split by its `ca` flag. */
export type Profile =
  | "inspect"
  | "anthropic-tunnel"
  | "cloudflare-access"
  | "cloudflare-mtls-ca"
  | "cloudflare-mtls-leaf"
  | "cloudflare-gateway";

/** PEM text, or the bytes of a DER certificate, PKCS#7 bundle or PKCS#12 file (a Node `Buffer` is a `Uint8Array`). */
export type Input = string | Uint8Array | ArrayBuffer;

/** When to evaluate validity: an RFC 3339 timestamp (`"2026-11-22T00:00:00Z"`) or a `Date`. Default: now. */
export type Instant = string | Date;

export interface CheckOptions {
  /** The destination whose rules apply. */
  to: Destination;
  /** `cloudflare-mtls` only: `true` (default) for a CA, `false` for a leaf + chain + private key. */
  ca?: boolean;
  now?: Instant;
}

export interface InspectOptions {
  now?: Instant;
}

export interface FixOptions {
  /** The destination, when the fixes should keep only what it takes (e.g. `keep_one_certificate`). */
  to?: Destination;
  ca?: boolean;
  now?: Instant;
}

/** Public key algorithm: one of the names below, or the dotted OID of an algorithm certcheck does not name. */
export type KeyAlgorithm = "RSA" | "RSASSA-PSS" | "EC" | "Ed25519" | "Ed448" | "X25519" | "X448" | "DSA" | (string & {});

export interface KeyInfo {
  algorithm: KeyAlgorithm;
  /** Modulus bits (RSA), field bits (EC), prime bits (DSA), key bits (EdDSA). */
  bits: number | null;
  /** Named curve for EC keys (`"P-256"`, `"P-384"`, …; a dotted OID or `"explicit parameters"` otherwise). */
  curve: string | null;
}

/** Digests of the certificate's original DER bytes, lowercase hex without separators. */
export interface Fingerprints {
  sha256: string;
  sha1: string;
  md5: string;
}

/** The exact strings each vendor shows for this certificate. */
export interface Spellings {
  /** Anthropic's `fingerprint`: SHA-256, lowercase hex, no separators. */
  anthropic: string;
  /** Cloudflare Access: `MD5 Fingerprint=1E:80:…`. */
  cloudflare_access: string;
  /** Cloudflare Gateway: SHA-256, uppercase, colon-separated (Cloudflare itself may drop leading zeros: `AB:0:31`). */
  cloudflare_gateway: string;
  /** `openssl x509 -fingerprint -sha256`: `sha256 Fingerprint=E9:19:…`. */
  openssl_sha256: string;
}

export interface Certificate {
  /** Position among the certificates of the input. */
  index: number;
  /** The PEM block it came from (0 for DER input). */
  block: number;
  /** RFC 4514 order: `CN=…,O=…,C=…`. */
  subject: string;
  issuer: string;
  /** Lowercase hex. */
  serial: string;
  /** RFC 3339. */
  not_before: string;
  /** RFC 3339. */
  not_after: string;
  is_ca: boolean;
  /** Subject equals issuer, the key identifiers agree, and its own key verifies its signature. */
  self_signed: boolean;
  /** It names itself as its issuer (subject equals issuer as DER, key identifiers agree), whether or not its signature verifies. */
  self_issued: boolean;
  /** The certificate of the same input named as its issuer (names and key identifiers), `null` if none or self-issued. */
  issuer_index: number | null;
  /** What verified its signature: the issuer at that index, `"self"`, or `null` (issuer absent, signature invalid, algorithm unsupported). */
  verified_by: number | "self" | null;
  path_len: number | null;
  key: KeyInfo;
  /** OpenSSL's name, e.g. `"sha256WithRSAEncryption"`, `"ecdsa-with-SHA384"`. */
  signature_algorithm: string;
  subject_key_id: string | null;
  authority_key_id: string | null;
  /** `"DNS:…"`, `"IP Address:…"`, `"email:…"`, `"URI:…"`. */
  san: string[];
  /** RFC 5280 names: `"digitalSignature"`, `"keyCertSign"`, `"cRLSign"`, … */
  key_usage: string[];
  /** `"serverAuth"`, `"clientAuth"`, …, or dotted OIDs. */
  extended_key_usage: string[];
  fingerprints: Fingerprints;
  spellings: Spellings;
}

/** How a private key was found: never its material. */
export type PrivateKeyKind =
  | "PKCS#8"
  | "RSA"
  | "EC"
  | "DSA"
  | "encrypted"
  | "OpenSSH"
  | "PGP"
  | "SSH2"
  | "PuTTY"
  | "JWK"
  | "PKCS#12"
  | (string & {});

export interface PrivateKey {
  /** The PEM block holding it (0 for binary input), `null` when it is not in a block. */
  block: number | null;
  kind: PrivateKeyKind;
  /**
   * Whether the key itself is encrypted (encrypted PKCS#8, RFC 1421 encryption headers, an
   * OpenSSH key with a passphrase, SSH2, PKCS#12): it cannot be matched and is never sent.
   */
  encrypted: boolean;
  /** Index of the certificate whose public key this key belongs to, `null` if none or unknown. */
  matches_certificate: number | null;
  /** Where the key starts in the input as given (1-based; `null` for binary input). */
  line: number | null;
  column: number | null;
  /** The position just after its last character. */
  end_line: number | null;
  end_column: number | null;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** One sentence with the why and the fix. */
  message: string;
  /** 1-based; `null` where the problem has no position (e.g. binary input). */
  line: number | null;
  /** 1-based, in characters. */
  column: number | null;
  block: number | null;
  certificate: number | null;
  /** The named fix that repairs it, if one exists. */
  fix: FixName | null;
  /** `verify` only: which input the diagnostic (and its position) is about. */
  input?: InputKind;
}

/** The inputs of `verify`: the certificate presented (with intermediates), the CAs, the key. */
export type InputKind = "certificate" | "ca" | "key";

/** The report contract (DESIGN.md): identical to `certcheck check --json` for the same input and options. */
export interface Report {
  /** `null` for `inspect`. */
  destination: Destination | null;
  verdict: Verdict;
  certificates: Certificate[];
  private_keys: PrivateKey[];
  diagnostics: Diagnostic[];
  /** What would be posted: LF endings, 64 columns, only the blocks the destination takes. */
  normalized_pem: string | null;
}

/** One entry of `fingerprints()`. */
export interface CertificateFingerprints {
  index: number;
  block: number;
  subject: string;
  fingerprints: Fingerprints;
  spellings: Spellings;
}

export type FingerprintAlgorithm = "sha256" | "sha1" | "md5";

export interface ParsedFingerprint {
  /** Named by a prefix (`MD5 Fingerprint=`, `SHA256:` …) or implied by the length. */
  algorithm: FingerprintAlgorithm;
  /** The digest, lowercase hex without separators. */
  hex: string;
}

export interface Rule {
  code: DiagnosticCode;
  /** Severity per profile; `null` where the rule does not apply. */
  severities: Record<Profile, Severity | null>;
  description: string;
  /** RFC section or vendor page. */
  citation: string;
}

export interface DestinationInfo {
  name: Destination;
  /** `false` only for the Cloudflare mTLS leaf upload (leaf + chain + private key). */
  ca: boolean;
  /** The rule profile: the keys of `Rule.severities`. */
  profile: Profile;
  /** What a person calls it. */
  label: string;
  /** What this destination takes. */
  requirements: string;
  /** The vendor's documented size limit in characters, if any (Anthropic: 8192). */
  size_limit: number | null;
}

/** Why a call was refused. */
export type ErrorCode =
  | "invalid_input"
  | "invalid_options"
  | "invalid_fingerprint"
  | "invalid_response"
  | "not_loaded"
  | "internal"
  | CreateErrorCode;

/** Why `createCa` or `createCertificate` refused: a destination rule's code, or one of certcheck's own. */
export type CreateErrorCode =
  | "cert.key_algorithm"
  | "key.encrypted"
  | "key.mismatch"
  | "new.ca_certificate"
  | "new.ca_key"
  | "new.days"
  | "new.destination"
  | "new.encoding"
  | "new.key_type"
  | "new.name"
  | "new.passphrase"
  | "new.profile"
  | "new.random"
  | "new.refused"
  | "new.request"
  | "new.signature";

/**
 * Every error certcheck throws. `not_loaded`: `verify` or `verifyResponse` was called in a
 * browser before `await load()`. `internal` means a bug in certcheck: please report it.
 */
export declare class CertcheckError extends Error {
  readonly name: "CertcheckError";
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown });
}

/**
 * Checks an upload for a destination: every certificate, key and problem, with positions and fixes.
 * @throws {CertcheckError} `invalid_input` or `invalid_options`.
 */
export function check(input: Input, options: CheckOptions): Report;

/**
 * Reads an input without destination rules (`destination` is `null`).
 * @throws {CertcheckError} `invalid_input` or `invalid_options`.
 */
export function inspect(input: Input, options?: InspectOptions): Report;

/**
 * Every certificate's digests and vendor spellings, in input order.
 * @throws {CertcheckError} `invalid_input`.
 */
export function fingerprints(input: Input): CertificateFingerprints[];

/**
 * Reads any spelling of a fingerprint: prefixes, any case, `:`/space/`-` separators or none,
 * Cloudflare's unpadded bytes (`AB:0:31`).
 * @throws {CertcheckError} `invalid_fingerprint` saying what is wrong.
 */
export function parseFingerprint(text: string): ParsedFingerprint;

/**
 * Whether two spellings name the same digest (`"MD5 Fingerprint=1E:80:…"` equals `"1e80…"`).
 * @throws {CertcheckError} `invalid_fingerprint` when either is no fingerprint.
 */
export function fingerprintsEqual(a: string, b: string): boolean;

/**
 * Applies named fixes (every fix the report offers when `fixes` is omitted) and returns the new
 * input: a string when the result is text, else the bytes unchanged.
 * @throws {CertcheckError} `invalid_input` or `invalid_options` (an unknown fix name).
 */
export function applyFixes(input: Input, fixes?: readonly FixName[] | null, options?: FixOptions): string | Uint8Array;

export interface VerifyOptions {
  /** The destination the response came from. */
  to: Destination;
  /** `cloudflare-mtls` only: the `ca` flag of the upload. */
  ca?: boolean;
  now?: Instant;
  /** The PEM you uploaded; optional for Gateway and mTLS, whose responses carry their PEM. */
  pem?: Input;
}

/**
 * Needs the full module: in a browser, `await load()` first (Node has it at import).
 *
 * Proves the vendor stored what you meant: compares its answer (JSON text or bytes, bare or in
 * Cloudflare's envelope) with `pem` or the PEM it carries. The report is the PEM's, with
 * `response.fingerprint_mismatch` / `response.mismatch` added where the answer disagrees.
 * @throws {CertcheckError} `invalid_response` for a vendor error, non-JSON, another shape or no PEM.
 */
export function verifyResponse(response: Input, options: VerifyOptions): Report;

export interface VerifyPeerOptions {
  /** The destination the CA is uploaded to: `anthropic-tunnel` (a server certificate), `cloudflare-access` or `cloudflare-mtls` (client certificates). */
  to: Destination;
  /** The CA certificate(s) uploaded or about to be: any of them may anchor (a rotation, an intermediate-first bundle). */
  ca: Input;
  /** The presented certificate's private key: matched, never reported. */
  key?: Input;
  /** Anthropic: the tunnel's domain; the certificate must cover `*.<domain>`. */
  tunnelDomain?: string;
  /** Host names or IP addresses the certificate must cover (RFC 6125). */
  hosts?: readonly string[];
  /** Email addresses (RFC 822 names) a client certificate must carry in its subjectAltName. */
  emails?: readonly string[];
  now?: Instant;
}

/** One certificate of the path found, presented certificate first, anchoring CA last. */
export interface PathStep {
  input: InputKind;
  /** Its index among that input's certificates. */
  index: number;
  subject: string;
  /** SHA-256 of its DER, lowercase hex. */
  sha256: string;
}

/** What `verify` returns: the report contract with every diagnostic naming its input. */
export interface PeerReport {
  destination: Destination;
  /** `error`: the vendor would refuse the certificate. */
  verdict: Verdict;
  /** The presented certificate first, then its intermediates. */
  certificates: Certificate[];
  ca_certificates: Certificate[];
  private_keys: PrivateKey[];
  /** Empty when no valid path exists. */
  path: PathStep[];
  diagnostics: Diagnostic[];
}

/**
 * Needs the full module: in a browser, `await load()` first (Node has it at import).
 *
 * Will the vendor accept the certificate you present, against the CA you upload? Builds the
 * path, verifies every signature on it, and applies the destination's rules (names, purposes,
 * key usage, key identifiers, validity). The same report as `certcheck verify --json`.
 * @throws {CertcheckError} `invalid_input` or `invalid_options` (e.g. `to: "cloudflare-gateway"`).
 */
export function verify(certificate: Input, options: VerifyPeerOptions): PeerReport;

/** A key type certcheck makes (`ed25519` is accepted only to be refused with the destination's rule). */
export type KeyType = "p256" | "p384" | "rsa2048" | "rsa3072" | "rsa4096" | "ed25519";

/** The destinations that take a CA certcheck can make. */
export type CreateDestination = "anthropic-tunnel" | "cloudflare-access" | "cloudflare-mtls";

/** Options of `createCa`. */
export interface CreateCaOptions {
  to: CreateDestination;
  /** The CA's common name; default `certcheck <destination> CA <date>`. */
  name?: string;
  /** Days of validity; default 1826 (five years). */
  days?: number;
  /** Default `p256`. */
  keyType?: KeyType;
  /** The time the CA is made at (RFC 3339 or a Date); default the clock. */
  now?: string | Date;
  /** Encrypt the new private key (PKCS#8, PBES2: PBKDF2-SHA256 + AES-256-CBC) with this passphrase. */
  passphrase?: string;
}

/** Options of `createCertificate`. */
export interface CreateCertificateOptions {
  /** The destination whose CA verifies the certificate: a server for `anthropic-tunnel`, a client for the Cloudflare destinations. */
  to: CreateDestination;
  /** Must be what the destination verifies (the default). */
  kind?: "server" | "client";
  /** The CA certificate that signs. */
  ca: Input;
  /** The CA's private key: PKCS#8 (plain or encrypted), SEC1 or PKCS#1, PEM or DER. */
  caKey: Input;
  /** The CA key's passphrase, when it is encrypted. */
  caKeyPassphrase?: string;
  /** `anthropic-tunnel`: the tunnel's domain; the certificate names `*.<tunnelDomain>`. */
  tunnelDomain?: string;
  /** The subject's common name (required for a client; a server's default is `*.<tunnelDomain>`). */
  name?: string;
  /** More subjectAltName DNS names or IP addresses. */
  hosts?: string[];
  /** subjectAltName email addresses. */
  emails?: string[];
  /** subjectAltName URIs. */
  uris?: string[];
  /** Days of validity; default 397, never past the CA's notAfter. */
  days?: number;
  /** Default `p256`; ignored with `csr`. */
  keyType?: KeyType;
  /** A PKCS#10 request whose key the certificate certifies (its signature is verified); no key is made. */
  csr?: Input;
  now?: string | Date;
  /** Encrypt the new private key with this passphrase. */
  passphrase?: string;
}

/** What `createCa` and `createCertificate` made, with the proof. */
export interface Created {
  kind: "ca" | "server" | "client";
  destination: CreateDestination;
  /** The certificate, PEM. */
  certificate: string;
  /** The new private key, PKCS#8 PEM (`ENCRYPTED PRIVATE KEY` with a passphrase); `null` with `csr`. It never leaves this process unless you send it. */
  privateKey: string | null;
  privateKeyEncrypted: boolean;
  /** The certificate's fingerprint as the destination's vendor spells it. */
  fingerprint: string;
  /** `check` of the certificate: a CA with its destination's rules, a leaf inspected. */
  check: Report;
  /** `verify` of a leaf against its CA; `null` for a CA. */
  verify: PeerReport | null;
}

/**
 * Needs the full module: in a browser, `await load()` first (Node has it at import).
 *
 * Makes a CA for the destination (basicConstraints critical CA:TRUE pathLen 0, keyUsage critical
 * keyCertSign + cRLSign, SKI, AKI = SKI, random 16-octet serial). It passes `check` for the
 * destination with no error and no warning, or nothing is returned.
 * @throws {CertcheckError} `cert.key_algorithm` (a key type the destination refuses), `new.*`, `invalid_options`.
 */
export function createCa(options: CreateCaOptions): Created;

/**
 * Needs the full module: in a browser, `await load()` first (Node has it at import).
 *
 * Makes the server (`anthropic-tunnel`: `*.<tunnelDomain>`, serverAuth) or client (Cloudflare:
 * clientAuth) certificate the CA verifies, signed by it directly, and proves it with `check` and
 * `verify` (no error, no warning) before returning it.
 * @throws {CertcheckError} `key.encrypted`, `new.passphrase`, `key.mismatch`, `new.request`, `new.name`, `new.refused`, `invalid_options`, …
 */
export function createCertificate(options: CreateCertificateOptions): Created;

/** The rule table: every code with its severity per profile, description and citation. */
export function rules(): Rule[];

/** Every destination (Cloudflare mTLS as a CA and as a leaf) with what it requires. */
export function destinations(): DestinationInfo[];

/** Every fix name, in the order fixes are applied. */
export function fixNames(): FixName[];

/** The package version. */
export function version(): string;

/** Already resolved: there is nothing to wait for (the WebAssembly module is embedded and instantiated, synchronously, by the first call that needs it). */
export const ready: Promise<void>;

/**
 * Loads the full module, once, and switches every function to it. A browser import starts with
 * the lean module (what `check`, `inspect`, `fingerprints`, the fixes and the tables need); the
 * full one adds signature verification to `check` and `inspect` (until then their reports carry
 * `signature.unchecked`), matching of EC and Ed25519 private keys without their public half, and
 * `verify` and `verifyResponse`. Resolves at once in Node, which loads the full module at import.
 * A failed fetch rejects, and a later call tries again.
 */
export function load(): Promise<void>;

/** Whether the full module is in use (always in Node; in a browser once `load()` has resolved). */
export function loaded(): boolean;
