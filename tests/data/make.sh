#!/usr/bin/env bash
# Regenerates the fixture inputs under tests/data/ and the manifest cases.txt, with the openssl CLI
# (OpenSSL 3.0), ssh-keygen, gpg, and python3's standard library (surgery.py and the heredocs
# below) for encodings openssl will not write. Keys are random, so outputs are not
# byte-reproducible; structure, names and validity dates are fixed (judged at 2026-11-22T00:00:00Z).
#
#   tests/data/make.sh              inputs + cases.txt (keeps every *.expected.json)
#   tests/data/make.sh --examples   also rewrites ../../examples/ (the README's demo inputs)
#
# After running: UPDATE_EXPECT=1 cargo test -p certcheck --test fixtures, review, cargo xtask fixtures.
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
with_examples=no
[ "${1:-}" = --examples ] && with_examples=yes
work=$(mktemp -d)
export GNUPGHOME="$work/gnupg"
cleanup() { gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

# The topic directories belong to this script, except the *.expected.json reports in them, which
# the fixture test writes (UPDATE_EXPECT=1) and which must survive a regeneration.
topics=(anthropic access mtls gateway input pem key cert inspect)
for t in "${topics[@]}"; do mkdir -p "$t"; find "$t" -type f ! -name '*.expected.json' -delete; done
manifest="$here/cases.txt"
cat > "$manifest" <<'HEAD'
# <input> <certcheck arguments>; the tests add --json --now 2026-11-22T00:00:00Z (made by make.sh)
# Each case is preceded by "# expect:", the diagnostic codes it is meant to trigger ("-": none).
HEAD
# case_ <path> <certcheck arguments> <expected codes, comma-separated, or ->
case_() { printf '# expect: %s\n%s %s\n' "$3" "$1" "$2" >> "$manifest"; }
section() { printf '\n# --- %s\n' "$1" >> "$manifest"; }

GOOD_START=20260101000000Z; GOOD_END=20360101000000Z   # good CAs
LEAF_END=20270101000000Z                              # leaves: 2026-01-01 -> 2027-01-01
mkdir -p "$work/new" "$GNUPGHOME"; chmod 700 "$GNUPGHOME"
cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = ca_default
[ca_default]
dir = $work
database = $work/index.txt
new_certs_dir = $work/new
serial = $work/serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
[policy_any]
commonName = optional
organizationName = optional
countryName = optional
# Anthropic's guide: basicConstraints=critical,CA:TRUE; keyUsage=critical,keyCertSign,cRLSign; SKI=hash.
[ca_ext_root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[int_ext]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_server_only]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:client.example.com
[bc_not_critical]
basicConstraints = CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[no_ski]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = none
authorityKeyIdentifier = none
[no_key_cert_sign]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
[no_key_usage]
basicConstraints = critical,CA:TRUE
subjectKeyIdentifier = hash
[unknown_critical]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
1.2.3.4 = critical,ASN1:UTF8String:hello
CNF

key() { # key <out> <rsa2048|ec:CURVE|dsa|ED25519|ED448>
  case "$2" in
    rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$1" 2>/dev/null ;;
    ec:*) openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:${2#ec:}" -out "$1" 2>/dev/null ;;
    dsa) openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out "$work/dsa.param" 2>/dev/null
         openssl genpkey -paramfile "$work/dsa.param" -out "$1" 2>/dev/null ;;
    *) openssl genpkey -algorithm "$2" -out "$1" 2>/dev/null ;;
  esac
}

# cert <out.pem> <subject> <key> <issuer cert|self> <issuer key> <extension section|none>
#      [notBefore] [notAfter] [digest|none] [serial hex]
# `openssl ca` is the only 3.0 command that takes explicit dates (-startdate/-enddate).
# Section "none" gives a v1 certificate (no extensions at all). Digest "none" for Ed25519/Ed448.
cert() {
  local out=$1 subject=$2 k=$3 issuer=$4 issuer_key=$5 section=$6
  local start=${7:-$GOOD_START} end=${8:-$GOOD_END} md=${9:-sha256} serial=${10:-}
  : > "$work/index.txt"
  if [ -n "$serial" ]; then echo "$serial" > "$work/serial"; else openssl rand -hex 16 | sed 's/^[89a-f]/1/' > "$work/serial"; fi
  openssl req -new -key "$k" -subj "$subject" -out "$work/req.csr" 2>/dev/null
  local args=(ca -batch -config "$work/ca.cnf" -in "$work/req.csr" -out "$work/out.pem" -notext -startdate "$start" -enddate "$end" -preserveDN)
  [ "$md" = none ] || args+=(-md "$md")
  [ "$section" = none ] || args+=(-extensions "$section")
  if [ "$issuer" = self ]; then args+=(-selfsign -keyfile "$k"); else args+=(-cert "$issuer" -keyfile "$issuer_key"); fi
  openssl "${args[@]}" 2>"$work/ca.err" || { cat "$work/ca.err" >&2; return 1; }
  openssl x509 -in "$work/out.pem" -out "$out"
}

