"""Any other cgminer-API device: not identified by make, but its privileged API is still tested.

An open privileged API is a security finding whatever the make, so a device that answers
`version` like cgminer but that no make's client recognises still gets the `privileged`
read; its make stays null and its model is the `Type` it reports, if any.
"""

from __future__ import annotations

from auditor.devices import cgminer
from auditor.devices.base import Hello, Observation, Probe, ReplyShape, cgminer_ok, text


class GenericCgminerClient:
    make = None

    def recognises(self, hello: Hello) -> bool:
        return hello.version is not None and cgminer_ok(hello.version)

    async def observe(self, probe: Probe, hello: Hello, obs: Observation) -> None:
        try:
            obs.model = text(cgminer.version_section(hello.version), "Type")
        except ReplyShape as exc:
            obs.error(probe.ports.api, "version", str(exc))
        obs.error(probe.ports.api, "version", "device answers the cgminer API but its make is not recognised")
        await cgminer.privileged_open(probe, obs)


CLIENT = GenericCgminerClient()
