#!/usr/bin/env python3
"""Runs `openssl verify` on every case of cases.txt and check-cases.txt (python3 standard library).

Usage: tests/data/peer/openssl-verify.py [--readme]
Prints the markdown tables README.md carries; with --readme, rewrites them in README.md between
the <!-- openssl:begin --> and <!-- openssl:end --> markers instead.

Each verify case runs, from tests/data:
    openssl verify -x509_strict -attime 1795305600 <the case's "# openssl:" arguments> <CERT_FILE>
and twice more to tell what made openssl refuse: once without -x509_strict, and once with only
the path arguments (-CAfile, -untrusted, -partial_chain) and -x509_strict (no purpose, name or
security level). openssl reads the first certificate of CERT_FILE only.
"""
import os
import re
import subprocess
import sys

ATTIME = "1795305600"  # 2026-11-22T00:00:00Z
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
# Codes that are warnings (exit 0) at a destination; everything else named in "# expect:" is an error.
WARNINGS = {"cert.expires_soon", "peer.outlives_ca"}
WARNINGS_OFF_ANTHROPIC = {"cert.not_yet_valid", "cert.weak_signature"}


def cases(name):
    """(expect, openssl arguments or None, CERT_FILE, certcheck arguments) per case."""
    expect = openssl = None
    for line in open(os.path.join(HERE, name)):
        line = line.strip()
        if line.startswith("# expect:"):
            expect = line.split(":", 1)[1].strip()
        elif line.startswith("# openssl:"):
            openssl = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#"):
            path, args = line.split(None, 1)
            yield expect, openssl, path, args
            expect = openssl = None


def accepted_by_certcheck(expect, args):
    if expect == "-":
        return True
    destination = re.search(r"--to (\S+)", args).group(1)
    warnings = WARNINGS | (WARNINGS_OFF_ANTHROPIC if destination != "anthropic-tunnel" else set())
    codes = [c.strip() for c in expect.split(",")]
    return all(c.endswith("(warning)") or c in warnings for c in codes)


def run(arguments, certificate):
    process = subprocess.run(["openssl", "verify", *arguments, certificate], cwd=DATA,
                             capture_output=True, text=True)
    output = process.stdout + process.stderr
    errors = []
    for number, depth, text in re.findall(r"error (\d+) at (\d+) depth lookup: (.*)", output):
        entry = f"{number} at {depth}: {text}"
        if entry not in errors:
            errors.append(entry)
    ok = process.returncode == 0 and not errors and output.strip().endswith(": OK")
    if not ok and not errors:
        errors.append(output.strip().splitlines()[-1] if output.strip() else f"exit {process.returncode}")
    return ok, "OK" if ok else "; ".join(errors)


def path_only(arguments):
    """Keep -CAfile, -untrusted (with their files) and -partial_chain."""
    kept, words = [], arguments.split()
    for i, word in enumerate(words):
        if word in ("-CAfile", "-untrusted"):
            kept += [word, words[i + 1]]
        elif word == "-partial_chain":
            kept.append(word)
    return kept


def verify_table():
    rows = ["| # | CERT_FILE | certcheck arguments after `verify` | intended codes | certcheck accepts | "
            "openssl (-x509_strict + arguments) | same verdict | without -x509_strict | path only, -x509_strict |",
            "|---|---|---|---|---|---|---|---|---|"]
    for number, (expect, openssl, path, args) in enumerate(cases("cases.txt"), 1):
        accepts = accepted_by_certcheck(expect, args)
        shown = args.removeprefix("verify ").replace("--tunnel-domain example-tunnel.tunnels.example.com", "--tunnel-domain D")
        if openssl in (None, "-"):
            rows.append(f"| {number} | `{path}` | `{shown}` | {expect} | {'yes' if accepts else 'no'} | n/a | n/a | n/a | n/a |")
            continue
        ok, text = run(["-x509_strict", "-attime", ATTIME, *openssl.split()], path)
        _, lax = run(["-attime", ATTIME, *openssl.split()], path)
        _, chain = run(["-x509_strict", "-attime", ATTIME, *path_only(openssl)], path)
        same = "yes" if ok == accepts else "**no**"
        if "--key" in args and not accepts and ok and expect == "key.mismatch":
            same = "n/a (openssl has no --key; the chain agrees)"
        rows.append(f"| {number} | `{path}` | `{shown}` | {expect} | {'yes' if accepts else 'no'} | {text} | "
                    f"{same} | {lax} | {chain} |")
    return "\n".join(rows)


