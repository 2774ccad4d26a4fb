#!/usr/bin/env bash
# Regenerates the fixture corpus under tests/data/ with the openssl CLI (OpenSSL 3.0), ssh-keygen,
# and python3's standard library (surgery.py) for encodings openssl will not write.
# Keys are random, so outputs are not byte-reproducible; structure and dates are fixed.
# After running: UPDATE_EXPECT=1 cargo test -p certcheck --test fixtures && cargo xtask fixtures
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
topics=(anthropic access mtls gateway input pem key cert inspect)
for t in "${topics[@]}"; do rm -rf "$t"; mkdir -p "$t"; done
manifest="$here/cases.txt"
echo "# <input> <certcheck arguments>; the tests add --json --now 2026-11-22T00:00:00Z (made by make.sh)" > "$manifest"
case_() { printf '%s %s\n' "$1" "$2" >> "$manifest"; }

GOOD_START=20260101000000Z; GOOD_END=20360101000000Z
mkdir -p "$work/new"
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
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
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

key() { # key <out> <algorithm spec>
  case "$2" in
    rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$1" 2>/dev/null ;;
    ec:*) openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:${2#ec:}" -out "$1" 2>/dev/null ;;
    dsa) openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out "$work/dsa.param" 2>/dev/null
         openssl genpkey -paramfile "$work/dsa.param" -out "$1" 2>/dev/null ;;
    *) openssl genpkey -algorithm "$2" -out "$1" 2>/dev/null ;;
  esac
}

# cert <out.pem> <subject> <key> <issuer cert|self> <issuer key> <extension section|none> [start] [end] [md] [serial hex]
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

# --- keys and the shared hierarchy ---------------------------------------------------------------
key "$work/root.key" rsa2048
cert "$work/root.pem" "/C=US/O=Example Corp/CN=Example Root CA" "$work/root.key" self - ca_ext_root
key "$work/int.key" ec:P-256
cert "$work/int.pem" "/C=US/O=Example Corp/CN=Example Client CA" "$work/int.key" "$work/root.pem" "$work/root.key" int_ext
key "$work/leaf.key" rsa2048
cert "$work/leaf.pem" "/O=Example Corp/CN=client.example.com" "$work/leaf.key" "$work/int.pem" "$work/int.key" leaf_ext 20260101000000Z 20270101000000Z
key "$work/other.key" rsa2048
cert "$work/other-root.pem" "/O=Other Corp/CN=Other Root CA" "$work/other.key" self - ca_ext_root

