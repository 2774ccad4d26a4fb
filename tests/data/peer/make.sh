#!/usr/bin/env bash
# Regenerates the `certcheck verify` fixtures under tests/data/peer/ and their manifests, with the
# openssl CLI (OpenSSL 3.0) and python3's standard library (one signature byte flip).
#
#   tests/data/peer/make.sh    the *.pem / *.key inputs in anthropic/ access/ mtls/ host/ check/,
#                              cases.txt (verify cases) and check-cases.txt (check cases)
#
# Names, serials (0x2001 upwards, in the order of this script), extensions and validity dates are
# fixed (`openssl ca -startdate/-enddate`); keys are generated afresh on every run, and ECDSA and
# RSA-PSS signatures are randomized, so a rerun changes bytes, serial-independent identifiers (key
# identifiers, fingerprints), never structure, manifest or verdicts. Every case is judged at
# --now 2026-11-22T00:00:00Z (openssl: -attime 1795305600). It deletes and rewrites only its own
# *.pem and *.key files and the two manifests; every *.expected.json beside them is kept.
# After running: tests/data/peer/openssl-verify.sh to refresh the openssl column of README.md.
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

topics=(anthropic access mtls host check)
for t in "${topics[@]}"; do
  mkdir -p "$t"; find "$t" -type f \( -name '*.pem' -o -name '*.key' \) -delete
done

# The tunnel domain every anthropic-tunnel case uses, and the one-label name openssl checks for it.
D=example-tunnel.tunnels.example.com
PROBE=probe.$D

manifest=$here/cases.txt
cat > "$manifest" <<HEAD
# certcheck verify cases (made by make.sh; see README.md). One case per block:
#   # expect:  the diagnostic codes certcheck must give ("-": none; order irrelevant)
#   # openssl: arguments for \`openssl verify\` besides -x509_strict, -attime 1795305600 and the
#   #          certificate (the CERT_FILE below; openssl reads its first certificate only),
#   #          paths relative to tests/data ("-": no meaningful openssl equivalent)
#   <CERT_FILE> <certcheck arguments>   (the tests add --json --now 2026-11-22T00:00:00Z)
# Tunnel domain: $D; openssl checks it as -verify_hostname $PROBE.
HEAD
# case_ <expected codes|-> <openssl arguments|-> <CERT_FILE> <certcheck arguments>
case_() { printf '# expect: %s\n# openssl: %s\n%s %s\n' "$1" "$2" "$3" "$4" >> "$manifest"; }
section() { printf '\n# --- %s\n' "$1" >> "$manifest"; }

check_manifest=$here/check-cases.txt
printf '\n# --- peer/check: signatures inside one input (made by peer/make.sh)\n' > "$check_manifest"
check_case() { printf '# expect: %s\n%s %s\n' "$1" "$2" "$3" >> "$check_manifest"; }

CA_START=20260101000000Z; CA_END=20360101000000Z       # CAs: 10 years, as Anthropic's guide
INT_END=20310101000000Z                                # intermediates: 5 years
SRV_START=20261101000000Z; SRV_END=20270130000000Z     # servers: 90 days around the judge time
CLI_START=20260101000000Z; CLI_END=20270101000000Z     # clients: 1 year (40 days left)

cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = ca_default
[ca_default]
database = $work/index.txt
new_certs_dir = $work
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

