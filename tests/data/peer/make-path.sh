#!/usr/bin/env bash
# Regenerates tests/data/peer/path/: client-certificate paths for cloudflare-access and
# cloudflare-mtls that break (or keep) RFC 5280 section 6 on a certificate other than the
# presented one: the CA bit and keyCertSign of every issuer, pathLenConstraint, name constraints,
# validity and critical extensions of every certificate of the path, the criticality RFC 5280
# section 4 gives an extension of an intermediate, the anchor's key, path
# building past an unrelated or expired intermediate, --email. Each case has a control that must
# pass. Same conventions as make.sh (fixed names, serials from 0x3001, extensions and dates; fresh
# keys), and make.sh runs it last. Run alone, it rewrites only path/*.pem and the path section of
# cases.txt (everything after its "# --- path" line), keeping every *.expected.json.
# openssl verifies every case as the manifest's `# openssl:` line says; the script fails if a
# verdict is not the one intended (OK for the cases that expect "-", an error otherwise).
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p path
find path -type f \( -name '*.pem' -o -name '*.key' \) -delete

manifest=$here/cases.txt
marker='# --- path: RFC 5280 section 6 on every certificate of the path (made by make-path.sh)'
if grep -qxF "$marker" "$manifest"; then
  python3 - "$manifest" "$marker" <<'PY'
import sys
path, marker = sys.argv[1], sys.argv[2]
text = open(path).read()
open(path, "w").write(text[: text.index("\n" + marker)].rstrip("\n") + "\n")
PY
fi
python3 - "$manifest" <<'PY'
import sys
text = open(sys.argv[1]).read()
open(sys.argv[1], "w").write(text.rstrip("\n") + "\n")
PY
printf '\n%s\n' "$marker" >> "$manifest"
case_() { # case_ <expect> <openssl arguments> <CERT_FILE> <certcheck arguments>
  printf '# expect: %s\n# openssl: %s\n%s %s\n' "$1" "$2" "$3" "$4" >> "$manifest"
  # shellcheck disable=SC2086
  local result
  result=$(cd "$here/.." && openssl verify -x509_strict -attime 1795305600 $2 "$3" 2>&1 || true)
  if [ "$1" = - ] || [[ "$1" == *"(warning)"* && "$1" != *,* ]]; then
    [[ "$result" == *": OK" ]] || { echo "$3: openssl should accept: $result" >&2; exit 1; }
  else
    [[ "$result" != *": OK" ]] || { echo "$3: openssl should refuse: $result" >&2; exit 1; }
  fi
}

CA_START=20260101000000Z; CA_END=20360101000000Z
INT_END=20310101000000Z
CLI_START=20260101000000Z; CLI_END=20270101000000Z
LATER=20261201000000Z                              # after the judge time: not yet valid

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

[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[root_pathlen0]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[root_nc_excluded]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
nameConstraints = critical,excluded;email:example.com
subjectKeyIdentifier = hash
[root_nc_permitted_other]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
nameConstraints = critical,permitted;email:clients.example.org
subjectKeyIdentifier = hash
[root_nc_permitted]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
nameConstraints = critical,permitted;email:example.com
subjectKeyIdentifier = hash
[root_unknown_critical]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
1.3.6.1.4.1.55555.1 = critical,ASN1:NULL
subjectKeyIdentifier = hash
[root_not_ca]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[int]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_no_pathlen]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_not_ca]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_no_bc]
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_no_key_cert_sign]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,digitalSignature,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_nc_dns]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
nameConstraints = critical,excluded;DNS:clients.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_unknown_critical]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
1.3.6.1.4.1.55555.1 = critical,ASN1:NULL
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_aia_critical]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
authorityInfoAccess = critical,caIssuers;URI:http://ca.example.com/path-root.der
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
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
CNF

key() { # key <out> <rsaBITS|ec:CURVE>
  case "$2" in
    rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$1" 2>/dev/null ;;
    ec:*) openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:${2#ec:}" -out "$1" 2>/dev/null ;;
  esac
}

serial=$((0x3000))
# cert <out.pem> <subject> <key> <issuer cert|self> <issuer key> <extension section> <notBefore> <notAfter>
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