def check_table(work):
    """The check cases: what openssl says about the link or the self-signature they break."""
    def split(path):
        text = open(os.path.join(DATA, path)).read()
        blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", text, re.S)
        names = []
        for i, block in enumerate(blocks):
            name = os.path.join(work, f"{os.path.basename(path)}.{i}.pem")
            open(name, "w").write(block)
            names.append(name)
        return names
    rows = ["| input | intended codes | openssl command (besides -x509_strict -attime 1795305600) | openssl |",
            "|---|---|---|---|"]
    for expect, _, path, args in cases("check-cases.txt"):
        blocks = split(path)
        if len(blocks) == 2:
            shown = "-CAfile <second certificate> <first certificate>"
            _, text = run(["-x509_strict", "-attime", ATTIME, "-CAfile", blocks[1]], blocks[0])
        else:
            shown = f"-check_ss_sig -CAfile {path} {path}"
            _, text = run(["-x509_strict", "-attime", ATTIME, "-check_ss_sig", "-CAfile", path], path)
            _, plain = run(["-x509_strict", "-attime", ATTIME, "-CAfile", path], path)
            text += f" (without -check_ss_sig: {plain})"
        rows.append(f"| `{path}` (`{args}`) | {expect} | `{shown}` | {text} |")
    return "\n".join(rows)


def ca_table(work):
    """Every certificate of the manifest's --ca / -untrusted files and of the CA files, alone: a self-signed one as its
    own anchor with its signature checked (-check_ss_sig), an intermediate against every
    self-signed certificate of those files."""
    files = []
    for _, openssl, _, args in cases("cases.txt"):
        for path in re.findall(r"(?:--ca|-CAfile|-untrusted) (\S+)", f"{args} {openssl or ''}"):
            if path not in files:
                files.append(path)
    for topic in ("anthropic", "access", "mtls", "host"):  # and the CAs no case uploads alone
        for name in sorted(os.listdir(os.path.join(HERE, topic))):
            if re.match(r"(ca|root|other-root|intermediate)(-[a-z0-9-]+)?\.pem$", name) and not re.search(r"-(chain|anchor|uploaded|server|client)", name) \
                    and f"peer/{topic}/{name}" not in files:
                files.append(f"peer/{topic}/{name}")
    blocks = {}  # block text -> "file (position)", named after a one-certificate file where one exists
    found_in = {}
    for path in files:
        text = open(os.path.join(DATA, path)).read()
        found_in[path] = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", text, re.S)
    for path in sorted(files, key=lambda p: (len(found_in[p]), p)):
        found = found_in[path]
        for i, block in enumerate(found):
            blocks.setdefault(block, f"{path}" + (f" (certificate {i + 1} of {len(found)})" if len(found) > 1 else ""))
    def subject_issuer(name):
        out = subprocess.run(["openssl", "x509", "-in", name, "-noout", "-subject", "-issuer", "-nameopt", "RFC2253"],
                             capture_output=True, text=True).stdout.splitlines()
        return out[0].split("=", 1)[1], out[1].split("=", 1)[1]
    names, anchors = [], os.path.join(work, "anchors.pem")
    for i, (block, where) in enumerate(blocks.items()):
        name = os.path.join(work, f"block{i}.pem")
        open(name, "w").write(block)
        subject, issuer = subject_issuer(name)
        names.append((name, where, subject == issuer))
    open(anchors, "w").write("".join(b for (b, _), (_, _, s) in zip(blocks.items(), names) if s))
    rows = ["| certificate | subject | openssl verify -x509_strict -attime 1795305600 ... | result |", "|---|---|---|---|"]
    for name, where, self_signed in names:
        subject = subject_issuer(name)[0]
        if self_signed:
            shown, (_, text) = "-check_ss_sig -CAfile itself", run(["-x509_strict", "-check_ss_sig", "-attime", ATTIME, "-CAfile", name], name)
        else:
            shown, (_, text) = "-CAfile <every self-signed CA above>", run(["-x509_strict", "-attime", ATTIME, "-CAfile", anchors], name)
        rows.append(f"| `{where}` | {subject} | `{shown}` | {text} |")
    return "\n".join(rows)


def main():
    import tempfile
    with tempfile.TemporaryDirectory() as work:
        version = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
        tables = (f"Produced by `openssl-verify.py` with {version}.\n\n### verify cases\n\n{verify_table()}\n\n"
                  f"### check cases\n\n{check_table(work)}\n\n### CA and intermediate files on their own\n\n{ca_table(work)}\n")
    if sys.argv[1:] == ["--readme"]:
        readme = os.path.join(HERE, "README.md")
        text = open(readme).read()
        begin, end = "<!-- openssl:begin -->\n", "<!-- openssl:end -->"
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        open(readme, "w").write(head + begin + tables + end + tail)
    else:
        print(tables)


if __name__ == "__main__":
    main()