# --- keys and the shared hierarchy: root (RSA-2048) -> intermediate (P-256) -> leaf (RSA-2048) ---
key "$work/root.key" rsa2048
cert "$work/root.pem" "/C=US/O=Example Corp/CN=Example Root CA" "$work/root.key" self - ca_ext_root
key "$work/int.key" ec:P-256
cert "$work/int.pem" "/C=US/O=Example Corp/CN=Example Client CA" "$work/int.key" "$work/root.pem" "$work/root.key" int_ext
key "$work/leaf.key" rsa2048
cert "$work/leaf.pem" "/O=Example Corp/CN=client.example.com" "$work/leaf.key" "$work/int.pem" "$work/int.key" leaf_ext "$GOOD_START" "$LEAF_END"
key "$work/other.key" rsa2048
cert "$work/other-root.pem" "/O=Other Corp/CN=Other Root CA" "$work/other.key" self - ca_ext_root
key "$work/int2.key" ec:P-256
cert "$work/int-server.pem" "/CN=Server-only Intermediate" "$work/int2.key" "$work/root.pem" "$work/root.key" int_server_only
key "$work/p256.key" ec:P-256
key "$work/p384.key" ec:P-384
key "$work/ed25519.key" ED25519
key "$work/ed448.key" ED448

# --- anthropic-tunnel: exactly one CA, <= 8192 characters, no private key ---------------------
section anthropic
A="check --to anthropic-tunnel"
cp "$work/root.pem" anthropic/good-rsa-ca.pem; case_ anthropic/good-rsa-ca.pem "$A" -
cert anthropic/good-ec-p256-ca.pem "/O=Example Corp/CN=P-256 Tunnel CA" "$work/p256.key" self - ca_ext_root
case_ anthropic/good-ec-p256-ca.pem "$A" -
cert anthropic/good-ec-p384-ca.pem "/O=Example Corp/CN=P-384 Tunnel CA" "$work/p384.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" sha384
case_ anthropic/good-ec-p384-ca.pem "$A" -
cp "$work/leaf.pem" anthropic/leaf-not-ca.pem; case_ anthropic/leaf-not-ca.pem "$A" cert.not_ca
cat "$work/root.pem" "$work/other-root.pem" > anthropic/two-cas.pem; case_ anthropic/two-cas.pem "$A" bundle.count
cat "$work/leaf.pem" "$work/int.pem" "$work/root.pem" > anthropic/full-chain.pem; case_ anthropic/full-chain.pem "$A" "bundle.count, cert.not_ca"
cat "$work/root.pem" "$work/root.key" > anthropic/ca-with-private-key.pem; case_ anthropic/ca-with-private-key.pem "$A" key.private_key_present
cert anthropic/bc-not-critical.pem "/CN=BC Not Critical CA" "$work/root.key" self - bc_not_critical; case_ anthropic/bc-not-critical.pem "$A" cert.bc_not_critical
cert anthropic/no-subject-key-id.pem "/CN=No SKI CA" "$work/root.key" self - no_ski; case_ anthropic/no-subject-key-id.pem "$A" cert.no_subject_key_id
cert anthropic/no-key-usage.pem "/CN=No Key Usage CA" "$work/root.key" self - no_key_usage; case_ anthropic/no-key-usage.pem "$A" cert.no_key_cert_sign
cert anthropic/not-yet-valid.pem "/CN=Future CA" "$work/root.key" self - ca_ext_root 20270601000000Z 20300101000000Z; case_ anthropic/not-yet-valid.pem "$A" cert.not_yet_valid
cert anthropic/sha1-signature.pem "/CN=SHA-1 CA" "$work/root.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" sha1; case_ anthropic/sha1-signature.pem "$A" cert.weak_signature
cert anthropic/md5-signature.pem "/CN=MD5 CA" "$work/root.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" md5; case_ anthropic/md5-signature.pem "$A" cert.weak_signature
key "$work/rsa1024.key" rsa1024; cert anthropic/rsa-1024.pem "/CN=RSA-1024 CA" "$work/rsa1024.key" self - ca_ext_root; case_ anthropic/rsa-1024.pem "$A" cert.weak_key
cert anthropic/ed25519-ca.pem "/CN=Ed25519 CA" "$work/ed25519.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" none; case_ anthropic/ed25519-ca.pem "$A" cert.key_algorithm
cert anthropic/ed448-ca.pem "/CN=Ed448 CA" "$work/ed448.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" none; case_ anthropic/ed448-ca.pem "$A" cert.key_algorithm
key "$work/dsa.key" dsa; cert anthropic/dsa-ca.pem "/CN=DSA CA" "$work/dsa.key" self - ca_ext_root; case_ anthropic/dsa-ca.pem "$A" cert.key_algorithm
{ for i in $(seq 1 100); do echo "# padding comment line $i: this CA was generated for the certcheck fixture corpus, see make.sh"; done; cat "$work/root.pem"; } > anthropic/too-large.pem
case_ anthropic/too-large.pem "$A" "input.too_large, pem.text_outside_blocks"
openssl x509 -in "$work/root.pem" -outform DER -out anthropic/der-certificate.der; case_ anthropic/der-certificate.der "$A" input.der

