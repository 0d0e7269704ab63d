"""LuxOS (Luxor's aftermarket firmware for Antminers; cgminer-style API on 4028).

`version` names the firmware (`LUXminer` build) and model; `config` reports the rig's
serial, MAC, hostname, control board type and PSU label. Both are reads. Reply shapes:
asic-rs LuxOS fixtures (tests/devices/fixtures/SOURCES.md).
"""

from __future__ import annotations

from auditor.devices import cgminer
from auditor.devices.base import Component, Hello, Observation, Probe, ReplyShape, mac_address, section, text


class LuxOSClient:
    make = "Antminer"  # LuxOS runs on Bitmain hardware; the firmware column says LuxOS

    def recognises(self, hello: Hello) -> bool:
        return "LUXminer" in cgminer.version_section(hello.version)

    async def observe(self, probe: Probe, hello: Hello, obs: Observation) -> None:
        obs.firmware = "LuxOS"
        v = cgminer.version_section(hello.version)
        try:
            obs.model = text(v, "Type")
            obs.firmware_version = text(v, "LUXminer") or text(v, "Miner")
        except ReplyShape as exc:
            obs.error(probe.ports.api, "version", str(exc))
        reply = await cgminer.ask(probe, obs, "config")
        if reply is not None:
            try:
                c = section(reply, "CONFIG")
                obs.serial = text(c, "SerialNumber")
                obs.mac = mac_address(text(c, "MACAddr"))
                obs.hostname = text(c, "Hostname")
                obs.model = obs.model or text(c, "Model")
                if text(c, "ControlBoardType"):
                    obs.components.append(Component("control_board", model=text(c, "ControlBoardType")))
                if text(c, "PSULabel"):
                    obs.components.append(Component("psu", model=text(c, "PSULabel"), version=text(c, "PSUHwVersion")))
            except ReplyShape as exc:
                obs.error(probe.ports.api, "config", str(exc))
        await cgminer.privileged_open(probe, obs)


CLIENT = LuxOSClient()
