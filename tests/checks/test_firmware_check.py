"""Firmware advisories, approved lists and missing data against the bundled advisories."""


import pytest

from auditor.engine.checks.base import RuleError, Where
from auditor.engine.checks.firmware import CHECK
from auditor.inventory.table import table_from_rows
from auditor.model import Severity
from auditor.refdata import RefData
from auditor.refdata.firmware import load_approved_firmware
from auditor.refdata.rule_data import EXAMPLE_APPROVED_FIRMWARE, load_rule_refdata

from refcheck_helpers import bundled, ctx, make_rule  # noqa: F401  (bundled is a fixture)


def rule(**spec):
    return make_rule(CHECK, spec, message="{reason}", severity="medium", kind="firmware")


def run(refdata, rule_, rows, as_of="2025-11-26"):
    return {int(r): g for g in CHECK.evaluate(rule_, table_from_rows(rows), ctx(refdata, as_of)) for r in g.rows}


def s9(model="Antminer S9", firmware="stock", version="2017.03", manufacturer="Bitmain"):
    return {"manufacturer": manufacturer, "model": model, "firmware": firmware, "firmware_version": version}


def test_antbleed_models(bundled):
    ab = rule(test="advisory", advisory="ANTBLEED-2017")
    rows = [s9(), s9(model="Antminer T9"), s9(model="Antminer R4"), s9(model="Antminer L3"), s9(model="Antminer L3+"),
            s9(model="Antminer S9 13.5TH/s"), s9(model="Antminer S19"), s9(model="Antminer S9i"),
            s9(firmware="Braiins OS"), s9(model="S9", manufacturer=None)]
    out = run(bundled, ab, rows)
    # S19 / S9i are other models; Braiins OS is not stock; a bare "S9" with no manufacturer
    # cannot be tied to a vendor, so it is not matched.
    assert sorted(out) == [0, 1, 2, 3, 4, 5]
    g = out[0]
    assert g.effective_severity == Severity.MEDIUM
    assert "no version bounds" in g.message
    assert g.evidence["advisory"]["version_bounds"] == "none in sources"


def test_cve_2018_11220_models_and_publication_date(bundled):
    cve = rule(test="advisory", advisory="CVE-2018-11220")
    rows = [s9(model="Antminer D3"), s9(model="Antminer L3+"), s9(), s9(model="Antminer L3"), s9(model="Antminer T9")]
    assert sorted(run(bundled, cve, rows)) == [0, 1, 2]
    assert run(bundled, cve, rows, as_of="2018-05-30") == {}
    assert run(bundled, cve, rows, as_of="2018-05-31")[0].effective_severity == Severity.HIGH


def test_version_bounds(bundled):
    gs = rule(test="advisory", advisory="CVE-2022-24657")
    rows = [s9("Goldshell KD6", "Goldshell stock", "2.1.4", "Goldshell"), s9("KD6", "stock", "v2.1.0", "Goldshell"),
            s9("Goldshell KD6", "Goldshell stock", "2.2.1", "Goldshell"), s9("Goldshell KD6", "stock", None, "Goldshell"),
            s9("Goldshell KD6", None, None, "Goldshell")]
    out = run(bundled, gs, rows)
    assert sorted(out) == [0, 1, 3, 4]
    # The CVE record was not found in our sources (U): never above info, even on an affected version.
    assert out[0].effective_severity == Severity.INFO and "2.1.*" in out[0].message
    assert out[3].effective_severity == Severity.INFO and "version not recorded" in out[3].message
    assert out[4].effective_severity == Severity.INFO and "firmware not recorded" in out[4].message


def test_approved_list_only_when_configured(bundled):
    ap = rule(test="approved")
    rows = [s9("Antminer S19", "Braiins OS", "24.03"), s9("Antminer S19", "Braiins OS", "22.08"),
            s9("Antminer S21", "stock", "20240115"), s9("Antminer S19", "stock", "20240115"), s9("Antminer S21", None, None)]
    assert run(bundled, ap, rows) == {}  # no list configured
    configured = load_rule_refdata(RefData(), approved_firmware=EXAMPLE_APPROVED_FIRMWARE)
    out = run(configured, ap, rows)
    assert sorted(out) == [1, 3, 4]
    assert "matches no entry" in out[1].message and "not recorded" in out[4].message


def test_empty_approved_list_approves_nothing(bundled, tmp_path):
    p = tmp_path / "approved.toml"
    p.write_text("# nothing approved yet\n")
    entries, _ = load_approved_firmware(p)
    ref = load_rule_refdata(RefData(), approved_firmware=p)
    assert entries == () and ref.approved_firmware == ()
    assert sorted(run(ref, rule(test="approved"), [s9(), s9(firmware="Braiins OS")])) == [0, 1]


def test_missing_firmware_data(bundled):
    out = run(bundled, rule(test="missing"), [s9(), s9(firmware=None, version=None), s9(version=None)])
    assert sorted(out) == [1, 2]
    assert out[1].message == "firmware and firmware_version not recorded"


def test_config_validation():
    w = Where("r.toml", "")
    with pytest.raises(RuleError, match="needs advisory"):
        CHECK.parse({"test": "advisory"}, w)
    with pytest.raises(RuleError, match="test must be one of"):
        CHECK.parse({"test": "cve"}, w)


def test_unknown_advisory_is_a_runtime_error(bundled):
    with pytest.raises(RuntimeError, match="NOPE"):
        run(bundled, rule(test="advisory", advisory="NOPE"), [s9()])
