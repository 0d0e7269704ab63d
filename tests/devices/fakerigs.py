"""Fake rigs on 127.0.0.0/8 that replay replies captured from real devices (fixtures/SOURCES.md).

One asyncio server per port kind (cgminer API, web, Whatsminer v3) answers for many
loopback addresses at once; the address a connection arrived on selects the rig. A rig
whose make does not use a port is simply not bound there, so that port is closed, as on a
real device. Hostile rigs misbehave on the API port.

Every address must be in 127.0.0.0/8: `FakeRigs` refuses anything else, so a test can
never send traffic off this machine.

Run as a script (`python -m tests.devices.fakerigs SPEC.json`) it serves rigs in a separate
process for the benchmark.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import re
import socket
import struct
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
REALM = "antMiner Configuration"
NONCE = "5f1ab9e3c0de4a72"

MAKES = ("antminer", "avalon", "luxos", "whatsminer_v2", "whatsminer_v3")
HOSTILE = ("garbage", "huge", "drip", "reset", "wrong_types", "silent", "wrong_types_web")


_TEXT: dict[str, str] = {}


def fixture(name: str) -> dict:
    """A fresh copy of a captured reply (the file is read once)."""
    if name not in _TEXT:
        _TEXT[name] = (FIXTURES / name).read_text()
    return json.loads(_TEXT[name])


@dataclass
class Rig:
    kind: str  # one of MAKES or HOSTILE
    serial: str | None = None  # None: replay the captured value
    mac: str | None = None
    model: str | None = None
    firmware_version: str | None = None
    board_serials: list[str] | None = None
    psu_serial: str | None = None
    privileged_open: bool = True
    login: tuple[str, str] = ("root", "root")

    def ports(self) -> set[str]:
        if self.kind == "antminer" or self.kind == "wrong_types_web":
            return {"api", "web"}
        if self.kind == "whatsminer_v3":
            return {"v3"}
        return {"api"}


def _status(state: str, code: int, msg: str) -> dict:
    return {"STATUS": [{"STATUS": state, "When": 1755615294, "Code": code, "Msg": msg, "Description": "cgminer"}], "id": 1}


def _privileged(rig: Rig) -> dict:
    return _status("S", 46, "Privileged access OK") if rig.privileged_open else \
        _status("E", 45, "Access denied to 'privileged' command")


def api_reply(rig: Rig, request: dict) -> dict | None:
    """The captured reply for one API request, with the rig's identity substituted."""
    command = request.get("command")
    cmd = request.get("cmd")
    if rig.kind == "antminer":
        if command == "version":
            r = fixture("antminer/version.json")
            if rig.model:
                r["VERSION"][0]["Type"] = rig.model
            return r
    elif rig.kind == "avalon":
        if command == "version":
            r = fixture("avalon/version.json")
            v = r["VERSION"][0]
            if rig.mac:
                v["MAC"] = rig.mac.replace(":", "").lower()
            if rig.model:
                v["PROD"] = rig.model
            if rig.firmware_version:
                v["VERSION"] = rig.firmware_version
            if rig.serial:
                v["DNA"] = rig.serial
            return r
    elif rig.kind == "luxos":
        if command == "version":
            r = fixture("luxos/version.json")
            if rig.model:
                r["VERSION"][0]["Type"] = rig.model
            return r
        if command == "config":
            r = fixture("luxos/config.json")
            c = r["CONFIG"][0]
            for key, value in (("SerialNumber", rig.serial), ("MACAddr", rig.mac), ("Model", rig.model)):
                if value:
                    c[key] = value
            return r
    elif rig.kind == "whatsminer_v2":
        if cmd == "get_version":
            r = fixture("whatsminer_v2/get_version.json")
            if rig.firmware_version:
                r["Msg"]["fw_ver"] = rig.firmware_version
            return r
        if cmd == "get_miner_info":
            r = fixture("whatsminer_v2/get_miner_info.json")
            if rig.mac:
                r["Msg"]["mac"] = rig.mac
            if rig.serial and "minersn" in str(request.get("info", "")):
                r["Msg"]["minersn"] = rig.serial
            if rig.psu_serial and "powersn" in str(request.get("info", "")):
                r["Msg"]["powersn"] = rig.psu_serial
            return r
        if cmd == "devs":
            r = fixture("whatsminer_v2/devs.json")
            for board, sn in zip(r["DEVS"], rig.board_serials or []):
                board["PCB SN"] = sn
            return r
        if cmd == "get_psu":
            return fixture("whatsminer_v2/get_psu.json")
        # Whatsminer v2 answers commands outside its set with its own error object.
        return {"STATUS": "E", "When": 1773871985, "Code": 14, "Msg": "invalid cmd", "Description": ""}
    elif rig.kind == "wrong_types":
        if command == "version":
            return {"STATUS": [{"STATUS": "S", "Code": 22}], "VERSION": [{"BMMiner": 3, "Type": ["Antminer S19"]}]}
        if command == "privileged":
            return {"STATUS": "yes"}
    elif rig.kind == "wrong_types_web":
        if command == "version":
            return fixture("antminer/version.json")
        if command == "privileged":
            return {"STATUS": [{"STATUS": "S", "Code": 46}]}
    if command == "privileged" and rig.kind in ("antminer", "avalon", "luxos"):
        return _privileged(rig)
    return _status("E", 14, "Invalid command")


