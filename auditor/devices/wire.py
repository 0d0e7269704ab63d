"""The three ways a rig is asked something, each bounded in time and size.

Rigs on a mining floor are not trusted: a reply may be garbage, endless, dripped one byte
at a time or cut short. Every exchange here has one deadline for the whole exchange
(connect, send, read) and a byte limit, and every failure becomes a `DeviceError` with a
one-line reason that the scanner records in the snapshot's `errors`; nothing else escapes.

- `cgminer_request`: the cgminer-family API (Antminer, Avalon, LuxOS, Whatsminer API v2):
  a JSON command on a TCP connection; the reply runs until the rig closes the connection or
  sends a NUL byte.
- `framed_request`: Whatsminer API v3: a 4-byte little-endian length, then JSON, both ways.
- `http_get`: a web interface page, with HTTP digest authentication (RFC 7616, MD5,
  qop=auth) when the rig asks for it, as stock Antminer CGI pages do.

HTTP is written here rather than taken from an HTTP library because what matters is exactly
the part such libraries leave to the caller: one deadline and one size cap over a hostile
reply, on the same stream code as the two socket protocols.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import socket
import struct
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

# A rig's identity replies are a few kilobytes; Antminer `stats` pages reach ~100 KB.
DEFAULT_LIMIT = 1 << 20


class DeviceError(Exception):
    """One request to one rig failed; `str(exc)` is the reason shown in the snapshot."""


class NotListening(DeviceError):
    """Nothing accepted the connection (refused or unreachable): the port is closed."""


class NoReply(DeviceError):
    """The exchange did not complete in time (silent, slow or dripping device)."""


async def _open(host: str, port: int):
    try:
        return await asyncio.open_connection(host, port, limit=1 << 16)
    except ConnectionRefusedError:
        raise NotListening("connection refused") from None
    except OSError as exc:
        raise NotListening(f"cannot connect: {exc.strerror or exc}") from None


_LINGER_0 = struct.pack("ii", 1, 0)


async def _converse(host: str, port: int,
                    talk: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[bytes]]) -> bytes:
    """One connection: `talk` sends and reads; the connection is closed normally when it
    completes and reset when it raised (see _close)."""
    reader, writer = await _open(host, port)
    done = False
    try:
        raw = await talk(reader, writer)
        done = True
        return raw
    finally:
        await _close(writer, abandon=not done)


async def _close(writer: asyncio.StreamWriter, abandon: bool) -> None:
    # An abandoned exchange (timeout, oversize or bad reply) is closed with a reset rather
    # than a FIN: a scan of silent addresses abandons tens of thousands of connections, and
    # each FIN-closed one would hold a local port in TIME_WAIT for a minute. A completed
    # exchange closes normally (the device usually closed first).
    sock = writer.get_extra_info("socket")
    if abandon and sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_0)
        except OSError:
            pass
    writer.close()
    try:
        await writer.wait_closed()
    except (OSError, asyncio.CancelledError):
        pass


class LoopLag:
    """How late this event loop runs its callbacks, accumulated (seconds).

    A scan of thousands of addresses can keep the loop busy for a good fraction of a second
    per iteration on a loaded machine. A device's timeout must not expire because *we* were
    slow to read its reply: `_bounded` grants each exchange the lag accrued while it waited.
    """

    TICK = 0.05

    def __init__(self) -> None:
        self.total = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(self.TICK)
            self.total += max(0.0, loop.time() - start - self.TICK)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task:
            self._task.cancel()


LAG: LoopLag | None = None  # set by the scanner for the duration of a scan


async def _bounded(coro, timeout: float, what: str):
    """Run one whole exchange under `timeout` seconds; map transport failures to DeviceError.

    The deadline is a timer on the running task (no extra task per exchange); when it fires
    it grants the loop lag accrued meanwhile (up to four times `timeout` in all) before cancelling.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    lag = LAG
    lag_at_start = lag.total if lag else 0.0
    started = loop.time()
    expired = False
    handle: asyncio.TimerHandle | None = None

    def on_deadline() -> None:
        nonlocal expired, handle
        extra = (lag.total - lag_at_start) if lag else 0.0
        deadline = started + min(timeout + extra, 4 * timeout)
        if deadline > loop.time() + 0.01:  # our own slowness, not the device's
            handle = loop.call_at(deadline, on_deadline)
            return
        expired = True
        task.cancel()

    handle = loop.call_at(started + timeout, on_deadline)
    try:
        return await coro
    except asyncio.CancelledError:
        if expired:
            task.uncancel()
            raise NoReply(f"no complete {what} within {timeout:g} s") from None
        raise
    except DeviceError:
        raise
    except ConnectionResetError:
        raise DeviceError("connection reset by the device") from None
    except asyncio.IncompleteReadError as exc:
        raise DeviceError(f"connection closed after {len(exc.partial)} of {exc.expected} bytes") from None
    except OSError as exc:
        raise DeviceError(f"network error: {exc.strerror or exc}") from None
    finally:
        if handle is not None:
            handle.cancel()