cd path
P=peer/path
ACCESS="verify --to cloudflare-access"
MTLS="verify --to cloudflare-mtls"
O="-auth_level 2 -purpose sslclient"
ROOT="/O=Example Corp/CN=Path Root CA"
INT="/O=Example Corp/CN=Path Intermediate CA"
ALICE="/O=Example Corp/CN=alice@example.com"
DEVICE="/O=Example Corp/CN=device-42.clients.example.com"
key "$work/root.key" ec:P-256
key "$work/int.key" ec:P-256
key "$work/client.key" ec:P-256
cert root.pem "$ROOT" "$work/root.key" self - root "$CA_START" "$CA_END"
R=(root.pem "$work/root.key")
I=(intermediate.pem "$work/int.key")
# chain <out> <leaf section> <leaf subject> <intermediate section> [leaf start] [intermediate start] [intermediate end]
chain() {
  local out=$1 leaf_section=$2 leaf_subject=$3 int_section=$4 leaf_start=${5:-$CLI_START} int_start=${6:-$CA_START} int_end=${7:-$INT_END}
  cert "$work/int.pem" "$INT" "$work/int.key" "${R[@]}" "$int_section" "$int_start" "$int_end"
  cert "$work/leaf.pem" "$leaf_subject" "$work/client.key" "$work/int.pem" "$work/int.key" "$leaf_section" "$leaf_start" "$CLI_END"
  cat "$work/leaf.pem" "$work/int.pem" > "$out"
  cp "$work/int.pem" "${out%.pem}.intermediate.pem"
}
u() { echo "-untrusted $P/${1%.pem}.intermediate.pem"; }

# Controls: a client certificate through a pathlen:0 intermediate, for Access and mTLS; by email.
chain good-chain.pem cli "$ALICE" int
case_ - "$O $(u good-chain.pem) -CAfile $P/root.pem" $P/good-chain.pem "$ACCESS --ca $P/root.pem"
cp good-chain.pem good-chain-mtls.pem; cp good-chain.intermediate.pem good-chain-mtls.intermediate.pem
case_ - "$O $(u good-chain-mtls.pem) -CAfile $P/root.pem" $P/good-chain-mtls.pem "$MTLS --ca $P/root.pem"
cp good-chain.pem email.pem; cp good-chain.intermediate.pem email.intermediate.pem
case_ - "$O $(u email.pem) -verify_email alice@example.com -CAfile $P/root.pem" $P/email.pem "$ACCESS --ca $P/root.pem --email alice@example.com"
cp good-chain.pem email-other.pem; cp good-chain.intermediate.pem email-other.intermediate.pem
case_ peer.name_mismatch "$O $(u email-other.pem) -verify_email bob@example.com -CAfile $P/root.pem" $P/email-other.pem "$ACCESS --ca $P/root.pem --email bob@example.com"
# The intermediates in the wrong order, a CA given twice: the path is still found.
cat root.pem root.pem > root-twice.pem
cp good-chain.pem ca-twice.pem; cp good-chain.intermediate.pem ca-twice.intermediate.pem
case_ "cert.duplicate (warning)" "$O $(u ca-twice.pem) -CAfile $P/root-twice.pem" $P/ca-twice.pem "$ACCESS --ca $P/root-twice.pem"

# The CA bit and keyCertSign of the intermediate.
chain int-not-ca.pem cli "$ALICE" int_not_ca
case_ peer.issuer_not_ca "$O $(u int-not-ca.pem) -CAfile $P/root.pem" $P/int-not-ca.pem "$ACCESS --ca $P/root.pem"
chain int-no-basic-constraints.pem cli "$ALICE" int_no_bc
case_ peer.issuer_not_ca "$O $(u int-no-basic-constraints.pem) -CAfile $P/root.pem" $P/int-no-basic-constraints.pem "$MTLS --ca $P/root.pem"
chain int-no-key-cert-sign.pem cli "$ALICE" int_no_key_cert_sign
case_ peer.issuer_key_usage "$O $(u int-no-key-cert-sign.pem) -CAfile $P/root.pem" $P/int-no-key-cert-sign.pem "$ACCESS --ca $P/root.pem"
# The anchor itself is no CA.
key "$work/not-ca.key" ec:P-256
cert root-not-ca.pem "/O=Example Corp/CN=Path Root without CA bit" "$work/not-ca.key" self - root_not_ca "$CA_START" "$CA_END"
cert anchor-not-ca.pem "$ALICE" "$work/client.key" root-not-ca.pem "$work/not-ca.key" cli "$CLI_START" "$CLI_END"
case_ peer.issuer_not_ca "$O -CAfile $P/root-not-ca.pem" $P/anchor-not-ca.pem "$ACCESS --ca $P/root-not-ca.pem"