def v3_reply(rig: Rig, request: dict) -> dict:
    if request.get("cmd") != "get.device.info":
        return {"code": -1, "msg": "invalid command"}
    r = fixture("whatsminer_v3/get_device_info.json")
    m = r["msg"]
    if rig.serial:
        m["miner"]["miner-sn"] = rig.serial
    if rig.mac:
        m["network"]["mac"] = rig.mac
    if rig.model:
        m["miner"]["type"] = rig.model
    if rig.firmware_version:
        m["system"]["fwversion"] = rig.firmware_version
    for i, sn in enumerate(rig.board_serials or []):
        m["miner"][f"pcbsn{i}"] = sn
    if rig.psu_serial:
        m["power"]["sn"] = rig.psu_serial
    return r


def web_page(rig: Rig, path: str) -> dict | None:
    if rig.kind == "wrong_types_web":
        if path == "/cgi-bin/get_system_info.cgi":
            return {"serinum": {"value": "X"}, "macaddr": 42}
        if path == "/cgi-bin/stats.cgi":
            return {"STATS": [{"chain": "three boards"}]}
        return None
    if path == "/cgi-bin/get_system_info.cgi":
        r = fixture("antminer/get_system_info.json")
        for key, value in (("serinum", rig.serial), ("macaddr", rig.mac), ("minertype", rig.model),
                           ("system_filesystem_version", rig.firmware_version)):
            if value:
                r[key] = value
        return r
    if path == "/cgi-bin/stats.cgi":
        r = fixture("antminer/stats.json")
        for chain, sn in zip(r["STATS"][0]["chain"], rig.board_serials or []):
            chain["sn"] = sn
        return r
    return None


def digest_ok(header: str, login: tuple[str, str], path: str) -> bool:
    """Check an Authorization: Digest header as the Antminer's web server does (RFC 7616, MD5)."""
    if not header.lower().startswith("digest "):
        return False
    p = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^\s,]+))', header)}
    if p.get("username") != login[0] or p.get("nonce") != NONCE or p.get("uri") != path:
        return False
    ha1 = hashlib.md5(f"{login[0]}:{REALM}:{login[1]}".encode()).hexdigest()
    ha2 = hashlib.md5(f"GET:{path}".encode()).hexdigest()
    want = hashlib.md5(f"{ha1}:{NONCE}:{p.get('nc')}:{p.get('cnonce')}:auth:{ha2}".encode()).hexdigest()
    return p.get("qop") == "auth" and p.get("response") == want


