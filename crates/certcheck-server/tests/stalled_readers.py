#!/usr/bin/env python3
"""Resident memory and open descriptors of certcheck-server under clients that stop reading.

usage: stalled_readers.py [BINARY]   (default: target/debug/certcheck-server)

Starts the binary on a free loopback port with --static on a scratch folder holding a 64 MiB
file and a 1.2 MiB wasm-like file, then for each scenario opens N connections that send one GET
and never read, and prints VmRSS and the count of /proc/PID/fd: before, with the readers
stalled (2 s later), and 23 s later (past the default 20 s write timeout). Loopback only; every
wait is bounded; the scratch folder is removed. The figures go in docs/ROBUSTNESS.md.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def rss_fds(pid):
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return rss / 1024, len(os.listdir(f"/proc/{pid}/fd"))


def cpu(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def settle(pid, limit=300):
    """Waits (at most `limit` s) until the server stops using CPU: the compressed forms of the
    folder's files are made in the background at start, and would blur the figures."""
    started = time.time()
    last = cpu(pid)
    while time.time() - started < limit:
        time.sleep(1)
        now = cpu(pid)
        if now == last:
            return
        last = now


def scenario(binary, folder, path, readers, accept):
    server = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--static", folder],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if "proxy" not in k.lower()},
    )
    try:
        line = server.stdout.readline().decode()
        host, port = line.split("http://")[1].strip().strip("/").split(":")
        settle(server.pid)
        before = rss_fds(server.pid)
        clients = []
        head = f"GET {path} HTTP/1.1\r\nHost: localhost\r\n{accept}\r\n".encode()
        for _ in range(readers):
            client = socket.create_connection((host, int(port)), timeout=5)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            client.sendall(head)
            clients.append(client)
        time.sleep(2)
        stalled = rss_fds(server.pid)
        time.sleep(23)
        later = rss_fds(server.pid)
        for client in clients:
            client.close()
        return before, stalled, later
    finally:
        server.kill()
        server.wait(timeout=5)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/certcheck-server"
    folder = tempfile.mkdtemp(prefix="certcheck-stalled-")
    try:
        with open(os.path.join(folder, "index.html"), "w") as index:
            index.write("<!doctype html><title>t</title>\n")
        with open(os.path.join(folder, "big.bin"), "wb") as big:
            big.write(b"\x5a" * (64 * 1024 * 1024))
        with open(os.path.join(folder, "app-0b1c2d3e4f5a6b7c_bg.wasm"), "wb") as wasm:
            wasm.write(b"\0asm\x01\0\0\0" + bytes((i * 7919 >> 3) % 251 for i in range(1_200_000)))
        print(f"{binary}")
        print("scenario | before MB / fds | stalled (2 s) MB / fds | 25 s MB / fds")
        for name, path, readers, accept in [
            ("6 readers of a 64 MiB file", "/big.bin", 6, ""),
            ("200 readers of a 1.2 MB wasm, identity", "/app-0b1c2d3e4f5a6b7c_bg.wasm", 200, ""),
            ("200 readers of a 1.2 MB wasm, brotli", "/app-0b1c2d3e4f5a6b7c_bg.wasm", 200, "Accept-Encoding: br\r\n"),
        ]:
            before, stalled, later = scenario(binary, folder, path, readers, accept)
            print(
                f"{name} | {before[0]:.1f} / {before[1]} | {stalled[0]:.1f} / {stalled[1]} | {later[0]:.1f} / {later[1]}",
                flush=True,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
