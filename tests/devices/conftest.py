"""Device tests talk only to fake rigs on 127.0.0.0/8.

AUDITOR_SCAN_LOOPBACK_ONLY=1 (inherited by the CLI subprocesses) makes the scanner refuse
any address outside 127.0.0.0/8 before connecting, and `FakeRigs` refuses to serve one.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    monkeypatch.setenv("AUDITOR_SCAN_LOOPBACK_ONLY", "1")


def free_ports(n: int) -> list[int]:
    """n TCP ports free on loopback now (the OS picks them; other test runs cannot collide)."""
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def assert_loopback(addresses) -> None:
    assert all(ipaddress.IPv4Address(a).is_loopback for a in addresses)