# pathLenConstraint: a root with pathlen:0 above an intermediate; its control: no intermediate.
key "$work/root-pathlen.key" ec:P-256
ROOT_PATHLEN="/O=Example Corp/CN=Path Root CA pathlen 0"
cert root-pathlen0.pem "$ROOT_PATHLEN" "$work/root-pathlen.key" self - root_pathlen0 "$CA_START" "$CA_END"
cert "$work/int-under-pathlen.pem" "$INT" "$work/int.key" root-pathlen0.pem "$work/root-pathlen.key" int "$CA_START" "$INT_END"
cert "$work/leaf.pem" "$ALICE" "$work/client.key" "$work/int-under-pathlen.pem" "$work/int.key" cli "$CLI_START" "$CLI_END"
cat "$work/leaf.pem" "$work/int-under-pathlen.pem" > pathlen-exceeded.pem
cp "$work/int-under-pathlen.pem" pathlen-exceeded.intermediate.pem
case_ peer.path_length "$O $(u pathlen-exceeded.pem) -CAfile $P/root-pathlen0.pem" $P/pathlen-exceeded.pem "$MTLS --ca $P/root-pathlen0.pem"
cert pathlen-direct.pem "$ALICE" "$work/client.key" root-pathlen0.pem "$work/root-pathlen.key" cli "$CLI_START" "$CLI_END"
case_ - "$O -CAfile $P/root-pathlen0.pem" $P/pathlen-direct.pem "$MTLS --ca $P/root-pathlen0.pem"

# Name constraints on the root (email) and on an intermediate (DNS), with a permitting control.
nc_root() { # nc_root <out> <section> <CN>
  key "$work/nc.key" ec:P-256
  cert "${1%.pem}-root.pem" "/O=Example Corp/CN=$3" "$work/nc.key" self - "$2" "$CA_START" "$CA_END"
  cert "$1" "$ALICE" "$work/client.key" "${1%.pem}-root.pem" "$work/nc.key" cli "$CLI_START" "$CLI_END"
}
nc_root nc-excluded-email.pem root_nc_excluded "Path Root CA excluding example.com"
case_ peer.name_constraints "$O -CAfile $P/nc-excluded-email-root.pem" $P/nc-excluded-email.pem "$ACCESS --ca $P/nc-excluded-email-root.pem"
nc_root nc-not-permitted-email.pem root_nc_permitted_other "Path Root CA for clients.example.org"
case_ peer.name_constraints "$O -CAfile $P/nc-not-permitted-email-root.pem" $P/nc-not-permitted-email.pem "$MTLS --ca $P/nc-not-permitted-email-root.pem"
nc_root nc-permitted-email.pem root_nc_permitted "Path Root CA for example.com"
case_ - "$O -CAfile $P/nc-permitted-email-root.pem" $P/nc-permitted-email.pem "$ACCESS --ca $P/nc-permitted-email-root.pem"
chain nc-excluded-dns.pem cli_dns "$DEVICE" int_nc_dns
case_ peer.name_constraints "$O $(u nc-excluded-dns.pem) -CAfile $P/root.pem" $P/nc-excluded-dns.pem "$ACCESS --ca $P/root.pem"
# The commonName of a client without a DNS name in its SAN, when it looks like a host name, is
# checked against dNSName constraints (as OpenSSL does); a CN that is no host name is not.
chain nc-excluded-dns-cn.pem cli "$DEVICE" int_nc_dns
case_ peer.name_constraints "$O $(u nc-excluded-dns-cn.pem) -CAfile $P/root.pem" $P/nc-excluded-dns-cn.pem "$MTLS --ca $P/root.pem"
chain nc-dns-email-client.pem cli "$ALICE" int_nc_dns
case_ - "$O $(u nc-dns-email-client.pem) -CAfile $P/root.pem" $P/nc-dns-email-client.pem "$MTLS --ca $P/root.pem"