# --- CAs
# Anthropic's guide: self-signed, basicConstraints=critical,CA:TRUE, keyUsage=critical,keyCertSign,cRLSign, SKI=hash.
[ca_guide]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ca_no_ski]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = none
authorityKeyIdentifier = none
[int]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_no_aki]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
[int_eku_server]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# --- gateway server certificates (anthropic-tunnel), as Anthropic's guide makes them:
# SAN <domain> and *.<domain>, EKU serverAuth, keyUsage digitalSignature (+ keyEncipherment for
# RSA), AKI keyid; SKI hash (what OpenSSL 3.0 adds by default); no basicConstraints.
# OpenSSL 3.0's openssl ca adds SKI and AKI unless a section says none: the sections below
# spell both out.
[srv]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:$D,DNS:*.$D
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv_ec]
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:$D,DNS:*.$D
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv_no_aki]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:$D,DNS:*.$D
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
[srv_san_domain_only]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:$D
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv_san_wildcard_only]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.$D
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv_san_other_domain]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:other-tunnel.tunnels.example.com,DNS:*.other-tunnel.tunnels.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv_no_san]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv_eku_client]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
subjectAltName = DNS:$D,DNS:*.$D
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv_no_eku]
keyUsage = critical,digitalSignature,keyEncipherment
subjectAltName = DNS:$D,DNS:*.$D
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv_eku_both]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = DNS:$D,DNS:*.$D
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv_is_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:$D,DNS:*.$D
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv_ku_cert_sign]
keyUsage = critical,keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:$D,DNS:*.$D
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[srv_ku_encipherment]
keyUsage = critical,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:$D,DNS:*.$D
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# --- host-matching server certificates
[host_wildcard]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[host_ip]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:192.0.2.10
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[host_ip_as_dns]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:192.0.2.10
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[host_partial_wildcard]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:w*.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# --- client certificates (cloudflare-access, cloudflare-mtls)
[cli]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = email:alice@example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[cli_dns]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:device-42.clients.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[cli_no_aki]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = email:alice@example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
[cli_eku_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = email:alice@example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[cli_eku_any]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = anyExtendedKeyUsage
subjectAltName = email:alice@example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[cli_ku_encipherment]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
extendedKeyUsage = clientAuth
subjectAltName = email:alice@example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

key() { # key <out> <rsaBITS|ec:CURVE|ED25519>
  case "$2" in
    rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$1" 2>/dev/null ;;
    ec:*) openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:${2#ec:}" -out "$1" 2>/dev/null ;;
    *) openssl genpkey -algorithm "$2" -out "$1" 2>/dev/null ;;
  esac
}

serial=$((0x2000))
# cert <out.pem> <subject> <key> <issuer cert|self> <issuer key> <extension section> <notBefore> <notAfter>
#      [openssl ca options: -md sha384, -sigopt ...]
# `openssl ca` is the only 3.0 command that takes explicit dates (-startdate/-enddate).
cert() {
  local out=$1 subject=$2 k=$3 issuer=$4 issuer_key=$5 section=$6 start=$7 end=$8
  shift 8
  serial=$((serial + 1))
  : > "$work/index.txt"
  printf '%04X\n' "$serial" > "$work/serial"
  openssl req -new -key "$k" -subj "$subject" -out "$work/req.csr" 2>/dev/null
  local args=(ca -batch -config "$work/ca.cnf" -in "$work/req.csr" -out "$work/out.pem" -notext
              -startdate "$start" -enddate "$end" -preserveDN -extensions "$section")
  if [ "$issuer" = self ]; then args+=(-selfsign -keyfile "$k"); else args+=(-cert "$issuer" -keyfile "$issuer_key"); fi
  openssl "${args[@]}" "$@" 2>"$work/ca.err" || { cat "$work/ca.err" >&2; return 1; }
  openssl x509 -in "$work/out.pem" -out "$out"
}

# ================================================================================================
# anthropic-tunnel: the gateway's server certificate, signed directly by a registered CA
# ================================================================================================
section "anthropic-tunnel (--tunnel-domain $D)"
cd anthropic
TUNNEL_CA="/C=US/O=Example Corp/CN=Example MCP Tunnel CA"
SERVER="/O=Example Corp/CN=$D"
key "$work/ca.key" rsa2048
cert ca.pem "$TUNNEL_CA" "$work/ca.key" self - ca_guide "$CA_START" "$CA_END"
key "$work/same-name.key" rsa2048     # another key, same subject name
cert ca-same-name.pem "$TUNNEL_CA" "$work/same-name.key" self - ca_guide "$CA_START" "$CA_END"
key "$work/new.key" rsa2048
cert ca-new.pem "/C=US/O=Example Corp/CN=Example MCP Tunnel CA 2027" "$work/new.key" self - ca_guide "$CA_START" "$CA_END"
cat ca.pem ca-new.pem > ca-rotation.pem
cat ca.pem ca-same-name.pem > ca-rotation-same-name.pem
key "$work/ca-p256.key" ec:P-256
cert ca-p256.pem "/C=US/O=Example Corp/CN=Example MCP Tunnel CA P-256" "$work/ca-p256.key" self - ca_guide "$CA_START" "$CA_END"
key "$work/ca-p384.key" ec:P-384
cert ca-p384.pem "/C=US/O=Example Corp/CN=Example MCP Tunnel CA P-384" "$work/ca-p384.key" self - ca_guide "$CA_START" "$CA_END" -md sha384
key "$work/short.key" rsa2048
cert ca-short-lived.pem "/C=US/O=Example Corp/CN=Short-lived MCP Tunnel CA" "$work/short.key" self - ca_guide "$CA_START" 20270101000000Z
# A CA without SKI; its servers are issued through a same-name, same-key copy WITH an SKI, so
# their AKI holds the key identifier a CA with an SKI would have.
key "$work/no-ski.key" rsa2048
cert ca-no-ski.pem "/C=US/O=Example Corp/CN=MCP Tunnel CA without SKI" "$work/no-ski.key" self - ca_no_ski "$CA_START" "$CA_END"
cert "$work/ca-no-ski-with-ski.pem" "/C=US/O=Example Corp/CN=MCP Tunnel CA without SKI" "$work/no-ski.key" self - ca_guide "$CA_START" "$CA_END"
key "$work/int.key" ec:P-256
cert intermediate.pem "/C=US/O=Example Corp/CN=Example MCP Tunnel Intermediate" "$work/int.key" ca.pem "$work/ca.key" int "$CA_START" "$INT_END"

