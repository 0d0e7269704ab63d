from datetime import date

import pytest

from auditor.engine.checks.base import EvalContext, Where
from auditor.model import Kind, Rule, Severity
from auditor.refdata import RefData
from auditor.refdata.rule_data import load_rule_refdata


def make_rule(check, spec, message="{reason}", severity="medium", kind="origin", rule_id="T-1"):
    """A rule as the loader would build it, with the check's own parse of `spec`."""
    return Rule(
        id=rule_id, title="test", severity=Severity.parse(severity), kind=Kind(kind), check_kind=check.name,
        check=check.parse(spec, Where("<test>", "")), message=message, references=(), remediation="",
        effective_from=None, effective_until=None, tests=(), version=1, sha256="", path="<test>",
    )

_BUNDLED = []


def bundled_refdata():
    if not _BUNDLED:
        _BUNDLED.append(load_rule_refdata(RefData()))
    return _BUNDLED[0]


def ctx(refdata, as_of):
    return EvalContext(as_of=date.fromisoformat(as_of) if isinstance(as_of, str) else as_of, refdata=refdata)


@pytest.fixture
def bundled():
    """Bundled facilities, tariffs and advisories (loaded once); import into a test module to use."""
    return bundled_refdata()
