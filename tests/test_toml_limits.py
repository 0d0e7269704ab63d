"""Every TOML input goes through one loader with size, nesting and key-length limits: hostile
files are a clear exit 2 naming file, line and column, never an internal error or a hang."""

from __future__ import annotations

import pytest

from conftest import run_cli

INVENTORY = "serial,manufacturer,model\nSN1,Bitmain,Antminer S21\n"

NESTED = "x = " + "[" * 800 + "]" * 800 + "\n"
NESTED_TABLES = "x = " + "{a = " * 800 + "1" + "}" * 800 + "\n"
DOTTED = "a" + ".a" * 200_000 + " = 1\n"
DOTTED_HEADER = "[" + "a." * 200_000 + "a]\n"

# flag -> how the command is run with that file
INPUTS = {
    "--rules": ["rules", "lint", "--rules"],
    "--waivers": ["audit", "--bundled-lists-only", "--waivers"],
    "--cleared": ["audit", "--bundled-lists-only", "--cleared"],
    "--ownership": ["audit", "--bundled-lists-only", "--ownership"],
    "--tariffs": ["audit", "--bundled-lists-only", "--tariffs"],
    "--facilities": ["audit", "--bundled-lists-only", "--facilities"],
    "--advisories": ["audit", "--bundled-lists-only", "--advisories"],
    "--approved-firmware": ["audit", "--bundled-lists-only", "--approved-firmware"],
}
CASES = {
    "800 nested arrays": (NESTED, ":1:", "nested more than 32 levels"),
    "800 nested inline tables": (NESTED_TABLES, ":1:", "nested more than 32 levels"),
    "200k-part dotted key": (DOTTED, ":1:", "dotted key with more than 32 parts"),
    "200k-part table header": (DOTTED_HEADER, ":1:", "dotted key with more than 32 parts"),
}


def run(tmp_path, flag, content: str | bytes, name="hostile.toml"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    inv = tmp_path / "inv.csv"
    inv.write_text(INVENTORY)
    cmd = INPUTS[flag]
    args = [*cmd, str(path)]
    if cmd[0] == "audit":
        args += [str(inv), "--out", str(tmp_path / "out"), "--as-of", "2026-11-26"]
    proc = run_cli(*args)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc, path


@pytest.mark.parametrize("flag", sorted(INPUTS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_toml_is_exit_2_with_its_location(tmp_path, flag, case):
    content, where, message = CASES[case]
    proc, path = run(tmp_path, flag, content)
    assert proc.returncode == 2, proc.stderr
    assert f"{path}{where}" in proc.stderr, proc.stderr
    assert message in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("flag", ["--rules", "--waivers", "--tariffs"])
def test_a_toml_fifo_or_device_is_refused_by_name(tmp_path, flag):
    import os

    fifo = tmp_path / "rules.toml"
    os.mkfifo(fifo)
    inv = tmp_path / "inv.csv"
    inv.write_text(INVENTORY)
    cmd = INPUTS[flag]
    args = [*cmd, str(fifo)]
    if cmd[0] == "audit":
        args += [str(inv), "--out", str(tmp_path / "out")]
    proc = run_cli(*args)  # would block forever if the FIFO were opened
    assert proc.returncode == 2, proc.stderr
    assert f"{fifo}" in proc.stderr and "is a FIFO (named pipe), not a regular file" in proc.stderr


def test_an_oversized_toml_file_is_refused_without_reading_it_all(tmp_path):
    from auditor.limits import TOML_MAX_BYTES

    big = tmp_path / "big.toml"
    with open(big, "wb") as fh:
        fh.truncate(TOML_MAX_BYTES + 1)  # sparse: costs no disk
    (tmp_path / "inv.csv").write_text(INVENTORY)
    proc = run_cli("audit", str(tmp_path / "inv.csv"), "--bundled-lists-only", "--waivers", str(big),
                   "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert f"{big}: cannot read waiver file: waiver file is larger than 16 MiB" in proc.stderr


def test_legitimate_nesting_and_quoted_dots_still_load(tmp_path):
    from auditor.tomlfile import parse_toml

    text = ('x = 1.5\n[a.b.c]\nd.e = "x.y.z"\nf = [[1, 2], [{g = [3]}]]\n'
            's = """one\\"""\ntwo"""\nt = \'\'\'a.b.c.d\'\'\'\n# a.b.c.d.e\n')
    assert parse_toml(text) == {"x": 1.5, "a": {"b": {"c": {"d": {"e": "x.y.z"}, "f": [[1, 2], [{"g": [3]}]],
                                                              "s": 'one"""\ntwo', "t": "a.b.c.d"}}}}