# --- cloudflare-access: CA certificates, a chain intermediate first -----------------------------
section cloudflare-access
C="check --to cloudflare-access"
cp "$work/root.pem" access/good-root.pem; case_ access/good-root.pem "$C" -
cat "$work/int.pem" "$work/root.pem" > access/good-intermediate-first.pem; case_ access/good-intermediate-first.pem "$C" -
cat "$work/root.pem" "$work/int.pem" > access/chain-wrong-order.pem; case_ access/chain-wrong-order.pem "$C" chain.order
cat "$work/int.pem" "$work/other-root.pem" > access/chain-broken.pem; case_ access/chain-broken.pem "$C" chain.broken
cat "$work/root.pem" "$work/root.pem" > access/duplicate.pem; case_ access/duplicate.pem "$C" cert.duplicate
cp "$work/leaf.pem" access/leaf-not-ca.pem; case_ access/leaf-not-ca.pem "$C" cert.not_ca
cp anthropic/bc-not-critical.pem access/bc-not-critical.pem; case_ access/bc-not-critical.pem "$C" "cert.bc_not_critical (warning)"
cp anthropic/sha1-signature.pem access/sha1-signature.pem; case_ access/sha1-signature.pem "$C" "cert.weak_signature (warning)"
cert access/expired.pem "/CN=Expired CA" "$work/root.key" self - ca_ext_root 20200101000000Z 20250101000000Z; case_ access/expired.pem "$C" cert.expired
cert access/expires-soon.pem "/CN=Expiring CA" "$work/root.key" self - ca_ext_root "$GOOD_START" 20261210000000Z; case_ access/expires-soon.pem "$C" cert.expires_soon
cert access/no-key-cert-sign.pem "/CN=No keyCertSign CA" "$work/root.key" self - no_key_cert_sign; case_ access/no-key-cert-sign.pem "$C" cert.no_key_cert_sign
key "$work/p192.key" ec:prime192v1; cert access/ec-p192.pem "/CN=P-192 CA" "$work/p192.key" self - ca_ext_root; case_ access/ec-p192.pem "$C" cert.weak_key
cat "$work/int-server.pem" "$work/root.pem" > access/intermediate-eku-server-only.pem; case_ access/intermediate-eku-server-only.pem "$C" cert.eku_no_client_auth
openssl crl2pkcs7 -nocrl -certfile "$work/int.pem" -certfile "$work/root.pem" -outform DER -out access/bundle.p7b; case_ access/bundle.p7b "$C" input.pkcs7
openssl crl2pkcs7 -nocrl -certfile "$work/int.pem" -certfile "$work/root.pem" -out access/bundle-p7b.pem; case_ access/bundle-p7b.pem "$C" input.pkcs7

