#!/usr/bin/env bash
# Regenerates the signature-verification fixtures in this directory with the openssl CLI (3.0)
# and python3's standard library (the two byte flips at the end). See README.md for what each
# file is and which verdict the tests in crates/certcheck/src/signature.rs expect.
#
# Names, serials, extensions and validity dates are fixed (2026-01-01 -> 2036-01-01 through
# `openssl ca -startdate/-enddate`), and nothing else varies except what cannot be fixed with the
# openssl CLI: keys are generated afresh on every run, and ECDSA and RSA-PSS signatures are
# randomized (RSA PKCS#1 v1.5 and Ed25519 signatures are deterministic for a given key). So a
# rerun changes bytes, never structure or verdicts. The committed outputs are what the tests use.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

find . -maxdepth 1 -name '*.pem' -delete

START=20260101000000Z
END=20360101000000Z
cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = ca_default
[ca_default]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = default
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
[policy_any]
commonName = supplied
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
authorityKeyIdentifier = keyid
[req]
distinguished_name = dn
[dn]
CNF

serial=4096
# key <file> <genpkey arguments...>
key() { local out=$1; shift; openssl genpkey -out "$work/$out" "$@" 2>/dev/null; }
# issue <output.pem> <subject CN> <subject key> <extensions> <issuer cert|-self> <issuer key> [openssl ca options...]
issue() {
    local out=$1 cn=$2 subject_key=$3 extensions=$4 issuer=$5 issuer_key=$6
    shift 6
    serial=$((serial + 1))
    : > "$work/index.txt"
    printf '%X\n' "$serial" > "$work/serial"
    openssl req -new -config "$work/ca.cnf" -key "$work/$subject_key" -subj "/CN=$cn" -out "$work/request.csr"
    local signer=(-selfsign)
    [ "$issuer" = -self ] || signer=(-cert "$issuer")
    openssl ca -batch -notext -config "$work/ca.cnf" "${signer[@]}" -keyfile "$work/$issuer_key" \
        -in "$work/request.csr" -startdate "$START" -enddate "$END" -extensions "$extensions" -out "$out" "$@" 2>/dev/null
}
# pair <name> <CA key> [openssl ca options...]: <name>-ca.pem (self-signed) and <name>-leaf.pem (issued by it)
pair() {
    local name=$1 ca_key=$2
    shift 2
    issue "$name-ca.pem" "certcheck $name CA" "$ca_key" ca_ext -self "$ca_key" "$@"
    issue "$name-leaf.pem" "certcheck $name leaf" leaf.key leaf_ext "$name-ca.pem" "$ca_key" "$@"
}
# self <name> <key> [openssl ca options...]: <name>.pem, self-signed only
self() {
    local name=$1 key=$2
    shift 2
    issue "$name.pem" "certcheck $name" "$key" ca_ext -self "$key" "$@"
}

# Every leaf certifies the same small P-256 key: only the issuer's key matters here.
key leaf.key -algorithm EC -pkeyopt ec_paramgen_curve:P-256

# RSA-2048, PKCS#1 v1.5.
for hash in sha1 sha224 sha256 sha384 sha512; do
    key "rsa-$hash.key" -algorithm RSA -pkeyopt rsa_keygen_bits:2048
    pair "rsa-pkcs1-$hash" "rsa-$hash.key" -md "$hash"
done
# Small and large moduli (weak keys are reported elsewhere; their signatures still verify).
key rsa-512.key -algorithm RSA -pkeyopt rsa_keygen_bits:512
self rsa-512-sha256 rsa-512.key -md sha256
key rsa-1024.key -algorithm RSA -pkeyopt rsa_keygen_bits:1024
self rsa-1024-sha256 rsa-1024.key -md sha256
key rsa-4096.key -algorithm RSA -pkeyopt rsa_keygen_bits:4096
self rsa-4096-sha256 rsa-4096.key -md sha256