# --- anthropic ----------------------------------------------------------------------------------
cp "$work/root.pem" anthropic/good-rsa-ca.pem; case_ anthropic/good-rsa-ca.pem "check --to anthropic-tunnel"
key "$work/p256.key" ec:P-256; cert anthropic/good-ec-p256-ca.pem "/O=Example Corp/CN=P-256 Tunnel CA" "$work/p256.key" self - ca_ext_root
case_ anthropic/good-ec-p256-ca.pem "check --to anthropic-tunnel"
key "$work/p384.key" ec:P-384; cert anthropic/good-ec-p384-ca.pem "/O=Example Corp/CN=P-384 Tunnel CA" "$work/p384.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" sha384
case_ anthropic/good-ec-p384-ca.pem "check --to anthropic-tunnel"
cp "$work/leaf.pem" anthropic/leaf-not-ca.pem; case_ anthropic/leaf-not-ca.pem "check --to anthropic-tunnel"
cat "$work/root.pem" "$work/other-root.pem" > anthropic/two-cas.pem; case_ anthropic/two-cas.pem "check --to anthropic-tunnel"
cat "$work/root.pem" "$work/root.key" > anthropic/ca-with-private-key.pem; case_ anthropic/ca-with-private-key.pem "check --to anthropic-tunnel"
cert anthropic/bc-not-critical.pem "/CN=BC Not Critical CA" "$work/root.key" self - bc_not_critical; case_ anthropic/bc-not-critical.pem "check --to anthropic-tunnel"
cert anthropic/no-subject-key-id.pem "/CN=No SKI CA" "$work/root.key" self - no_ski; case_ anthropic/no-subject-key-id.pem "check --to anthropic-tunnel"
cert anthropic/no-key-usage.pem "/CN=No Key Usage CA" "$work/root.key" self - no_key_usage; case_ anthropic/no-key-usage.pem "check --to anthropic-tunnel"
cert anthropic/not-yet-valid.pem "/CN=Future CA" "$work/root.key" self - ca_ext_root 20270601000000Z 20300101000000Z; case_ anthropic/not-yet-valid.pem "check --to anthropic-tunnel"
cert anthropic/sha1-signature.pem "/CN=SHA-1 CA" "$work/root.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" sha1; case_ anthropic/sha1-signature.pem "check --to anthropic-tunnel"
cert anthropic/md5-signature.pem "/CN=MD5 CA" "$work/root.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" md5; case_ anthropic/md5-signature.pem "check --to anthropic-tunnel"
key "$work/rsa1024.key" rsa1024; cert anthropic/rsa-1024.pem "/CN=RSA-1024 CA" "$work/rsa1024.key" self - ca_ext_root; case_ anthropic/rsa-1024.pem "check --to anthropic-tunnel"
key "$work/ed25519.key" ED25519; cert anthropic/ed25519-ca.pem "/CN=Ed25519 CA" "$work/ed25519.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" none; case_ anthropic/ed25519-ca.pem "check --to anthropic-tunnel"
key "$work/dsa.key" dsa; cert anthropic/dsa-ca.pem "/CN=DSA CA" "$work/dsa.key" self - ca_ext_root; case_ anthropic/dsa-ca.pem "check --to anthropic-tunnel"
{ for i in $(seq 1 100); do echo "# padding comment line $i: this CA was generated for the certcheck fixture corpus, see make.sh"; done; cat "$work/root.pem"; } > anthropic/too-large.pem
case_ anthropic/too-large.pem "check --to anthropic-tunnel"
openssl x509 -in "$work/root.pem" -outform DER -out anthropic/der-certificate.der; case_ anthropic/der-certificate.der "check --to anthropic-tunnel"

# --- access -------------------------------------------------------------------------------------
cp "$work/root.pem" access/good-root.pem; case_ access/good-root.pem "check --to cloudflare-access"
cat "$work/int.pem" "$work/root.pem" > access/good-intermediate-first.pem; case_ access/good-intermediate-first.pem "check --to cloudflare-access"
cat "$work/root.pem" "$work/int.pem" > access/chain-wrong-order.pem; case_ access/chain-wrong-order.pem "check --to cloudflare-access"
cat "$work/int.pem" "$work/other-root.pem" > access/chain-broken.pem; case_ access/chain-broken.pem "check --to cloudflare-access"
cat "$work/root.pem" "$work/root.pem" > access/duplicate.pem; case_ access/duplicate.pem "check --to cloudflare-access"
cp "$work/leaf.pem" access/leaf-not-ca.pem; case_ access/leaf-not-ca.pem "check --to cloudflare-access"
cp anthropic/bc-not-critical.pem access/bc-not-critical.pem; case_ access/bc-not-critical.pem "check --to cloudflare-access"
cp anthropic/sha1-signature.pem access/sha1-signature.pem; case_ access/sha1-signature.pem "check --to cloudflare-access"
cert access/expired.pem "/CN=Expired CA" "$work/root.key" self - ca_ext_root 20200101000000Z 20250101000000Z; case_ access/expired.pem "check --to cloudflare-access"
cert access/expires-soon.pem "/CN=Expiring CA" "$work/root.key" self - ca_ext_root "$GOOD_START" 20261210000000Z; case_ access/expires-soon.pem "check --to cloudflare-access"
cert access/no-key-cert-sign.pem "/CN=No keyCertSign CA" "$work/root.key" self - no_key_cert_sign; case_ access/no-key-cert-sign.pem "check --to cloudflare-access"
key "$work/p192.key" ec:prime192v1; cert access/ec-p192.pem "/CN=P-192 CA" "$work/p192.key" self - ca_ext_root; case_ access/ec-p192.pem "check --to cloudflare-access"
key "$work/int2.key" ec:P-256
cert "$work/int-server.pem" "/CN=Server-only Intermediate" "$work/int2.key" "$work/root.pem" "$work/root.key" int_server_only
cat "$work/int-server.pem" "$work/root.pem" > access/intermediate-eku-server-only.pem; case_ access/intermediate-eku-server-only.pem "check --to cloudflare-access"
openssl crl2pkcs7 -nocrl -certfile "$work/int.pem" -certfile "$work/root.pem" -outform DER -out access/bundle.p7b; case_ access/bundle.p7b "check --to cloudflare-access"
openssl crl2pkcs7 -nocrl -certfile "$work/int.pem" -certfile "$work/root.pem" -out access/bundle-p7b.pem; case_ access/bundle-p7b.pem "check --to cloudflare-access"