# --- cloudflare-mtls: --ca (CA bundle) and --no-ca (leaf + chain + optional matching key) --------
section cloudflare-mtls
M="check --to cloudflare-mtls --ca"; N="check --to cloudflare-mtls --no-ca"
cp "$work/root.pem" mtls/good-ca.pem; case_ mtls/good-ca.pem "$M" -
cat "$work/int.pem" "$work/root.pem" > mtls/good-intermediate-first.pem; case_ mtls/good-intermediate-first.pem "$M" -
cat "$work/int-server.pem" "$work/root.pem" > mtls/intermediate-eku-server-only.pem; case_ mtls/intermediate-eku-server-only.pem "$M" cert.eku_no_client_auth
cp "$work/leaf.pem" mtls/leaf-as-ca.pem; case_ mtls/leaf-as-ca.pem "$M" cert.not_ca
cat "$work/root.pem" "$work/root.key" > mtls/ca-with-key.pem; case_ mtls/ca-with-key.pem "$M" key.private_key_present
cat "$work/leaf.pem" "$work/int.pem" "$work/leaf.key" > mtls/good-leaf-chain-pkcs8.pem; case_ mtls/good-leaf-chain-pkcs8.pem "$N" -
cat "$work/leaf.pem" "$work/int.pem" > mtls/good-leaf-chain-without-key.pem; case_ mtls/good-leaf-chain-without-key.pem "$N" -
openssl rsa -in "$work/leaf.key" -traditional -out "$work/leaf-rsa.key" 2>/dev/null
cat "$work/leaf.pem" "$work/int.pem" "$work/leaf-rsa.key" > mtls/good-leaf-rsa-private-key.pem; case_ mtls/good-leaf-rsa-private-key.pem "$N" -
key "$work/ecleaf.key" ec:P-256
cert "$work/ecleaf.pem" "/CN=ec-client.example.com" "$work/ecleaf.key" "$work/int.pem" "$work/int.key" leaf_ext "$GOOD_START" "$LEAF_END"
openssl ec -in "$work/ecleaf.key" -out "$work/ecleaf-sec1.key" 2>/dev/null
cat "$work/ecleaf.pem" "$work/int.pem" "$work/ecleaf-sec1.key" > mtls/good-leaf-ec-private-key.pem; case_ mtls/good-leaf-ec-private-key.pem "$N" -
# SEC1 ECPrivateKey and PKCS#8 without the optional publicKey: the matcher must derive the point.
openssl ec -in "$work/ecleaf.key" -no_public -out "$work/ecleaf-nopub.key" 2>/dev/null
cat "$work/ecleaf.pem" "$work/int.pem" "$work/ecleaf-nopub.key" > mtls/good-leaf-ec-key-without-public-point.pem; case_ mtls/good-leaf-ec-key-without-public-point.pem "$N" -
openssl pkcs8 -topk8 -nocrypt -in "$work/ecleaf-nopub.key" -out "$work/ecleaf-nopub-pkcs8.key"
cat "$work/ecleaf.pem" "$work/int.pem" "$work/ecleaf-nopub-pkcs8.key" > mtls/good-leaf-pkcs8-ec-without-public-point.pem; case_ mtls/good-leaf-pkcs8-ec-without-public-point.pem "$N" -
key "$work/edleaf.key" ED25519
cert "$work/edleaf.pem" "/CN=ed-client.example.com" "$work/edleaf.key" "$work/int.pem" "$work/int.key" leaf_ext "$GOOD_START" "$LEAF_END"
cat "$work/edleaf.pem" "$work/int.pem" "$work/edleaf.key" > mtls/good-leaf-ed25519.pem; case_ mtls/good-leaf-ed25519.pem "$N" -
cat "$work/leaf.pem" "$work/int.pem" "$work/other.key" > mtls/leaf-key-mismatch.pem; case_ mtls/leaf-key-mismatch.pem "$N" key.mismatch
cat "$work/leaf.pem" "$work/int.pem" "$work/ecleaf.key" > mtls/leaf-key-of-other-leaf.pem; case_ mtls/leaf-key-of-other-leaf.pem "$N" key.mismatch
openssl pkcs8 -topk8 -in "$work/leaf.key" -passout pass:test -out "$work/leaf-enc.key" 2>/dev/null
cat "$work/leaf.pem" "$work/int.pem" "$work/leaf-enc.key" > mtls/leaf-encrypted-key.pem; case_ mtls/leaf-encrypted-key.pem "$N" key.encrypted
cat "$work/leaf.pem" "$work/leaf.pem" > mtls/leaf-twice-no-ca.pem; case_ mtls/leaf-twice-no-ca.pem "$N" "cert.duplicate, cert.not_ca"
cat "$work/leaf.pem" "$work/root.pem" > mtls/leaf-chain-missing-intermediate.pem; case_ mtls/leaf-chain-missing-intermediate.pem "$N" chain.broken

