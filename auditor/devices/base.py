"""The interface every device protocol implements (one module per make, registered in __init__).

A scan of one address first says *hello* on the standard ports at once (the cgminer-family
`version` command, the Whatsminer API v3 `get.device.info`, the web root page). Each
registered `DeviceClient` then looks at those replies and says whether it `recognises`
the rig; the first that does `observe`s it: it asks its make's read-only identity
requests and fills an `Observation`. A client never sends a command that changes a device.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol

from auditor.devices.wire import HttpReply


@dataclass(frozen=True)
class Ports:
    api: int = 4028  # cgminer-family API (Antminer, Avalon, LuxOS, Whatsminer API v2)
    web: int = 80  # web interface (Antminer CGI pages)
    whatsminer_v3: int = 4433  # Whatsminer API v3


@dataclass(frozen=True)
class Probe:
    """How to reach one address: ports, per-request timeout, size limit, web logins per make."""

    address: str
    ports: Ports
    timeout: float
    limit: int
    logins: Mapping[str, tuple[str, str]]  # make -> (username, password); never written out


@dataclass
class Hello:
    """Replies to the first requests, shared by every client's `recognises`."""

    version: dict[str, Any] | None = None  # cgminer `version` on the API port
    v3_info: dict[str, Any] | None = None  # Whatsminer v3 `get.device.info`
    v2_version: dict[str, Any] | None = None  # Whatsminer v2 `get_version` (asked when `version` is not recognised)
    web_root: HttpReply | None = None  # GET / on the web port


@dataclass
class Component:
    """A hashboard, power supply or control board as the rig reports it."""

    kind: str  # "hashboard" | "psu" | "control_board"
    slot: int | None = None
    serial: str | None = None
    model: str | None = None
    version: str | None = None
    lot_codes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "slot": self.slot, "serial": self.serial, "model": self.model,
                "version": self.version, "lot_codes": list(self.lot_codes)}


@dataclass
class Observation:
    """What one rig says about itself; None where it did not say."""

    make: str | None = None
    model: str | None = None
    serial: str | None = None
    mac: str | None = None
    hostname: str | None = None
    firmware: str | None = None
    firmware_version: str | None = None
    api_privileged_open: bool | None = None
    components: list[Component] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, port: int | None, request: str, message: str) -> None:
        self.errors.append({"port": port, "request": request, "error": message})


class DeviceClient(Protocol):
    make: str | None  # value written to the snapshot's `make` (None: not identified)

    def recognises(self, hello: Hello) -> bool:
        """Whether the hello replies come from this make's firmware."""

    async def observe(self, probe: Probe, hello: Hello, obs: Observation) -> None:
        """Ask the rig's read-only identity requests; fill `obs` (record failures in obs.errors)."""


# --- reading untrusted replies ------------------------------------------------------------

class ReplyShape(Exception):
    """A reply that is valid JSON but not shaped as the protocol says (wrong type, missing key)."""


def section(reply: Mapping[str, Any], key: str) -> dict[str, Any]:
    """`reply[key][0]` of a cgminer-style reply (e.g. VERSION), checked to be an object."""
    value = reply.get(key)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    if isinstance(value, dict):
        return value
    raise ReplyShape(f"{key} is {_kind(value)}, expected a list of objects")


def text(obj: Mapping[str, Any], key: str) -> str | None:
    """A string field, stripped; None when absent or empty; ReplyShape when not a string/number."""
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ReplyShape(f"{key} is {_kind(value)}, expected text")
    out = str(value).strip()
    return out or None


def _kind(value: Any) -> str:
    return "missing" if value is None else f"a JSON {type(value).__name__}"


_HEX12 = re.compile(r"^[0-9A-Fa-f]{12}$")
_MAC = re.compile(r"^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$")


def mac_address(value: str | None) -> str | None:
    """Upper-case colon form when the value is a MAC address; else the text as reported.

    A malformed MAC is kept verbatim (not dropped): the snapshot records what the rig said.
    """
    if value is None:
        return None
    v = value.strip()
    if _HEX12.match(v):
        v = ":".join(v[i:i + 2] for i in range(0, 12, 2))
    if _MAC.match(v):
        return v.replace("-", ":").upper()
    return v


def cgminer_ok(reply: Mapping[str, Any]) -> bool:
    """STATUS of a cgminer reply is success (S) or informational (I)."""
    status = reply.get("STATUS")
    if isinstance(status, list) and status and isinstance(status[0], dict):
        return status[0].get("STATUS") in ("S", "I")
    return False