key server.key rsa2048                 # the key of most servers here
key other.key rsa2048                  # the key of rsa-pss.pem and the rotation servers
C=(ca.pem "$work/ca.key")              # issuer: the guide's CA
A="verify --to anthropic-tunnel"
T="--tunnel-domain $D"
O="-auth_level 2 -purpose sslserver -verify_hostname $PROBE"
P=peer/anthropic

cert good-server.pem "$SERVER" server.key "${C[@]}" srv "$SRV_START" "$SRV_END"
case_ - "$O -CAfile $P/ca.pem" $P/good-server.pem "$A --ca $P/ca.pem $T"
cp good-server.pem key-match.pem
case_ - "$O -CAfile $P/ca.pem" $P/key-match.pem "$A --ca $P/ca.pem --key $P/server.key $T"
cp good-server.pem key-mismatch.pem
case_ key.mismatch "$O -CAfile $P/ca.pem" $P/key-mismatch.pem "$A --ca $P/ca.pem --key $P/other.key $T"
cat good-server.pem ca.pem > server-with-ca.pem
case_ - "$O -untrusted $P/ca.pem -CAfile $P/ca.pem" $P/server-with-ca.pem "$A --ca $P/ca.pem $T"

# Issuers: same name, another key; no AKI; a CA without SKI; rotations.
cert wrong-key-with-aki.pem "$SERVER" server.key ca-same-name.pem "$work/same-name.key" srv "$SRV_START" "$SRV_END"
case_ peer.unknown_ca "$O -CAfile $P/ca.pem" $P/wrong-key-with-aki.pem "$A --ca $P/ca.pem $T"
cert wrong-key-without-aki.pem "$SERVER" server.key ca-same-name.pem "$work/same-name.key" srv_no_aki "$SRV_START" "$SRV_END"
case_ "signature.invalid, peer.authority_key_id" "$O -CAfile $P/ca.pem" $P/wrong-key-without-aki.pem "$A --ca $P/ca.pem $T"
cert no-aki.pem "$SERVER" server.key "${C[@]}" srv_no_aki "$SRV_START" "$SRV_END"
case_ peer.authority_key_id "$O -CAfile $P/ca.pem" $P/no-aki.pem "$A --ca $P/ca.pem $T"
cert ca-without-ski-server.pem "$SERVER" server.key "$work/ca-no-ski-with-ski.pem" "$work/no-ski.key" srv "$SRV_START" "$SRV_END"
case_ peer.authority_key_id "$O -CAfile $P/ca-no-ski.pem" $P/ca-without-ski-server.pem "$A --ca $P/ca-no-ski.pem $T"
cert rotation-server.pem "$SERVER" other.key ca-new.pem "$work/new.key" srv "$SRV_START" "$SRV_END"
case_ - "$O -CAfile $P/ca-rotation.pem" $P/rotation-server.pem "$A --ca $P/ca-rotation.pem $T"
cert rotation-same-name-server.pem "$SERVER" other.key ca-same-name.pem "$work/same-name.key" srv "$SRV_START" "$SRV_END"
case_ - "$O -CAfile $P/ca-rotation-same-name.pem" $P/rotation-same-name-server.pem "$A --ca $P/ca-rotation-same-name.pem $T"
cert rotation-same-name-no-aki.pem "$SERVER" other.key ca-same-name.pem "$work/same-name.key" srv_no_aki "$SRV_START" "$SRV_END"
case_ peer.authority_key_id "$O -CAfile $P/ca-rotation-same-name.pem" $P/rotation-same-name-no-aki.pem "$A --ca $P/ca-rotation-same-name.pem $T"
key "$work/int-server.key" rsa2048
cert "$work/via-intermediate-leaf.pem" "$SERVER" "$work/int-server.key" intermediate.pem "$work/int.key" srv "$SRV_START" "$SRV_END"
cat "$work/via-intermediate-leaf.pem" intermediate.pem > via-intermediate.pem
case_ peer.not_direct "$O -untrusted $P/intermediate.pem -CAfile $P/ca.pem" $P/via-intermediate.pem "$A --ca $P/ca.pem $T"