# --- cloudflare-gateway: the CA in a response -------------------------------------------------------
section cloudflare-gateway
G="check --to cloudflare-gateway"
# The "certificate" of the example response on Cloudflare's reference page
# (docs/vendors/cloudflare-gateway-certificates-create.md), exactly as printed there (\\n escapes).
cat > gateway/example-as-in-response.txt <<'GW'
-----BEGIN CERTIFICATE-----\\nMIIDmDCCAoCgAwIBAgIUKTOAZNjcXVZRj4oQt0SHsl1c1vMwDQYJKoZIhvcNAQELBQAwUTELMAkGA1UEBhMCVVMxFjAUBgNVBAgMDVNhbiBGcmFuY2lzY28xEzARBgNVBAcMCkNhbGlmb3JuaWExFTATBgNVBAoMDEV4YW1wbGUgSW5jLjAgFw0yMjExMjIxNjU5NDdaGA8yMTIyMTAyOTE2NTk0N1owUTELMAkGA1UEBhMCVVMxFjAUBgNVBAgMDVNhbiBGcmFuY2lzY28xEzARBgNVBAcMCkNhbGlmb3JuaWExFTATBgNVBAoMDEV4YW1wbGUgSW5jLjCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAMRcORwgJFTdcG/2GKI+cFYiOBNDKjCZUXEOvXWY42BkH9wxiMT869CO+enA1w5pIrXow6kCM1sQspHHaVmJUlotEMJxyoLFfA/8Kt1EKFyobOjuZs2SwyVyJ2sStvQuUQEosULZCNGZEqoH5g6zhMPxaxm7ZLrrsDZ9maNGVqo7EWLWHrZ57Q/5MtTrbxQL+eXjUmJ9K3kS+3uEwMdqR6Z3BluU1ivanpPc1CN2GNhdO0/hSY4YkGEnuLsqJyDd3cIiB1MxuCBJ4ZaqOd2viV1WcP3oU3dxVPm4MWyfYIldMWB14FahScxLhWdRnM9YZ/i9IFcLypXsuz7DjrJPtPUCAwEAAaNmMGQwHQYDVR0OBBYEFP5JzLUawNF+c3AXsYTEWHh7z2czMB8GA1UdIwQYMBaAFP5JzLUawNF+c3AXsYTEWHh7z2czMA4GA1UdDwEB/wQEAwIBBjASBgNVHRMBAf8ECDAGAQH/AgEBMA0GCSqGSIb3DQEBCwUAA4IBAQBc+Be7NDhpE09y7hLPZGRPl1cSKBw4RI0XIv6rlbSTFs5EebpTGjhx/whNxwEZhB9HZ7111Oa1YlT8xkI9DshB78mjAHCKBAJ76moK8tkG0aqdYpJ4ZcJTVBB7l98Rvgc7zfTii7WemTy72deBbSeiEtXavm4EF0mWjHhQ5Nxpnp00Bqn5g1x8CyTDypgmugnep+xG+iFzNmTdsz7WI9T/7kDMXqB7M/FPWBORyS98OJqNDswCLF8bIZYwUBEe+bRHFomoShMzaC3tvim7WCb16noDkSTMlfKO4pnvKhpcVdSgwcruATV7y+W+Lvmz2OT/Gui4JhqeoTewsxndhDDE\\n-----END CERTIFICATE-----\\n
GW
reference="$here/../../docs/vendors/cloudflare-gateway-certificates-create.md"
if [ -f "$reference" ] && ! grep -qF -- "\"certificate\": \"$(cat gateway/example-as-in-response.txt)\"" "$reference"; then
  echo "make.sh: the Gateway example certificate no longer matches $reference" >&2; exit 1
