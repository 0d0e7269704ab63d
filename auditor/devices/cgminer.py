"""Requests shared by the cgminer-family APIs (Antminer, Avalon, LuxOS).

`privileged` is cgminer's harmless test of privileged access: it changes nothing and
answers success (code 46, "Privileged access OK") only when the caller's address is
allowed privileged (write) commands — stock Antminer configurations ship with
`"api-allow": "W:0/0"`, privileged access for any address. Refusal is code 45
("Access denied to 'privileged' command"). Both codes: cgminer `api.c` (MSG_ACCOK,
MSG_ACCDENY) and its API-README.
"""

from __future__ import annotations

from auditor.devices.base import Observation, Probe, ReplyShape, section, text
from auditor.devices.wire import DeviceError, cgminer_request


async def ask(probe: Probe, obs: Observation, command: str) -> dict | None:
    """One read-only cgminer command on the API port; failures recorded in obs.errors."""
    try:
        return await cgminer_request(probe.address, probe.ports.api, {"command": command},
                                     probe.timeout, probe.limit)
    except DeviceError as exc:
        obs.error(probe.ports.api, command, str(exc))
        return None


async def privileged_open(probe: Probe, obs: Observation) -> None:
    """Set obs.api_privileged_open from the `privileged` read (None when the answer is unclear)."""
    reply = await ask(probe, obs, "privileged")
    if reply is None:
        return
    try:
        status = section(reply, "STATUS")
        state, code = text(status, "STATUS"), status.get("Code")
    except ReplyShape as exc:
        obs.error(probe.ports.api, "privileged", str(exc))
        return
    if state == "S" and code in (46, None):
        obs.api_privileged_open = True
    elif state == "E":
        obs.api_privileged_open = False
    else:
        obs.error(probe.ports.api, "privileged", f"unexpected answer STATUS={state!r} Code={code!r}")


def version_section(hello_version: dict | None) -> dict:
    """VERSION[0] of the hello `version` reply, or {} when absent or misshapen."""
    if not hello_version:
        return {}
    try:
        return section(hello_version, "VERSION")
    except ReplyShape:
        return {}