# --- mtls ---------------------------------------------------------------------------------------
cp "$work/root.pem" mtls/good-ca.pem; case_ mtls/good-ca.pem "check --to cloudflare-mtls --ca"
cat "$work/leaf.pem" "$work/int.pem" "$work/leaf.key" > mtls/good-leaf-chain-pkcs8.pem; case_ mtls/good-leaf-chain-pkcs8.pem "check --to cloudflare-mtls --no-ca"
openssl rsa -in "$work/leaf.key" -traditional -out "$work/leaf-rsa.key" 2>/dev/null
cat "$work/leaf.pem" "$work/int.pem" "$work/leaf-rsa.key" > mtls/good-leaf-rsa-private-key.pem; case_ mtls/good-leaf-rsa-private-key.pem "check --to cloudflare-mtls --no-ca"
key "$work/ecleaf.key" ec:P-256
cert "$work/ecleaf.pem" "/CN=ec-client.example.com" "$work/ecleaf.key" "$work/int.pem" "$work/int.key" leaf_ext 20260101000000Z 20270101000000Z
openssl ec -in "$work/ecleaf.key" -out "$work/ecleaf-sec1.key" 2>/dev/null
cat "$work/ecleaf.pem" "$work/int.pem" "$work/ecleaf-sec1.key" > mtls/good-leaf-ec-private-key.pem; case_ mtls/good-leaf-ec-private-key.pem "check --to cloudflare-mtls --no-ca"
openssl ec -in "$work/ecleaf.key" -no_public -out "$work/ecleaf-nopub.key" 2>/dev/null
cat "$work/ecleaf.pem" "$work/int.pem" "$work/ecleaf-nopub.key" > mtls/good-leaf-ec-key-without-public-point.pem; case_ mtls/good-leaf-ec-key-without-public-point.pem "check --to cloudflare-mtls --no-ca"
key "$work/edleaf.key" ED25519
cert "$work/edleaf.pem" "/CN=ed-client.example.com" "$work/edleaf.key" "$work/int.pem" "$work/int.key" leaf_ext 20260101000000Z 20270101000000Z
cat "$work/edleaf.pem" "$work/int.pem" "$work/edleaf.key" > mtls/good-leaf-ed25519.pem; case_ mtls/good-leaf-ed25519.pem "check --to cloudflare-mtls --no-ca"
cat "$work/leaf.pem" "$work/int.pem" "$work/other.key" > mtls/leaf-key-mismatch.pem; case_ mtls/leaf-key-mismatch.pem "check --to cloudflare-mtls --no-ca"
openssl pkcs8 -topk8 -in "$work/leaf.key" -passout pass:test -out "$work/leaf-enc.key" 2>/dev/null
cat "$work/leaf.pem" "$work/int.pem" "$work/leaf-enc.key" > mtls/leaf-encrypted-key.pem; case_ mtls/leaf-encrypted-key.pem "check --to cloudflare-mtls --no-ca"
cat "$work/leaf.pem" "$work/leaf.pem" > mtls/leaf-twice-no-ca.pem; case_ mtls/leaf-twice-no-ca.pem "check --to cloudflare-mtls --no-ca"
cp "$work/leaf.pem" mtls/leaf-as-ca.pem; case_ mtls/leaf-as-ca.pem "check --to cloudflare-mtls --ca"
cat "$work/leaf.pem" "$work/root.pem" > mtls/leaf-chain-missing-intermediate.pem; case_ mtls/leaf-chain-missing-intermediate.pem "check --to cloudflare-mtls --no-ca"
cat "$work/root.pem" "$work/root.key" > mtls/ca-with-key.pem; case_ mtls/ca-with-key.pem "check --to cloudflare-mtls --ca"