fi
python3 - <<'PY'
import re
escaped = open("gateway/example-as-in-response.txt").read()
body = re.search(r"-----BEGIN CERTIFICATE-----\\\\n(.*?)\\\\n-----END", escaped).group(1)
lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
open("gateway/example.pem", "w").write(f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n")
PY
openssl x509 -in gateway/example.pem -noout   # the unescaped form must load
case_ gateway/example.pem "$G" -
case_ gateway/example-as-in-response.txt "$G" "pem.escaped_newlines, pem.line_width"
cp access/expired.pem gateway/expired.pem; case_ gateway/expired.pem "$G" cert.expired
cp "$work/leaf.pem" gateway/leaf.pem; case_ gateway/leaf.pem "$G" cert.not_ca

# --- input: what the bytes are ------------------------------------------------------------------
section input
: > input/empty.pem; case_ input/empty.pem "$A" input.empty
printf '  \n\t\n' > input/whitespace.pem; case_ input/whitespace.pem "$C" input.empty
python3 -c "import random,sys; r=random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(700)))" > input/random.bin
case_ input/random.bin "$A" input.binary
openssl pkcs12 -export -in "$work/leaf.pem" -inkey "$work/leaf.key" -certfile "$work/int.pem" -passout pass:test -out input/bundle.p12 2>/dev/null
case_ input/bundle.p12 "$N" "input.pkcs12, key.encrypted"
# Legacy algorithms (RC2-40 certificates, 3DES key, SHA-1 MAC) as older Windows/Java tools write.
openssl pkcs12 -export -legacy -in "$work/leaf.pem" -inkey "$work/leaf.key" -passout pass:test -out input/bundle-legacy.p12 2>/dev/null
case_ input/bundle-legacy.p12 "$N" "input.pkcs12, key.encrypted"
openssl pkcs12 -export -nokeys -in "$work/root.pem" -passout pass:test -out input/bundle-without-key.p12 2>/dev/null
case_ input/bundle-without-key.p12 "$C" input.pkcs12
openssl req -new -key "$work/leaf.key" -subj "/CN=client.example.com" -out input/request.csr 2>/dev/null; case_ input/request.csr "$A" input.csr
openssl req -in input/request.csr -outform DER -out input/request-der.csr; case_ input/request-der.csr "$A" input.csr
openssl pkey -in "$work/root.key" -pubout -out input/public-key.pem; case_ input/public-key.pem "$C" input.public_key
openssl pkey -in "$work/root.key" -pubout -outform DER -out input/public-key-der.der; case_ input/public-key-der.der "$C" input.public_key
openssl rsa -in "$work/root.key" -RSAPublicKey_out -out input/rsa-public-key.pem 2>/dev/null; case_ input/rsa-public-key.pem "$C" input.public_key
openssl pkey -in "$work/root.key" -outform DER -out input/private-key.der; case_ input/private-key.der "$C" key.private_key_present

# --- pem: text problems -------------------------------------------------------------------------
section pem
printf 'Here is the certificate you asked for: see the attachment.\n' > pem/no-blocks.txt; case_ pem/no-blocks.txt "$A" pem.no_blocks
grep -v -- ----- "$work/root.pem" > pem/bare-base64.txt; case_ pem/bare-base64.txt "$A" pem.no_blocks
python3 - "$work/root.pem" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().split("\n")
pem = "\n".join(lines)
def write(name, text, **kw):
    open("pem/" + name, "w", **kw).write(text)
bad = list(lines); bad[4] = bad[4][:11] + "*" + bad[4][12:]          # line 5, column 12
write("bad-base64.pem", "\n".join(bad))
mismatch = list(lines); mismatch[-2] = "-----END PRIVATE KEY-----"
write("label-mismatch.pem", "\n".join(mismatch))
write("unterminated.pem", "\n".join(lines[:9]) + "\n")                  # a paste cut off after 8 lines
write("escaped-newlines.txt", pem.replace("\n", "\\n") + "\n")
write("json-string.json", json.dumps(pem) + "\n")
write("double-escaped.txt", pem.replace("\n", "\\\\n") + "\n")          # Anthropic's doc example form
write("bash-dollar-quoted.txt", "$'" + pem.replace("\n", "\\n") + "'\n")
write("indented-like-yaml.pem", "".join("    " + l + "\n" for l in lines if l))
write("crlf.pem", pem.replace("\n", "\r\n"), newline="")
write("bom.pem", pem, encoding="utf-8-sig")
write("lookalike-en-dash.pem", pem.replace("-----BEGIN", "\u2013----BEGIN", 1))
zw = list(lines); zw[3] = zw[3][:20] + "\u200b" + zw[3][20:]          # line 4, column 21
write("lookalike-zero-width-space.pem", "\n".join(zw))
nb = list(lines); nb[6] = nb[6] + "\u00a0"                             # end of line 7
write("lookalike-no-break-space.pem", "\n".join(nb))
body = "".join(l for l in lines if l and not l.startswith("-----"))
wide = "\n".join(body[i:i + 76] for i in range(0, len(body), 76))
write("line-width-76.pem", f"-----BEGIN CERTIFICATE-----\n{wide}\n-----END CERTIFICATE-----\n")
write("chat-paste.txt", "Here is my cert:\n\n" + pem + "\nLet me know if you need anything else!\n")
PY
case_ pem/bad-base64.pem "$A" pem.bad_base64
case_ pem/label-mismatch.pem "$A" pem.label_mismatch
case_ pem/unterminated.pem "$A" pem.unterminated
case_ pem/escaped-newlines.txt "$A" pem.escaped_newlines
case_ pem/json-string.json "$A" pem.escaped_newlines
case_ pem/double-escaped.txt "$A" pem.escaped_newlines
case_ pem/bash-dollar-quoted.txt "$A" pem.escaped_newlines
case_ pem/indented-like-yaml.pem "$A" pem.not_strict
case_ pem/crlf.pem "$A" pem.crlf
case_ pem/bom.pem "$A" pem.bom
case_ pem/lookalike-en-dash.pem "$A" pem.lookalike_characters
case_ pem/lookalike-zero-width-space.pem "$A" pem.lookalike_characters
case_ pem/lookalike-no-break-space.pem "$A" pem.lookalike_characters
case_ pem/line-width-76.pem "$A" pem.line_width
openssl x509 -in "$work/root.pem" -text > pem/text-outside-blocks.pem; case_ pem/text-outside-blocks.pem "$A" pem.text_outside_blocks
case_ pem/chat-paste.txt "$A" pem.text_outside_blocks
: > "$work/index.txt"
openssl ca -batch -config "$work/ca.cnf" -gencrl -crldays 30 -cert "$work/root.pem" -keyfile "$work/root.key" -out "$work/root.crl" 2>/dev/null
cat "$work/root.pem" "$work/root.crl" > pem/with-crl.pem; case_ pem/with-crl.pem "$C" pem.unexpected_label
openssl x509 -in "$work/root.pem" -trustout -addtrust clientAuth -out pem/trusted-certificate.pem; case_ pem/trusted-certificate.pem "$C" pem.unexpected_label
# A certifi-style bundle: Mozilla's comment lines before each certificate, the second SHA-256 wrong.
{ printf '##\n## Bundle of CA Root Certificates (certifi cacert.pem layout; certcheck fixture)\n##\n'
for i in 0 1; do
  pem="$work/root.pem"; [ "$i" = 1 ] && pem="$work/other-root.pem"
  sha256=$(openssl x509 -in "$pem" -noout -fingerprint -sha256 | cut -d= -f2)
  if [ "$i" = 1 ]; then case "$sha256" in 00*) sha256="FF${sha256#00}" ;; *) sha256="00${sha256:2}" ;; esac; fi
  printf '\n# Issuer: %s\n# Subject: %s\n# Label: "Fixture %s"\n# Serial: %s\n# MD5 Fingerprint: %s\n# SHA1 Fingerprint: %s\n# SHA256 Fingerprint: %s\n' \
    "$(openssl x509 -in "$pem" -noout -issuer -nameopt oneline | cut -d= -f2- | sed 's/^ //')" \
    "$(openssl x509 -in "$pem" -noout -subject -nameopt oneline | cut -d= -f2- | sed 's/^ //')" "$i" \
    "$(python3 -c "import sys; print(int(sys.argv[1], 16))" "$(openssl x509 -in "$pem" -noout -serial | cut -d= -f2)")" \
    "$(openssl x509 -in "$pem" -noout -fingerprint -md5 | cut -d= -f2)" \
    "$(openssl x509 -in "$pem" -noout -fingerprint -sha1 | cut -d= -f2)" "$sha256"
  cat "$pem"
