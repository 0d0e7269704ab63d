"""`lists import --retrieved` refuses a download date after today: it would make a stale list look fresh."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.conftest import run_cli, shared_lists


def test_a_retrieved_date_after_today_is_refused_and_nothing_is_imported(isolated_db):
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).date().isoformat()
    fcc = shared_lists() / "fcc_covered_list.csv"
    done = run_cli("lists", "import", fcc, "--retrieved", tomorrow)
    assert done.returncode == 2
    assert f"--retrieved {tomorrow} is after today" in done.stderr and "nothing imported" in done.stderr
    assert "Traceback" not in done.stderr
    shown = run_cli("lists", "show")
    assert "fcc_covered_list.csv" not in shown.stdout
    # The pinned audit date does not move "today": a download date is a fact of the real world.
    today = datetime.now(timezone.utc).date().isoformat()
    done = run_cli("lists", "import", fcc, "--retrieved", today, env={"AUDITOR_AS_OF": "2025-01-01"})
    assert done.returncode == 0, done.stderr
    assert "fcc_covered_list.csv" in run_cli("lists", "show").stdout