# subjectAltName.
cert san-domain-only.pem "$SERVER" server.key "${C[@]}" srv_san_domain_only "$SRV_START" "$SRV_END"
case_ peer.name_mismatch "$O -CAfile $P/ca.pem" $P/san-domain-only.pem "$A --ca $P/ca.pem $T"
cert san-wildcard-only.pem "$SERVER" server.key "${C[@]}" srv_san_wildcard_only "$SRV_START" "$SRV_END"
case_ peer.certificate_profile "$O -CAfile $P/ca.pem" $P/san-wildcard-only.pem "$A --ca $P/ca.pem $T"
cert san-other-domain.pem "/O=Example Corp/CN=other-tunnel.tunnels.example.com" server.key "${C[@]}" srv_san_other_domain "$SRV_START" "$SRV_END"
case_ peer.name_mismatch "$O -CAfile $P/ca.pem" $P/san-other-domain.pem "$A --ca $P/ca.pem $T"
cert no-san.pem "$SERVER" server.key "${C[@]}" srv_no_san "$SRV_START" "$SRV_END"
case_ peer.name_mismatch "$O -CAfile $P/ca.pem" $P/no-san.pem "$A --ca $P/ca.pem $T"

# extendedKeyUsage and keyUsage.
cert eku-client-only.pem "$SERVER" server.key "${C[@]}" srv_eku_client "$SRV_START" "$SRV_END"
case_ peer.extended_key_usage "$O -CAfile $P/ca.pem" $P/eku-client-only.pem "$A --ca $P/ca.pem $T"
cert no-eku.pem "$SERVER" server.key "${C[@]}" srv_no_eku "$SRV_START" "$SRV_END"
case_ - "$O -CAfile $P/ca.pem" $P/no-eku.pem "$A --ca $P/ca.pem $T"
cert eku-server-and-client.pem "$SERVER" server.key "${C[@]}" srv_eku_both "$SRV_START" "$SRV_END"
case_ - "$O -CAfile $P/ca.pem" $P/eku-server-and-client.pem "$A --ca $P/ca.pem $T"
cert ku-key-cert-sign-only.pem "$SERVER" server.key "${C[@]}" srv_ku_cert_sign "$SRV_START" "$SRV_END"
case_ "peer.key_usage, peer.leaf_key_cert_sign" "$O -CAfile $P/ca.pem" $P/ku-key-cert-sign-only.pem "$A --ca $P/ca.pem $T"
cert ku-key-encipherment-only.pem "$SERVER" server.key "${C[@]}" srv_ku_encipherment "$SRV_START" "$SRV_END"
case_ peer.key_usage "$O -CAfile $P/ca.pem" $P/ku-key-encipherment-only.pem "$A --ca $P/ca.pem $T"
cert server-is-ca.pem "$SERVER" server.key "${C[@]}" srv_is_ca "$SRV_START" "$SRV_END"
case_ peer.is_ca "$O -CAfile $P/ca.pem" $P/server-is-ca.pem "$A --ca $P/ca.pem $T"