# --- gateway ------------------------------------------------------------------------------------
python3 - "$here/../../../shared/api/cloudflare-gateway-certificates-create.md" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
escaped = re.search(r'"certificate": "(.*?)", "created_at"', text).group(1)
open("gateway/example-as-in-response.txt", "w").write(escaped + "\n")
body = re.search(r"-----BEGIN CERTIFICATE-----\\\\n(.*?)\\\\n-----END", escaped).group(1)
lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
open("gateway/example.pem", "w").write(f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n")
PY
case_ gateway/example.pem "check --to cloudflare-gateway"
case_ gateway/example-as-in-response.txt "check --to cloudflare-gateway"
cp access/expired.pem gateway/expired.pem; case_ gateway/expired.pem "check --to cloudflare-gateway"
cp "$work/leaf.pem" gateway/leaf.pem; case_ gateway/leaf.pem "check --to cloudflare-gateway"

# --- input --------------------------------------------------------------------------------------
: > input/empty.pem; case_ input/empty.pem "check --to anthropic-tunnel"
printf '  \n\t\n' > input/whitespace.pem; case_ input/whitespace.pem "check --to cloudflare-access"
python3 -c "import random,sys; r=random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(700)))" > input/random.bin
case_ input/random.bin "check --to anthropic-tunnel"
openssl pkcs12 -export -in "$work/leaf.pem" -inkey "$work/leaf.key" -passout pass:test -out input/bundle.p12 2>/dev/null; case_ input/bundle.p12 "check --to cloudflare-mtls --no-ca"
openssl pkcs12 -export -nokeys -in "$work/root.pem" -passout pass:test -out input/bundle-without-key.p12 2>/dev/null; case_ input/bundle-without-key.p12 "check --to cloudflare-access"
openssl req -new -key "$work/leaf.key" -subj "/CN=client.example.com" -out input/request.csr 2>/dev/null; case_ input/request.csr "check --to anthropic-tunnel"
openssl req -in input/request.csr -outform DER -out input/request-der.csr; case_ input/request-der.csr "check --to anthropic-tunnel"
openssl pkey -in "$work/root.key" -pubout -out input/public-key.pem; case_ input/public-key.pem "check --to cloudflare-access"
openssl pkey -in "$work/root.key" -pubout -outform DER -out input/public-key-der.der; case_ input/public-key-der.der "check --to cloudflare-access"
openssl rsa -in "$work/root.key" -RSAPublicKey_out -out input/rsa-public-key.pem 2>/dev/null; case_ input/rsa-public-key.pem "check --to cloudflare-access"
openssl pkey -in "$work/root.key" -outform DER -out input/private-key.der; case_ input/private-key.der "check --to cloudflare-access"

# --- pem ----------------------------------------------------------------------------------------
printf 'Here is the certificate you asked for: see the attachment.\n' > pem/no-blocks.txt; case_ pem/no-blocks.txt "check --to anthropic-tunnel"
grep -v -- ----- "$work/root.pem" > pem/bare-base64.txt; case_ pem/bare-base64.txt "check --to anthropic-tunnel"
python3 - "$work/root.pem" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
bad = list(lines); bad[4] = bad[4][:11] + "*" + bad[4][12:]
open("pem/bad-base64.pem", "w").write("\n".join(bad))
mismatch = list(lines); mismatch[-2] = "-----END PRIVATE KEY-----"
open("pem/label-mismatch.pem", "w").write("\n".join(mismatch))
open("pem/unterminated.pem", "w").write("\n".join(lines[:9]) + "\n")
pem = "\n".join(lines)
open("pem/escaped-newlines.txt", "w").write(pem.replace("\n", "\\n") + "\n")
import json
open("pem/json-string.json", "w").write(json.dumps(pem) + "\n")
open("pem/double-escaped.txt", "w").write(pem.replace("\n", "\\\\n") + "\n")
open("pem/bash-dollar-quoted.txt", "w").write("$'" + pem.replace("\n", "\\n") + "'\n")
open("pem/indented-like-yaml.pem", "w").write("".join("    " + l + "\n" for l in lines if l))
open("pem/crlf.pem", "w", newline="").write(pem.replace("\n", "\r\n"))
open("pem/bom.pem", "w", encoding="utf-8-sig").write(pem)
dash = pem.replace("-----BEGIN", "\u2013----BEGIN", 1)
open("pem/lookalike-en-dash.pem", "w").write(dash)
zw = list(lines); zw[3] = zw[3][:20] + "\u200b" + zw[3][20:]
open("pem/lookalike-zero-width-space.pem", "w").write("\n".join(zw))
nb = list(lines); nb[6] = nb[6] + "\u00a0"
open("pem/lookalike-no-break-space.pem", "w").write("\n".join(nb))
body = "".join(l for l in lines if l and not l.startswith("-----"))
wide = "\n".join(body[i:i + 76] for i in range(0, len(body), 76))
open("pem/line-width-76.pem", "w").write(f"-----BEGIN CERTIFICATE-----\n{wide}\n-----END CERTIFICATE-----\n")
PY
for f in bad-base64.pem label-mismatch.pem unterminated.pem escaped-newlines.txt json-string.json double-escaped.txt bash-dollar-quoted.txt indented-like-yaml.pem crlf.pem bom.pem lookalike-en-dash.pem lookalike-zero-width-space.pem lookalike-no-break-space.pem line-width-76.pem; do
  case_ "pem/$f" "check --to anthropic-tunnel"
done
openssl x509 -in "$work/root.pem" -text > pem/text-outside-blocks.pem; case_ pem/text-outside-blocks.pem "check --to anthropic-tunnel"
: > "$work/index.txt"
openssl ca -batch -config "$work/ca.cnf" -gencrl -crldays 30 -cert "$work/root.pem" -keyfile "$work/root.key" -out "$work/root.crl" 2>/dev/null
cat "$work/root.pem" "$work/root.crl" > pem/with-crl.pem; case_ pem/with-crl.pem "check --to cloudflare-access"
openssl x509 -in "$work/root.pem" -trustout -addtrust clientAuth -out pem/trusted-certificate.pem; case_ pem/trusted-certificate.pem "check --to cloudflare-access"
python3 - "$work/root.pem" "$work/other-root.pem" <<'PY'
import base64, hashlib, re, sys
out = []
for index, path in enumerate(sys.argv[1:]):
    pem = open(path).read()
    der = base64.b64decode("".join(re.search(r"CERTIFICATE-----(.*?)-----END", pem, re.S).group(1).split()))
    digest = hashlib.sha256(der).hexdigest().upper()
    if index == 1:
        digest = "00" + digest[2:]  # the second comment is wrong on purpose
    spelled = ":".join(digest[i:i + 2] for i in range(0, 64, 2))
    md5 = hashlib.md5(der).hexdigest().upper()
    out.append(f"# Label: \"fixture {index}\"\n# MD5 Fingerprint: {':'.join(md5[i:i+2] for i in range(0, 32, 2))}\n# SHA256 Fingerprint: {spelled}\n{pem}\n")
open("pem/fingerprint-comments.pem", "w").write("".join(out))
PY
case_ pem/fingerprint-comments.pem "inspect"

# --- key ----------------------------------------------------------------------------------------
openssl pkcs8 -topk8 -in "$work/root.key" -passout pass:test -out "$work/root-enc.key" 2>/dev/null
cat "$work/root.pem" "$work/root-enc.key" > key/encrypted-pkcs8.pem; case_ key/encrypted-pkcs8.pem "check --to cloudflare-access"
openssl rsa -in "$work/root.key" -traditional -aes128 -passout pass:test -out "$work/root-trad-enc.key" 2>/dev/null
cat "$work/root.pem" "$work/root-trad-enc.key" > key/encrypted-traditional-rsa.pem; case_ key/encrypted-traditional-rsa.pem "check --to cloudflare-access"
ssh-keygen -q -t ed25519 -N '' -C fixture -f "$work/id_ed25519"
cat "$work/root.pem" "$work/id_ed25519" > key/openssh-private-key.pem; case_ key/openssh-private-key.pem "check --to anthropic-tunnel"
python3 - "$work/p256.key" <<'PY'
import base64, json, subprocess, sys
text = subprocess.run(["openssl", "ec", "-in", sys.argv[1], "-text", "-noout"], capture_output=True, text=True).stdout
def block(name):
    part = text.split(name + ":")[1].split(":\n")[0] if False else text.split(name + ":")[1]
    hex_digits = "".join(c for c in part.split("\n", 1)[1].split("ASN1")[0].split("pub")[0] if c in "0123456789abcdef")
    return bytes.fromhex(hex_digits)
private = block("priv")
public = block("pub")[1:]
b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
jwk = {"kty": "EC", "crv": "P-256", "x": b64(public[:32]), "y": b64(public[32:]), "d": b64(private[-32:])}
open("key/jwk-private-key.json", "w").write(json.dumps(jwk, indent=2) + "\n")
PY
case_ key/jwk-private-key.json "check --to anthropic-tunnel"
{ cat "$work/root.pem"; printf 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: fixture\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIBVuPsaVMTYJ3sVMCw8F1S/0u8Z0YUs1YR0yq9P0\nEgWH\nPrivate-Lines: 1\nAAAAIGHSJd2z4aRx0fBrCE0e4xxBfQ1Bw9wLc5GFmzh1qkR5\nPrivate-MAC: 8a1a5c4a4c3b2f0f3a1b6c6f4a4a3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d\n'; } > key/putty-private-key.txt
case_ key/putty-private-key.txt "check --to anthropic-tunnel"
cat "$work/leaf.pem" "$work/leaf.key" > inspect/leaf-with-key.pem; case_ inspect/leaf-with-key.pem "inspect"

# --- cert ---------------------------------------------------------------------------------------
cert cert/v1-ca.pem "/CN=Version 1 CA" "$work/root.key" self - none; case_ cert/v1-ca.pem "check --to anthropic-tunnel"
cert cert/unknown-critical-extension.pem "/CN=Unknown Critical CA" "$work/root.key" self - unknown_critical; case_ cert/unknown-critical-extension.pem "check --to cloudflare-access"
cert cert/serial-zero.pem "/CN=Serial Zero CA" "$work/root.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" sha256 00; case_ cert/serial-zero.pem "check --to cloudflare-access"
cert cert/serial-21-octets.pem "/CN=Long Serial CA" "$work/root.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" sha256 7f0102030405060708090a0b0c0d0e0f1011121314; case_ cert/serial-21-octets.pem "check --to cloudflare-access"
key "$work/ed448.key" ED448; cert cert/ed448-ca.pem "/CN=Ed448 CA" "$work/ed448.key" self - ca_ext_root "$GOOD_START" "$GOOD_END" none; case_ cert/ed448-ca.pem "inspect"
for op in duplicate-extension signature-mismatch negative-serial generalized-time ber-length truncate; do
  python3 surgery.py "$op" "$work/root.pem" "cert/$op.pem"
  case_ "cert/$op.pem" "check --to cloudflare-access"
done
openssl x509 -in "$work/root.pem" -outform DER -out inspect/root.der; case_ inspect/root.der "inspect"
# --- the bundled examples the README's demo runs ----------------------------------------------------
cert "$here/../../examples/anthropic-ca.pem" "/O=Example Corp/CN=Example MCP Tunnel CA" "$work/root.key" self - ca_ext_root
python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read() + open(sys.argv[2]).read()))' "$here/../../examples/anthropic-ca.pem" "$work/root.key" > "$here/../../examples/pasted-from-json.txt"
cp gateway/example.pem "$here/../../examples/cloudflare-gateway-example.pem"
echo "wrote $(grep -vc '^#' "$manifest") cases"