# Validity of every certificate: the client or the intermediate not yet valid, the intermediate
# expired (refused at every destination, not only at Anthropic).
chain leaf-not-yet-valid.pem cli "$ALICE" int "$LATER"
case_ cert.not_yet_valid "$O $(u leaf-not-yet-valid.pem) -CAfile $P/root.pem" $P/leaf-not-yet-valid.pem "$ACCESS --ca $P/root.pem"
chain int-not-yet-valid.pem cli "$ALICE" int "$CLI_START" "$LATER"
case_ cert.not_yet_valid "$O $(u int-not-yet-valid.pem) -CAfile $P/root.pem" $P/int-not-yet-valid.pem "$MTLS --ca $P/root.pem"
chain int-expired.pem cli "$ALICE" int "$CLI_START" 20250101000000Z 20260101000000Z
case_ cert.expired "$O $(u int-expired.pem) -CAfile $P/root.pem" $P/int-expired.pem "$ACCESS --ca $P/root.pem"

# Critical extensions: an unknown one on the intermediate, on the anchor.
chain int-unknown-critical.pem cli "$ALICE" int_unknown_critical
case_ cert.unknown_critical_extension "$O $(u int-unknown-critical.pem) -CAfile $P/root.pem" $P/int-unknown-critical.pem "$ACCESS --ca $P/root.pem"
key "$work/crit.key" ec:P-256
cert root-unknown-critical.pem "/O=Example Corp/CN=Path Root CA with an unknown critical extension" "$work/crit.key" self - root_unknown_critical "$CA_START" "$CA_END"
cert anchor-unknown-critical.pem "$ALICE" "$work/client.key" root-unknown-critical.pem "$work/crit.key" cli "$CLI_START" "$CLI_END"
case_ cert.unknown_critical_extension "$O -CAfile $P/root-unknown-critical.pem" $P/anchor-unknown-critical.pem "$MTLS --ca $P/root-unknown-critical.pem"

# The profile of RFC 5280 section 4 on a certificate of the path: an intermediate whose
# authorityInfoAccess is marked critical (4.2.2.1: MUST be non-critical; openssl does not handle
# it as critical: 34).
chain int-aia-critical.pem cli "$ALICE" int_aia_critical
case_ peer.extension_criticality "$O $(u int-aia-critical.pem) -CAfile $P/root.pem" $P/int-aia-critical.pem "$ACCESS --ca $P/root.pem"

# The anchor's own key: RSA-1024.
key "$work/weak.key" rsa1024
cert root-rsa1024.pem "/O=Example Corp/CN=Path Root CA RSA-1024" "$work/weak.key" self - root "$CA_START" "$CA_END"
cert anchor-rsa1024.pem "$ALICE" "$work/client.key" root-rsa1024.pem "$work/weak.key" cli "$CLI_START" "$CLI_END"
case_ cert.weak_key "$O -CAfile $P/root-rsa1024.pem" $P/anchor-rsa1024.pem "$ACCESS --ca $P/root-rsa1024.pem"

# Path building: beside the good intermediate, an unrelated one with an unknown critical
# extension, and an expired copy of the intermediate (same name and key): neither is on the path
# chosen, so neither is reported.
key "$work/unrelated.key" ec:P-256
cert "$work/unrelated.pem" "/O=Example Corp/CN=Unrelated Intermediate" "$work/unrelated.key" "${R[@]}" int_unknown_critical "$CA_START" "$INT_END"
cert "$work/int-good.pem" "$INT" "$work/int.key" "${R[@]}" int "$CA_START" "$INT_END"
cert "$work/int-old.pem" "$INT" "$work/int.key" "${R[@]}" int 20250101000000Z 20260101000000Z
cert "$work/leaf.pem" "$ALICE" "$work/client.key" "$work/int-good.pem" "$work/int.key" cli "$CLI_START" "$CLI_END"
cat "$work/leaf.pem" "$work/unrelated.pem" "$work/int-old.pem" "$work/int-good.pem" > several-intermediates.pem
cat "$work/unrelated.pem" "$work/int-old.pem" "$work/int-good.pem" > several-intermediates.intermediate.pem
case_ - "$O $(u several-intermediates.pem) -CAfile $P/root.pem" $P/several-intermediates.pem "$ACCESS --ca $P/root.pem"
cd ..
echo "path: $(find path -name '*.pem' | wc -l) files"