# Validity (judged at 2026-11-22).
cert expired.pem "$SERVER" server.key "${C[@]}" srv 20260801000000Z 20261030000000Z
case_ cert.expired "$O -CAfile $P/ca.pem" $P/expired.pem "$A --ca $P/ca.pem $T"
cert not-yet-valid.pem "$SERVER" server.key "${C[@]}" srv 20261201000000Z 20270301000000Z
case_ cert.not_yet_valid "$O -CAfile $P/ca.pem" $P/not-yet-valid.pem "$A --ca $P/ca.pem $T"
cert expires-soon.pem "$SERVER" server.key "${C[@]}" srv 20260901000000Z 20261130000000Z
case_ cert.expires_soon "$O -CAfile $P/ca.pem" $P/expires-soon.pem "$A --ca $P/ca.pem $T"
cert outlives-ca.pem "$SERVER" server.key ca-short-lived.pem "$work/short.key" srv "$SRV_START" "$SRV_END"
case_ peer.outlives_ca "$O -CAfile $P/ca-short-lived.pem" $P/outlives-ca.pem "$A --ca $P/ca-short-lived.pem $T"

# Algorithms.
cert rsa-pss.pem "$SERVER" other.key "${C[@]}" srv "$SRV_START" "$SRV_END" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
case_ - "$O -CAfile $P/ca.pem" $P/rsa-pss.pem "$A --ca $P/ca.pem $T"
key "$work/p256.key" ec:P-256
cert ecdsa-p256.pem "$SERVER" "$work/p256.key" ca-p256.pem "$work/ca-p256.key" srv_ec "$SRV_START" "$SRV_END"
case_ - "$O -CAfile $P/ca-p256.pem" $P/ecdsa-p256.pem "$A --ca $P/ca-p256.pem $T"
key "$work/p384.key" ec:P-384
cert ecdsa-p384.pem "$SERVER" "$work/p384.key" ca-p384.pem "$work/ca-p384.key" srv_ec "$SRV_START" "$SRV_END" -md sha384
case_ - "$O -CAfile $P/ca-p384.pem" $P/ecdsa-p384.pem "$A --ca $P/ca-p384.pem $T"
cert sha1-signature.pem "$SERVER" server.key "${C[@]}" srv "$SRV_START" "$SRV_END" -md sha1
case_ cert.weak_signature "$O -CAfile $P/ca.pem" $P/sha1-signature.pem "$A --ca $P/ca.pem $T"
key "$work/rsa1024.key" rsa1024
cert rsa-1024.pem "$SERVER" "$work/rsa1024.key" "${C[@]}" srv "$SRV_START" "$SRV_END"
case_ cert.weak_key "$O -CAfile $P/ca.pem" $P/rsa-1024.pem "$A --ca $P/ca.pem $T"
cd ..

# ================================================================================================
# cloudflare-access: client certificates against what is uploaded to Access
# ================================================================================================
section cloudflare-access
cd access
key "$work/root.key" rsa2048
cert root.pem "/C=US/O=Example Corp/CN=Example Access Root CA" "$work/root.key" self - ca_guide "$CA_START" "$CA_END"
key "$work/int.key" ec:P-256
cert intermediate.pem "/C=US/O=Example Corp/CN=Example Access Client CA" "$work/int.key" root.pem "$work/root.key" int "$CA_START" "$INT_END"
cat intermediate.pem root.pem > bundle.pem                    # as Cloudflare asks: intermediate first
key "$work/int-server.key" ec:P-256
cert intermediate-eku-server.pem "/C=US/O=Example Corp/CN=Server-only Intermediate" "$work/int-server.key" root.pem "$work/root.key" int_eku_server "$CA_START" "$INT_END"
cat intermediate-eku-server.pem root.pem > bundle-eku-server.pem
key "$work/other.key" rsa2048
cert other-root.pem "/O=Other Corp/CN=Other Root CA" "$work/other.key" self - ca_guide "$CA_START" "$CA_END"

key "$work/client.key" ec:P-256
I=(intermediate.pem "$work/int.key")
A="verify --to cloudflare-access"
O="-auth_level 2 -purpose sslclient"
P=peer/access
ALICE="/O=Example Corp/CN=alice@example.com"