done; } > pem/fingerprint-comments.pem
case_ pem/fingerprint-comments.pem inspect "pem.fingerprint_comment_mismatch, pem.text_outside_blocks"

# --- key: private keys of every shape (all next to a good CA, for destinations that forbid keys) ---
section key
openssl pkcs8 -topk8 -in "$work/root.key" -passout pass:test -out "$work/root-enc.key" 2>/dev/null
cat "$work/root.pem" "$work/root-enc.key" > key/encrypted-pkcs8.pem; case_ key/encrypted-pkcs8.pem "$C" "key.private_key_present"
openssl rsa -in "$work/root.key" -traditional -aes128 -passout pass:test -out "$work/root-trad-enc.key" 2>/dev/null
cat "$work/root.pem" "$work/root-trad-enc.key" > key/encrypted-traditional-rsa.pem; case_ key/encrypted-traditional-rsa.pem "$C" "key.private_key_present"
ssh-keygen -q -t ed25519 -N '' -C fixture -f "$work/id_ed25519"
cat "$work/root.pem" "$work/id_ed25519" > key/openssh-private-key.pem; case_ key/openssh-private-key.pem "$A" key.private_key_present
ssh-keygen -q -t ed25519 -N test -C fixture -f "$work/id_ed25519_encrypted"
cat "$work/root.pem" "$work/id_ed25519_encrypted" > key/openssh-encrypted.pem; case_ key/openssh-encrypted.pem "$A" key.private_key_present
gpg --batch --quiet --faked-system-time 20260101T000000! --passphrase '' \
  --quick-gen-key 'Fixture <fixture@example.com>' ed25519 sign never 2>/dev/null
{ cat "$work/root.pem"; gpg --batch --armor --export-secret-keys 2>/dev/null; } > key/pgp-private-key.txt
grep -q -- '-----BEGIN PGP PRIVATE KEY BLOCK-----' key/pgp-private-key.txt
case_ key/pgp-private-key.txt "$A" key.private_key_present
# JWK and PuTTY (v3, unencrypted, ecdsa-sha2-nistp256, correct Private-MAC) from a real P-256 key.
openssl ec -in "$work/p256.key" -text -noout 2>/dev/null > "$work/p256.txt"
python3 - "$work/p256.txt" "$work/root.pem" <<'PY'
import base64, hashlib, hmac, json, re, struct, sys
text = open(sys.argv[1]).read()
def number(name, end):
    return bytes.fromhex(re.sub(r"[^0-9a-f]", "", re.search(name + r":\n(.*?)\n" + end, text, re.S).group(1)))
private = int.from_bytes(number("priv", "pub"), "big").to_bytes(32, "big")
point = number("pub", "ASN1 OID")
assert len(point) == 65 and point[0] == 4
b64url = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
jwk = {"kty": "EC", "crv": "P-256", "x": b64url(point[1:33]), "y": b64url(point[33:]), "d": b64url(private)}
open("key/jwk-private-key.json", "w").write(json.dumps(jwk, indent=2) + "\n")
string = lambda b: struct.pack(">I", len(b)) + b
mpint = lambda b: string(b.lstrip(b"\0") if b.lstrip(b"\0")[0] < 0x80 else b"\0" + b.lstrip(b"\0"))
algorithm, comment = b"ecdsa-sha2-nistp256", b"fixture"
public = string(algorithm) + string(b"nistp256") + string(point)
secret = mpint(private)
mac = hmac.new(b"", string(algorithm) + string(b"none") + string(comment) + string(public) + string(secret), hashlib.sha256).hexdigest()
lines = lambda b: [base64.b64encode(b).decode()[i:i + 64] for i in range(0, len(base64.b64encode(b)), 64)]
pub_lines, priv_lines = lines(public), lines(secret)
ppk = [f"PuTTY-User-Key-File-3: {algorithm.decode()}", "Encryption: none", f"Comment: {comment.decode()}",
       f"Public-Lines: {len(pub_lines)}", *pub_lines, f"Private-Lines: {len(priv_lines)}", *priv_lines, f"Private-MAC: {mac}"]
