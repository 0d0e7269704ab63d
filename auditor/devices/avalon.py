"""Canaan Avalon (cgminer API on 4028).

`version` reports the model (`MODEL`, `PROD`), firmware build (`VERSION`), MAC and the
controller's DNA; Avalon firmware reports no rig serial over the API, so Avalon rigs are
joined to the inventory by MAC. Reply shape: pyasic's Avalon 1566 fixture
(tests/devices/fixtures/SOURCES.md).
"""

from __future__ import annotations

from auditor.devices import cgminer
from auditor.devices.base import Component, Hello, Observation, Probe, ReplyShape, mac_address, text


class AvalonClient:
    make = "Avalon"

    def recognises(self, hello: Hello) -> bool:
        v = cgminer.version_section(hello.version)
        return any("avalon" in str(v.get(k, "")).lower() for k in ("PROD", "MODEL", "Type"))

    async def observe(self, probe: Probe, hello: Hello, obs: Observation) -> None:
        obs.firmware = "stock"
        v = cgminer.version_section(hello.version)
        try:
            prod, model = text(v, "PROD"), text(v, "MODEL")
            obs.model = prod or (f"Avalon {model}" if model else None)
            obs.firmware_version = text(v, "VERSION")
            obs.mac = mac_address(text(v, "MAC"))
            dna = text(v, "DNA")
            if dna or text(v, "HWTYPE"):
                obs.components.append(Component("control_board", serial=dna, model=text(v, "HWTYPE"),
                                                version=text(v, "LOADER")))
        except ReplyShape as exc:
            obs.error(probe.ports.api, "version", str(exc))
        await cgminer.privileged_open(probe, obs)


CLIENT = AvalonClient()