# RSASSA-PSS with an rsaEncryption key.
pss=(-sigopt rsa_padding_mode:pss)
key rsa-pss-sha256.key -algorithm RSA -pkeyopt rsa_keygen_bits:2048
pair rsa-pss-sha256-salt32 rsa-pss-sha256.key -md sha256 "${pss[@]}" -sigopt rsa_pss_saltlen:32
key rsa-pss-sha384.key -algorithm RSA -pkeyopt rsa_keygen_bits:2048
pair rsa-pss-sha384-salt48 rsa-pss-sha384.key -md sha384 "${pss[@]}" -sigopt rsa_pss_saltlen:48
# "max": the largest salt the modulus allows (2048-bit key, SHA-256: 256 - 32 - 2 = 222 octets).
key rsa-pss-max.key -algorithm RSA -pkeyopt rsa_keygen_bits:2048
pair rsa-pss-sha256-saltmax rsa-pss-max.key -md sha256 "${pss[@]}" -sigopt rsa_pss_saltlen:max
# SHA-1, MGF1-SHA-1, salt 20: every RSASSA-PSS-params field at its DEFAULT (params = SEQUENCE {}).
key rsa-pss-sha1.key -algorithm RSA -pkeyopt rsa_keygen_bits:2048
pair rsa-pss-sha1-defaults rsa-pss-sha1.key -md sha1 "${pss[@]}" -sigopt rsa_pss_saltlen:20
# id-RSASSA-PSS keys: without parameters, and restricted to SHA-256/MGF1-SHA-256/salt >= 32.
key rsa-pss-key.key -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048
pair rsa-pss-key rsa-pss-key.key -md sha256 -sigopt rsa_pss_saltlen:32
key rsa-pss-key-params.key -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha256 \
    -pkeyopt rsa_pss_keygen_mgf1_md:sha256 -pkeyopt rsa_pss_keygen_saltlen:32
pair rsa-pss-key-params rsa-pss-key-params.key -md sha256 -sigopt rsa_pss_saltlen:32

# ECDSA.
key p256.key -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key p384.key -algorithm EC -pkeyopt ec_paramgen_curve:P-384
key p521.key -algorithm EC -pkeyopt ec_paramgen_curve:P-521
pair ecdsa-p256-sha256 p256.key -md sha256
pair ecdsa-p384-sha384 p384.key -md sha384
pair ecdsa-p521-sha512 p521.key -md sha512
pair ecdsa-p256-sha384 p256.key -md sha384
# Hash and curve sizes apart: truncated (SHA-512 on P-256), zero-extended (SHA-256 on P-521), SHA-1.
self ecdsa-p256-sha512 p256.key -md sha512
self ecdsa-p521-sha256 p521.key -md sha256
self ecdsa-p384-sha1 p384.key -md sha1

# Ed25519 (PureEdDSA: no digest option).
key ed25519.key -algorithm ED25519
pair ed25519 ed25519.key

# Unsupported by certcheck: DSA, Ed448, ECDSA on secp256k1.
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out "$work/dsa.params" 2>/dev/null
openssl genpkey -paramfile "$work/dsa.params" -out "$work/dsa.key"
self dsa-sha256 dsa.key -md sha256
key ed448.key -algorithm ED448
self ed448 ed448.key
key secp256k1.key -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1
self ecdsa-secp256k1-sha256 secp256k1.key -md sha256

# Invalid: a leaf naming rsa-pkcs1-sha256's CA as its issuer, signed by another key.
key impostor.key -algorithm RSA -pkeyopt rsa_keygen_bits:2048
issue "$work/impostor-ca.pem" "certcheck rsa-pkcs1-sha256 CA" impostor.key ca_ext -self impostor.key -md sha256
issue wrong-key-leaf.pem "certcheck rsa-pkcs1-sha256 leaf" leaf.key leaf_ext "$work/impostor-ca.pem" impostor.key -md sha256

# Invalid: rsa-pkcs1-sha256-leaf.pem with one byte changed, in the subject's CN (so it still
# parses) and in the signature value.
python3 - <<'PY'
import base64, textwrap
pem = open("rsa-pkcs1-sha256-leaf.pem").read()
der = bytearray(base64.b64decode("".join(pem.strip().splitlines()[1:-1])))
def write(name, data):
    body = "\n".join(textwrap.wrap(base64.b64encode(bytes(data)).decode(), 64))
    open(name, "w").write(f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")
tbs = bytearray(der)
at = tbs.rindex(b"certcheck rsa-pkcs1-sha256 leaf")
tbs[at] = ord("C")
write("flipped-tbs.pem", tbs)
signature = bytearray(der)
signature[len(signature) - 100] ^= 0x01
write("flipped-signature.pem", signature)
PY
echo "wrote $(ls ./*.pem | wc -l) files, $(cat ./*.pem | wc -c) bytes"