cert good-client.pem "$ALICE" "$work/client.key" "${I[@]}" cli "$CLI_START" "$CLI_END"
case_ - "$O -CAfile $P/bundle.pem" $P/good-client.pem "$A --ca $P/bundle.pem"
cert "$work/device.pem" "/O=Example Corp/CN=device-42.clients.example.com" "$work/client.key" "${I[@]}" cli_dns "$CLI_START" "$CLI_END"
cat "$work/device.pem" intermediate.pem > client-chain.pem
case_ - "$O -untrusted $P/intermediate.pem -CAfile $P/root.pem" $P/client-chain.pem "$A --ca $P/root.pem"
cp good-client.pem missing-intermediate.pem
case_ peer.unknown_ca "$O -CAfile $P/root.pem" $P/missing-intermediate.pem "$A --ca $P/root.pem"
cp good-client.pem intermediate-anchor.pem
case_ - "$O -partial_chain -CAfile $P/intermediate.pem" $P/intermediate-anchor.pem "$A --ca $P/intermediate.pem"
cert other-ca-client.pem "$ALICE" "$work/client.key" other-root.pem "$work/other.key" cli "$CLI_START" "$CLI_END"
case_ peer.unknown_ca "$O -CAfile $P/bundle.pem" $P/other-ca-client.pem "$A --ca $P/bundle.pem"
cert eku-server-only.pem "$ALICE" "$work/client.key" "${I[@]}" cli_eku_server "$CLI_START" "$CLI_END"
case_ peer.extended_key_usage "$O -CAfile $P/bundle.pem" $P/eku-server-only.pem "$A --ca $P/bundle.pem"
cert eku-any.pem "$ALICE" "$work/client.key" "${I[@]}" cli_eku_any "$CLI_START" "$CLI_END"
case_ peer.extended_key_usage "$O -CAfile $P/bundle.pem" $P/eku-any.pem "$A --ca $P/bundle.pem"
cert "$work/under-server-only.pem" "$ALICE" "$work/client.key" intermediate-eku-server.pem "$work/int-server.key" cli "$CLI_START" "$CLI_END"
cat "$work/under-server-only.pem" intermediate-eku-server.pem > intermediate-eku-server-chain.pem
case_ peer.extended_key_usage "$O -untrusted $P/intermediate-eku-server.pem -CAfile $P/root.pem" $P/intermediate-eku-server-chain.pem "$A --ca $P/root.pem"
cp "$work/under-server-only.pem" intermediate-eku-server-uploaded.pem
case_ peer.extended_key_usage "$O -CAfile $P/bundle-eku-server.pem" $P/intermediate-eku-server-uploaded.pem "$A --ca $P/bundle-eku-server.pem"
key "$work/ed25519.key" ED25519
cert ed25519-client.pem "$ALICE" "$work/ed25519.key" "${I[@]}" cli "$CLI_START" "$CLI_END"
case_ - "$O -CAfile $P/bundle.pem" $P/ed25519-client.pem "$A --ca $P/bundle.pem"
cert no-aki.pem "$ALICE" "$work/client.key" "${I[@]}" cli_no_aki "$CLI_START" "$CLI_END"
case_ peer.authority_key_id "$O -CAfile $P/bundle.pem" $P/no-aki.pem "$A --ca $P/bundle.pem"
cert expired.pem "$ALICE" "$work/client.key" "${I[@]}" cli 20250101000000Z 20260101000000Z
case_ cert.expired "$O -CAfile $P/bundle.pem" $P/expired.pem "$A --ca $P/bundle.pem"
# AKI where Access only warns: a CA without SKI (issued through a same-name, same-key copy with
# one, as in anthropic/), and two same-name roots (a rotation) with a client of the second, no AKI.
key "$work/no-ski.key" rsa2048
cert ca-no-ski.pem "/C=US/O=Example Corp/CN=Access CA without SKI" "$work/no-ski.key" self - ca_no_ski "$CA_START" "$CA_END"
cert "$work/ca-no-ski-with-ski.pem" "/C=US/O=Example Corp/CN=Access CA without SKI" "$work/no-ski.key" self - ca_guide "$CA_START" "$CA_END"
cert ca-without-ski-client.pem "$ALICE" "$work/client.key" "$work/ca-no-ski-with-ski.pem" "$work/no-ski.key" cli "$CLI_START" "$CLI_END"
case_ peer.authority_key_id "$O -CAfile $P/ca-no-ski.pem" $P/ca-without-ski-client.pem "$A --ca $P/ca-no-ski.pem"
key "$work/root-same-name.key" rsa2048
cert root-same-name.pem "/C=US/O=Example Corp/CN=Example Access Root CA" "$work/root-same-name.key" self - ca_guide "$CA_START" "$CA_END"
cat root.pem root-same-name.pem > roots-same-name.pem
cert same-name-roots-no-aki.pem "$ALICE" "$work/client.key" root-same-name.pem "$work/root-same-name.key" cli_no_aki "$CLI_START" "$CLI_END"
case_ peer.authority_key_id "$O -CAfile $P/roots-same-name.pem" $P/same-name-roots-no-aki.pem "$A --ca $P/roots-same-name.pem"
cd ..

