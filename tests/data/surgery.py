#!/usr/bin/env python3
"""Byte surgery on DER certificates for the fixture corpus (python3 standard library only).

Usage: surgery.py <operation> <in.pem> <out.pem>
Operations: duplicate-extension, signature-mismatch, negative-serial, serial-non-minimal,
generalized-time, ber-length, explicit-default, flipped-tag, truncate.
The signature is not recomputed: nothing in certcheck verifies signatures yet.
"""
import base64
import re
import sys


def parse(data, offset=0):
    """One TLV -> (tag, value-bytes or children-list, raw-length)."""
    tag = data[offset]
    length = data[offset + 1]
    header = 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[offset + 2:offset + 2 + count], "big")
        header = 2 + count
    value = data[offset + header:offset + header + length]
    if tag & 0x20:
        children, position = [], 0
        while position < len(value):
            child, used = parse(value, position)
            children.append(child)
            position += used
        return [tag, children], header + length
    return [tag, bytes(value)], header + length


def encode_length(length, long_form=False):
    if length < 0x80 and not long_form:
        return bytes([length])
    body = length.to_bytes(max(1, (length.bit_length() + 7) // 8), "big")
    return bytes([0x80 | len(body)]) + body


def encode(node, long_form_ids=()):
    tag, value = node
    content = b"".join(encode(c, long_form_ids) for c in value) if isinstance(value, list) else value
    return bytes([tag]) + encode_length(len(content), id(node) in long_form_ids) + content


def read_pem(path):
    text = open(path).read()
    body = re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", text, re.S).group(1)
    return base64.b64decode("".join(body.split()))


def write_pem(path, der):
    b64 = base64.b64encode(der).decode()
    lines = "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
    open(path, "w").write(f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n")


def tbs_fields(cert):
    return cert[1][0][1]


def extensions(cert):
    for field in tbs_fields(cert):
        if field[0] == 0xA3:
            return field[1][0][1]
    raise SystemExit("no extensions")


def main():
    operation, source, target = sys.argv[1:4]
    cert, _ = parse(read_pem(source))
    long_form = ()
    fields = tbs_fields(cert)
    if operation == "duplicate-extension":
        exts = extensions(cert)
        ski = next(e for e in exts if e[1][0][1] == bytes([0x55, 0x1D, 0x0E]))
        exts.append([ski[0], list(ski[1])])
    elif operation == "signature-mismatch":
        # Outer signatureAlgorithm sha256WithRSAEncryption (…01 0B) -> sha384WithRSAEncryption (…01 0C).
        oid = cert[1][1][1][0]
        oid[1] = oid[1][:-1] + bytes([0x0C])
    elif operation == "negative-serial":
        serial = fields[1]
        serial[1] = bytes([0x80]) + serial[1][1:]
    elif operation == "generalized-time":
        validity = fields[4]
        not_before = validity[1][0]
        assert not_before[0] == 0x17
        not_before[0] = 0x18
        not_before[1] = b"20" + not_before[1]
    elif operation == "ber-length":
        long_form = (id(fields[3]),)  # the issuer Name's length in long form
    elif operation == "serial-non-minimal":
        serial = fields[1]
        assert serial[1][0] < 0x80
        serial[1] = b"\x00" + serial[1]  # a leading zero octet DER forbids (X.690 8.3.2)
    elif operation == "explicit-default":
        exts = extensions(cert)
        ski = next(e for e in exts if e[1][0][1] == bytes([0x55, 0x1D, 0x0E]))
        ski[1].insert(1, [0x01, b"\x00"])  # critical BOOLEAN FALSE written out: DEFAULT (X.690 11.5)
    elif operation == "flipped-tag":
        validity = fields[4]
        assert validity[0] == 0x30
        validity[0] = 0x31  # Validity SEQUENCE re-tagged as SET
    elif operation == "truncate":
        der = encode(cert)
        write_pem(target, der[: len(der) // 2])
        return
    else:
        raise SystemExit(f"unknown operation {operation}")
    write_pem(target, encode(cert, long_form))


if __name__ == "__main__":
    main()
