"""Stock Bitmain Antminer firmware (bmminer/cgminer API on 4028, CGI pages on the web port).

The API's `version` gives the model (`Type`); the web interface, behind HTTP digest login
(factory login root/root), gives the serial (`serinum`), MAC, hostname and firmware build
(`/cgi-bin/get_system_info.cgi`) and each hashboard's serial (`/cgi-bin/stats.cgi`,
`STATS[0].chain[].sn`). Replies follow the fixtures captured from devices in the asic-rs
and pyasic repositories (tests/devices/fixtures/SOURCES.md).
"""

from __future__ import annotations

from auditor.devices import cgminer
from auditor.devices.base import Component, Hello, Observation, Probe, ReplyShape, mac_address, section, text
from auditor.devices.wire import DeviceError, http_get

SYSTEM_INFO = "/cgi-bin/get_system_info.cgi"
STATS = "/cgi-bin/stats.cgi"
FACTORY_LOGIN = ("root", "root")


class AntminerClient:
    make = "Antminer"

    def recognises(self, hello: Hello) -> bool:
        v = cgminer.version_section(hello.version)
        if v and not ({"LUXminer", "BOSminer", "BOSer"} & set(v)):
            kind = str(v.get("Type", ""))
            if ("BMMiner" in v or "CGMiner" in v) and "antminer" in kind.lower():
                return True
        root = hello.web_root
        return bool(root and root.status == 401 and "antminer" in root.headers.get("www-authenticate", "").lower())

    async def observe(self, probe: Probe, hello: Hello, obs: Observation) -> None:
        obs.firmware = "stock"
        v = cgminer.version_section(hello.version)
        try:
            obs.model = text(v, "Type")
        except ReplyShape as exc:
            obs.error(probe.ports.api, "version", str(exc))
        if hello.version is not None:
            await cgminer.privileged_open(probe, obs)
        login = probe.logins.get("antminer", FACTORY_LOGIN)
        # The root page's digest challenge is answered up front on each CGI page.
        challenge = hello.web_root.headers.get("www-authenticate") if hello.web_root else None
        info = await self._page(probe, obs, SYSTEM_INFO, login, challenge)
        if info is not None:
            try:
                obs.serial = text(info, "serinum")
                obs.mac = mac_address(text(info, "macaddr"))
                obs.hostname = text(info, "hostname")
                obs.firmware_version = text(info, "system_filesystem_version")
                obs.model = obs.model or text(info, "minertype")
            except ReplyShape as exc:
                obs.error(probe.ports.web, SYSTEM_INFO, str(exc))
        stats = await self._page(probe, obs, STATS, login, challenge)
        if stats is not None:
            try:
                chains = section(stats, "STATS").get("chain", [])
                if not isinstance(chains, list):
                    raise ReplyShape("STATS[0].chain is not a list")
                for i, chain in enumerate(chains):
                    if not isinstance(chain, dict):
                        raise ReplyShape(f"STATS[0].chain[{i}] is not an object")
                    slot = chain.get("index", i)
                    obs.components.append(Component("hashboard", slot=slot if isinstance(slot, int) else i,
                                                    serial=text(chain, "sn")))
            except ReplyShape as exc:
                obs.error(probe.ports.web, STATS, str(exc))

    async def _page(self, probe: Probe, obs: Observation, path: str, login: tuple[str, str],
                    challenge: str | None) -> dict | None:
        try:
            reply = await http_get(probe.address, probe.ports.web, path, probe.timeout, login=login,
                                   challenge=challenge, limit=probe.limit)
            if reply.status == 401:
                raise DeviceError("web login refused (401): give the rig's login with --credentials")
            if reply.status != 200:
                raise DeviceError(f"HTTP {reply.status}")
            return reply.json()
        except DeviceError as exc:
            obs.error(probe.ports.web, path, str(exc))
            return None


CLIENT = AntminerClient()
