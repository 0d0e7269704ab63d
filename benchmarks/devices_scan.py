"""Time `auditor devices scan` against fake rigs on loopback and print the figures.

    python benchmarks/devices_scan.py [--rigs 1000] [--silent 10000] [--timeout 2] [--concurrency 2048]

1. `--rigs` fake rigs (every make in turn: stock Antminer, Avalon, LuxOS, Whatsminer API v2
   and v3) replaying captured replies, served by a separate process on 127.50.0.0/16.
2. `--silent` addresses on 127.51.0.0/16 whose API port accepts connections and never
   answers (web and Whatsminer ports closed), so every address waits out `--timeout`:
   the realistic worst case of a floor of rigs that are on but do not talk.

Each scan is the real CLI in a fresh process; "scan CPU" is that process's user+system
time and "load" the machine's load average (on a shared machine wall time follows it). Targets (issue 17): 1,000 rigs in <= 15 s,
10,000 silent addresses in <= 30 s on a 2-core machine. Loopback only, by construction.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def run(mode: str, n: int, first: str, timeout: float, concurrency: int, tmp: Path) -> None:
    api, web, v3 = free_ports(3)
    env = {**os.environ, "PYTHONPATH": str(REPO), "AUDITOR_SCAN_LOOPBACK_ONLY": "1"}
    server = subprocess.Popen([sys.executable, "-m", "tests.devices.fakerigs", mode, str(n), first,
                               str(api), str(web), str(v3)], cwd=REPO, env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        base = int(ipaddress.IPv4Address(first))
        targets = tmp / f"{mode}.txt"
        targets.write_text("".join(f"{ipaddress.IPv4Address(base + i)}\n" for i in range(n)))
        out = tmp / f"{mode}.jsonl"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "auditor", "devices", "scan", f"@{targets}", "--out", str(out),
                               "--api-port", str(api), "--web-port", str(web), "--whatsminer-port", str(v3),
                               "--timeout", str(timeout), "--concurrency", str(concurrency)],
                              cwd=REPO, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    finally:
        server.stdin.close()
        server.wait(timeout=60)
    records = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    identified = sum(r["make"] is not None for r in records)
    with_errors = sum(bool(r["errors"]) for r in records)
    print(f"{mode:>7} {n:>7} {seconds:>8.2f} {cpu:>8.2f} {n / seconds:>9.0f} {identified:>10} {with_errors:>11}"
          f"  exit {proc.returncode}  load {os.getloadavg()[0]:.1f}")
    if proc.returncode:
        print(proc.stderr, file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rigs", type=int, default=1000)
    ap.add_argument("--silent", type=int, default=10000)
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--concurrency", type=int, default=2048)
    args = ap.parse_args()
    print(f"timeout {args.timeout:g} s, concurrency {args.concurrency}")
    print(f"{'kind':>7} {'addrs':>7} {'seconds':>8} {'scan CPU':>8} {'addr/s':>9} {'identified':>10} {'with errors':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.rigs:
            run("fleet", args.rigs, "127.50.0.1", args.timeout, args.concurrency, Path(tmp))
        if args.silent:
            run("silent", args.silent, "127.51.0.1", args.timeout, args.concurrency, Path(tmp))


if __name__ == "__main__":
    main()
