"""`auditor screen` says when a name has more matches than --limit shows, and offers only
lists a name can be screened against."""

from __future__ import annotations

import json

from tests.conftest import run_cli, shared_lists

BUNDLED = ("--bundled-lists-only", "--as-of", "2026-06-01")


def test_more_matches_than_the_limit_are_counted_and_flagged() -> None:
    done = run_cli("screen", "Sophgo Technologies Ltd.", "Acme Hosting LLC", "--limit", "1", "--json", *BUNDLED)
    assert done.returncode == 1, done.stderr
    sophgo, acme = json.loads(done.stdout)
    assert len(sophgo["matches"]) == 1 and sophgo["total"] == 3 and sophgo["truncated"] is True
    assert (acme["matches"], acme["total"], acme["truncated"]) == ([], 0, False)
    everything = json.loads(run_cli("screen", "Sophgo Technologies Ltd.", "--limit", "3", "--json", *BUNDLED).stdout)
    assert everything[0]["total"] == 3 and everything[0]["truncated"] is False
    assert everything[0]["matches"][:1] == sophgo["matches"]

    text = run_cli("screen", "Sophgo Technologies Ltd.", "--limit", "1", *BUNDLED).stdout.splitlines()
    assert text[-1] == "Sophgo Technologies Ltd.: 2 more matches at or above 0.70; use --limit 3 to see all 3"


def test_only_lists_names_can_match_on_are_offered(isolated_db) -> None:
    """alt.csv's names are SDN names: its import label is no list to screen against (it used to
    be counted, with the bundled list's own label, among "17 list(s)" and accepted by --list)."""
    done = run_cli("lists", "import", shared_lists() / "ofac_alt_2025.csv", "--retrieved", "2026-05-20")
    assert done.returncode == 0, done.stderr
    alt = "Specially Designated Nationals (SDN) alternate names (alt.csv) - Treasury Department"
    for pseudo in (alt, "auditor curated entities"):
        done = run_cli("screen", "--list", pseudo, "SBERBANK ROSSII", "--as-of", "2026-06-01")
        assert done.returncode == 2
        assert f"unknown list {pseudo!r}; loaded lists: " in done.stderr
        offered = done.stderr.split("loaded lists: ", 1)[1]
        assert alt not in offered and "curated" not in offered
        assert "Specially Designated Nationals (SDN) - Treasury Department" in offered
    done = run_cli("screen", "Acme Hosting LLC", "--as-of", "2026-06-01")
    # SDN (alt.csv's names and the bundled entries), the Entity List and 1260H (bundled).
    assert "Acme Hosting LLC: no match at or above 0.70 on 3 list(s) as of 2026-06-01" in done.stdout


def test_a_cleared_file_clears_screen_matches_as_it_clears_an_audit(tmp_path) -> None:
    """A vendor-master job could not use its reviewed decisions: one known false positive
    kept it at exit 1 for good (the second new user)."""
    first = json.loads(run_cli("screen", "Sophgo Technologies Limited", "--json", *BUNDLED).stdout)
    matches = first[0]["matches"]
    assert matches
    decisions = "".join(
        f'[[cleared]]\nname = "SOPHGO TECHNOLOGIES LTD"\nlist = "{m["list"]}"\nentity_id = "{m["entity_id"]}"\n'
        f'reviewer = "A. Officer"\njustification = "Checked: not the listed party."\ndate = 2026-05-01\n\n'
        for m in matches)
    cleared = tmp_path / "cleared.toml"
    cleared.write_text(decisions, encoding="utf-8")
    done = run_cli("screen", "Sophgo Technologies Limited", "--json", "--cleared", str(cleared), *BUNDLED)
    assert done.returncode == 0, done.stderr  # every match cleared: nothing left to review
    (result,) = json.loads(done.stdout)
    assert [m["cleared"]["reviewer"] for m in result["matches"]] == ["A. Officer"] * len(matches)
    assert result["matches"][0]["cleared"]["review_by"] == "2027-05-01"
    text = run_cli("screen", "Sophgo Technologies Limited", "--cleared", str(cleared), *BUNDLED)
    assert text.returncode == 0 and " CLEARED " in text.stdout and "Cleared by A. Officer on 2026-05-01" in text.stdout
    # Past its review date the decision clears nothing, and says why.
    done = run_cli("screen", "Sophgo Technologies Limited", "--json", "--cleared", str(cleared),
                   "--bundled-lists-only", "--as-of", "2027-06-01")
    assert done.returncode == 1
    (result,) = json.loads(done.stdout)
    assert all("cleared" not in m and "due for review on 2027-05-01" in m["cleared_note"] for m in result["matches"])
    # A broken file is an error with its line, nothing screened.
    cleared.write_text('[[cleared]]\nname = "x"\n', encoding="utf-8")
    done = run_cli("screen", "Sophgo Technologies Limited", "--cleared", str(cleared), *BUNDLED)
    assert done.returncode == 2 and str(cleared) in done.stderr and done.stdout == ""