async def _read_until_close(reader: asyncio.StreamReader, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await reader.read(1 << 16)
        if not chunk:
            break
        nul = chunk.find(b"\x00")
        if nul >= 0:  # cgminer ends a reply with NUL and may keep the socket open
            chunks.append(chunk[:nul])
            break
        size += len(chunk)
        if size > limit:
            raise DeviceError(f"reply larger than {limit} bytes: not read further")
        chunks.append(chunk)
    return b"".join(chunks)


async def cgminer_request(host: str, port: int, command: dict[str, Any], timeout: float,
                          limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """Send one cgminer-style JSON command; return the decoded JSON object."""

    async def talk(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
        writer.write(json.dumps(command).encode())
        await writer.drain()
        return await _read_until_close(reader, limit)

    raw = await _bounded(_converse(host, port, talk), timeout, "reply")
    return decode_json(raw)


async def framed_request(host: str, port: int, command: dict[str, Any], timeout: float,
                         limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """Whatsminer API v3: length-prefixed JSON request and reply."""

    async def talk(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
        body = json.dumps(command).encode()
        writer.write(struct.pack("<I", len(body)) + body)
        await writer.drain()
        (length,) = struct.unpack("<I", await reader.readexactly(4))
        if length > limit:
            raise DeviceError(f"reply announces {length} bytes, more than the {limit}-byte limit")
        return await reader.readexactly(length)

    raw = await _bounded(_converse(host, port, talk), timeout, "reply")
    return decode_json(raw)


_BAD_SEPARATOR = re.compile(rb"\}\s*\{")


def decode_json(raw: bytes) -> dict[str, Any]:
    """A rig's reply as a JSON object, or DeviceError saying why not (with the offset)."""
    raw = raw.strip(b"\x00 \r\n\t")
    if not raw:
        raise DeviceError("empty reply")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeviceError(f"reply is not UTF-8 (byte {exc.start})") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        # Stock bmminer writes `}{` between STATS sections of one reply: repaired, as
        # cgminer-API clients do, and only when the result is then valid JSON.
        try:
            value = json.loads(_BAD_SEPARATOR.sub(b"},{", raw).decode())
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise DeviceError(f"reply is not JSON: {exc.msg} at byte {exc.pos}") from None
    if not isinstance(value, dict):
        raise DeviceError(f"reply is JSON {type(value).__name__}, expected an object")
    return value


@dataclass(frozen=True)
class HttpReply:
    status: int
    headers: dict[str, str]  # lower-cased names; last value wins
    body: bytes

    def json(self) -> dict[str, Any]:
        return decode_json(self.body)


async def _http_once(host: str, port: int, path: str, authorization: str | None, limit: int) -> HttpReply:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}" if port == 80 else f"Host: {host}:{port}",
             "Connection: close", "Accept: application/json, */*", "User-Agent: auditor-device-scan"]
    if authorization:
        lines.append(f"Authorization: {authorization}")

    async def talk(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        return await _read_until_close_http(reader, limit)

    return _parse_http(await _converse(host, port, talk))


async def _read_until_close_http(reader: asyncio.StreamReader, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await reader.read(1 << 16)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise DeviceError(f"reply larger than {limit} bytes: not read further")
        chunks.append(chunk)


def _parse_http(raw: bytes) -> HttpReply:
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        raise DeviceError("not an HTTP reply (no end of headers)")
    head_lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", head_lines[0])
    if not m:
        raise DeviceError(f"not an HTTP reply: {head_lines[0][:60]!r}")
    headers: dict[str, str] = {}
    for line in head_lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    return HttpReply(int(m.group(1)), headers, body)


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while True:
        end = body.find(b"\r\n", pos)
        if end < 0:
            raise DeviceError("truncated chunked HTTP body")
        try:
            size = int(body[pos:end].split(b";")[0], 16)
        except ValueError:
            raise DeviceError("malformed chunked HTTP body") from None
        if size == 0:
            return bytes(out)
        out += body[end + 2:end + 2 + size]
        pos = end + 2 + size + 2


def _digest_params(challenge: str) -> dict[str, str]:
    return {k.lower(): v1 or v2 for k, v1, v2 in re.findall(r'(\w+)=(?:"([^"]*)"|([^\s,]+))', challenge)}


def digest_authorization(challenge: str, username: str, password: str, method: str, uri: str,
                         cnonce: str | None = None) -> str:
    """The Authorization header answering a `WWW-Authenticate: Digest …` challenge (RFC 7616, MD5)."""
    p = _digest_params(challenge)
    if p.get("algorithm", "MD5").upper() not in ("MD5", "MD5-SESS"):
        raise DeviceError(f"unsupported digest algorithm {p.get('algorithm')!r}")
    realm, nonce = p.get("realm", ""), p.get("nonce", "")
    cnonce = cnonce or os.urandom(8).hex()

    def h(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    ha1 = h(f"{username}:{realm}:{password}")
    if p.get("algorithm", "").upper() == "MD5-SESS":
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    qop = "auth" if "auth" in [q.strip() for q in p.get("qop", "").split(",")] else None
    if qop:
        nc = "00000001"
        response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")
        extra = f', qop={qop}, nc={nc}, cnonce="{cnonce}"'
    else:
        response = h(f"{ha1}:{nonce}:{ha2}")
        extra = ""
    opaque = f', opaque="{p["opaque"]}"' if "opaque" in p else ""
    alg = f', algorithm={p["algorithm"]}' if "algorithm" in p else ""
    return (f'Digest username="{username}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
            f'response="{response}"{alg}{opaque}{extra}')


async def http_get(host: str, port: int, path: str, timeout: float, *,
                   login: tuple[str, str] | None = None, challenge: str | None = None,
                   limit: int = DEFAULT_LIMIT) -> HttpReply:
    """GET `path`; answer one digest challenge with `login` when the page asks for it.

    With `challenge` (a digest challenge the same server sent before, e.g. on its root page)
    the first request already carries the answer, saving a round trip per page; a fresh
    challenge in reply is still answered once.
    """

    async def exchange() -> HttpReply:
        first = None
        if login and challenge and challenge.lower().startswith("digest"):
            first = digest_authorization(challenge, login[0], login[1], "GET", path)
        reply = await _http_once(host, port, path, first, limit)
        challenge_now = reply.headers.get("www-authenticate", "")
        if reply.status == 401 and first and challenge_now == challenge:
            return reply  # the same challenge again: the login itself was refused
        if reply.status == 401 and login and challenge_now.lower().startswith("digest"):
            auth = digest_authorization(challenge_now, login[0], login[1], "GET", path)
            reply = await _http_once(host, port, path, auth, limit)
        return reply

    return await _bounded(exchange(), timeout, "HTTP reply")
