"""`auditor tariffs explain`: the issue's "done when" totals, JSON shape and exit codes."""

import json
import subprocess
import sys

import pytest

from auditor.cli import main


def run(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(["tariffs", "explain", *args])
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


@pytest.mark.parametrize(
    "origin,on,total,programmes",
    [
        ("CN", "2025-06-18", 0.576, ["MFN", "Section 301", "IEEPA fentanyl", "IEEPA reciprocal"]),
        ("CN", "2026-11-26", 0.276, ["MFN", "Section 301"]),
        ("MY", "2025-09-01", 0.216, ["MFN", "IEEPA reciprocal"]),
    ],
)
def test_done_when_totals(capsys, origin, on, total, programmes):
    code, out, _ = run(capsys, "--origin", origin, "--hts", "8543.70.9960", "--date", on, "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["total_rate"] == total
    assert [c["programme"] for c in doc["components"]] == programmes
    assert all(c["source"] for c in doc["components"])


def test_json_shape(capsys):
    code, out, _ = run(capsys, "--origin", "cn", "--hts", "8543.70.9960", "--date", "2025-06-18", "--value", "3150", "--json")
    doc = json.loads(out)
    assert {"origin", "hts", "date", "total_rate", "components", "duty_usd"} <= set(doc)
    assert (doc["origin"], doc["hts"], doc["date"]) == ("CN", "8543.70.9960", "2025-06-18")
    assert doc["duty_usd"] == "1814.40"  # 3150 × 57.6%
    assert "licensed customs broker" in doc["estimate"]
    first = doc["components"][0]
    assert {"programme", "rate", "from", "until", "source", "confidence"} <= set(first)
    # Rates are decimal fractions: 0.25 for 25%.
    assert [c["rate"] for c in doc["components"]] == [0.026, 0.25, 0.2, 0.1]
    fent = doc["components"][2]
    assert (fent["from"], fent["until"], fent["confidence"]) == ("2025-03-04", "2025-11-10", "P")
    assert doc["components"][0]["until"] is None


def test_missing_hts_is_assumed_and_said(capsys):
    code, out, _ = run(capsys, "--origin", "MY", "--date", "2025-09-01", "--json")
    doc = json.loads(out)
    assert doc["hts"] == "8543.70.9960" and "N297495" in doc["hts_assumed"]


def test_text_output_cites_each_component(capsys):
    code, out, _ = run(capsys, "--origin", "CN", "--date", "2025-06-18", "--value", "1000")
    assert code == 0
    assert "total 57.6%, duty 576.00 USD" in out
    assert "2025-03-04 → 2025-11-10" in out and "EO 14195" in out and "N297495" in out
    assert "licensed customs broker" in out


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--origin", "ZZ", "--date", "2025-06-18"], "--origin 'ZZ'"),
        (["--origin", "CN", "--date", "2025-13-01"], "--date '2025-13-01'"),
        (["--origin", "CN", "--date", "2025-06-18", "--hts", "85.x"], "--hts"),
        (["--origin", "CN", "--date", "2025-06-18", "--value", "-5"], "--value '-5'"),
    ],
)
def test_bad_arguments_exit_2(capsys, args, needle):
    code, out, err = run(capsys, *args)
    assert code == 2 and needle in err and "Traceback" not in err and out == ""


def test_bad_schedule_file_exit_2_with_line(capsys, tmp_path):
    p = tmp_path / "t.toml"
    p.write_text('[[tariff]]\nid = "x"\nprogramme = "MFN"\norigin = "*"\nhts = ["*"]\npercent = 1\n'
                 'confidence = "X"\nsource = "s"\n')
    code, _, err = run(capsys, "--origin", "CN", "--date", "2025-06-18", "--schedule", str(p))
    assert code == 2 and f"{p}:7:" in err


def test_real_process(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", "from auditor.cli import main; main()", "tariffs", "explain", "--origin", "CN",
         "--date", "2026-11-26", "--json"],
        capture_output=True, text=True, check=True,
    )
    assert json.loads(out.stdout)["total_rate"] == 0.276
