"""Scanning addresses: targets → one snapshot record per address, in target order.

Each address is handled by one worker: hello requests on the standard ports at once
(`_hello`), then the first client that recognises the replies observes the rig. A fixed
pool of `concurrency` workers walks the address list, so a /16 of silent addresses costs
(addresses / concurrency) × timeout, and records are emitted in the order the targets
were given as soon as every earlier address is done (deterministic files, bounded memory).
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from auditor.devices import clients, wire
from auditor.devices.base import Hello, Observation, Ports, Probe
from auditor.devices.wire import DEFAULT_LIMIT, DeviceError, NoReply, NotListening, cgminer_request, framed_request, http_get
from auditor.errors import location

MAX_PREFIX = 16  # the widest range one target may name (65,536 addresses)


class TargetError(ValueError):
    """A target that is not an IPv4 address, a CIDR range of at most /16, or a readable @file."""


@dataclass(frozen=True)
class ScanOptions:
    ports: Ports = field(default_factory=Ports)
    timeout: float = 3.0
    concurrency: int = 256
    limit: int = DEFAULT_LIMIT
    logins: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    site: str | None = None


def parse_targets(targets: Sequence[str]) -> list[str]:
    """Addresses named by the targets, in order, each once (TargetError on a bad target)."""
    out: dict[str, None] = {}
    for target in targets:
        for addr in _expand(target, None, None):
            out.setdefault(addr, None)
    return list(out)


def _expand(target: str, path: str | None, line: int | None) -> Iterable[str]:
    where = f"{location(path, line)}: " if path else ""
    t = target.strip()
    if t.startswith("@"):
        if path:
            raise TargetError(f"{where}@file inside an @file is not followed: {t!r}")
        file = t[1:]
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise TargetError(f"{file}: cannot read the target file: {exc}") from None
        found = False
        for n, raw in enumerate(text.splitlines(), 1):
            entry = raw.split("#", 1)[0].strip()
            if entry:
                found = True
                yield from _expand(entry, file, n)
        if not found:
            raise TargetError(f"{file}: no target in the file")
        return
    try:
        if "/" in t:
            net = ipaddress.IPv4Network(t, strict=False)
            if net.prefixlen < MAX_PREFIX:
                raise TargetError(f"{where}{t!r} is a /{net.prefixlen}: at most a /{MAX_PREFIX} (65,536 addresses) per target")
            hosts = list(net.hosts()) if net.prefixlen < 31 else list(net)
            yield from (str(a) for a in hosts)
        else:
            yield str(ipaddress.IPv4Address(t))
    except (ipaddress.AddressValueError, ipaddress.NetmaskValueError, ValueError) as exc:
        if isinstance(exc, TargetError):
            raise
        raise TargetError(f"{where}{t!r} is not an IPv4 address or CIDR range ({exc})") from None


def _loopback_guard(address: str) -> None:
    """AUDITOR_SCAN_LOOPBACK_ONLY=1 (set by the test-suite) refuses any address outside 127.0.0.0/8."""
    if os.environ.get("AUDITOR_SCAN_LOOPBACK_ONLY") == "1" and not ipaddress.IPv4Address(address).is_loopback:
        raise TargetError(f"{address} is outside 127.0.0.0/8 and AUDITOR_SCAN_LOOPBACK_ONLY=1 is set")


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


async def _hello(probe: Probe, obs: Observation) -> tuple[Hello, bool]:
    """The first requests, at once; returns the replies and whether anything listened."""
    p = probe.ports
    version, v3, web = await asyncio.gather(
        cgminer_request(probe.address, p.api, {"command": "version"}, probe.timeout, probe.limit),
        framed_request(probe.address, p.whatsminer_v3, {"cmd": "get.device.info"}, probe.timeout, probe.limit),
        http_get(probe.address, p.web, "/", probe.timeout, limit=probe.limit),
        return_exceptions=True,
    )
    hello = Hello()
    failures: list[tuple[int, str, BaseException]] = []
    for port, request, result, attr in ((p.api, "version", version, "version"),
                                        (p.whatsminer_v3, "get.device.info", v3, "v3_info"),
                                        (p.web, "GET /", web, "web_root")):
        if isinstance(result, BaseException):
            failures.append((port, request, result))
        else:
            setattr(hello, attr, result)
    for _, _, exc in failures:
        if not isinstance(exc, DeviceError):
            raise exc  # a bug, not a device's doing: let the guard report it
    listening = {port for port, _, exc in failures if not isinstance(exc, NotListening)}
    listening |= {port for port, attr in ((p.api, "version"), (p.whatsminer_v3, "v3_info"), (p.web, "web_root"))
                  if getattr(hello, attr) is not None}
    # The generic cgminer client does not count: a Whatsminer v2 may answer `version` too.
    recognised = any(c.recognises(hello) for c in clients() if c.make)
    api_silent = any(port == p.api and isinstance(exc, NoReply) for port, _, exc in failures)
    if not recognised and p.api in listening and not api_silent and hello.v3_info is None:
        # Whatsminer API v2 answers its own command set on the API port (not asked of a
        # silent port: that would only double the time spent on it).
        try:
            hello.v2_version = await cgminer_request(probe.address, p.api, {"cmd": "get_version"},
                                                     probe.timeout, probe.limit)
            failures = [f for f in failures if f[0] != p.api]
        except DeviceError as exc:
            if not isinstance(exc, NotListening):
                failures.append((p.api, "get_version", exc))
    for port, request, exc in failures:
        if not isinstance(exc, NotListening):  # a closed port is an answer, not an error
            obs.error(port, request, str(exc))
    return hello, bool(listening)


async def observe_address(address: str, opts: ScanOptions) -> dict[str, Any]:
    """One snapshot record for one address (never raises for anything the device does)."""
    _loopback_guard(address)
    probe = Probe(address=address, ports=opts.ports, timeout=opts.timeout, limit=opts.limit, logins=opts.logins)
    obs = Observation()
    hello, reachable = await _hello(probe, obs)
    for client in clients():
        if client.recognises(hello):
            obs.make = client.make
            await client.observe(probe, hello, obs)
            break
    else:
        if hello.version is not None or hello.web_root is not None:
            obs.error(None, "identify", "the device answered but no supported make recognised it")
    return record(address, reachable, utc_now(), obs, opts)


def record(address: str, reachable: bool, observed_at: str, obs: Observation, opts: ScanOptions) -> dict[str, Any]:
    """The snapshot object for one address (key order fixed; see snapshot.schema.json)."""
    return {
        "address": address,
        "reachable": reachable,
        "observed_at": observed_at,
        "site": opts.site,
        "ports": {"api": opts.ports.api, "web": opts.ports.web, "whatsminer_v3": opts.ports.whatsminer_v3},
        "make": obs.make,
        "model": obs.model,
        "serial": obs.serial,
        "mac": obs.mac,
        "hostname": obs.hostname,
        "firmware": obs.firmware,
        "firmware_version": obs.firmware_version,
        "api_privileged_open": obs.api_privileged_open,
        "components": [c.as_json() for c in obs.components],
        "errors": obs.errors,
    }


@dataclass
class ScanStats:
    addresses: int = 0
    reachable: int = 0
    identified: int = 0
    with_errors: int = 0


async def scan(addresses: Sequence[str], opts: ScanOptions, emit: Callable[[dict[str, Any]], None],
               progress: Callable[[ScanStats, int], None] | None = None) -> ScanStats:
    """Observe every address with `opts.concurrency` workers; `emit` records in address order."""
    for a in addresses:
        _loopback_guard(a)
    workers = max(1, min(opts.concurrency, len(addresses), _socket_budget() // 3))
    stats = ScanStats()
    done: dict[int, dict[str, Any]] = {}
    next_emit = 0
    cursor = iter(range(len(addresses)))

    async def worker(start_after: float) -> None:
        nonlocal next_emit
        await asyncio.sleep(start_after)
        for i in cursor:
            rec = await observe_address(addresses[i], opts)
            done[i] = rec
            stats.addresses += 1
            stats.reachable += rec["reachable"]
            stats.identified += rec["make"] is not None
            stats.with_errors += bool(rec["errors"])
            while next_emit in done:
                emit(done.pop(next_emit))
                next_emit += 1
            if progress:
                progress(stats, len(addresses))

    # Workers start spread over one timeout rather than all at once: thousands of
    # simultaneous connects would otherwise queue behind each other in this one event loop
    # and time out on our side, not the device's. Afterwards each worker's own pace keeps
    # them spread.
    step = min(0.002, opts.timeout / 2 / workers)
    wire.LAG = wire.LoopLag()
    wire.LAG.start()
    try:
        await asyncio.gather(*(worker(k * step) for k in range(workers)))
    finally:
        wire.LAG.stop()
        wire.LAG = None
    return stats


def _socket_budget() -> int:
    """File descriptors available for sockets: the soft limit raised to the hard one (3 per address)."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY or hard > soft:
            target = 65536 if hard == resource.RLIM_INFINITY else hard
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        return max(3, soft - 64)
    except (ImportError, ValueError, OSError):
        return 1024


def run_scan(addresses: Sequence[str], opts: ScanOptions, emit: Callable[[dict[str, Any]], None],
             progress: Callable[[ScanStats, int], None] | None = None) -> ScanStats:
    return asyncio.run(scan(addresses, opts, emit, progress))