# ================================================================================================
# cloudflare-mtls: client certificates against an uploaded CA (ca: true)
# ================================================================================================
section cloudflare-mtls
cd mtls
A="verify --to cloudflare-mtls"
O="-auth_level 2 -purpose sslclient"
P=peer/mtls
key "$work/ca.key" rsa2048
cert ca.pem "/C=US/O=Example Corp/CN=Example mTLS Client CA" "$work/ca.key" self - ca_guide "$CA_START" "$CA_END"
key "$work/client.key" rsa2048
cert good-client.pem "/O=Example Corp/CN=device-42.clients.example.com" "$work/client.key" ca.pem "$work/ca.key" cli_dns "$CLI_START" "$CLI_END"
case_ - "$O -CAfile $P/ca.pem" $P/good-client.pem "$A --ca $P/ca.pem"
key "$work/ca-p384.key" ec:P-384
cert ca-p384.pem "/C=US/O=Example Corp/CN=Example mTLS Root CA P-384" "$work/ca-p384.key" self - ca_guide "$CA_START" "$CA_END" -md sha384
key "$work/int-p384.key" ec:P-384
cert intermediate-p384.pem "/C=US/O=Example Corp/CN=Example mTLS Client CA P-384" "$work/int-p384.key" ca-p384.pem "$work/ca-p384.key" int "$CA_START" "$INT_END" -md sha384
key "$work/client-p384.key" ec:P-384
cert "$work/client-p384.pem" "/O=Example Corp/CN=device-43.clients.example.com" "$work/client-p384.key" intermediate-p384.pem "$work/int-p384.key" cli_dns "$CLI_START" "$CLI_END" -md sha384
cat "$work/client-p384.pem" intermediate-p384.pem > p384-chain.pem
case_ - "$O -untrusted $P/intermediate-p384.pem -CAfile $P/ca-p384.pem" $P/p384-chain.pem "$A --ca $P/ca-p384.pem"
cert ku-key-encipherment-only.pem "/O=Example Corp/CN=device-42.clients.example.com" "$work/client.key" ca.pem "$work/ca.key" cli_ku_encipherment "$CLI_START" "$CLI_END"
case_ peer.key_usage "$O -CAfile $P/ca.pem" $P/ku-key-encipherment-only.pem "$A --ca $P/ca.pem"
cd ..

# ================================================================================================
# host: --host matching (RFC 6125), on anthropic-tunnel server certificates
# ================================================================================================
section "host (--host instead of --tunnel-domain)"
cd host
A="verify --to anthropic-tunnel"
O="-auth_level 2 -purpose sslserver"
P=peer/host
key "$work/ca.key" rsa2048
cert ca.pem "/C=US/O=Example Corp/CN=Example Host CA" "$work/ca.key" self - ca_guide "$CA_START" "$CA_END"
key "$work/server.key" rsa2048
H=("$work/server.key" ca.pem "$work/ca.key")
cert "$work/wildcard.pem" "/O=Example Corp/CN=*.example.com" "${H[@]}" host_wildcard "$SRV_START" "$SRV_END"
cp "$work/wildcard.pem" wildcard-one-label.pem
case_ - "$O -verify_hostname a.example.com -CAfile $P/ca.pem" $P/wildcard-one-label.pem "$A --ca $P/ca.pem --host a.example.com"
cp "$work/wildcard.pem" wildcard-two-labels.pem
case_ peer.name_mismatch "$O -verify_hostname a.b.example.com -CAfile $P/ca.pem" $P/wildcard-two-labels.pem "$A --ca $P/ca.pem --host a.b.example.com"
cp "$work/wildcard.pem" wildcard-bare-domain.pem
case_ peer.name_mismatch "$O -verify_hostname example.com -CAfile $P/ca.pem" $P/wildcard-bare-domain.pem "$A --ca $P/ca.pem --host example.com"
cp "$work/wildcard.pem" wildcard-mixed-case.pem
case_ - "$O -verify_hostname A.Example.COM -CAfile $P/ca.pem" $P/wildcard-mixed-case.pem "$A --ca $P/ca.pem --host A.Example.COM"
# openssl takes one -verify_hostname (several would be OR-ed): it checks the uncovered one.
cp "$work/wildcard.pem" wildcard-two-hosts.pem
case_ peer.name_mismatch "$O -verify_hostname example.com -CAfile $P/ca.pem" $P/wildcard-two-hosts.pem "$A --ca $P/ca.pem --host a.example.com --host example.com"
cert "$work/ip.pem" "/O=Example Corp/CN=gateway" "${H[@]}" host_ip "$SRV_START" "$SRV_END"
cp "$work/ip.pem" ip.pem
case_ - "$O -verify_ip 192.0.2.10 -CAfile $P/ca.pem" $P/ip.pem "$A --ca $P/ca.pem --host 192.0.2.10"
cp "$work/ip.pem" ip-other.pem
case_ peer.name_mismatch "$O -verify_ip 192.0.2.11 -CAfile $P/ca.pem" $P/ip-other.pem "$A --ca $P/ca.pem --host 192.0.2.11"
cert ip-as-dns.pem "/O=Example Corp/CN=gateway" "${H[@]}" host_ip_as_dns "$SRV_START" "$SRV_END"
case_ peer.name_mismatch "$O -verify_ip 192.0.2.10 -CAfile $P/ca.pem" $P/ip-as-dns.pem "$A --ca $P/ca.pem --host 192.0.2.10"
cert cn-only.pem "/O=Example Corp/CN=host.example.com" "${H[@]}" srv_no_san "$SRV_START" "$SRV_END"
case_ peer.name_mismatch "$O -verify_hostname host.example.com -CAfile $P/ca.pem" $P/cn-only.pem "$A --ca $P/ca.pem --host host.example.com"
cert partial-wildcard.pem "/O=Example Corp/CN=w*.example.com" "${H[@]}" host_partial_wildcard "$SRV_START" "$SRV_END"
case_ peer.name_mismatch "$O -verify_hostname www.example.com -CAfile $P/ca.pem" $P/partial-wildcard.pem "$A --ca $P/ca.pem --host www.example.com"
cd ..

