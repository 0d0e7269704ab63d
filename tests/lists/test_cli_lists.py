"""`auditor lists import | show | update` as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import active, publish, update

FIXTURES = Path(__file__).with_name("fixtures")


def test_import_prints_counts_and_warnings(run_cli, db_url):
    code, out, err = run_cli("lists", "import", FIXTURES / "csl_small.csv", "--format", "csl-csv", "--db", db_url)
    assert code == 0
    assert "4 records read, 4 entries" in out
    lines = dict(ln.strip().rsplit(None, 1) for ln in out.splitlines()[1:])
    assert lines["Entity List (EL) - Bureau of Industry and Security"] == "2"
    assert lines["Specially Designated Nationals (SDN) - Treasury Department"] == "1"
    assert "csl_small.csv:2: repeated header row skipped" in err


def test_malformed_file_exits_2_with_position_and_no_traceback(run_cli, db_url, tmp_path):
    bad = tmp_path / "bad_sdn.csv"
    bad.write_text('1,"A",-0-,"X",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n2,"B",-0-\n')
    code, out, err = run_cli("lists", "import", bad, "--format", "ofac-sdn", "--db", db_url)
    assert code == 2
    assert err.startswith(f"auditor: error: {bad}:2:")
    assert "Traceback" not in err and out == ""


def test_missing_file_exits_2(run_cli, db_url, tmp_path):
    code, _, err = run_cli("lists", "import", tmp_path / "nope.csv", "--format", "csl-csv", "--db", db_url)
    assert code == 2 and "nope.csv" in err and "Traceback" not in err


def test_failed_import_keeps_previous_version(run_cli, db_url, tmp_path):
    run_cli("lists", "import", FIXTURES / "csl_small.csv", "--format", "csl-csv", "--db", db_url)
    bad = tmp_path / "broken.csv"
    bad.write_text((FIXTURES / "csl_small.csv").read_text() + '"z","Entity List (EL) - Bureau of Industry and Security"\n"y"\n')
    code, _, _ = run_cli("lists", "import", bad, "--format", "csl-csv", "--db", db_url)
    assert code == 2
    code, out, _ = run_cli("lists", "show", "--json", "--db", db_url)
    shown = json.loads(out)
    assert [(v["format"], v["entries"], v["active"]) for v in shown["imported"]] == [("csl-csv", 4, True)]


def test_show_lists_versions_dates_counts_and_bundled(run_cli, db_url):
    run_cli("lists", "import", FIXTURES / "dod_1260h_small.csv", "--format", "dod-1260h",
            "--retrieved", "2026-06-09", "--db", db_url)
    code, out, _ = run_cli("lists", "show", "--db", db_url)
    assert code == 0
    assert "dod-1260h [active] version 1: dod-1260h" in out
    assert "retrieved 2026-06-09" in out and "4 entries from 6 records" in out
    assert "bundled: auditor curated entities, compiled" in out
    code, out, _ = run_cli("lists", "show", "--json", "--db", db_url)
    data = json.loads(out)
    (v,) = data["imported"]
    assert v["retrieved"] == "2026-06-09" and v["rows"] == 6 and v["notes"] == {"companies": 3}
    assert data["bundled"]["entries"] > 0


def test_show_on_empty_store(run_cli, db_url):
    code, out, _ = run_cli("lists", "show", "--db", db_url)
    assert code == 0 and out.startswith("no imported lists")


# --- update against a local HTTP server (conftest.server) ---------------------------------------


def test_update_downloads_all_three_and_records_urls(run_cli, db_url, server):
    base, root = server
    publish(root, "csl_small.csv")
    code, out, _ = update(run_cli, base, db_url)
    assert code == 0, out
    now = active(run_cli, db_url)
    assert sorted(now) == ["csl", "ofac-alt", "ofac-sdn"]
    assert now["csl"]["source"] == f"{base}/consolidated.csv" and now["csl"]["entries"] == 4
    assert now["ofac-sdn"]["entries"] == 3 and now["ofac-alt"]["entries"] == 3
    assert now["csl"]["retrieved"] is not None
    assert f"{base}/consolidated.csv:2: repeated header" in now["csl"]["warnings"][0]


def test_update_refuses_to_lose_a_section_unless_forced(run_cli, db_url, server):
    base, root = server
    publish(root, "csl_small.csv")
    assert update(run_cli, base, db_url)[0] == 0
    before = active(run_cli, db_url)
    publish(root, "csl_update_lossy.csv")  # the Entity List section is missing (2 -> 0)
    code, out, err = update(run_cli, base, db_url)
    assert code == 2
    assert "Entity List (EL) - Bureau of Industry and Security: 2 → 0 entries (−100%)" in err
    assert active(run_cli, db_url) == before  # nothing changed, not even SDN/alt
    code, out, err = update(run_cli, base, db_url, "--force")
    assert code == 0 and "forcing update despite" in err
    after = active(run_cli, db_url)
    assert after["csl"]["entries"] == 2 and after["csl"]["id"] != before["csl"]["id"]


def test_update_within_allowed_loss_and_growth(run_cli, db_url, server):
    base, root = server
    publish(root, "csl_update_ok.csv")  # 5 entries, 3 in the Entity List
    assert update(run_cli, base, db_url)[0] == 0
    publish(root, "csl_small.csv")  # Entity List 3 -> 2: a 33% loss
    code, _, err = update(run_cli, base, db_url, "--max-loss", "0.4")
    assert code == 0
    assert ("auditor: warning: Entity List (EL) - Bureau of Industry and Security: 1 entry fewer than the active "
            f"version 1 (3 → 2, −33.3%) in {base}/consolidated.csv, within --max-loss 40%: check the source") in err
    assert active(run_cli, db_url)["csl"]["entries"] == 4
    publish(root, "csl_update_ok.csv")
    code, out, err = update(run_cli, base, db_url)
    assert code == 0  # growth is always fine, and said
    assert ("  Entity List (EL) - Bureau of Industry and Security: 1 entry more than the active version 4 "
            "(2 → 3, +50.0%)") in out.splitlines()


def test_update_http_error_changes_nothing(run_cli, db_url, server):
    base, root = server
    publish(root, "csl_small.csv")
    (root / "alt.csv").unlink()
    code, _, err = update(run_cli, base, db_url)
    assert code == 2 and "HTTP 404" in err and "nothing changed" in err
    assert active(run_cli, db_url) == {}


def test_update_refuses_plain_http_to_other_hosts(run_cli, db_url):
    code, _, err = run_cli("lists", "update", "--url-csl", "http://example.com/consolidated.csv", "--db", db_url)
    assert code == 2 and "refusing plain-HTTP URL" in err


def test_update_malformed_download_names_the_url(run_cli, db_url, server):
    base, root = server
    publish(root, "csl_small.csv")
    (root / "sdn.csv").write_text('1,"A",-0-\n')
    code, _, err = update(run_cli, base, db_url)
    assert code == 2 and f"{base}/sdn.csv:1:" in err


def test_update_accepts_the_json_csl(run_cli, db_url, server):
    base, root = server
    publish(root, "csl_small.csv")
    shutil.copy(FIXTURES / "csl_small.json", root / "consolidated.json")
    code, _, err = run_cli("lists", "update", "--url-csl", f"{base}/consolidated.json", "--url-sdn", f"{base}/sdn.csv",
                           "--url-alt", f"{base}/alt.csv", "--db", db_url)
    assert code == 0, err
    csl = active(run_cli, db_url)["csl"]
    assert (csl["format"], csl["entries"]) == ("csl-json", 3)


def test_import_refuses_a_big_loss_against_the_active_version_unless_forced(run_cli, db_url, tmp_path):
    code, _, _ = run_cli("lists", "import", FIXTURES / "csl_small.csv", "--format", "csl-csv",
                         "--retrieved", "2026-05-01", "--db", db_url)
    assert code == 0
    lines = (FIXTURES / "csl_small.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    sample = tmp_path / "sample.csv"
    sample.write_text("".join(x for x in lines if "Specially Designated" not in x), encoding="utf-8")
    code, out, err = run_cli("lists", "import", sample, "--format", "csl-csv", "--retrieved", "2026-05-02", "--db", db_url)
    assert code == 2 and out == ""
    assert "import refused, nothing changed: Specially Designated Nationals (SDN) - Treasury Department: 1 → 0" in err
    _, shown, _ = run_cli("lists", "show", "--json", "--db", db_url)
    (active,) = json.loads(shown)["imported"]
    assert active["retrieved"] == "2026-05-01"  # the old version is still the active one
    code, out, err = run_cli("lists", "import", sample, "--format", "csl-csv", "--retrieved", "2026-05-02",
                             "--force", "--db", db_url)
    assert code == 0 and "importing despite" in err


def test_import_refuses_a_file_with_no_entries(run_cli, db_url, tmp_path):
    header = tmp_path / "header_only.csv"
    header.write_text((FIXTURES / "csl_small.csv").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    code, out, err = run_cli("lists", "import", header, "--format", "csl-csv", "--force", "--db", db_url)
    assert code == 2 and out == ""
    assert f"{header}: no entries in 0 records" in err
    _, shown, _ = run_cli("lists", "show", "--json", "--db", db_url)
    assert json.loads(shown)["imported"] == []


def test_import_without_retrieved_says_which_date_it_recorded(run_cli, db_url):
    code, _, err = run_cli("lists", "import", FIXTURES / "csl_small.csv", "--format", "csl-csv", "--db", db_url)
    assert code == 0
    _, shown, _ = run_cli("lists", "show", "--json", "--db", db_url)
    (version,) = json.loads(shown)["imported"]
    assert version["retrieved"] is None
    assert ("no --retrieved date: the retrieval date is recorded as unknown and the list's age is measured "
            f"from the import date, {version['imported_at'][:10]}") in err
    # Screening with it says so too: a years-old file imported today would pass for current.
    _, _, screened = run_cli("screen", "Acme Hosting LLC", "--db", db_url)
    assert (f"list csl-csv from csl_small.csv has no retrieval date (imported without --retrieved on "
            f"{version['imported_at'][:10]})") in screened


# --- lists import without --format: the format is recognised from the file's first lines ---

@pytest.mark.parametrize("name,fmt", [
    ("csl_2023-11_partial.csv", "csl-csv"), ("csl_2025_sample.csv", "csl-csv"), ("ofac_sdn_2019.csv", "ofac-sdn"),
    ("ofac_alt_2025.csv", "ofac-alt"), ("dod_1260h.csv", "dod-1260h"), ("fcc_covered_list.csv", "fcc-covered"),
])
def test_the_published_list_files_are_recognised(shared_lists, name, fmt):
    from auditor.refdata.importers.detect import detect_format

    assert detect_format(shared_lists / name) == [fmt]


def test_the_json_csl_is_recognised():
    from auditor.refdata.importers.detect import detect_format

    assert detect_format(FIXTURES / "csl_small.json") == ["csl-json"]


def test_import_without_format_says_what_it_read_the_file_as(run_cli, db_url, shared_lists):
    code, out, err = run_cli("lists", "import", shared_lists / "dod_1260h.csv", "--retrieved", "2025-01-07",
                             "--db", db_url)
    assert code == 0, err
    assert "as dod-1260h" in out and "227 entries" in out
    assert "read as dod-1260h (recognised from its first lines; --format to choose)" in err


@pytest.mark.parametrize("text", [
    "serial,manufacturer,model\nSN1,Bitmain,S21\n",  # an inventory, not a list
    '1,"A",-0-\n',  # OFAC-like, but neither sdn.csv (12 fields) nor alt.csv (5)
])
def test_a_file_in_no_list_format_asks_for_format_and_changes_nothing(run_cli, db_url, tmp_path, text):
    other = tmp_path / "vendors.csv"
    other.write_text(text, encoding="utf-8")
    code, out, err = run_cli("lists", "import", other, "--db", db_url)
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"{other}: its first lines fit no list format; say which with --format (csl-csv," in err
    code, out, _ = run_cli("lists", "show", "--db", db_url)
    assert "no imported lists" in out


@pytest.mark.parametrize(("content", "said"), [
    (b"", "file is empty (0 bytes): nothing imported"),
    (b"\n\r\n   \n\t\n", "file is empty (only blank lines): nothing imported"),
    (b"\xef\xbb\xbf\r\n", "file is empty (only blank lines): nothing imported"),
])
@pytest.mark.parametrize("fmt", [None, "csl-csv", "csl-json", "ofac-sdn", "ofac-alt", "dod-1260h", "fcc-covered"])
def test_an_empty_file_is_said_to_be_empty_with_or_without_format(run_cli, db_url, tmp_path, content, said, fmt):
    """An empty download is not a file "in no list format": asking for --format would send the
    officer after the wrong problem."""
    empty = tmp_path / "consolidated.csv"
    empty.write_bytes(content)
    code, out, err = run_cli("lists", "import", empty, *(["--format", fmt] if fmt else []), "--db", db_url)
    assert (code, out) == (2, "")
    assert err == f"auditor: error: {empty}: {said}\n"


def test_an_empty_file_changes_nothing(run_cli, db_url, tmp_path, shared_lists):
    code, _, err = run_cli("lists", "import", shared_lists / "dod_1260h.csv", "--retrieved", "2026-11-30",
                           "--db", db_url)
    assert code == 0, err
    before = json.loads(run_cli("lists", "show", "--json", "--db", db_url)[1])
    empty = tmp_path / "dod_1260h.csv"
    empty.write_bytes(b"")
    for fmt in ([], ["--format", "dod-1260h"]):
        code, _, err = run_cli("lists", "import", empty, *fmt, "--retrieved", "2026-12-01", "--db", db_url)
        assert code == 2 and "file is empty (0 bytes): nothing imported" in err
    assert json.loads(run_cli("lists", "show", "--json", "--db", db_url)[1]) == before


@pytest.mark.parametrize("fmt", [None, "csl-csv"])
def test_a_compressed_download_is_named_as_such_not_as_bad_utf8(run_cli, db_url, tmp_path, shared_lists, fmt):
    import gzip

    packed = tmp_path / "consolidated.csv.gz"
    packed.write_bytes(gzip.compress((shared_lists / "csl_2025_sample.csv").read_bytes()))
    code, out, err = run_cli("lists", "import", packed, *(["--format", fmt] if fmt else []), "--db", db_url)
    assert (code, out) == (2, "")
    assert f"{packed}:1:1: a gzip-compressed file, not a text list file: decompress it first (gunzip)" in err, err
    assert "UTF-8" not in err and "--format" not in err
