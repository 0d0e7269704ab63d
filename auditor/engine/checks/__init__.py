"""Registry of check kinds: `check = "<name>"` in a rule file selects one. One line per check."""

from __future__ import annotations

import importlib

from auditor.engine.checks.base import Check, EvalContext, RuleError, Where  # noqa: F401

_REGISTRY: dict[str, str] = {
    "condition": "auditor.engine.checks.condition:CHECK",
    "unique": "auditor.engine.checks.unique:CHECK",
    "screen": "auditor.engine.checks.screen:CHECK",
    "affiliates": "auditor.engine.checks.affiliates:CHECK",
    "tariff": "auditor.engine.checks.tariff:CHECK",
    "origin_claim": "auditor.engine.checks.origin_claim:CHECK",
    "firmware": "auditor.engine.checks.firmware:CHECK",
    "device": "auditor.engine.checks.device:CHECK",
}


def names() -> list[str]:
    return sorted(_REGISTRY)


def get(name: str) -> Check | None:
    target = _REGISTRY.get(name)
    if target is None:
        return None
    module, attr = target.split(":")
    check: Check = getattr(importlib.import_module(module), attr)
    return check