# ================================================================================================
# check: signatures between certificates of one input (certcheck check)
# ================================================================================================
cd check
key "$work/root1.key" rsa2048
key "$work/root2.key" rsa2048
WRONG_ROOT="/C=US/O=Example Corp/CN=Example Wrong-Key Root CA"
cert "$work/root1.pem" "$WRONG_ROOT" "$work/root1.key" self - ca_guide "$CA_START" "$CA_END"
cert "$work/root2.pem" "$WRONG_ROOT" "$work/root2.key" self - ca_guide "$CA_START" "$CA_END"
key "$work/int.key" ec:P-256
cert "$work/int.pem" "/C=US/O=Example Corp/CN=Example Wrong-Key Client CA" "$work/int.key" "$work/root1.pem" "$work/root1.key" int_no_aki "$CA_START" "$INT_END"
cat "$work/int.pem" "$work/root2.pem" > chain-wrong-key.pem   # intermediate first, but its root has another key
check_case signature.invalid peer/check/chain-wrong-key.pem "check --to cloudflare-access"
key "$work/tampered.key" rsa2048
cert "$work/tampered.pem" "/C=US/O=Example Corp/CN=Example Tampered Root CA" "$work/tampered.key" self - ca_guide "$CA_START" "$CA_END"
python3 - "$work/tampered.pem" tampered-root.pem <<'PY'
import base64, sys, textwrap
pem = open(sys.argv[1]).read()
der = bytearray(base64.b64decode("".join(pem.strip().splitlines()[1:-1])))
der[len(der) - 100] ^= 0x01    # inside the 256-octet RSA signature value, which ends the DER
body = "\n".join(textwrap.wrap(base64.b64encode(bytes(der)).decode(), 64))
open(sys.argv[2], "w").write(f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")
PY
openssl x509 -in tampered-root.pem -noout        # still parses
check_case "signature.invalid (warning)" peer/check/tampered-root.pem "check --to cloudflare-access"
cd ..

# The path cases (RFC 5280 section 6 on every certificate of the path) append their own section.
"$here/make-path.sh"

echo "wrote $(grep -cv -e '^#' -e '^$' "$manifest") verify cases, $(grep -cv -e '^#' -e '^$' "$check_manifest") check cases," \
  "$(find "${topics[@]}" -name '*.pem' -o -name '*.key' | wc -l) files, $(find "${topics[@]}" \( -name '*.pem' -o -name '*.key' \) -exec cat {} + | wc -c) bytes"
