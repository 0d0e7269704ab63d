"""The device wire layer on inputs written by others: RFC test vectors and captured replies."""

from __future__ import annotations

import json

import pytest

from auditor.devices.base import mac_address
from auditor.devices.snapshot import SnapshotError, read_snapshot
from auditor.devices.wire import DeviceError, decode_json, digest_authorization


def test_digest_answer_matches_the_rfc_2617_example():
    challenge = ('Digest realm="testrealm@host.com", qop="auth,auth-int", '
                 'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"')
    header = digest_authorization(challenge, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", cnonce="0a4f113b")
    assert 'response="6629fae49393a05397450978507c4ef1"' in header  # RFC 2617 section 3.5
    assert "qop=auth," in header and 'opaque="5ccc069c403ebaf9f0171e9517f40e41"' in header


def test_bmminer_stats_separator_is_repaired_and_nothing_else():
    # Stock bmminer joins STATS sections with `}{`; the repaired reply is valid JSON.
    raw = b'{"STATUS":[{"STATUS":"S"}],"STATS":[{"BMMiner":"1.0.0"}{"ID":"BTM0"}],"id":1}\x00'
    assert decode_json(raw)["STATS"][1] == {"ID": "BTM0"}
    with pytest.raises(DeviceError, match="not JSON"):
        decode_json(b'{"STATS": [1, 2')
    with pytest.raises(DeviceError, match="expected an object"):
        decode_json(b"[1, 2]")


@pytest.mark.parametrize("raw, expected", [
    ("123456789012", "12:34:56:78:90:12"),  # Avalon reports 12 hex digits
    ("62:f7:5e:b7:10:46", "62:F7:5E:B7:10:46"),
    ("d4-01-02-03-04-05", "D4:01:02:03:04:05"),
    ("02:55:97:22:3M:72", "02:55:97:22:3M:72"),  # malformed: kept as reported
])
def test_mac_forms(raw, expected):
    assert mac_address(raw) == expected


def test_snapshot_reader_names_file_line_and_field(tmp_path):
    good = {"address": "127.0.0.2", "reachable": False, "observed_at": "2026-12-01T10:00:00Z", "make": None,
            "model": None, "serial": None, "mac": None, "hostname": None, "firmware": None,
            "firmware_version": None, "api_privileged_open": None, "components": [], "errors": []}
    p = tmp_path / "s.jsonl"
    p.write_text(json.dumps(good) + "\n\n" + json.dumps({**good, "components": [{"kind": "fan"}]}) + "\n")
    with pytest.raises(SnapshotError, match=r"s\.jsonl:3: not a device snapshot record: components\[0\]"):
        read_snapshot(p)
    p.write_text(json.dumps(good) + "\n{oops\n")
    with pytest.raises(SnapshotError, match=r"s\.jsonl:2:2: not JSON"):
        read_snapshot(p)
    p.write_text(json.dumps(good) + "\n")
    assert read_snapshot(p).records[0].line == 1