def test_a_legal_form_alone_is_said_not_screened_not_clean() -> None:
    # A stray "Ltd." or "Co., Ltd." names no party; "no match" would read as a clean result.
    text = run_cli("screen", "Ltd.", "Co., Ltd.", "Canaan Inc.", *BUNDLED)
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines()[:2] == ["Ltd.: not screened: a legal form alone names no party",
                                            "Co., Ltd.: not screened: a legal form alone names no party"]
    assert text.stdout.splitlines()[2].startswith("Canaan Inc.: no match at or above 0.70")
    ltd, canaan = json.loads(run_cli("screen", "Ltd.", "Canaan Inc.", "--json", *BUNDLED).stdout)
    assert ltd["not_screened"] == "a legal form alone names no party" and "not_screened" not in canaan


def test_a_placeholder_or_punctuation_is_said_not_screened_as_in_a_file() -> None:
    # What a spreadsheet puts in a cell with no name; given on the command line, as --file
    # skips it, it is no name screened clean.
    done = run_cli("screen", "N/A", "TBD", "-", "--json", *BUNDLED)
    assert done.returncode == 0, done.stderr
    reasons = [r.get("not_screened") for r in json.loads(done.stdout)]
    assert reasons == ["a placeholder, not a name", "a placeholder, not a name", "no letter or digit: not a name"]


def test_a_cleared_decision_that_can_clear_nothing_is_warned_about_with_its_line(tmp_path) -> None:
    """docs/CLEARED.md: a decision naming no entry of the loaded lists, or matching nothing in
    the run, clears nothing and the run says so (a new user's mistyped list name went unsaid)."""
    (match,) = json.loads(run_cli("screen", "Sophgo Technologies Limited", "--json", "--limit", "1",
                                  *BUNDLED).stdout)[0]["matches"]
    cleared = tmp_path / "cleared.toml"
    cleared.write_text(
        f'[[cleared]]\nname = "SOPHGO TECHNOLOGIES LTD"\nlist = "SDN"\nentity_id = "{match["entity_id"]}"\n'
        'reviewer = "A. Officer"\njustification = "Checked."\ndate = 2026-05-01\n\n'
        f'[[cleared]]\nname = "Acme Hosting LLC"\nlist = "{match["list"]}"\nentity_id = "{match["entity_id"]}"\n'
        'reviewer = "A. Officer"\njustification = "Checked."\ndate = 2026-05-01\n', encoding="utf-8")
    done = run_cli("screen", "Sophgo Technologies Limited", "--json", "--cleared", str(cleared), *BUNDLED)
    assert done.returncode == 1  # the match is not cleared
    warnings = [line for line in done.stderr.splitlines() if line.startswith("auditor: warning: ")]
    assert any(f"{cleared}:1: " in w and "'SDN', which the loaded lists do not have" in w for w in warnings), warnings
    assert any(f"{cleared}:9: " in w and "'Acme Hosting LLC'" in w and "matched no match" in w for w in warnings), warnings


def test_of_equal_scores_an_entry_matched_by_its_own_name_comes_before_one_matched_by_an_alias() -> None:
    # "Bank Melli Iran": MB BANK (its alias "BANK MELLI IRAN ZAO") was shown first, at 1.00 too.
    from auditor.cli.screen_cmd import by_effect
    from auditor.screening import Match

    sdn = "Specially Designated Nationals (SDN) - Treasury Department"
    alias = Match(sdn, "25419", "MB BANK", "BANK MELLI IRAN ZAO", 1.0, {})
    own = Match(sdn, "25578", "BANK MELLI IRAN", "BANK MELLI IRAN", 1.0, {})
    lower = Match(sdn, "25420", "MELLI BANK PLC", "MELLI BANK PLC", 0.94, {})
    assert [m.entity_id for m in by_effect([alias, lower, own])] == ["25578", "25419", "25420"]
