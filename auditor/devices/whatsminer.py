"""MicroBT Whatsminer, API v3 (length-prefixed JSON on 4433) and API v2 (JSON on 4028).

API v3 `get.device.info` reports everything at once: rig serial (`miner-sn`), model,
firmware, MAC, hostname, each hashboard's serial (`pcbsn<N>`) and chip lot codes
(`chipdata<N>`), the PSU's model and serial, the control board version. API v2 answers
`get_version` (firmware), `get_miner_info` (MAC, hostname and, when asked, the rig and PSU
serials), `devs` (hashboard serials, `PCB SN`) and `get_psu`. All are reads that need no
token; the privileged (token) API is never used, so `api_privileged_open` stays null.
Reply shapes: asic-rs Whatsminer v2/v3 fixtures (tests/devices/fixtures/SOURCES.md).
"""

from __future__ import annotations

import re

from auditor.devices.base import Component, Hello, Observation, Probe, ReplyShape, mac_address, text
from auditor.devices.wire import DeviceError, cgminer_request

V2_INFO_FIELDS = "ip,proto,netmask,gateway,dns,hostname,mac,ledstat,minersn,powersn"


def _obj(parent: dict, key: str) -> dict:
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ReplyShape(f"{key} is a JSON {type(value).__name__}, expected an object")
    return value


class WhatsminerClient:
    make = "Whatsminer"

    def recognises(self, hello: Hello) -> bool:
        if isinstance(hello.v3_info, dict) and isinstance(hello.v3_info.get("msg"), dict):
            return "miner" in hello.v3_info["msg"]
        msg = (hello.v2_version or {}).get("Msg")
        return isinstance(msg, dict) and "fw_ver" in msg

    async def observe(self, probe: Probe, hello: Hello, obs: Observation) -> None:
        obs.firmware = "stock"
        if isinstance(hello.v3_info, dict) and isinstance(hello.v3_info.get("msg"), dict):
            try:
                self._v3(hello.v3_info["msg"], obs)
            except ReplyShape as exc:
                obs.error(probe.ports.whatsminer_v3, "get.device.info", str(exc))
            return
        await self._v2(probe, hello, obs)

    def _v3(self, msg: dict, obs: Observation) -> None:
        miner, network, power, system = (_obj(msg, k) for k in ("miner", "network", "power", "system"))
        obs.serial = text(miner, "miner-sn")
        kind = text(miner, "type")
        obs.model = f"Whatsminer {kind.split('_')[0]}" if kind else None
        obs.mac = mac_address(text(network, "mac"))
        obs.hostname = text(network, "hostname")
        obs.firmware_version = text(system, "fwversion")
        slots = sorted({int(m.group(1)) for k in miner for m in [re.fullmatch(r"(?:pcbsn|chipdata)(\d+)", k)] if m})
        for slot in slots:
            lots = text(miner, f"chipdata{slot}")
            obs.components.append(Component("hashboard", slot=slot, serial=text(miner, f"pcbsn{slot}"),
                                            model=text(miner, "hash-board"), lot_codes=lots.split() if lots else []))
        if power:
            obs.components.append(Component("psu", serial=text(power, "sn"), model=text(power, "model"),
                                            version=text(power, "swversion")))
        if text(system, "control-board-version"):
            obs.components.append(Component("control_board", model=text(system, "control-board-version")))

    async def _v2(self, probe: Probe, hello: Hello, obs: Observation) -> None:
        port = probe.ports.api
        try:
            obs.firmware_version = text(_obj(hello.v2_version or {}, "Msg"), "fw_ver")
        except ReplyShape as exc:
            obs.error(port, "get_version", str(exc))

        async def ask(command: dict) -> dict | None:
            try:
                return await cgminer_request(probe.address, port, command, probe.timeout, probe.limit)
            except DeviceError as exc:
                obs.error(port, command["cmd"], str(exc))
                return None

        info = await ask({"cmd": "get_miner_info", "info": V2_INFO_FIELDS})
        if info is not None:
            try:
                msg = _obj(info, "Msg")
                obs.mac = mac_address(text(msg, "mac"))
                obs.hostname = text(msg, "hostname")
                obs.serial = text(msg, "minersn")
                power_sn = text(msg, "powersn")
            except ReplyShape as exc:
                obs.error(port, "get_miner_info", str(exc))
                power_sn = None
        else:
            power_sn = None
        devs = await ask({"cmd": "devs"})
        if devs is not None:
            try:
                boards = devs.get("DEVS", [])
                if not isinstance(boards, list):
                    raise ReplyShape("DEVS is not a list")
                for i, b in enumerate(boards):
                    if not isinstance(b, dict):
                        raise ReplyShape(f"DEVS[{i}] is not an object")
                    slot = b.get("Slot", b.get("ASC", i))
                    obs.components.append(Component("hashboard", slot=slot if isinstance(slot, int) else i,
                                                    serial=text(b, "PCB SN")))
            except ReplyShape as exc:
                obs.error(port, "devs", str(exc))
        psu = await ask({"cmd": "get_psu"})
        if psu is not None or power_sn:
            try:
                msg = _obj(psu or {}, "Msg")
                obs.components.append(Component("psu", serial=power_sn or text(msg, "serial_no"),
                                                model=text(msg, "model"), version=text(msg, "sw_version")))
            except ReplyShape as exc:
                obs.error(port, "get_psu", str(exc))


CLIENT = WhatsminerClient()
