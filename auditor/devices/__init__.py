"""Asking rigs who they are: read-only device protocols and the network scan.

One `DeviceClient` per make or firmware (base.py), registered in CLIENTS below in the order
they are tried: aftermarket firmware before the stock firmware of the same hardware, the
generic cgminer client last. `scan.py` drives a scan; `snapshot.py` reads and writes the
snapshot (JSON Lines, schema in snapshot.schema.json).
"""

from __future__ import annotations

import importlib

from auditor.devices.base import DeviceClient

# "module:attribute" of each client, in recognition order. One line per client.
CLIENTS: tuple[str, ...] = (
    "auditor.devices.luxos:CLIENT",
    "auditor.devices.antminer:CLIENT",
    "auditor.devices.avalon:CLIENT",
    "auditor.devices.whatsminer:CLIENT",
    "auditor.devices.generic:CLIENT",
)


def clients() -> list[DeviceClient]:
    out = []
    for target in CLIENTS:
        module, attr = target.split(":")
        out.append(getattr(importlib.import_module(module), attr))
    return out