class FakeRigs:
    """Serve `rigs` (address -> Rig) on loopback; use as a context manager (runs in a thread)."""

    def __init__(self, rigs: dict[str, Rig], api_port: int, web_port: int, v3_port: int):
        for address in rigs:
            if not ipaddress.IPv4Address(address).is_loopback:
                raise ValueError(f"fake rigs live on 127.0.0.0/8 only, not {address}")
        self.rigs = rigs
        self.ports = {"api": api_port, "web": web_port, "v3": v3_port}
        self.requests: list[tuple[str, str, str]] = []  # (address, port kind, request) as received
        self._loop = asyncio.new_event_loop()
        self._servers: list[asyncio.base_events.Server] = []
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    async def _start(self) -> None:
        handlers = {"api": self._api, "web": self._web, "v3": self._v3}
        for kind, port in self.ports.items():
            hosts = [a for a, rig in self.rigs.items() if kind in rig.ports()]
            for i in range(0, len(hosts), 512):
                self._servers.append(await asyncio.start_server(handlers[kind], hosts[i:i + 512], port, backlog=1024))

    def __enter__(self) -> "FakeRigs":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=60)
        return self

    def __exit__(self, *exc) -> None:
        async def stop():
            for s in self._servers:
                s.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)

    @staticmethod
    def _rig_address(writer: asyncio.StreamWriter) -> str:
        return writer.get_extra_info("sockname")[0]

    async def _api(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = self._rig_address(writer)
        rig = self.rigs[address]
        try:
            buf = b""
            while True:
                chunk = await reader.read(4096)
                if not chunk:
                    return
                buf += chunk
                try:
                    request = json.loads(buf)
                    break
                except json.JSONDecodeError:
                    if len(buf) > 65536:
                        return
            self.requests.append((address, "api", json.dumps(request, sort_keys=True)))
            if await self._hostile(rig, writer):
                return
            reply = api_reply(rig, request)
            writer.write(json.dumps(reply).encode() + b"\x00")
            await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _hostile(self, rig: Rig, writer: asyncio.StreamWriter) -> bool:
        if rig.kind == "garbage":
            writer.write(b"\x8f\xff\x00binary\xfe{{{ not json")
        elif rig.kind == "huge":
            block = b"A" * 65536
            for _ in range(160):  # 10 MiB, or until the scanner hangs up
                writer.write(block)
                await writer.drain()
        elif rig.kind == "drip":
            for _ in range(10_000):
                writer.write(b"{")
                await writer.drain()
                await asyncio.sleep(0.05)
        elif rig.kind == "reset":
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
        elif rig.kind == "silent":
            await asyncio.sleep(3600)
        else:
            return False
        return True

    async def _v3(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = self._rig_address(writer)
        try:
            (n,) = struct.unpack("<I", await reader.readexactly(4))
            request = json.loads(await reader.readexactly(n))
            self.requests.append((address, "v3", json.dumps(request, sort_keys=True)))
            body = json.dumps(v3_reply(self.rigs[address], request)).encode()
            writer.write(struct.pack("<I", len(body)) + body)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _web(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = self._rig_address(writer)
        rig = self.rigs[address]
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
            self.requests.append((address, "web", f"{method} {path}"))
            if method != "GET":
                status, body, extra = 405, b"", ""
            elif not digest_ok(headers.get("authorization", ""), rig.login, path):
                status, body = 401, b"<html>401 Unauthorized</html>"
                extra = f'WWW-Authenticate: Digest realm="{REALM}", nonce="{NONCE}", qop="auth"\r\n'
            else:
                page = web_page(rig, path)
                status, extra = (200, "") if page is not None else (404, "")
                body = json.dumps(page).encode() if page is not None else b"not found"
            reason = {200: "OK", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}[status]
            writer.write(f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(body)}\r\n{extra}"
                         f"Connection: close\r\n\r\n".encode() + body)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError,
                asyncio.CancelledError):
            pass
        finally:
            writer.close()


def fleet(n: int, first: str = "127.20.0.1") -> dict[str, Rig]:
    """n distinct rigs cycling through every make, with unique serials, MACs and board serials."""
    base = int(ipaddress.IPv4Address(first))
    rigs = {}
    for i in range(n):
        kind = MAKES[i % len(MAKES)]
        mac = "02:AA:%02X:%02X:%02X:%02X" % ((i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255)
        rigs[str(ipaddress.IPv4Address(base + i))] = Rig(
            kind, serial=f"FAKE{i:06d}", mac=mac, board_serials=[f"HB{i:06d}-{b}" for b in range(3)],
            psu_serial=f"PSU{i:06d}", privileged_open=(i % 2 == 0))
    return rigs


def silent(n: int, first: str = "127.21.0.1") -> dict[str, Rig]:
    """n addresses whose API port accepts connections and never answers (their other ports are closed)."""
    base = int(ipaddress.IPv4Address(first))
    return {str(ipaddress.IPv4Address(base + i)): Rig("silent") for i in range(n)}


if __name__ == "__main__":
    # python -m tests.devices.fakerigs fleet|silent N FIRST API WEB V3: serve until stdin closes
    mode, n, first = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    api, web, v3 = (int(x) for x in sys.argv[4:7])
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with FakeRigs((fleet if mode == "fleet" else silent)(n, first), api, web, v3):
        print("ready", flush=True)
        sys.stdin.read()