open("key/putty-private-key.txt", "w").write(open(sys.argv[2]).read() + "\n".join(ppk) + "\n")
PY
case_ key/jwk-private-key.json "$A" "key.private_key_present, pem.no_blocks"
case_ key/putty-private-key.txt "$A" "key.private_key_present, pem.text_outside_blocks"

# --- cert: certificate-level rules --------------------------------------------------------------
section cert
cert cert/v1-ca.pem "/CN=Version 1 CA" "$work/root.key" self - none; case_ cert/v1-ca.pem "$A" cert.not_ca
cert cert/unknown-critical-extension.pem "/CN=Unknown Critical CA" "$work/root.key" self - unknown_critical; case_ cert/unknown-critical-extension.pem "$C" cert.unknown_critical_extension
cert cert/serial-zero.pem "/CN=Serial Zero CA" "$work/root.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" sha256 00; case_ cert/serial-zero.pem "$C" cert.serial_invalid
cert cert/serial-21-octets.pem "/CN=Long Serial CA" "$work/root.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" sha256 7f0102030405060708090a0b0c0d0e0f1011121314; case_ cert/serial-21-octets.pem "$C" cert.serial_invalid
cp anthropic/ed448-ca.pem cert/ed448-ca.pem; case_ cert/ed448-ca.pem inspect -
# Byte surgery on the good root. Signatures are not recomputed, so the self-signature of every
# certificate that still parses no longer verifies: signature.invalid as a warning.
surgery() { python3 surgery.py "$1" "$work/root.pem" "cert/$1.pem"; case_ "cert/$1.pem" "$C" "$2"; }
surgery duplicate-extension "cert.duplicate_extension, signature.invalid (warning)"
surgery signature-mismatch "cert.signature_algorithm_mismatch, signature.invalid (warning)"
surgery negative-serial "cert.serial_invalid, signature.invalid (warning)"
surgery serial-non-minimal "cert.not_der, signature.invalid (warning)"
surgery generalized-time "cert.time_encoding, signature.invalid (warning)"
surgery ber-length "cert.not_der, signature.invalid (warning)"
surgery explicit-default "cert.not_der, signature.invalid (warning)"
surgery flipped-tag cert.parse_error
surgery truncate cert.parse_error

# --- inspect: no destination rules ----------------------------------------------------------------
section inspect
openssl x509 -in "$work/root.pem" -outform DER -out inspect/root.der; case_ inspect/root.der inspect input.der
cat "$work/leaf.pem" "$work/leaf.key" > inspect/leaf-with-key.pem; case_ inspect/leaf-with-key.pem inspect -
cp anthropic/good-ec-p384-ca.pem inspect/ec-p384.pem; case_ inspect/ec-p384.pem inspect -
cp gateway/example.pem inspect/gateway-example.pem; case_ inspect/gateway-example.pem inspect -
# notAfter after 2049 must be GeneralizedTime (RFC 5280 4.1.2.5): the correct encoding, no diagnostic.
cert inspect/not-after-2051.pem "/CN=Long-lived CA" "$work/root.key" self - ca_ext_root "$GOOD_START" 20510101000000Z; case_ inspect/not-after-2051.pem inspect -

# --- the README's demo inputs (outside tests/data: only with --examples) ---------------------------
if [ "$with_examples" = yes ]; then
  cert "$here/../../examples/anthropic-ca.pem" "/O=Example Corp/CN=Example MCP Tunnel CA" "$work/root.key" self - ca_ext_root
  python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read() + open(sys.argv[2]).read()))' "$here/../../examples/anthropic-ca.pem" "$work/root.key" > "$here/../../examples/pasted-from-json.txt"
  cp gateway/example.pem "$here/../../examples/cloudflare-gateway-example.pem"
fi
echo "wrote $(grep -cv -e '^#' -e '^$' "$manifest") cases"
# The `certcheck check` cases of peer/make.sh (signatures inside one input) belong to this manifest.
if [ -f "$here/peer/check-cases.txt" ]; then cat "$here/peer/check-cases.txt" >> "$manifest"; fi
